r"""Converting a surrogate between libraries: the exact equivalent, or the closest fit.

:func:`convert` answers "what is ``snntorch.atan(alpha=2)`` here, or in SpikingJelly?":

* **Exact.** Where the catalogue knows an equivalence
  (``g'_source(x) = factor * g'_target(x_scale * (x - shift))``), the answer is that
  target, its parameters, the factor, the shift and the x scale, and the largest difference
  between the two on a dense float64 grid over the source's range, relative to the peak of
  ``g'`` (isolated edge points where one side uses ``<`` and the other ``<=`` are left out
  and named). It must be at rounding level: :data:`EXACT_RTOL` (1e-12) is the bar. (Relative
  to the peak, not point by point: a source that writes ``(1 - s) s`` or ``1 - tanh^2``
  cancels in its own tails, where its pointwise rounding error reaches 1e-9.)
* **Fit.** Otherwise the closest target, fitted on ``g'`` over the source's range:
  ``match="lsq"`` minimises the squared difference, ``match="shape"`` matches the peak
  height and the full width at half maximum. A built-in target gets a free constant factor
  (as exact equivalents have); a foreign target does not (its code must paste as is). The
  deviation reported is ``max |g'_source - factor * g'_target| / max |g'_source|`` on the
  grid.

``to`` is a built-in name, a ``LIBRARY.NAME``, or a library (``"spikingjelly"``): then the
answer is that library's surrogate with its code ready to paste, or :class:`BadInput`
saying the library has no exact counterpart and giving the closest fit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from ..catalog import Record, find_record, builtin_records
from ..catalog.foreign import (
    LIBRARIES, ForeignRecord, equivalent_of, is_foreign_name, library_records,
)
from ..errors import BadInput
from ..evaluation import grad_values
from .convert_values import fit_deviation, max_rel_diff
from .fit import fit_one

__all__ = ["Conversion", "convert", "exact_in_library", "grad_values", "EXACT_RTOL", "MATCHES", "max_rel_diff", "fit_deviation"]

#: The largest relative difference an exact conversion may show on the grid.
EXACT_RTOL = 1e-12
MATCHES = ("lsq", "shape")
_POINTS = 4001  # dense grid of the exact check
_FIT_POINTS = 801  # grid of a fit


@dataclass
class Conversion:
    """The answer of :func:`convert` (``as_dict`` is JSON-ready)."""

    source: str
    source_params: dict
    kind: str  # "exact" or "fit"
    target: str
    target_params: dict
    factor: float = 1.0
    shift: float = 0.0
    x_scale: float = 1.0
    max_rel_diff: float | None = None  # exact: measured on the grid
    deviation: float | None = None  # fit: max |difference| / max |source g'|
    match: str | None = None
    x_range: tuple[float, float] = (-3.0, 3.0)
    points: int = _POINTS
    edges: list[float] = field(default_factory=list)
    code: str = ""
    notes: list[str] = field(default_factory=list)

    def expression(self, digits: int = 10) -> str:
        """The target as an expression in x, e.g. ``25 * slayer_grad(alpha=1) at x - 1``."""
        def short(v):
            return _short(v, digits)

        args = ", ".join(f"{k}={short(v)}" for k, v in self.target_params.items())
        arg = "x"
        if self.shift:
            arg = f"x {'-' if self.shift > 0 else '+'} {short(abs(self.shift))}"
        if self.x_scale != 1:
            arg = f"{short(self.x_scale)}*({arg})" if self.shift else f"{short(self.x_scale)}*x"
        out = f"{self.target}({args})"
        if self.factor != 1:
            out = f"{short(self.factor)} * {out}"
        return out if arg == "x" else f"{out} at {arg}"

    def as_dict(self) -> dict:
        from ..formatting import json_number

        return {
            "source": self.source, "source_params": self.source_params, "kind": self.kind,
            "target": self.target, "target_params": self.target_params,
            "factor": self.factor, "shift": self.shift, "x_scale": self.x_scale,
            "expression": self.expression(),
            "max_rel_diff": json_number(self.max_rel_diff), "deviation": json_number(self.deviation),
            "match": self.match, "x_range": list(self.x_range), "points": self.points,
            "edges": self.edges, "code": self.code, "notes": self.notes,
        }


def _short(v: Any, digits: int = 10) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else f"{v:.{digits}g}"


def _grid(x_range: tuple[float, float], n: int):
    import numpy as np

    return np.linspace(float(x_range[0]), float(x_range[1]), n)


def _check_exact(src: Record, sp: Mapping, tgt: Record, tp: Mapping, f: float, s: float, k: float,
                 x_range, points: int, edges: Sequence[float]) -> float:
    import numpy as np

    x = _grid(x_range, points)
    a = grad_values(src, sp, x)
    b = f * grad_values(tgt, tp, k * (x - s))
    skip = np.zeros(x.shape, bool)
    for e in edges:
        skip |= np.abs(x - e) <= 1e-12 * max(1.0, abs(e))
    return max_rel_diff(a, b, skip)


def _edges(rec: Record, params: Mapping) -> list[float]:
    eq = getattr(rec, "equivalent", None)
    if eq is None or eq.edges is None:
        return []
    return [float(e) for e in eq.edges(**params)]


# -- convert ---------------------------------------------------------------------------------


def _canonical(rec: Record, params: Mapping) -> tuple[str, dict, float, float, float] | None:
    """The source as ``factor * builtin(x_scale * (x - shift))``, if it is one exactly."""
    if isinstance(rec, ForeignRecord):
        return equivalent_of(rec, **params)
    return rec.name, dict(params), 1.0, 0.0, 1.0


def _code(rec: Record, params: Mapping, factor: float = 1.0, shift: float = 0.0, x_scale: float = 1.0) -> str:
    """Paste-ready code: the library's call, or the built-in (wrapped when a factor, shift or
    x scale is part of the equivalence)."""
    if isinstance(rec, ForeignRecord):
        return rec.paste(**params)
    args = ", ".join(f"{k}={_short(v) if rec.param(k).kind == 'int' else repr(float(v))}" for k, v in params.items())
    head = f"import surrogate_cli as surrogate\n"
    if factor == 1.0 and shift == 0.0 and x_scale == 1.0:
        return head + f"spike = surrogate.{rec.class_name}({args})"
    arg = "x" if shift == 0 else f"(x - {shift!r})"
    if x_scale != 1.0:
        arg = f"{x_scale!r} * {arg}"
    scale = "" if factor == 1.0 else f"{factor!r} * "
    return head + (
        f"\nclass Converted(surrogate.Surrogate):\n"
        f"    base = surrogate.{rec.class_name}({args})\n\n"
        f"    def surrogate_grad(self, x):\n"
        f"        return {scale}self.base.surrogate_grad({arg})\n\n"
        f"spike = Converted()"
    )


def _resolve_to(to: str) -> tuple[str, Any]:
    """``("library", key)`` or ``("record", record)``."""
    text = to.strip()
    if is_foreign_name(text):
        return "record", find_record(text)
    from ..catalog.foreign import library_key

    lib = library_key(text)
    if lib is not None:
        return "library", lib
    try:
        return "record", find_record(text)
    except BadInput as exc:
        libs = ", ".join(LIBRARIES)
        raise BadInput(f"to={to!r} is neither a surrogate nor a library",
                       f"{exc.hint}; or a library: {libs}", subject="to") from None


def convert(
    source: str,
    params: Mapping[str, Any] | None = None,
    to: str | None = None,
    match: str = "lsq",
    x_range: tuple[float, float] | None = None,
    points: int = _POINTS,
) -> Conversion:
    """Convert ``source`` (a built-in or ``LIBRARY.NAME``) at ``params``; see the module doc.

    Raises :class:`BadInput` for an unknown source or target, a parameter the source does
    not have, an unknown ``match``, a built-in source without ``to``, and ``to`` a library
    with no exact counterpart (the message gives the closest fit).
    """
    if match not in MATCHES:
        raise BadInput(f"match={match!r} is not a fitting method", f"use one of: {', '.join(MATCHES)}",
                       subject="match")
    if ":" in source or source.endswith(".py"):
        raise BadInput(f"convert takes a built-in or LIBRARY.NAME, not the user surrogate '{source}'",
                       "user surrogates have no catalogued formula to convert")
    src = find_record(source)
    sp = src.validate(dict(params or {}))
    rng = tuple(float(v) for v in (x_range or src.x_range))
    canon = _canonical(src, sp)
    base = dict(source=src.name, source_params=sp, x_range=rng, points=points)
    notes = []
    if isinstance(src, ForeignRecord):
        notes.append(f"{src.name} spikes where x {src.forward} 0")

    if to is None:
        if not isinstance(src, ForeignRecord):
            raise BadInput(f"{src.name} is a built-in: say what to convert it to",
                           "give to= a library (e.g. snntorch) or a surrogate name", subject="to")
        if canon is not None:
            return _exact(src, sp, canon, base, notes)
        return _best_fit(src, sp, list(builtin_records()), match, True, base, notes)

    kind, what = _resolve_to(to)
    if kind == "record":
        tgt: Record = what
        if canon is not None:
            found = _exact_into(src, sp, canon, tgt, base, notes)
            if found is not None:
                return found
        notes.append(f"no exact equivalent of {src.name} in {tgt.name}: closest fit")
        return _best_fit(src, sp, [tgt], match, not isinstance(tgt, ForeignRecord), base, notes)

    lib = what
    found = exact_in_library(source, sp, lib, x_range=rng, points=points)
    if found is not None:
        return found
    fit = _best_fit(src, sp, library_records(lib), match, False, base, notes)
    raise BadInput(
        f"{LIBRARIES[lib][0]} has no exact counterpart of {src.name}({_args(sp)})",
        f"closest fit ({match}): {fit.expression()}, max deviation {fit.deviation:.3g} of the peak "
        f"over x in [{_short(rng[0])}, {_short(rng[1])}]",
        subject="to",
    )


def exact_in_library(source: str, params: Mapping[str, Any] | None, library: str,
                     x_range: tuple[float, float] | None = None, points: int = _POINTS) -> Conversion | None:
    """The surrogate of ``library`` that equals ``source`` at ``params`` exactly, or None (no fit)."""
    src = find_record(source)
    sp = src.validate(dict(params or {}))
    canon = _canonical(src, sp)
    if canon is None:
        return None
    rng = tuple(float(v) for v in (x_range or src.x_range))
    base = dict(source=src.name, source_params=sp, x_range=rng, points=points)
    notes = [f"{src.name} spikes where x {src.forward} 0"] if isinstance(src, ForeignRecord) else []
    for tgt in library_records(library):
        found = _exact_into(src, sp, canon, tgt, base, notes)
        if found is not None:
            return found
    return None


def _args(p: Mapping) -> str:
    return ", ".join(f"{k}={_short(v)}" for k, v in p.items())


def _exact(src: Record, sp: Mapping, canon, base: dict, notes: list) -> Conversion:
    target, tp, f, s, k = canon
    tgt = find_record(target)
    tp = tgt.validate(tp)
    edges = _edges(src, sp)
    diff = _check_exact(src, sp, tgt, tp, f, s, k, base["x_range"], base["points"], edges)
    return Conversion(kind="exact", target=tgt.name, target_params=dict(tp), factor=f, shift=s, x_scale=k,
                      max_rel_diff=diff, edges=edges, code=_code(tgt, tp, f, s, k), notes=list(notes), **base)


def _exact_into(src: Record, sp: Mapping, canon, tgt: Record, base: dict, notes: list) -> Conversion | None:
    """``tgt`` at parameters that reproduce ``src`` exactly (factor 1, no shift), or None."""
    target, tp, f, s, k = canon
    if not isinstance(tgt, ForeignRecord):
        if tgt.name != target or not (math.isclose(f, 1.0, rel_tol=1e-12) and s == 0 and k == 1):
            if tgt.name == target:
                return _exact(src, sp, canon, base, notes)  # the same built-in, with its factor/shift
            return None
        return _exact(src, sp, canon, base, notes)
    eq = tgt.equivalent
    if eq is None or eq.target != target or eq.inverse is None:
        return None
    guess = eq.inverse(tp, f, s, k)
    if guess is None:
        return None
    try:
        rp = tgt.validate(guess)
    except BadInput:
        return None
    # the candidate must reproduce the source: compare on the grid, both sides as written
    edges = sorted(set(_edges(src, sp)) | set(_edges(tgt, rp)))
    diff = _check_exact(src, sp, tgt, rp, 1.0, 0.0, 1.0, base["x_range"], base["points"], edges)
    if not diff <= EXACT_RTOL:
        return None
    out = Conversion(kind="exact", target=tgt.name, target_params=dict(rp), max_rel_diff=diff, edges=edges,
                     code=_code(tgt, rp), notes=list(notes), **base)
    if tgt.forward != getattr(src, "forward", ">="):
        out.notes.append(f"forward differs at x = 0 only: {tgt.name} spikes where x {tgt.forward} 0")
    return out


def _best_fit(src: Record, sp: Mapping, cands: Sequence[Record], match: str, free_factor: bool,
              base: dict, notes: list) -> Conversion:
    x = _grid(base["x_range"], _FIT_POINTS)
    gs = grad_values(src, sp, x)
    best = None
    for rec in cands:
        start = {k: v for k, v in sp.items() if k in rec.param_names and rec.param(k).kind != "int"}
        try:
            params, f, dev, cost = fit_one(rec, x, gs, match, free_factor, start)
        except BadInput:
            continue
        key = dev if match == "lsq" else (cost, dev)
        if best is None or key < best[0]:
            best = (key, rec, params, f, dev)
    _, rec, params, f, dev = best
    out = Conversion(kind="fit", target=rec.name, target_params=params, factor=f, deviation=dev, match=match,
                     code=_code(rec, params, f), notes=list(notes), **{**base, "points": _FIT_POINTS})
    if f == 0.0:
        out.notes.append("no target comes closer than g' = 0 (a sign or shape no built-in has)")
    elif f != 1.0:
        out.notes.append(f"fitted with a constant factor {_short(f)} (multiply the gradient by it)")
    return out
