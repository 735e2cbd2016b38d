"""How large a sweep or an evaluation may be."""
from __future__ import annotations

from ..errors import BadInput

__all__ = ["MAX_ABS_X", "MAX_POINTS", "MAX_CURVES", "MAX_SAMPLES", "check_points"]

#: The most samples per curve.
MAX_POINTS = 10**6
#: The most curves one sweep may produce.
MAX_CURVES = 1000
#: The largest |x| a range may reach: beyond it, widths and plot transforms overflow floats.
MAX_ABS_X = 1e300
#: The most samples (curves x points) one evaluation may hold in memory.
MAX_SAMPLES = 2 * 10**7


def check_points(points: int) -> int:
    """Check a number of samples per curve: more than 1, at most :data:`MAX_POINTS`."""
    n = int(points)
    if n <= 1:
        raise BadInput(f"points={n}: need at least 2 points", "give e.g. 1000", subject="points")
    if n > MAX_POINTS:
        raise BadInput(f"points={n}: too many", f"at most {MAX_POINTS} points", subject="points")
    return n
