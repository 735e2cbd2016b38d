"""The two error measures of a conversion (the exact check's difference and a fit's deviation, both relative to the peak)."""
from __future__ import annotations


__all__ = ["max_rel_diff", "fit_deviation"]


def max_rel_diff(a, b, skip=None) -> float:
    """``max |a - b| / max(|a|, |b|)`` over the grid (``skip``: a mask of points left out):
    the largest difference relative to the peak of the two gradients."""
    import numpy as np

    a, b = np.asarray(a, float), np.asarray(b, float)
    keep = np.ones(a.shape, bool) if skip is None else ~skip
    if not keep.any():
        return 0.0
    peak = float(max(np.max(np.abs(a[keep])), np.max(np.abs(b[keep]))))
    if peak == 0:
        return 0.0
    return float(np.max(np.abs(a - b)[keep])) / peak


def fit_deviation(source_grad, target_grad, factor: float = 1.0) -> float:
    """``max |g'_source - factor g'_target| / max |g'_source|``: the reported fit deviation."""
    import numpy as np

    s = np.asarray(source_grad, float)
    peak = float(np.max(np.abs(s)))
    diff = float(np.max(np.abs(s - factor * np.asarray(target_grad, float))))
    return diff / peak if peak > 0 else diff
