"""Parameter sweeps: values per parameter -> complete, validated parameter sets."""
from __future__ import annotations

import itertools
import math
from typing import Any, Mapping, Sequence

from ..errors import BadInput
from .limits import MAX_CURVES
from .target import ParamSet, Target

__all__ = ["expand", "swept_names"]


def expand(
    target: Target,
    values: Mapping[str, Sequence[float]],
    mode: str = "grid",
    base: Mapping[str, float] | None = None,
) -> list[ParamSet]:
    """Parameter sets of a sweep: the grid (Cartesian product) or ``zip`` of ``values``.

    ``base`` holds fixed values (e.g. from ``NAME:alpha=2``). Names are checked against
    the target and every value against its valid range; each returned set is complete
    (defaults filled in). The first swept parameter varies slowest in a grid.
    """
    if mode not in ("grid", "zip"):
        raise BadInput(f"unknown sweep mode '{mode}'", "use grid or zip")
    for key in list(values) + list(base or {}):
        target.check_name(key)
    base = {k: target.check_value(k, v) for k, v in (base or {}).items()}
    both = set(values) & set(base)
    if both:
        raise BadInput(f"parameter '{sorted(both)[0]}' given twice", "give each parameter once")
    # order the swept parameters as the surrogate declares them
    order = [n for n in target.param_names if n in values]
    lists = []
    for n in order:
        vals = list(values[n])
        if not vals:
            raise BadInput(f"{n}: empty list of values", "give at least one value", subject=n)
        # each value checked once, alone, so the message names the offending value
        lists.append([target.check_value(n, v) for v in vals])
    if mode == "zip" and lists:
        lengths = {n: len(v) for n, v in zip(order, lists)}
        if len(set(lengths.values())) > 1:
            text = ", ".join(f"{n} has {k}" for n, k in lengths.items())
            raise BadInput(
                f"zip needs lists of equal length ({text})",
                "give every swept parameter the same number of values, or sweep a grid (zip off)",
                subject="zip",
            )
        combos = list(zip(*lists))
    else:
        total = math.prod(len(v) for v in lists) if lists else 1
        if total > MAX_CURVES:
            raise BadInput(
                f"the sweep makes {total} curves", f"at most {MAX_CURVES}; use fewer values or pair them (zip)"
            )
        combos = list(itertools.product(*lists))
    return [target.complete({**base, **dict(zip(order, combo))}) for combo in combos]



def swept_names(param_sets: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The parameters whose value differs between the sets (in declaration order)."""
    if len(param_sets) < 2:
        return ()
    names = list(param_sets[0])
    return tuple(n for n in names if len({repr(p.get(n)) for p in param_sets}) > 1)


