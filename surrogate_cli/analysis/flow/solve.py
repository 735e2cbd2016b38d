"""Root finding for ``chi = 1`` and the smooth-forward mean-field of Poole et al. (2016)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from ...errors import BadInput
from .membrane import _finite, _positive

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


def solve_root(fn: Callable[[Any], Any], lo: float, hi: float, *, current: float | None = None,
               points: int = 49, target: float = 1.0, param: str = "p", rtol: float = 1e-15) -> Solve:
    """Every ``p`` in ``[lo, hi]`` (``0 < lo < hi``) with ``fn(p) = target``, by a log-spaced scan
    then bisection in log p (float64) to ``rtol``. ``fn`` maps a 1-D array to a 1-D array.
    """
    import numpy as np

    grid = np.exp(np.linspace(math.log(lo), math.log(hi), points))
    vals = np.asarray(fn(grid), dtype=np.float64)
    finite = np.isfinite(vals)
    reach = (float(vals[finite].min()), float(vals[finite].max())) if finite.any() else (math.nan, math.nan)
    d = vals - target
    roots = []
    for k in range(points - 1):
        if not (finite[k] and finite[k + 1]):
            continue
        if d[k] == 0.0:
            roots.append(float(grid[k]))
            continue
        if d[k] * d[k + 1] < 0.0:
            a, b, fa = math.log(grid[k]), math.log(grid[k + 1]), d[k]
            for _ in range(40):  # each round: 15 interior points at once, bracket / 16
                inner = np.linspace(a, b, 17)[1:-1]
                fi = np.asarray(fn(np.exp(inner)), dtype=np.float64) - target
                same = (fi < 0.0) == (fa < 0.0)
                zero = fi == 0.0
                if zero.any():
                    a = b = float(inner[np.argmax(zero)])
                    break
                j = int(np.argmin(same)) if not same.all() else len(inner)
                # fa's sign holds on [a, inner[j-1]], flips by inner[j]
                new_a = a if j == 0 else float(inner[j - 1])
                new_b = b if j == len(inner) else float(inner[j])
                if j > 0:
                    fa = float(fi[j - 1])
                a, b = new_a, new_b
                if b - a <= rtol * max(1.0, abs(a)):
                    break
            roots.append(math.exp(0.5 * (a + b)))
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

    sw = _positive("sigma_w", sigma_w)
    sb = _positive("sigma_b", sigma_b, allow_zero=True)
    b = _finite("bias", bias)
    z, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / math.sqrt(2.0 * math.pi)

    def expect(f, q):
        return float(np.sum(w * np.asarray(f(b + math.sqrt(q) * z), dtype=np.float64)))

    def F(q):
        return sw * sw * expect(lambda h: forward(h) ** 2, q) + sb * sb - q

    qmax = 1e8
    q = 0.0
    if F(qmax) < 0.0:
        grid = [qmax * 10.0 ** (-k / 8.0) for k in range(0, 8 * 30)]
        for a, c in zip(grid[:-1], grid[1:]):
            if F(c) >= 0.0:
                lo, hi = c, a
                for _ in range(200):
                    mid = math.sqrt(lo * hi)
                    if F(mid) >= 0.0:
                        lo = mid
                    else:
                        hi = mid
                    if hi - lo <= 1e-16 * hi:
                        break
                q = 0.5 * (lo + hi)
                break
    else:
        raise BadInput(f"sigma_w={sw:g}: the variance diverges (no fixed point below {qmax:g})",
                       "use a bounded forward or a smaller sigma_w")
    chi = sw * sw * expect(lambda h: backward(h) ** 2, q)
    return q, chi


