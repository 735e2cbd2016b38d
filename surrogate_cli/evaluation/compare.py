"""Several surrogates' curves for one comparison (``surrogate compare`` in Python)."""
from __future__ import annotations

import builtins
import numbers
from typing import Any, Mapping, Sequence

from ..errors import BadInput
from .evaluate import Curve, evaluate
from .limits import MAX_CURVES
from .normalize import check_normalize, normalize_curves
from .sweep import expand
from .target import resolve

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
    items = []
    for item in names:
        if isinstance(item, str):
            items.append((item, {}))
        elif isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[1], Mapping):
            items.append((str(item[0]), dict(item[1])))
        else:
            raise BadInput(f"{item!r} is not a surrogate", "give a name, or a pair (name, {param: value})")
    targets = [resolve(name) for name, _ in items]
    swept = {
        k: [v] if isinstance(v, numbers.Real) or not isinstance(v, Sequence) else list(v)
        for k, v in values.items()
    }
    for key in swept:
        if not any(key in t.param_names for t in targets):
            have = sorted({p for t in targets for p in t.param_names})
            raise BadInput(f"{key}: none of the compared surrogates has this parameter",
                           f"their parameters are: {', '.join(have) or 'none'}", subject=key)
    if x_range is None:
        x_range = (min(t.default_range[0] for t in targets), max(t.default_range[1] for t in targets))
    plans = []
    for target, (_, fixed) in builtins.zip(targets, items):  # the argument `zip` shadows the builtin
        own = {k: v for k, v in swept.items() if k in target.param_names}
        plans.append((target, expand(target, own, "zip" if zip else "grid", base=fixed)))
    total = sum(len(sets) for _, sets in plans)
    if total > MAX_CURVES:
        raise BadInput(f"the comparison makes {total} curves", f"at most {MAX_CURVES}")
    out: list[Curve] = []
    for target, sets in plans:
        out += evaluate(target, sets, x_range, points)
    if norm != "none":
        normalize_curves(out, norm)
    return out
