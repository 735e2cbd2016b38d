"""Drawing curves as lines of one width, overlapping stretches dashed so every curve shows."""
from __future__ import annotations

from typing import Any, Sequence

__all__ = ["LINE_WIDTH", "MAX_OVERLAP_CHECK", "draw_lines", "overlaps"]

#: Every curve is drawn this wide: a width that changes from curve to curve reads as emphasis.
LINE_WIDTH = 1.8
#: Up to this many curves, overlaps are looked for (and drawn dashed).
MAX_OVERLAP_CHECK = 60
#: Length of one dash of an overlapping curve, in line widths.
_DASH = 2.5


def overlaps(ys: Sequence[Any], min_run: int):
    """Where each curve lies on an earlier one (drawn before it, so underneath).

    Returns ``(masks, slots, under, groups)``: per curve the points where it coincides
    with an earlier curve (runs of at least ``min_run`` points), how many earlier curves
    it shares points with (its dash slot), the first earlier curve it coincides with
    everywhere (or None), and the largest number of curves sharing points.
    """
    import numpy as np

    scale = max((float(np.nanmax(np.abs(y))) for y in ys if y is not None and y.size and np.isfinite(y).any()),
                default=1.0) or 1.0
    tol = 1e-7 * scale
    n = len(ys)
    masks = [None] * n
    slots = [0] * n
    under: list = [None] * n
    if n > MAX_OVERLAP_CHECK:  # a colormap of many curves: dashes would be noise (and pairs cost n^2)
        return [None if y is None else np.zeros(np.shape(y), bool) for y in ys], slots, under, 1
    for j in range(n):
        if ys[j] is None:
            continue
        mask = np.zeros(ys[j].shape, bool)
        for i in range(j):
            if ys[i] is None or ys[i].shape != ys[j].shape:
                continue
            with np.errstate(invalid="ignore"):
                same = np.abs(ys[j] - ys[i]) <= tol
            same = _long_runs(same, min_run)
            if same.any():
                mask |= same
                slots[j] += 1
                if under[j] is None and same.all():
                    under[j] = i
        masks[j] = mask
    return masks, slots, under, 1 + max(slots, default=0)


def _long_runs(mask, min_run: int):
    """``mask`` without its runs of True shorter than ``min_run`` (crossings are not overlaps)."""
    import numpy as np

    out = mask.copy()
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    for a, b in zip(edges[::2], edges[1::2]):
        if b - a < min_run:
            out[a:b] = False
    return out


def draw_lines(ax, xs, ys, colors, labels, base: str = "-") -> None:
    """One line per curve, all the same width, later curves on top. Where a curve lies on
    an earlier one, it is drawn dashed, each overlapping curve in its own slot of the dash
    period, so every colour shows in turn along a shared stretch."""
    import numpy as np

    n = len(ys)
    min_run = max(3, (len(xs[0]) if n else 0) // 100)
    masks, slots, _, group = overlaps(ys, min_run)
    period = group * _DASH
    for j, (x, y, col, lab) in enumerate(zip(xs, ys, colors, labels)):
        if y is None:
            continue
        mask = masks[j]
        if mask is None or not mask.any():
            ax.plot(x, y, base, color=col, lw=LINE_WIDTH, label=lab, zorder=2 + j * 1e-3)
            continue
        # solid where alone, reaching one point into each shared stretch (so the line stays
        # joined); dashed exactly on the shared points, so the dashes of all the curves on a
        # stretch start at the same point and keep their slots along it
        inner = mask.copy()
        inner[1:] &= mask[:-1]
        inner[:-1] &= mask[1:]
        solid = np.where(inner, np.nan, y)
        shared = np.where(mask, y, np.nan)
        offset = ((group - slots[j]) * _DASH) % period
        style = (offset, (_DASH, period - _DASH)) if base == "-" else (offset, (_DASH * 0.6, period - _DASH * 0.6))
        ax.plot(x, solid, base, color=col, lw=LINE_WIDTH, label=lab, zorder=2 + j * 1e-3)
        ax.plot(x, shared, linestyle=style, color=col, lw=LINE_WIDTH, label="_overlap", zorder=2 + j * 1e-3)
