"""Scaling curves for comparison: by the gradient's peak or by its area."""
from __future__ import annotations

import math
from typing import Sequence

from ..errors import BadInput, did_you_mean
from .evaluate import Curve

__all__ = ["NORMALIZE", "check_normalize", "normalize_curves"]

#: The ways ``compare`` can scale gradients.
NORMALIZE = ("none", "peak", "area")


def check_normalize(mode: str | None) -> str:
    """``mode`` in canonical form; :class:`BadInput` (with the closest mode) otherwise."""
    norm = (mode or "none").strip().lower()
    if norm not in NORMALIZE:
        raise BadInput(f"normalize: unknown mode '{mode}'",
                       f"{did_you_mean(norm, NORMALIZE)}choose from {', '.join(NORMALIZE)}",
                       subject="normalize")
    return norm


def normalize_curves(curves: Sequence[Curve], mode: str) -> None:
    """Divide each curve's gradient by its peak or by its area over the range, in place."""
    import numpy as np

    for c in curves:
        g = c.gradient
        if mode == "peak":
            scale = float(np.max(np.abs(g)))
            what = "its peak"
        else:
            scale = float(np.sum(0.5 * (g[1:] + g[:-1]) * np.diff(c.x)))
            what = "its area over the range"
        if not (math.isfinite(scale) and scale > 0):
            raise BadInput(
                f"cannot normalize {c.surrogate} by {what} ({scale:g})",
                "use normalize none, or a range where the gradient is positive",
            )
        c.gradient = g / scale
