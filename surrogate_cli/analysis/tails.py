"""How g' decays away from its peak (the tail class of ``info``) and its area on a core
interval: pure NumPy on a gradient function ``x -> g'(x)``."""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..evaluation.normalize import simpson_weights
from ..formatting import fmt

__all__ = ["DECADES", "REL_NOISE", "Tail", "area_pieces", "classify_tail", "clean", "core_area", "round_sig"]

DECADES = 6.0  # how far out the tails are followed, in decades beyond the half-width
REL_NOISE = 1e-12  # gradient values below this fraction of the peak are not trusted in tails


@dataclass
class Tail:
    """One side of the gradient far from the threshold."""

    side: str  # "left" or "right"
    kind: str  # compact | exponential | gaussian | power law | constant | oscillating | decaying
    boundary: float | None = None  # compact: where g' becomes exactly zero
    exponent: float | None = None  # power law: g' ~ |x|^-exponent
    rate: float | None = None  # exponential: g' ~ exp(-rate |x|)
    value: float | None = None  # constant: the limiting value

    def describe(self) -> str:
        if self.kind == "compact":
            return f"zero beyond x = {fmt(self.boundary)}"
        if self.kind == "exponential":
            return f"exponential, ~ exp(-{fmt(self.rate)}|x|)"
        if self.kind == "gaussian":
            return "faster than exponential (Gaussian)"
        if self.kind == "power law":
            return f"power law, ~ |x|^-{fmt(self.exponent)}"
        if self.kind == "constant":
            return f"constant, g' -> {fmt(self.value)}"
        if self.kind == "oscillating":
            return "oscillating, does not decay (periodic)"
        return "decaying (unclassified)"


def round_sig(v: float, digits: int = 4) -> float:
    if v == 0 or not math.isfinite(v):
        return v
    return round(v, digits - 1 - int(math.floor(math.log10(abs(v)))))


def clean(v: float) -> float:
    """Round a bisected boundary to 10 significant digits (it is exact to ~1e-15 relative)."""
    if v == 0:
        return 0.0
    r = round_sig(v, 10)
    return 0.0 if abs(r) < 1e-12 else r


def area_pieces(S: float, bp) -> list:
    """The Simpson pieces of :func:`core_area`: one linspace between consecutive breakpoints
    inside ``[-S, S]`` (each end nudged off an inner breakpoint)."""
    import numpy as np

    inner = sorted({b for b in bp if -S < b < S})
    edges = [-S, *inner, S]
    pieces = []
    for a, b in zip(edges[:-1], edges[1:]):
        n = 2 * max(50, int(100000 * (b - a) / (2 * S))) + 1
        ea = 1e-13 * (1.0 + abs(a)) if a in inner else 0.0
        eb = 1e-13 * (1.0 + abs(b)) if b in inner else 0.0
        pieces.append(np.linspace(a + ea, b - eb, n))
    return pieces


def core_area(grad, S: float, bp, values=None) -> float:
    """Integral of g' over [-S, S]: composite Simpson on each piece between breakpoints
    (:func:`area_pieces`). ``values``: g' on the pieces end to end, when the caller has them."""
    import numpy as np

    pieces = area_pieces(S, bp)
    if values is None:
        values = grad(np.concatenate(pieces))  # one evaluation for every piece
    total, start = 0.0, 0
    for t in pieces:
        n = t.shape[0]
        v = values[start:start + n]
        start += n
        v = np.where(np.isfinite(v), v, 0.0)
        total += float(np.sum(simpson_weights(n) * v) * (t[1] - t[0]) / 3.0)
    return total


def classify_tail(grad, grid, vals, i_peak, peak, centre, sign, half_x, S) -> Tail:
    """Classify one side of g' (sign -1: left, +1: right); ``centre``: middle of the bump."""
    x_peak = centre
    import numpy as np

    side = "left" if sign < 0 else "right"
    if sign > 0:
        xs, vs = grid[i_peak:], vals[i_peak:]
    else:
        xs, vs = grid[: i_peak + 1][::-1], vals[: i_peak + 1][::-1]
    scale_peak = max(abs(peak), 1e-300)

    # exactly zero from some point on?
    nonzero = vs != 0
    last = len(xs) - 1 - int(np.argmax(nonzero[::-1])) if nonzero.any() else -1
    if last < len(xs) - 1:
        if last < 0:
            boundary = float(xs[0])
        else:
            a, b = xs[last], xs[last + 1]
            for _ in range(3):  # the last non-zero point, refined three times
                t = np.linspace(a, b, 1001)
                v = grad(t)
                k = np.nonzero(v)[0]
                j = int(k[-1]) if k.size else 0
                a, b = t[j], t[min(j + 1, 1000)]
            # g'(b) is v[min(j + 1, 1000)], already evaluated (the kernel is elementwise)
            boundary = float(b) if abs(float(v[min(j + 1, 1000)])) == 0.0 else float(a)
        inside = boundary - 0.05 * (boundary - x_peak)
        if abs(float(grad(np.array([inside]))[0])) > 1e-10 * scale_peak or last < 0:
            return Tail(side, "compact", boundary=clean(boundary))

    # follow the tail: from beyond the half-maximum point to where it drops into rounding noise
    hx = abs(half_x) if math.isfinite(half_x) else S
    x0 = max(min(2.0 * hx, S), 1e-3 * S, abs(x_peak) * 1.5)
    far = np.logspace(math.log10(x0), math.log10(S) + DECADES, 2000)
    v = grad(sign * far)
    trusted = np.abs(v) > REL_NOISE * scale_peak
    signs = np.sign(v[trusted])
    if signs.size and np.count_nonzero(np.diff(signs)) >= 3:
        return Tail(side, "oscillating")
    if not np.any(trusted):
        return Tail(side, "decaying")
    x1 = far[np.nonzero(trusted)[0][-1]]
    t = np.logspace(math.log10(x0), math.log10(x1), 401)
    a = np.abs(grad(sign * t))
    if np.any(a == 0):
        a, t = a[a > 0], t[a > 0]
    if a.size < 8:
        return Tail(side, "decaying")
    if np.max(a[-100:]) <= np.min(a[-100:]) * (1 + 1e-9):
        return Tail(side, "constant", value=round_sig(float(v[trusted][-1]), 6))
    # slopes over [x1/4, x1/2] and [x1/2, x1]: far enough out that the shape near the
    # threshold no longer matters, and long enough to tell e^{-kx} from e^{-x^2}
    i3 = len(t) - 1
    i2 = int(np.searchsorted(t, t[-1] / 2.0))
    i1 = int(np.searchsorted(t, t[-1] / 4.0))
    if not 0 <= i1 < i2 < i3:
        i1, i2 = len(t) // 2, (3 * len(t)) // 4
    la = np.log(a)
    ll1 = (la[i2] - la[i1]) / math.log(t[i2] / t[i1])
    ll2 = (la[i3] - la[i2]) / math.log(t[i3] / t[i2])
    sl1 = (la[i2] - la[i1]) / (t[i2] - t[i1])
    sl2 = (la[i3] - la[i2]) / (t[i3] - t[i2])
    if ll2 < 0 and abs(ll2 - ll1) <= 0.02 * abs(ll2):
        return Tail(side, "power law", exponent=round_sig(-ll2, 4))
    if sl2 < 0 and abs(sl2 - sl1) <= 0.05 * abs(sl2):
        return Tail(side, "exponential", rate=round_sig(-sl2, 4))
    if sl2 < 0 and sl2 / sl1 > 1.05:
        return Tail(side, "gaussian")
    if ll2 < 0 and ll1 < 0:
        return Tail(side, "power law", exponent=round_sig(-ll2, 4))
    return Tail(side, "decaying")
