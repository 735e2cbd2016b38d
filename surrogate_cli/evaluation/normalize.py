"""Scaling curves for comparison: by the gradient's peak or by its area.

``area`` divides by the area under ``g'`` over the whole real line, not over the plotted
range (which would make unit-area surrogates peak higher the narrower the range): the
catalog's closed form for a built-in that has one, otherwise the integral computed
numerically over the whole line (Simpson's rule on a dense grid near the threshold and
in ``log|x|`` out to ``|x| = 1e8``). An infinite or non-converging area is an error.
"""
from __future__ import annotations

import math
from typing import Sequence

from ..errors import BadInput, did_you_mean
from ..formatting import fmt
from .evaluate import Curve

__all__ = ["NORMALIZE", "AREA_POINTS", "check_normalize", "normalize_curves", "simpson_weights", "whole_line_area"]

#: The ways ``compare`` can scale gradients.
NORMALIZE = ("none", "peak", "area")

_FAR = 1e8  # the numerical integral follows the tails out to here
_CORE, _TAIL = 20001, 4001  # its points on [-scale, scale] and on each tail
#: How many points the numerical whole-line area evaluates ``g'`` at, in one call (a caller
#: that also draws the curve can pad its own evaluation to the same compiled length).
AREA_POINTS = _CORE + 2 * _TAIL


def check_normalize(mode: str | None) -> str:
    """``mode`` in canonical form; :class:`BadInput` (with the closest mode) otherwise."""
    norm = (mode or "none").strip().lower()
    if norm not in NORMALIZE:
        raise BadInput(f"normalize: unknown mode '{mode}'",
                       f"{did_you_mean(norm, NORMALIZE)}choose from {', '.join(NORMALIZE)}",
                       subject="normalize")
    return norm


def simpson_weights(n: int):
    """Composite Simpson weights 1, 4, 2, 4, ..., 4, 1 for an odd number ``n`` of points."""
    import numpy as np

    w = np.ones(n)
    w[1:-1:2], w[2:-1:2] = 4.0, 2.0
    return w


def whole_line_area(grad, scale: float = 3.0) -> tuple[float, bool]:
    """The integral of ``grad`` (``x -> g'(x)`` on float64 arrays) over the real line.

    Returns ``(area, converged)``: ``converged`` is False when the part between
    ``|x| = 1e6`` and ``1e8`` exceeds 1e-3 of the total (a tail decaying like ``1/|x|``
    or slower, or one that does not decay), or when ``g'`` is not finite somewhere. A
    power-law tail gets its analytic remainder beyond ``1e8`` (exponent fitted there).
    """
    import numpy as np

    S = float(scale)
    core = np.linspace(-S, S, _CORE)
    u = np.linspace(math.log(S), math.log(_FAR), _TAIL)
    far = np.exp(u)
    values = grad(np.concatenate([core, far, -far]))
    if not np.all(np.isfinite(values)):
        return math.nan, False
    gc, gr, gl = values[:_CORE], values[_CORE:_CORE + _TAIL], values[_CORE + _TAIL:]
    area = float(np.sum(simpson_weights(_CORE) * gc) * (core[1] - core[0]) / 3.0)
    w = simpson_weights(_TAIL) * far * (u[1] - u[0]) / 3.0
    tails = float(np.sum(w * (gr + gl)))
    # the part beyond 1e6, by the trapezoid rule on the same log grid
    beyond = far >= 1e6
    f = (gr + gl)[beyond] * far[beyond]
    rest = float(np.sum(0.5 * (f[1:] + f[:-1])) * (u[1] - u[0]))
    total = area + tails
    converged = abs(rest) <= 1e-3 * max(abs(total), 1e-300)
    for g in (gr, gl):  # the remainder beyond 1e8 of a power-law tail |x|^-p, p > 1
        a, b = abs(float(g[-101])), abs(float(g[-1]))
        if a > 0 and b > 0:
            p = -math.log(b / a) / (u[-1] - u[-101])
            if p > 1.0 + 1e-6:
                total += float(g[-1]) * _FAR / (p - 1.0)
    return total, converged


def _area_of(c: Curve) -> float:
    rec = c.record
    if rec is not None and rec.area is not None:
        return float(rec.closed_area(**c.params))
    target = getattr(c, "target", None)
    if target is None:
        raise BadInput(f"cannot normalize {c.surrogate} by its area: the curve does not say which surrogate "
                       "made it", "use normalize='peak'", subject="normalize")
    from .evaluate import evaluate_one

    def grad(x):
        return evaluate_one(target, c.params, x, with_function=False).gradient

    scale = max(abs(v) for v in target.default_range)
    area, converged = whole_line_area(grad, scale)
    if not converged:
        return math.inf if not math.isnan(area) else math.nan
    return area


def normalize_curves(curves: Sequence[Curve], mode: str) -> None:
    """Divide each curve's gradient by its peak (largest ``|g'|`` on the curve) or by its
    area over the whole real line (see the module doc), in place; each curve records
    the mode in ``normalized``."""
    import numpy as np

    areas: dict = {}
    for c in curves:
        g = c.gradient
        if mode == "none":
            continue
        if mode == "peak":
            scale = float(np.max(np.abs(g)))
            what = "its peak"
            hint = "give a range where the gradient is not zero, or do not normalize"
        else:
            key = (c.surrogate, tuple(sorted(c.params.items())))
            if key not in areas:
                areas[key] = _area_of(c)
            scale = areas[key]
            what = "its area over the whole line"
            hint = ("its gradient does not decay fast enough for a finite area (numerically: the part beyond "
                    "|x| = 1e6 is not negligible); normalize by the peak instead"
                    if math.isinf(scale) or math.isnan(scale) else "normalize by the peak instead")
        if not (math.isfinite(scale) and scale > 0):
            raise BadInput(f"normalize: cannot divide {c.surrogate} by {what} ({fmt(scale, words=True)})", hint,
                           subject="normalize")
        c.gradient = g / scale
        c.normalized = mode
