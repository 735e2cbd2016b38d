"""The ``area`` check: the integral of ``surrogate_grad``, panel by panel (Gauss-Legendre on
each panel and its halves), against ``surrogate_fun``'s increments, or for gradient-only
built-ins against the catalog's closed-form area."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ....formatting import fmt
from ..grids import EPS, Grid, Patch
from ..report import CheckResult, Tolerance

__all__ = ["AREA_RTOL", "Panels", "panels_of", "area_check", "tail_area"]

#: Relative tolerance of the area check (quadrature on top of the derivative tolerance).
AREA_RTOL = 1e-5


def tail_area(x_out: float, x_in: float, g_out: float, g_in: float) -> float:
    """Area of a power-law tail beyond ``x_out`` fitted through two samples (inf if divergent)."""
    if g_out == 0.0:
        return 0.0
    if g_in <= 0 or g_out < 0:
        return math.nan
    p = -math.log(g_out / g_in) / math.log(abs(x_out) / abs(x_in))
    if p <= 1.0:
        return math.inf
    return g_out * abs(x_out) / (p - 1.0)


@dataclass
class Panels:
    a: Any
    b: Any
    q1: Any  # 4-point rule on the panel
    q2: Any  # 4-point rule on each half (the value used)
    absq: Any  # the same rule on |g|
    df: Any  # f(b) - f(a), or None
    wiggly: Any  # the gradient changes sign twice or more across the panel's 8 nodes


def panels_of(base: Grid, patch: Patch, g0, gp, f_edges, f_b) -> Panels:
    """The quadrature panels of one parameter set: base panels, those holding a breakpoint
    replaced by the two sub-panels on either side of it."""
    import numpy as np

    N = base.x.size
    E = base.edges.size - 1
    nb = patch.b.size
    qf = g0[N:N + 4 * E].reshape(E, 4)
    qh = g0[N + 4 * E:].reshape(E, 8)
    pqf = gp[nb:nb + 8 * nb].reshape(2 * nb, 4)
    pqh = gp[nb + 8 * nb:].reshape(2 * nb, 8)
    with np.errstate(all="ignore"):
        q1 = np.concatenate([np.sum(base.w_full * qf, axis=1), np.sum(patch.w_full * pqf, axis=1)])
        q2 = np.concatenate([np.sum(base.w_half * qh, axis=1), np.sum(patch.w_half * pqh, axis=1)])
        absq = np.concatenate([np.sum(np.abs(base.w_half * qh), axis=1), np.sum(np.abs(patch.w_half * pqh), axis=1)])
    with np.errstate(all="ignore"):
        signs = np.sign(np.concatenate([qh, pqh]))
        wiggly = np.sum(signs[:, 1:] * signs[:, :-1] < 0, axis=1) >= 2
    a = np.concatenate([base.edges[:-1], patch.sub_a.reshape(-1)])
    b = np.concatenate([base.edges[1:], patch.sub_b.reshape(-1)])
    keep = np.ones(a.size, dtype=bool)
    keep[patch.split[patch.split >= 0]] = False
    keep[E:] = np.repeat(patch.split >= 0, 2)
    df = None
    if f_edges is not None:
        fa_sub = np.stack([f_edges[np.clip(patch.split, 0, E)], f_b], axis=1)
        fb_sub = np.stack([f_b, f_edges[np.clip(patch.split, 0, E - 1) + 1]], axis=1)
        df = np.concatenate([np.diff(f_edges), (fb_sub - fa_sub).reshape(-1)])[keep]
    order = np.argsort(a[keep], kind="stable")
    pick = lambda v: v[keep][order]  # noqa: E731
    return Panels(pick(a), pick(b), pick(q1), pick(q2), pick(absq), df[order] if df is not None else None,
                   pick(wiggly))


def area_check(P: Panels, kinks, closed: float | None, x, g_x, S: float, tol: Tolerance, has_fun: bool):
    import numpy as np

    a, b = P.a, P.b
    Q1, Q2, absq = P.q1, P.q2, P.absq
    est = np.abs(Q1 - Q2)
    if not np.isfinite(Q2).all():
        i = int(np.flatnonzero(~np.isfinite(Q2))[0])
        return CheckResult("area", "fail", math.inf, math.inf, float((a[i] + b[i]) / 2),
                           f"surrogate_grad is not finite in the panel [{fmt(a[i])}, {fmt(b[i])}]")
    span = f"[{fmt(a[0])}, {fmt(b[-1])}]"
    if has_fun:
        df = P.df
        if not np.isfinite(df).all():
            i = int(np.flatnonzero(~np.isfinite(df))[0])
            return CheckResult("area", "fail", math.inf, math.inf, float(a[i]),
                               f"surrogate_fun is not finite near x={fmt(a[i])}")
        d = Q2 - df
        kink_panel = np.zeros(a.size, dtype=bool)
        for k in kinks:
            pad = 1e-12 * max(1.0, abs(k))
            kink_panel |= (a < k + pad) & (b > k - pad)
        unresolved = (est > 1e-6 * absq + 1e-13 * max(S, 1e-300)) | P.wiggly
        use = ~kink_panel & ~unresolved
        A = float(np.sum(absq[use]))
        D = float(np.sum(d[use]))
        T = AREA_RTOL * max(A, 1e-300) + 10 * float(np.sum(est[use])) + 100 * EPS * float(np.sum(np.abs(df[use])))
        i_w = int(np.argmax(np.where(use, np.abs(d), -1.0)))
        rel = abs(D) / A if A > 0 else (0.0 if D == 0 else math.inf)
        left = []
        if kink_panel.any():
            left.append(f"{int(kink_panel.sum())} panel(s) at kinks")
        if (unresolved & ~kink_panel).any():
            left.append(f"{int((unresolved & ~kink_panel).sum())} unresolved (oscillating) panel(s)")
        note = f" ({', '.join(left)} left out)" if left else ""
        wx = float((a[i_w] + b[i_w]) / 2)
        if abs(D) <= T:
            return CheckResult("area", "pass", abs(D), rel, wx,
                               f"integral of grad over {span} = {float(np.sum(Q2[use])):.10g} matches "
                               f"surrogate_fun(b) - surrogate_fun(a){note}")
        return CheckResult("area", "fail", abs(D), rel, wx,
                           f"integral of grad over {span} differs from surrogate_fun(b) - surrogate_fun(a) "
                           f"by {D:.3g} (tolerance {T:.2g}); largest panel error near x={fmt(wx)}{note}")
    total = float(np.sum(Q2))
    if closed is None:
        return CheckResult("area", "skip", None, None, None,
                           f"gradient-only, no closed-form area to compare; integral over {span} = {total:.6g}")
    if not math.isfinite(closed):
        return CheckResult("area", "skip", None, None, None,
                           f"the closed-form area is infinite (heavy tails); integral over {span} = {total:.6g}")
    tl = tail_area(float(x[0]), float(x[1]), float(g_x[0]), float(g_x[1]))
    tr = tail_area(float(x[-1]), float(x[-2]), float(g_x[-1]), float(g_x[-2]))
    if not (math.isfinite(tl) and math.isfinite(tr)):
        return CheckResult("area", "fail", math.inf, math.inf, None,
                           f"the gradient's tails do not decay fast enough for the closed-form area {closed:.6g}")
    full = total + tl + tr
    D = full - closed
    T = AREA_RTOL * max(abs(closed), 1e-300) + 10 * float(np.sum(est)) + 0.1 * (tl + tr)
    rel = abs(D) / abs(closed) if closed else abs(D)
    status = "pass" if abs(D) <= T else "fail"
    word = "matches" if status == "pass" else f"differs by {D:.3g} from"
    return CheckResult("area", status, abs(D), rel, None,
                       f"integral of grad over the real line = {full:.10g} {word} the closed form {closed:.10g}"
                       + (f" (tails beyond |x| = {fmt(x[-1])}: {tl + tr:.2g})" if tl + tr else ""))
