"""Several surrogates' curves for one comparison (``surrogate compare`` in Python)."""
from __future__ import annotations

from typing import Any, Sequence

from ..errors import BadInput
from .evaluate import Curve, evaluate
from .normalize import check_normalize, normalize_curves
from .plan import plan_sweep

__all__ = ["compare_curves"]


def compare_curves(
    names: Sequence[Any],
    *,
    x_range: tuple[float, float] | None = None,
    points: int = 1000,
    zip: bool = False,  # noqa: A002 - mirrors the CLI option --zip
    normalize: str = "none",
    **values: Any,
) -> list[Curve]:
    """The curves of several surrogates for one comparison (``surrogate compare`` in Python).

    ``names``: surrogates (any spelling, ``"file.py:Class"``) or ``(name, {param: value})``
    pairs. ``values``: a sweep applied to every surrogate that has the parameter (one
    that none has is an error). ``x_range`` defaults to the union of the surrogates'
    ranges. ``normalize``: ``"none"``, ``"peak"`` or ``"area"`` (whole line).
    """
    norm = check_normalize(normalize)
    if not names:
        raise BadInput("compare needs at least one surrogate", "e.g. compare('sigmoid', 'arctan')")
    plan = plan_sweep(names, values, mode="zip" if zip else "grid", x_range=x_range, what="compared surrogates")
    out: list[Curve] = []
    for target, sets in plan:
        out += evaluate(target, sets, plan.x_range, points)
    if norm != "none":
        normalize_curves(out, norm)
    return out
