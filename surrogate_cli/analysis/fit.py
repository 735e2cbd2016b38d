"""Fitting one surrogate's gradient to another's: least squares on g', or peak height and FWHM.

Used by :mod:`surrogate_cli.analysis.convert` when no exact equivalent exists. Parameters
are searched by Nelder-Mead in a space mapped onto each parameter's valid range (``log``
above a lower bound, within four decades of the default; logistic between bounds), from
the defaults and two scaled starts. A free factor is never negative.
"""
from __future__ import annotations

import math
from typing import Any, Mapping

from ..catalog import Record
from ..evaluation import grad_values
from .convert_values import fit_deviation

__all__ = ["fit_one", "peak_fwhm", "SPAN"]

#: How far a fitted parameter may move from its default: ln(1e4), four decades either way.
SPAN = math.log(1e4)




def _transforms(rec: Record, fixed: Mapping[str, Any]):
    """Free float parameters with a map from R^n into their valid ranges, and back."""
    free = [p for p in rec.params if p.kind != "int" and p.name not in fixed]

    def to_params(u) -> dict:
        out = dict(fixed)
        for p, v in zip(free, u):
            if p.low is not None and p.high is None:
                # within SPAN decades of the default's distance to the bound: no degenerate fits
                # (a width of 1e8 with a factor of 1e-12 can win a least-squares race on a grid)
                ref = math.log(max(float(p.default) - p.low, 1e-3))
                v = min(max(v, ref - SPAN), ref + SPAN)
                val = p.low + math.exp(v)
                if not p.low_open and v <= ref - SPAN:
                    val = p.low
            elif p.low is not None and p.high is not None:
                val = p.low + (p.high - p.low) / (1.0 + math.exp(-max(min(v, 700.0), -700.0)))
            else:
                val = v
            out[p.name] = val
        return out

    def from_params(params: Mapping) -> list[float]:
        u = []
        for p in free:
            val = float(params[p.name])
            if p.low is not None and p.high is None:
                u.append(math.log(max(val - p.low, 1e-12)))
            elif p.low is not None and p.high is not None:
                t = min(max((val - p.low) / (p.high - p.low), 1e-9), 1 - 1e-9)
                u.append(math.log(t / (1 - t)))
            else:
                u.append(val)
        return u

    return free, to_params, from_params


def _nelder_mead(fun, x0, step: float = 0.5, iters: int = 400, tol: float = 1e-12):
    import numpy as np

    n = len(x0)
    if n == 0:
        return np.array([]), fun(np.array([]))
    pts = [np.asarray(x0, float)]
    for i in range(n):
        p = np.array(x0, float)
        p[i] += step
        pts.append(p)
    vals = [fun(p) for p in pts]
    for _ in range(iters * n):
        order = np.argsort(vals)
        pts = [pts[i] for i in order]
        vals = [vals[i] for i in order]
        if abs(vals[-1] - vals[0]) <= tol * (abs(vals[0]) + 1e-300):
            break
        c = np.mean(pts[:-1], axis=0)
        xr = c + (c - pts[-1])
        fr = fun(xr)
        if fr < vals[0]:
            xe = c + 2 * (c - pts[-1])
            fe = fun(xe)
            pts[-1], vals[-1] = (xe, fe) if fe < fr else (xr, fr)
        elif fr < vals[-2]:
            pts[-1], vals[-1] = xr, fr
        else:
            xc = c + 0.5 * (pts[-1] - c)
            fc = fun(xc)
            if fc < vals[-1]:
                pts[-1], vals[-1] = xc, fc
            else:
                for i in range(1, n + 1):
                    pts[i] = pts[0] + 0.5 * (pts[i] - pts[0])
                    vals[i] = fun(pts[i])
    best = int(np.argmin(vals))
    return pts[best], vals[best]


def peak_fwhm(x, g):
    """Peak |g'| and its full width at half maximum (linear interpolation; inf if it never halves)."""
    import numpy as np

    a = np.abs(g)
    i = int(np.argmax(a))
    h = float(a[i])
    if h == 0:
        return 0.0, math.inf
    half = h / 2
    j = i
    while j > 0 and a[j] >= half:
        j -= 1
    k = i
    while k < a.size - 1 and a[k] >= half:
        k += 1
    if a[j] >= half or a[k] >= half:
        return h, math.inf
    left = x[j] + (half - a[j]) * (x[j + 1] - x[j]) / (a[j + 1] - a[j])
    right = x[k - 1] + (a[k - 1] - half) * (x[k] - x[k - 1]) / (a[k - 1] - a[k])
    return h, float(right - left)


def fit_one(rec: Record, x, gs, match: str, free_factor: bool, start: Mapping[str, Any] | None = None):
    """Best parameters of ``rec`` (and factor) for the source gradient ``gs`` on ``x``."""
    import numpy as np

    fixed = {p.name: p.default for p in rec.params if p.kind == "int"}
    free, to_params, from_params = _transforms(rec, fixed)
    hs, ws = peak_fwhm(x, gs)

    def evaluate(u):
        params = to_params(u)
        with np.errstate(all="ignore"):
            gr = grad_values(rec, params, x)
        if not np.all(np.isfinite(gr)):
            return math.inf, 1.0, params
        if match == "lsq":
            if free_factor:
                den = float(np.dot(gr, gr))
                f = max(float(np.dot(gs, gr)) / den, 0.0) if den > 0 else 1.0  # no sign flip
            else:
                f = 1.0
            return float(np.sum((gs - f * gr) ** 2)), f, params
        hr, wr = peak_fwhm(x, gr)
        if hr == 0:
            return math.inf, 1.0, params
        f = hs / hr if free_factor else 1.0
        cost = 0.0
        if math.isfinite(ws) and math.isfinite(wr) and ws > 0 and wr > 0:
            cost += math.log(wr / ws) ** 2
        elif math.isfinite(ws) != math.isfinite(wr):
            cost += 100.0
        if not free_factor:
            cost += math.log(hr / hs) ** 2 if hs > 0 else 0.0
        return cost, f, params

    starts = [from_params({**rec.defaults, **(start or {})})]
    if free:
        base = np.array(starts[0])
        for d in (-2.0, 2.0):
            starts.append(base + d)
    best = (math.inf, 1.0, to_params(starts[0]))
    for u0 in starts:
        u, _ = _nelder_mead(lambda v: evaluate(v)[0], u0)
        cand = evaluate(u)
        if cand[0] < best[0]:
            best = cand
    cost, f, params = best
    gr = grad_values(rec, params, x)
    return {k: float(v) if rec.param(k).kind != "int" else int(v) for k, v in params.items()}, float(f), \
        fit_deviation(gs, gr, f), cost
