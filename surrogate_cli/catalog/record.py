"""The record of one built-in surrogate: everything the tool knows about it, as data."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from ..errors import BadInput, did_you_mean
from .noise import Noise
from .params import Param, validate_value

__all__ = ["Record", "SHAPE_CHECKS", "spelling_key", "unknown_param"]

#: The shape checks of ``verify`` that a built-in may be exempt from, by design
#: (the keys of :attr:`Record.exceptions`).
SHAPE_CHECKS = ("grad_nonnegative", "fun_monotone", "peak_at_zero", "fun_half_at_zero")


def spelling_key(name: str) -> str:
    """The lookup key of a spelling: lower case, no ``_``, ``-`` or spaces."""
    return "".join(ch for ch in name.lower() if ch not in "_- ")


def unknown_param(owner: str, name: str, have: Sequence[str]) -> BadInput:
    """The error for a parameter ``owner`` does not have, with the closest one."""
    return BadInput(
        f"{owner} has no parameter '{name}'",
        f"{did_you_mean(name, have)}its parameters are: {', '.join(have) or 'none'}",
    )


@dataclass(frozen=True)
class Record:
    """Everything known about one built-in surrogate."""

    name: str  # CLI / functional name, e.g. "piecewise_quadratic"
    class_name: str  # e.g. "PiecewiseQuadratic"
    params: tuple[Param, ...]  # in the order of the constructor (= functional twin)
    has_fun: bool
    fun_tex: str | None  # g(x), mathtext; None for gradient-only surrogates
    grad_tex: str  # g'(x), mathtext
    description: str
    reference: str
    x_range: tuple[float, float]  # a sensible default plotting interval
    repr_order: tuple[str, ...] = ()  # upstream __repr__ order, when it differs from params
    area: Callable[..., float] | None = None  # closed-form integral of g' over R (inf if divergent)
    exceptions: Mapping[str, str] = field(default_factory=dict)  # shape check -> why it is fine
    aliases: tuple[str, ...] = ()  # extra spellings beyond class name / kebab / any case
    breakpoints: Callable[..., list[float]] | None = None  # where a piecewise formula switches or |x| has its cusp
    family: str = ""  # the shape family (``list``; shared with other libraries' surrogates)
    #: the parameter ``flow`` solves ``chi = 1`` for by default: the width (or steepness)
    #: parameter where the surrogate has one, else its gradient level
    solve_param: str | None = None
    noise: Noise | None = None  # the escape-noise reading (``info``, ``flow``); see :mod:`.noise`

    # -- derived -----------------------------------------------------------------------
    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    @property
    def defaults(self) -> dict[str, float | int]:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise unknown_param(self.name, name, self.param_names)

    @property
    def spellings(self) -> tuple[str, ...]:
        kebab = self.name.replace("_", "-")
        return tuple(dict.fromkeys((self.name, self.class_name, kebab, *self.aliases)))

    def validate(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Check names and concrete values; return defaults updated with ``params``.

        Values that are JAX tracers are passed through unchecked.
        """
        out = dict(self.defaults)
        for key, value in params.items():
            p = self.param(key)
            out[key] = validate_value(p, value, owner=self.name)
        return out

    def split(self, values: Mapping[str, Any]) -> tuple[tuple[tuple[str, int], ...], dict[str, Any]]:
        """``(static, traced)``: the integer parameters as a hashable ``((name, int), ...)``
        (they drive Python loops, so a compiled kernel is specialised on them) and the
        others as ``{name: value}`` (traced: one compile serves every value). The one place
        this split is written; every jitted kernel of a record keys on ``static``."""
        static = tuple((p.name, int(values[p.name])) for p in self.params if p.kind == "int")
        traced = {p.name: values[p.name] for p in self.params if p.kind != "int"}
        return static, traced

    def closed_area(self, **params: Any) -> float | None:
        """Closed-form area under g' over the real line (``inf`` if divergent), or None."""
        if self.area is None:
            return None
        values = {**self.defaults, **params}
        return float(self.area(**values))
