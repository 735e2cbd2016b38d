"""The one sweep planner: several surrogates, each with fixed values, and sweeps that apply
to every surrogate having the parameter -> validated parameter sets per surrogate.

``compare``, ``flow``, ``train`` and ``explore`` (in Python and on the command line) plan
through :func:`plan_sweep`; each then evaluates the plan its own way.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from ..errors import BadInput
from .limits import MAX_CURVES
from .sweep import expand
from .target import ParamSet, Target, resolve

__all__ = ["Plan", "PlanEntry", "plan_sweep", "parse_items", "as_values"]


@dataclass
class PlanEntry:
    """One surrogate of a plan: its resolved target, its parameter sets (validated and
    complete, in sweep order) and the text it was given as (for messages)."""

    target: Target
    sets: list[ParamSet]
    source: str = ""
    fixed: dict = field(default_factory=dict)


@dataclass
class Plan:
    """What a command over several surrogates evaluates."""

    entries: list[PlanEntry]
    #: the x interval: as given, or the union of the targets' default ranges
    x_range: tuple[float, float]
    #: the swept parameter names, as given
    swept: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return sum(len(e.sets) for e in self.entries)

    @property
    def targets(self) -> list[Target]:
        return [e.target for e in self.entries]

    def __iter__(self):
        return iter((e.target, e.sets) for e in self.entries)


def parse_items(items: Any, what: str = "surrogates") -> list[tuple[Any, dict]]:
    """Names, targets or ``(name, {param: value})`` pairs -> ``[(name or Target, fixed)]``."""
    if isinstance(items, (str, Target)) or (isinstance(items, tuple) and len(items) == 2
                                           and isinstance(items[1], Mapping)):
        items = [items]
    out = []
    for item in items:
        if isinstance(item, Target):
            out.append((item, {}))
        elif isinstance(item, str):
            if not item.strip():
                raise BadInput(f"{what}: an empty name", "e.g. ['sigmoid', 'arctan']", subject=what)
            out.append((item, {}))
        elif (isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[1], Mapping)
              and isinstance(item[0], (str, Target))):
            out.append((item[0], dict(item[1])))
        else:
            raise BadInput(f"{what}: {item!r} is not a surrogate",
                           "give a name, or a pair (name, {param: value})", subject=what)
    if not out:
        raise BadInput(f"{what}: no surrogate given", "e.g. ['sigmoid', 'arctan']", subject=what)
    return out


def as_values(values: Mapping[str, Any]) -> dict[str, list]:
    """``{param: number or sequence}`` -> ``{param: [values]}``."""
    return {k: [v] if isinstance(v, (numbers.Real, str, bytes)) or not isinstance(v, Sequence) else list(v)
            for k, v in values.items()}


def plan_sweep(
    items: Any,
    values: Mapping[str, Any] | None = None,
    *,
    mode: str = "grid",
    x_range: tuple[float, float] | None = None,
    limit: int = MAX_CURVES,
    unit: str = "curves",
    what: str = "surrogates",
) -> Plan:
    """Resolve every item once and expand the sweep ``values`` for each.

    ``items``: names (any spelling, ``LIBRARY.NAME``, ``file.py:Class``), resolved
    :class:`Target` objects, or ``(name, {param: value})`` pairs of fixed values.
    ``values``: ``{param: number or list}``, applied to every surrogate that has the
    parameter; a parameter that none has is an error. ``mode``: ``"grid"`` or ``"zip"``.
    ``limit``: the most parameter sets the whole plan may hold (``unit`` names them in
    the message; ``what`` the surrogates).
    """
    parsed = parse_items(items, what)
    targets = [t if isinstance(t, Target) else resolve(t) for t, _ in parsed]
    swept = as_values(values or {})
    for key in swept:
        if not any(key in t.param_names for t in targets):
            have = sorted({p for t in targets for p in t.param_names})
            raise BadInput(f"{key}: none of the {what} has this parameter",
                           f"their parameters are: {', '.join(have) or 'none'}", subject=key)
    entries = []
    for target, (source, fixed) in zip(targets, parsed):
        own = {k: v for k, v in swept.items() if k in target.param_names}
        sets = expand(target, own, mode, base=fixed)
        entries.append(PlanEntry(target, sets, source if isinstance(source, str) else target.name, fixed))
    total = sum(len(e.sets) for e in entries)
    if total > limit:
        raise BadInput(f"the sweep makes {total} {unit}", f"at most {limit}; use fewer values or pair them (zip)")
    if x_range is None:
        x_range = (min(t.default_range[0] for t in targets), max(t.default_range[1] for t in targets))
    return Plan(entries, (float(x_range[0]), float(x_range[1])), tuple(swept))
