"""Finding a foreign surrogate by ``LIBRARY.NAME``, its library, and its equivalent in words."""
from __future__ import annotations

import difflib
from typing import Any, Iterator

from ...errors import BadInput
from ..record import spelling_key
from ..record import Record
from .base import LIBRARIES, ForeignRecord
from .table import RECORDS, UNAVAILABLE

__all__ = [
    "foreign_records", "library_key", "library_of", "library_records", "is_foreign_name", "lookup_foreign",
    "equivalent_of", "short", "equivalence_text", "equivalence_rule",
]


def foreign_records() -> Iterator[ForeignRecord]:
    """Every foreign record, library by library in :data:`LIBRARIES` order."""
    order = {lib: i for i, lib in enumerate(LIBRARIES)}
    return iter(sorted(RECORDS, key=lambda r: order[r.library]))


def library_key(text: str) -> str | None:
    key = spelling_key(text)
    for lib, (display, _) in LIBRARIES.items():
        if spelling_key(lib) == key or spelling_key(display) == key:
            return lib
    return None


def library_of(text: str) -> str:
    """The library key for a spelling (``snnTorch``, ``lava-dl``); :class:`BadInput` with a hint if unknown."""
    lib = library_key(text)
    if lib is not None:
        return lib
    close = difflib.get_close_matches(spelling_key(text), [spelling_key(k) for k in LIBRARIES], n=1, cutoff=0.5)
    hint = f"did you mean '{next(k for k in LIBRARIES if spelling_key(k) == close[0])}'? " if close else ""
    raise BadInput(f"unknown library '{text}'", f"{hint}libraries: {', '.join(LIBRARIES)}")


def library_records(library: str) -> list[ForeignRecord]:
    """The records of one library (any spelling of its name)."""
    lib = library_of(library)
    return [r for r in RECORDS if r.library == lib]


def is_foreign_name(name: str) -> bool:
    """True for a ``LIBRARY.NAME`` spelling (a dot, no colon, no path separator)."""
    name = name.strip()
    return "." in name and ":" not in name and "/" not in name and not name.endswith(".py")


def lookup_foreign(name: str) -> ForeignRecord:
    """The record for ``LIBRARY.NAME`` (library and name in any case, ``_``/``-`` ignored).

    Raises :class:`BadInput`: unknown library (closest suggested), unknown name within the
    library (closest within it), or a surrogate the catalogue lists as unavailable (why).
    """
    lib_text, _, src = name.strip().partition(".")
    lib = library_of(lib_text)
    key = spelling_key(src)
    mine = [r for r in RECORDS if r.library == lib]
    for r in mine:
        if spelling_key(r.source_name) == key:
            return r
    for u in UNAVAILABLE:
        if u.library == lib and spelling_key(u.name) == key:
            raise BadInput(f"{lib}.{u.name} is not available: {u.reason}",
                           f"run 'surrogate list --library {lib}' for the ones that are")
    spelled = {spelling_key(r.source_name): r.source_name for r in mine}
    close = difflib.get_close_matches(key, list(spelled), n=1, cutoff=0.5)
    hint = f"did you mean '{lib}.{spelled[close[0]]}'? " if close else ""
    raise BadInput(
        f"{lib} has no surrogate '{src}'",
        f"{hint}its surrogates: {', '.join(r.source_name for r in mine)}",
    )


def equivalent_of(record: Record, **params: Any):
    """``(target, target_params, factor, shift, x_scale)`` of the exact equivalent at these
    parameters (defaults filled in), or None where there is none."""
    eq = getattr(record, "equivalent", None)
    if eq is None:
        return None
    full = {**record.defaults, **params}
    tp = eq.params(**full)
    if tp is None:
        return None
    return eq.target, dict(tp), float(eq.factor(**full)), float(eq.shift(**full)), float(eq.x_scale(**full))


def short(v: Any) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else f"{v:.10g}"


def equivalence_text(record: Record, **params: Any) -> str | None:
    """The exact equivalent at these parameters as one expression, e.g.
    ``25 * slayer_grad(alpha=1)(x - 1)``; None where there is none."""
    found = equivalent_of(record, **params)
    if found is None:
        return None
    target, tp, f, s, k = found
    args = ", ".join(f"{n}={short(v)}" for n, v in tp.items())
    arg = "x"
    if s != 0:
        arg = f"x {'-' if s > 0 else '+'} {short(abs(s))}"
    if k != 1:
        arg = f"{short(k)}*({arg})" if s != 0 else f"{short(k)}*x"
    out = f"{target}({args})"
    out = f"{short(f)} * {out}" if f != 1 else out
    return out if arg == "x" else f"{out} at {arg}"


def equivalence_rule(record: Record) -> str | None:
    """The general mapping in words: target, parameters, factor, shift, x scale, condition, edges."""
    eq = getattr(record, "equivalent", None)
    if eq is None:
        return None
    parts = [f"{eq.target}({eq.mapping})" if eq.mapping else eq.target]
    if eq.factor_text != "1":
        parts.insert(0, f"{eq.factor_text} *")
    if eq.shift_text != "0" or eq.x_scale_text != "1":
        inner = "x" if eq.shift_text == "0" else f"x - ({eq.shift_text})"
        if eq.x_scale_text != "1":
            inner = f"{eq.x_scale_text} * ({inner})" if eq.shift_text != "0" else f"{eq.x_scale_text} * x"
        parts.append(f"at {inner}")
    out = " ".join(parts)
    if eq.condition:
        out += f"; when {eq.condition}"
    if eq.edges_text:
        out += f"; except at {eq.edges_text}"
    return out
