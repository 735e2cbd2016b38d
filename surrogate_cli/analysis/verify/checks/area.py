"""The ``area`` check: the integral of ``surrogate_grad``, panel by panel (Gauss-Legendre on
each panel and its halves), against ``surrogate_fun``'s increments, or for gradient-only
built-ins against the catalog's closed-form area."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ....formatting import fmt
from ..evaluated import Context, Evaluated
from ..grids import EPS, Grid, Patch
from ..report import CheckResult, Tolerance
from .registry import register_check

__all__ = ["AREA_RTOL", "LOCATE_WIDTH", "REFINE_BUDGET", "JUMP_WIDTH", "JUMP_FRACTION", "Panels", "panels_of", "area_check", "refine", "tail_area"]

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
    fa: Any = None  # f(a), or None
    fb: Any = None  # f(b), or None
    gmin: Any = None  # the smallest gradient value among the panel's 12 nodes
    gmax: Any = None  # the largest
    gfirst: Any = None  # the gradient at the panel's first node (nearest a)
    glast: Any = None  # at its last node (nearest b)


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
        gstats = _node_stats(np.concatenate([qf, pqf]), np.concatenate([qh, pqh]))
    a = np.concatenate([base.edges[:-1], patch.sub_a.reshape(-1)])
    b = np.concatenate([base.edges[1:], patch.sub_b.reshape(-1)])
    keep = np.ones(a.size, dtype=bool)
    keep[patch.split[patch.split >= 0]] = False
    keep[E:] = np.repeat(patch.split >= 0, 2)
    order = np.argsort(a[keep], kind="stable")
    pick = lambda v: v[keep][order]  # noqa: E731
    fa = fb = df = None
    if f_edges is not None:
        fa_sub = np.stack([f_edges[np.clip(patch.split, 0, E)], f_b], axis=1)
        fb_sub = np.stack([f_b, f_edges[np.clip(patch.split, 0, E - 1) + 1]], axis=1)
        fa = pick(np.concatenate([f_edges[:-1], fa_sub.reshape(-1)]))
        fb = pick(np.concatenate([f_edges[1:], fb_sub.reshape(-1)]))
        df = fb - fa
    return Panels(pick(a), pick(b), pick(q1), pick(q2), pick(absq), df, pick(wiggly), fa, fb,
                  *(pick(v) for v in gstats))


def _node_stats(gf, gh):
    """(min, max, first, last) of the gradient at each panel's nodes (``gh``: the 8 nodes of the
    two halves, in increasing x)."""
    import numpy as np

    both = np.concatenate([gf, gh], axis=1)
    return np.min(both, axis=1), np.max(both, axis=1), gh[:, 0], gh[:, -1]


#: Refinement: a panel narrower than this that still disagrees is a located fault; one
#: narrower than REFINE_MIN_WIDTH * max(1, |x|) is not split further; at most
#: REFINE_BUDGET new panels per parameter set.
LOCATE_WIDTH = 1e-3
REFINE_MIN_WIDTH = 1e-12
REFINE_BUDGET = 1 << 15
#: A jump of the gradient inside a panel (its nodes span more than JUMP_FRACTION of their largest
#: magnitude) is no located fault: such a panel is bisected on until narrower than
#: JUMP_WIDTH * max(1, |x|), and there its quadrature error is bounded by twice the jump times
#: the width (a box whose edges sit at 1/2.7 is right; Gauss-Legendre cannot integrate a jump).
JUMP_FRACTION = 0.05
JUMP_WIDTH = 1e-9


def _jump_range(P: "Panels"):
    """The gradient's range from the last node of the panel before to the first of the panel after
    (a jump anywhere in the panel, even next to an edge, lies in between), and its magnitude."""
    import numpy as np

    before = np.concatenate([P.gfirst[:1], P.glast[:-1]])
    after = np.concatenate([P.gfirst[1:], P.glast[-1:]])
    with np.errstate(all="ignore"):
        lo = np.minimum.reduce([P.gmin, before, after])
        hi = np.maximum.reduce([P.gmax, before, after])
        mag = np.maximum(np.abs(lo), np.abs(hi))
    return hi - lo, mag


def _jumpy(P: "Panels"):
    rng, mag = _jump_range(P)
    return rng > JUMP_FRACTION * mag


def _jump_bound(P: "Panels"):
    """Twice the jump times the width, on panels with a jump inside narrow enough for it; else 0."""
    import numpy as np

    rng, mag = _jump_range(P)
    closed = (rng > JUMP_FRACTION * mag) & (P.b - P.a <= JUMP_WIDTH * np.maximum(1.0, np.abs(P.a)))
    return np.where(closed, 2 * rng * (P.b - P.a), 0.0)


def _rules(P: Panels, S: float, eps: float, atol: float = 1e-8):
    """(est, unresolved, tolerance) per panel. The tolerance: AREA_RTOL of the panel's integral
    of |grad|, 10 quadrature error estimates, f's rounding, and 10 atol of f's range (a step of
    f smaller than that, like S2NN's epsilon at 0, is left to the whole integral's check)."""
    import numpy as np

    est = np.abs(P.q1 - P.q2)
    unresolved = (est > 1e-6 * P.absq + 1e-13 * max(S, 1e-300)) | P.wiggly
    tau = None
    if P.fa is not None:  # f's rounding: relative to its largest value (0.5 + tiny loses tiny's digits)
        fscale = float(np.max(np.abs(np.concatenate([P.fa, P.fb])[np.isfinite(np.concatenate([P.fa, P.fb]))]),
                              initial=0.0))
        fin = np.concatenate([P.fa, P.fb])
        fin = fin[np.isfinite(fin)]
        frange = float(np.max(fin) - np.min(fin)) if fin.size else 0.0
        tau = AREA_RTOL * P.absq + 10 * est + 16 * eps * fscale + 100 * eps * (np.abs(P.fa) + np.abs(P.fb)) \
            + 10 * atol * frange
        tau = tau + _jump_bound(P)
    return est, unresolved, tau


def refine(P: Panels, S: float, eps: float, evaluate, atol: float = 1e-8) -> tuple[Panels, int]:
    """Bisect the panels that do not resolve (a gradient oscillating or jumping inside) or whose
    integral disagrees with ``surrogate_fun``, until they resolve and agree, are narrower than
    :data:`LOCATE_WIDTH` (a located fault) or :data:`REFINE_MIN_WIDTH`, or the budget is spent.
    ``evaluate(xf, xg) -> (f, g)`` computes the methods at new points. Returns the panels and
    how many were added."""
    import numpy as np

    from ..grids import panel_nodes

    added = 0
    for _ in range(80):
        est, unresolved, tau = _rules(P, S, eps, atol)
        width = P.b - P.a
        small = width <= REFINE_MIN_WIDTH * np.maximum(1.0, np.abs(P.a))
        mism = ~(np.abs(P.q2 - P.df) <= tau)
        narrow_jump = width <= JUMP_WIDTH * np.maximum(1.0, np.abs(P.a))
        split = (unresolved & ~small) | (mism & ~unresolved & (width > LOCATE_WIDTH)) \
            | (mism & ~unresolved & _jumpy(P) & ~narrow_jump)
        idx = np.flatnonzero(split)
        if idx.size == 0 or added + 2 * idx.size > REFINE_BUDGET:
            if idx.size and added < REFINE_BUDGET:  # spend what is left on the narrowest
                idx = idx[np.argsort(width[idx], kind="stable")][:(REFINE_BUDGET - added) // 2]
            else:
                break
        a, b = P.a[idx], P.b[idx]
        m = (a + b) / 2
        ca, cb = np.concatenate([a, m]), np.concatenate([m, b])
        q_full, q_half, w_full, w_half = panel_nodes(ca, cb)
        fm, gv = evaluate(m, np.concatenate([q_full.reshape(-1), q_half.reshape(-1)]))
        n = ca.size
        gf = gv[:4 * n].reshape(n, 4)
        gh = gv[4 * n:].reshape(n, 8)
        with np.errstate(all="ignore"):
            q1 = np.sum(w_full * gf, axis=1)
            q2 = np.sum(w_half * gh, axis=1)
            absq = np.sum(np.abs(w_half * gh), axis=1)
            signs = np.sign(gh)
            wig = np.sum(signs[:, 1:] * signs[:, :-1] < 0, axis=1) >= 2
            gstats = _node_stats(gf, gh)
        fa = np.concatenate([P.fa[idx], fm])
        fb = np.concatenate([fm, P.fb[idx]])
        keep = np.ones(P.a.size, dtype=bool)
        keep[idx] = False
        cat = lambda old, new: np.concatenate([old[keep], new])  # noqa: E731
        A = cat(P.a, ca)
        order = np.argsort(A, kind="stable")
        P = Panels(A[order], cat(P.b, cb)[order], cat(P.q1, q1)[order], cat(P.q2, q2)[order],
                   cat(P.absq, absq)[order], (cat(P.fb, fb) - cat(P.fa, fa))[order], cat(P.wiggly, wig)[order],
                   cat(P.fa, fa)[order], cat(P.fb, fb)[order],
                   *(cat(old, new)[order] for old, new in zip((P.gmin, P.gmax, P.gfirst, P.glast), gstats)))
        added += n
    return P, added


def area_check(P: Panels, kinks, closed: float | None, x, g_x, S: float, tol: Tolerance, has_fun: bool,
               evaluate=None, eps: float = EPS):
    """The area check. With ``surrogate_fun``: every panel's integral against its increment
    (panels that do not resolve or disagree are refined with ``evaluate`` when given, see
    :func:`refine`), and the whole integral against ``f(b) - f(a)``."""
    import numpy as np

    a, b = P.a, P.b
    Q1, Q2 = P.q1, P.q2
    est = np.abs(Q1 - Q2)
    if not np.isfinite(Q2).all():
        i = int(np.flatnonzero(~np.isfinite(Q2))[0])
        return CheckResult("area", "fail", math.inf, math.inf, float((a[i] + b[i]) / 2),
                           f"surrogate_grad is not finite in the panel [{fmt(a[i])}, {fmt(b[i])}]", "non-finite")
    span = f"[{fmt(a[0])}, {fmt(b[-1])}]"
    if has_fun:
        if not np.isfinite(P.df).all():
            i = int(np.flatnonzero(~np.isfinite(P.df))[0])
            return CheckResult("area", "fail", math.inf, math.inf, float(a[i]),
                               f"surrogate_fun is not finite near x={fmt(a[i])}")
        added = 0
        if evaluate is not None:
            try:
                P, added = refine(P, S, eps, evaluate, tol.atol)
            except Exception as exc:  # noqa: BLE001 - user code at new points
                return CheckResult("area", "fail", None, None, None,
                                   f"refining the quadrature failed: {type(exc).__name__}: {exc}")
            if not (np.isfinite(P.q2).all() and np.isfinite(P.df).all()):
                i = int(np.flatnonzero(~(np.isfinite(P.q2) & np.isfinite(P.df)))[0])
                return CheckResult("area", "fail", math.inf, math.inf, float((P.a[i] + P.b[i]) / 2),
                                   f"surrogate_grad or surrogate_fun is not finite in [{fmt(P.a[i])}, {fmt(P.b[i])}]")
        a, b = P.a, P.b
        est, unresolved, tau = _rules(P, S, eps, tol.atol)
        d = P.q2 - P.df
        width = b - a
        small = width <= REFINE_MIN_WIDTH * np.maximum(1.0, np.abs(a))
        located = ~unresolved & ~(np.abs(d) <= tau)
        open_ = unresolved & ~small  # still unresolved, not for want of trying: counted in the tolerance
        A = float(np.sum(P.absq))
        D = float(np.sum(d))
        T = AREA_RTOL * max(A, 1e-300) + 10 * float(np.sum(est)) + 100 * eps * float(np.sum(np.abs(P.df)))
        rel = abs(D) / A if A > 0 else (0.0 if D == 0 else math.inf)
        notes = []
        if added:
            notes.append(f"{added} panel(s) added by refinement")
        if open_.any():
            ua, ub = float(a[open_].min()), float(b[open_].max())
            notes.append(f"{int(open_.sum())} panel(s) in [{fmt(ua)}, {fmt(ub)}] still not resolved (oscillating): "
                         f"their quadrature error estimate {fmt(float(np.sum(est[open_])), 3)} is in the tolerance")
        note = f" ({'; '.join(notes)})" if notes else ""
        total = float(np.sum(P.q2))
        if located.any():
            k = np.flatnonzero(located)
            i = int(k[np.argmax(np.abs(d[k]) - tau[k])])
            wx = float((a[i] + b[i]) / 2)
            return CheckResult("area", "fail", float(abs(d[i])), float(abs(d[i]) / max(P.absq[i], 1e-300)), wx,
                               f"the integral of grad over [{fmt(a[i], 7)}, {fmt(b[i], 7)}] is {fmt(float(P.q2[i]), 7)}, "
                               f"surrogate_fun rises by {fmt(float(P.df[i]), 7)} there ({int(located.sum())} panel(s) "
                               f"disagree); whole integral over {span} = {fmt(total, 10)}{note}")
        if abs(D) <= T:
            return CheckResult("area", "pass", abs(D), rel, None,
                               f"integral of grad over {span} = {fmt(total, 10)} matches "
                               f"surrogate_fun(b) - surrogate_fun(a){note}")
        i_w = int(np.argmax(np.abs(d)))
        wx = float((a[i_w] + b[i_w]) / 2)
        return CheckResult("area", "fail", float(abs(d[i_w])), float(abs(d[i_w]) / max(P.absq[i_w], 1e-300)), wx,
                           f"integral of grad over {span} = {fmt(total, 10)} differs from surrogate_fun(b) - "
                           f"surrogate_fun(a) by {fmt(D, 3)} (tolerance {fmt(T, 2)}); largest panel error near "
                           f"x={fmt(wx, 7)}{note}")
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
        return CheckResult("area", "warn", math.inf, math.inf, None,
                           f"the gradient's tails do not decay fast enough for the closed-form area {closed:.6g}", "tails")
    full = total + tl + tr
    D = full - closed
    T = AREA_RTOL * max(abs(closed), 1e-300) + 10 * float(np.sum(est)) + 0.1 * (tl + tr)
    rel = abs(D) / abs(closed) if closed else abs(D)
    status = "pass" if abs(D) <= T else "fail"
    word = "matches" if status == "pass" else f"differs by {D:.3g} from"
    return CheckResult("area", status, abs(D), rel, None,
                       f"integral of grad over the real line = {full:.10g} {word} the closed form {closed:.10g}"
                       + (f" (tails beyond |x| = {fmt(x[-1])}: {tl + tr:.2g})" if tl + tr else ""))


@register_check("area", needs=("g0", "gp"), order=20, rule="wrong-gradient")
def run(ev: Evaluated, ctx: Context) -> CheckResult:
    import numpy as np

    with_fun = ctx.F is not None
    f_edges = f_b = None
    if with_fun:
        f_edges = np.asarray(ev.f0, dtype=np.float64)[7 * ctx.grid.x.size:]
        f_b = np.asarray(ev.fp, dtype=np.float64)[:ctx.patch.b.size]
    g0, gp = (np.asarray(v, dtype=np.float64) for v in (ev.g0, ev.gp))
    P = panels_of(ctx.grid, ctx.patch, g0, gp, f_edges, f_b)
    return area_check(P, ctx.kinks, ctx.closed, ctx.x, ctx.g, ctx.scale, ctx.tol, with_fun,
                      ctx.evaluate if with_fun else None, ctx.precision[1])
