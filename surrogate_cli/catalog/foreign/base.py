"""The types of the foreign catalogue and the helpers its library modules share (no jax)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..params import Param
from ..record import Record

__all__ = [
    "Source", "Equivalence", "ForeignRecord", "Unavailable", "LIBRARIES", "STEEP", "register_library",
    "one", "zero", "close", "num", "kwargs_text", "make_record", "same_params",
    "snntorch_code", "spikingjelly_code", "norse_code", "sinabs_code", "spyx_code", "nest_code",
]


@dataclass(frozen=True)
class Source:
    """Where a formula was read: repository, file, released version, and main-branch notes."""

    repo: str
    path: str
    version: str  # the PyPI release read, e.g. "snntorch 1.0.0"
    commit: str  # the git tag/commit of that release (or the commit read)
    main_note: str = ""  # how the main branch differs, if it does

    def text(self) -> str:
        out = f"{self.repo} {self.path}, {self.version} ({self.commit})"
        return out + (f"; main: {self.main_note}" if self.main_note else "")


def one(**p: Any) -> float:
    return 1.0


def zero(**p: Any) -> float:
    return 0.0


@dataclass(frozen=True)
class Equivalence:
    """``g'_source(x) = factor * g'_target(x_scale * (x - shift))`` exactly.

    ``params(**source_params)`` gives the target's parameters, or None where the
    equivalence does not hold for those values (``condition`` says when it does).
    ``inverse(target_params, factor, shift, x_scale)`` gives source parameters that
    reproduce ``factor * target(x_scale * (x - shift))``, or None when no source
    parameters do. ``edges`` names the isolated points where the two differ (a strict
    versus a non-strict inequality at a breakpoint).
    """

    target: str
    params: Callable[..., Mapping[str, Any] | None]
    mapping: str  # human text, e.g. "alpha = alpha"
    factor: Callable[..., float] = one
    factor_text: str = "1"
    shift: Callable[..., float] = zero
    shift_text: str = "0"
    x_scale: Callable[..., float] = one
    x_scale_text: str = "1"
    condition: str = ""
    edges: Callable[..., list[float]] | None = None
    edges_text: str = ""
    inverse: Callable[[Mapping[str, Any], float, float, float], Mapping[str, Any] | None] | None = None


@dataclass(frozen=True)
class ForeignRecord(Record):
    """A built-in-shaped record for another library's surrogate (see the module doc)."""

    library: str = ""
    source_name: str = ""  # as the library spells it, e.g. "atan"
    forward: str = ">"  # spike where x > offset (">") or x >= offset (">=")
    spike_offset: Callable[..., float] | None = None  # default 0
    source: Source | None = None
    oddities: tuple[str, ...] = ()
    equivalent: Equivalence | None = None
    code: Callable[..., str] | None = None  # paste-ready code in that library

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name,)

    def offset(self, **params: Any) -> float:
        """Where the forward step sits (spike where ``x > offset`` or ``x >= offset``)."""
        if self.spike_offset is None:
            return 0.0
        return float(self.spike_offset(**{**self.defaults, **params}))

    @property
    def forward_text(self) -> str:
        return f"spikes where x {self.forward} 0"

    def paste(self, **params: Any) -> str:
        """Paste-ready code that builds this surrogate in its own library."""
        full = {**self.defaults, **params}
        return self.code(**full) if self.code is not None else ""


@dataclass(frozen=True)
class Unavailable:
    """A surrogate of a library that is not a deterministic spike surrogate, and why."""

    library: str
    name: str
    reason: str
    source: Source


# -- the libraries -----------------------------------------------------------------------

#: Library name -> (display name, source), filled by each library module as it loads
#: (:func:`register_library`), in the order ``list`` shows them (``table._MODULES``).
LIBRARIES: dict[str, tuple[str, Source]] = {}


def register_library(name: str, display: str, source: Source) -> str:
    """Declare a library (its key in ``LIBRARY.NAME``, its display name, where its formulas
    were read); returns the key, for the module's records."""
    LIBRARIES[name] = (display, source)
    return name


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)


def num(v: float) -> str:
    v = float(v)
    return repr(v)


def kwargs_text(**p: Any) -> str:
    return ", ".join(f"{k}={num(v) if not isinstance(v, int) or isinstance(v, bool) else v}" for k, v in p.items())


# -- helpers the library modules share ---------------------------------------------------

def make_record(
    library: str,
    source_name: str,
    class_name: str,
    params: tuple[Param, ...],
    grad_tex: str,
    fun_tex: str | None,
    description: str,
    x_range: tuple[float, float],
    family: str,
    forward: str,
    *,
    equivalent: Equivalence | None = None,
    oddities: tuple[str, ...] = (),
    exceptions: Mapping[str, str] | None = None,
    breakpoints: Callable[..., list[float]] | None = None,
    code: Callable[..., str] | None = None,
    spike_offset: Callable[..., float] | None = None,
) -> ForeignRecord:
    display, source = LIBRARIES[library]
    return ForeignRecord(
        name=f"{library}.{source_name}",
        class_name=class_name,
        params=params,
        has_fun=fun_tex is not None,
        fun_tex=fun_tex,
        grad_tex=grad_tex,
        description=description,
        reference=f"{display}: {source.version}, {source.repo} {source.path}",
        x_range=x_range,
        exceptions=dict(exceptions or {}),
        breakpoints=breakpoints,
        library=library,
        source_name=source_name,
        forward=forward,
        spike_offset=spike_offset,
        source=source,
        family=family,
        oddities=oddities,
        equivalent=equivalent,
        code=code,
    )


def same_params(target: str, rename: Mapping[str, str] | None = None, extra: Mapping[str, Any] | None = None,
          **kw: Any) -> Equivalence:
    """An equivalence whose target parameters are the source's, renamed (factor 1, no shift)."""
    rename = dict(rename or {})
    extra = dict(extra or {})
    inv_rename = {v: k for k, v in rename.items()}

    def params(**p: Any) -> dict:
        return {**{rename.get(k, k): v for k, v in p.items() if rename.get(k, k) is not None}, **extra}

    def inverse(tp: Mapping[str, Any], f: float, s: float, k: float):
        if not (close(f, 1.0) and close(k, 1.0) and s == 0.0):
            return None
        for key, value in extra.items():
            if key in tp and not close(float(tp[key]), float(value)):
                return None
        return {inv_rename.get(t, t): v for t, v in tp.items() if t not in extra}

    mapping = ", ".join(f"{rename.get(k, k)} = {k}" for k in (kw.pop("names", ())))
    if extra:
        mapping = ", ".join(x for x in (mapping, ", ".join(f"{k} = {num(v)}" for k, v in extra.items())) if x)
    return Equivalence(target=target, params=params, mapping=mapping, inverse=inverse, **kw)


STEEP = "steepness; larger is closer to the step"


def snntorch_code(name: str) -> Callable[..., str]:
    return lambda **p: f"from snntorch import surrogate\nspike_grad = surrogate.{name}({kwargs_text(**p)})"


def spikingjelly_code(name: str) -> Callable[..., str]:
    return lambda **p: (
        f"from spikingjelly.activation_based import surrogate\nsurrogate_function = surrogate.{name}({kwargs_text(**p)})"
    )


def norse_code(method: str) -> Callable[..., str]:
    return lambda alpha: (
        "import torch\nfrom norse.torch import LIFParameters\n"
        f'p = LIFParameters(method="{method}", alpha=torch.as_tensor({num(alpha)}))'
    )


def sinabs_code(name: str) -> Callable[..., str]:
    def code(**p: Any) -> str:
        th = p.pop("spike_threshold", None)
        out = f"from sinabs.activation import {name}\nsurrogate_grad_fn = {name}({kwargs_text(**p)})"
        if th is not None:
            out += f"\n# use with a sinabs layer built with spike_threshold={num(th)}"
        return out

    return code


def spyx_code(name: str) -> Callable[..., str]:
    return lambda **p: f"import spyx\nactivation = spyx.axn.{name}({kwargs_text(**p)})"


def nest_code(fn: str) -> Callable[..., str]:
    return lambda surrogate_gradient_height, surrogate_gradient_width: (
        "import nest\n"
        f'neurons = nest.Create("eprop_iaf", params={{"surrogate_gradient_function": "{fn}", '
        f'"surrogate_gradient_height": {num(surrogate_gradient_height)}, '
        f'"surrogate_gradient_width": {num(surrogate_gradient_width)}}})'
    )
