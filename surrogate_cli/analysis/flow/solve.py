"""Root finding for ``chi = 1`` and the smooth-forward mean-field of Poole et al. (2016)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from ...errors import BadInput
from .membrane import finite_number, log_bisect, positive_number

__all__ = ["Solve", "solve_root", "smooth_chi"]


# -- root finding ----------------------------------------------------------------------------------


@dataclass
class Solve:
    """The parameter value that gives ``chi = 1``, or why there is none.

    ``value`` is the root nearest (in log) to the current value; ``roots`` all roots
    found on the scanned interval ``scanned``; ``reachable`` the (min, max) of chi there.
    """

    param: str
    value: float | None
    chi_at: float | None
    roots: tuple[float, ...]
    reachable: tuple[float, float]
    scanned: tuple[float, float]
    note: str = ""

    def as_dict(self) -> dict:
        return {"param": self.param, "value": self.value, "chi_at_value": self.chi_at, "roots": list(self.roots),
                "reachable": list(self.reachable), "scanned": list(self.scanned), "note": self.note}


def _brent(f, a: float, b: float, fa: float, fb: float, xtol: float) -> float:
    """A root of ``f`` in the bracket [a, b] (``fa * fb < 0``): Brent's method (inverse
    quadratic interpolation, secant, bisection as a safeguard)."""
    if abs(fa) < abs(fb):
        a, b, fa, fb = b, a, fb, fa
    c, fc, d, bisected = a, fa, a, True
    for _ in range(300):
        if fb == 0.0 or abs(b - a) <= xtol:
            break
        if fa != fc and fb != fc:
            s = (a * fb * fc / ((fa - fb) * (fa - fc)) + b * fa * fc / ((fb - fa) * (fb - fc))
                 + c * fa * fb / ((fc - fa) * (fc - fb)))
        else:
            s = b - fb * (b - a) / (fb - fa)
        lo, hi = sorted(((3 * a + b) / 4, b))
        if (not lo < s < hi
                or (bisected and abs(s - b) >= abs(b - c) / 2)
                or (not bisected and abs(s - b) >= abs(c - d) / 2)
                or (bisected and abs(b - c) < xtol)
                or (not bisected and abs(c - d) < xtol)):
            s = 0.5 * (a + b)
            bisected = True
        else:
            bisected = False
        fs = f(s)
        d, c, fc = c, b, fb
        if (fa < 0.0) != (fs < 0.0):
            b, fb = s, fs
        else:
            a, fa = s, fs
        if abs(fa) < abs(fb):
            a, b, fa, fb = b, a, fb, fa
    return b


def solve_root(fn: Callable[[Any], Any], lo: float, hi: float, *, current: float | None = None,
               points: int = 25, target: float = 1.0, param: str = "p", rtol: float = 1e-14) -> Solve:
    """Every ``p`` in ``[lo, hi]`` (``0 < lo < hi``) with ``fn(p) = target``: a log-spaced scan
    of ``points`` values (one vectorised call), then Brent's method in log p (float64) in each
    bracket with a sign change, to ``rtol`` in log p. ``fn`` maps a 1-D array to a 1-D array.
    """
    import numpy as np

    grid = np.exp(np.linspace(math.log(lo), math.log(hi), points))
    vals = np.asarray(fn(grid), dtype=np.float64)
    finite = np.isfinite(vals)
    reach = (float(vals[finite].min()), float(vals[finite].max())) if finite.any() else (math.nan, math.nan)
    d = vals - target

    def f(x: float) -> float:
        return float(np.asarray(fn(np.asarray([math.exp(x)])), dtype=np.float64)[0]) - target

    roots = []
    for k in range(points - 1):
        if not (finite[k] and finite[k + 1]):
            continue
        if d[k] == 0.0:
            roots.append(float(grid[k]))
            continue
        if d[k] * d[k + 1] < 0.0:
            a, b = math.log(grid[k]), math.log(grid[k + 1])
            roots.append(math.exp(_brent(f, a, b, float(d[k]), float(d[k + 1]), rtol * max(1.0, abs(a)))))
    if finite[-1] and d[-1] == 0.0:
        roots.append(float(grid[-1]))
    if not roots:
        return Solve(param, None, None, (), reach, (lo, hi),
                     f"chi stays in [{reach[0]:.4g}, {reach[1]:.4g}] for {param} in [{lo:.4g}, {hi:.4g}]")
    ref = current if current and current > 0 else math.sqrt(lo * hi)
    best = min(roots, key=lambda r: abs(math.log(r / ref)))
    chi_at = float(fn(np.asarray([best]))[0])
    note = "" if len(roots) == 1 else f"{len(roots)} roots; the one nearest the current value is shown"
    return Solve(param, best, chi_at, tuple(roots), reach, (lo, hi), note)


# -- smooth forward (the classic mean-field of Poole et al. 2016) --------------------------------


def smooth_chi(forward: Callable, backward: Callable, sigma_w: float, bias: float = 0.0,
               sigma_b: float = 0.0, nodes: int = 101) -> tuple[float, float]:
    r"""``(q*, chi)`` for a smooth forward ``phi`` with derivative ``backward``.

    Pre-activations ``h ~ N(bias, q)``, ``q`` at its largest fixed point of
    ``q = sigma_w^2 E[phi(h)^2] + sigma_b^2`` (0 when the only fixed point is 0), and
    ``chi = sigma_w^2 E[backward(h)^2]`` (Poole et al. 2016, eq. 3 and chi_1; Schoenholz et
    al. 2017). Gauss--Hermite quadrature (``nodes``) in float64; NumPy callables.
    """
    import numpy as np

    sw = positive_number("sigma_w", sigma_w)
    sb = positive_number("sigma_b", sigma_b, allow_zero=True)
    b = finite_number("bias", bias)
    z, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / math.sqrt(2.0 * math.pi)

    def expect(f, q):
        q = np.atleast_1d(np.asarray(q, dtype=np.float64))
        vals = np.asarray(f(b + np.sqrt(q)[:, None] * z[None, :]), dtype=np.float64)
        return vals @ w

    def F(q):
        return sw * sw * expect(lambda h: forward(h) ** 2, q) + sb * sb - np.atleast_1d(q)

    qmax = 1e8
    if F(qmax)[0] >= 0.0:
        raise BadInput(f"sigma_w={sw:g}: the variance diverges (no fixed point below {qmax:g})",
                       "use a bounded forward or a smaller sigma_w", subject="sigma_w")
    grid = qmax * 10.0 ** (-np.arange(0, 8 * 30) / 8.0)  # 1e8 down to 1e-22
    vals = F(grid)
    up = np.nonzero(vals >= 0.0)[0]
    q = 0.0
    if up.size:  # the largest q where F turns negative: bisect in log q
        k = up[0]
        q = log_bisect(lambda v: F(v)[0] >= 0.0, grid[k], grid[k - 1], 1e-16)
    chi = float(sw * sw * expect(lambda h: backward(h) ** 2, q)[0])
    return q, chi


