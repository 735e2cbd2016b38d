"""The ``derivative`` check: ``surrogate_grad`` against the derivative of ``surrogate_fun``
(JAX autodiff and Richardson-extrapolated float64 finite differences), with the kinks of
``surrogate_fun`` found and located."""
from __future__ import annotations

import math
from typing import Sequence

from ....formatting import fmt
from ..evaluated import Context, Evaluated
from ..grids import EPS, fd_step
from ..report import CheckResult, Tolerance
from .registry import register_check

__all__ = ["find_kinks", "derivative_check", "fine_ratios", "detect_precision", "measure_precision", "PRECISIONS"]

#: The precisions verify names, with their epsilon (unit roundoff).
PRECISIONS = (("float64", EPS), ("float32", 2.0 ** -24), ("float16", 2.0 ** -11), ("bfloat16", 2.0 ** -8))


def find_kinks(x, h, F, S_hint: float, tol: Tolerance, breakpoints: Sequence[float], eps: float = EPS):
    """Kinks of f from one-sided Richardson derivatives; returns (locations, excluded mask)."""
    import numpy as np

    f0, fp1, fm1, fp2, fm2, fp4, fm4 = F
    with np.errstate(all="ignore"):
        dp = [(fp1 - f0) / h, (fp2 - f0) / (h / 2), (fp4 - f0) / (h / 4)]
        dm = [(f0 - fm1) / h, (f0 - fm2) / (h / 2), (f0 - fm4) / (h / 4)]

        def rich(d):
            r1a, r1b = 2 * d[1] - d[0], 2 * d[2] - d[1]
            r2 = (4 * r1b - r1a) / 3
            return r2, np.abs(r2 - r1b)

        rp, ep = rich(dp)
        rm, em = rich(dm)
        fmax = np.maximum.reduce([np.abs(v) for v in F])
        if eps > EPS:
            fmax = np.maximum(fmax, float(np.max(np.abs(f0[np.isfinite(f0)]), initial=0.0)))
        rnd = 40 * eps * fmax / h
        jump = np.abs(rp - rm)
        scale = np.maximum(np.abs(rp), np.abs(rm))
        thresh = 8 * (ep + em + rnd) + 10 * (tol.rtol * scale + tol.atol * S_hint)
        # a kink's one-sided slopes differ by the same amount at every step; a jump in the
        # curvature only (g' has a corner, g is smooth) makes a difference that shrinks with h
        raw_h, raw_h4 = np.abs(dp[0] - dm[0]), np.abs(dp[2] - dm[2])
        flag = ((jump > thresh) & (raw_h4 > 0.5 * raw_h)) | ~np.isfinite(jump)
        flag &= np.isfinite(f0)
        # kinks between grid points (inside |x| <= 8, where the grid step is <= 0.001): the
        # clean left derivative at x_i and right derivative at x_{i+1} differ by far more
        # than the derivative varies over the neighbouring intervals
        dx = np.diff(x)
        a, b = rm[:-1], rp[1:]
        J = np.abs(b - a)
        left = np.abs(np.diff(rm)) / np.where(dx > 0, dx, np.inf)  # variation rate of rm per interval
        right = np.abs(np.diff(rp)) / np.where(dx > 0, dx, np.inf)
        left_prev = np.concatenate([[np.inf], left[:-1]])
        right_next = np.concatenate([right[1:], [np.inf]])
        V = dx * np.maximum(left_prev, right_next)
        noise = em[:-1] + ep[1:] + rnd[:-1] + rnd[1:]
        sc = np.maximum(np.abs(a), np.abs(b))
        between = (J > 8 * V + 8 * noise + 100 * (tol.rtol * sc + tol.atol * S_hint)) & np.isfinite(J)
        fine = dx <= 1.5e-3
        fine_prev = np.concatenate([[False], fine[:-1]])
        fine_next = np.concatenate([fine[1:], [False]])
        between &= fine & fine_prev & fine_next & (dx > 0)
        flag[:-1] |= between
        flag[1:] |= between
    idx = np.flatnonzero(flag)
    locs: list[float] = []
    excluded = np.zeros(x.shape, dtype=bool)
    if idx.size == 0:
        return locs, excluded, rp, rm
    # cluster neighbours
    groups = np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)
    bps = [float(b) for b in breakpoints]
    for grp in groups:
        lo, hi = int(grp[0]), int(grp[-1])
        a_i, b_i = max(lo - 1, 0), min(hi + 1, x.size - 1)
        a, b = float(x[a_i]), float(x[b_i])
        clean = [i for i in grp if (ep[i] + em[i] + rnd[i]) * 8 < jump[i]]
        snap = [bp for bp in bps if a <= bp <= b]
        # where the tangents on both sides (clean one-sided slopes just outside the cluster)
        # intersect; a grid point whose own one-sided slopes are clean wins if it agrees
        sa, sb = rm[a_i], rp[b_i]
        with np.errstate(all="ignore"):
            k_t = (f0[b_i] - f0[a_i] + sa * a - sb * b) / (sa - sb)
        k_t = float(k_t) if np.isfinite(k_t) and a <= k_t <= b else None
        best = max(clean, key=lambda i: jump[i] / (ep[i] + em[i] + rnd[i] + 1e-300)) if clean else None
        if snap:
            k = snap[0]
        elif best is not None and (k_t is None or abs(x[best] - k_t) <= 1e-4 * (b - a)):
            k = float(x[best])
        elif k_t is not None:
            k = k_t
        else:
            k = float(x[(lo + hi) // 2])
        locs.append(k)
        excluded[lo:hi + 1] = True
        hk = float(fd_step(np.asarray([k]))[0])
        excluded |= np.abs(x - k) <= 4 * hk
    return locs, excluded, rp, rm


def detect_precision(*arrays) -> tuple[str, float]:
    """The precision the values deliver: the narrowest of bfloat16, float16, float32 that holds
    every finite value exactly (at least 64 distinct values), else float64; and its epsilon."""
    import numpy as np

    from ..grids import rounded_to

    vals = np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays if a is not None])
    vals = vals[np.isfinite(vals)]
    if np.unique(vals).size < 64:
        return "float64", EPS
    for name, eps in (("bfloat16", 2.0 ** -8), ("float16", 2.0 ** -11), ("float32", 2.0 ** -24)):
        if np.array_equal(rounded_to(vals, name), vals):
            return name, eps
    return "float64", EPS


def measure_precision(f_res, ad_res) -> tuple[str, float, float] | None:
    """The precision ``surrogate_fun`` computes in, measured at float64 input: ``(name, eps, noise)``
    or None (too few probe points where it varies).

    At each probe point (:func:`..grids.resolution_points`) with a slope, the increments
    ``f(x + dx) - f(x)`` follow ``f'(x) dx`` (autodiff) down to some offset and then turn into
    rounding noise: ``noise`` is the median of ``|x f'| dx/x / (|f| + |x f'|)`` at the last offset
    followed (about 2**-51 for float64 arithmetic, 2**-22 to 2**-25 for float32). The name: the
    coarsest of bfloat16, float16, float32 whose rounding of x leaves f unchanged at 90% of the
    points (a method that casts its input), else the precision whose epsilon is nearest the noise
    (in bits); ``eps``, the larger of its epsilon and the noise."""
    import numpy as np

    from ..grids import RESOLUTION_BITS, resolution_points

    x, offsets, _ = resolution_points()
    n = offsets.size
    with np.errstate(all="ignore"):
        vals = np.asarray(f_res, dtype=np.float64)
        R = vals[:n].reshape(offsets.shape)
        Q = vals[n:].reshape(3, x.size)
        A = np.asarray(ad_res, dtype=np.float64)[:n].reshape(offsets.shape)[:, 0]
        f = R[:, 0]
        d = R[:, 1:] - f[:, None]
        # the slope: autodiff where it agrees with the increment at dx = x / 16; else, where the
        # increments at x / 16 and x / 64 agree, the latter (an autodiff that lies, a custom_jvp,
        # must not hide the precision)
        j4, j6 = RESOLUTION_BITS.index(4), RESOLUTION_BITS.index(6)
        a4, a6 = d[:, j4] / offsets[:, j4 + 1], d[:, j6] / offsets[:, j6 + 1]
        lies = ~(np.abs(A - a4) <= 0.25 * np.abs(a4)) & (np.abs(a4 - a6) <= 0.1 * np.abs(a6))
        A = np.where(lies, a6, A)
        s = np.abs(x * A)
        pred = A[:, None] * offsets[:, 1:]
        follows = np.abs(d - pred) <= 0.25 * np.abs(pred)
        use = np.isfinite(f) & np.isfinite(s) & (s > 0) & (s >= 1e-3 * (np.abs(f) + s)) & follows[:, 0]
    if int(use.sum()) < 6:
        return None
    first_off = np.argmin(np.concatenate([follows, np.zeros((follows.shape[0], 1), dtype=bool)], axis=1), axis=1)
    bits = np.asarray(RESOLUTION_BITS, dtype=np.float64)[first_off[use] - 1]
    noise = max(float(np.median(s[use] * 2.0 ** -bits / (np.abs(f[use]) + s[use]))), EPS)
    eps_of = dict(PRECISIONS)
    for j, name in enumerate(("bfloat16", "float16", "float32")):
        if np.mean(Q[j][use] == f[use]) >= 0.9:  # it sees x rounded to this dtype
            return name, max(eps_of[name], noise), noise
    name, eps = min(PRECISIONS, key=lambda p: (abs(math.log2(p[1]) - math.log2(noise)), -p[1]))
    return name, (EPS if name == "float64" else max(eps, noise)), noise


def fine_ratios(xs, g, f, ad, S: float, tol: Tolerance, eps: float):
    """The fine grid: ``surrogate_grad`` against the autodiff of ``surrogate_fun``; where they
    disagree, also against central differences of its values on the grid itself (Richardson
    over steps 1 and 2), which overrule autodiff only where autodiff is off by more than their
    error, and against the one-sided derivatives at a kink point.

    Returns ``(ratio, error, reference, jumps)``: error over tolerance per point (0 at a kink
    point whose gradient lies between the two one-sided derivatives, inf where the gradient is
    not finite), and the jumps of ``surrogate_fun`` as ``(x_left, x_right, size)``.
    """
    import numpy as np

    n = xs.size
    base = tol.atol * S
    with np.errstate(all="ignore"):
        error = np.abs(g - ad)
        ratio = error / (base + tol.rtol * np.abs(ad))
        ratio[error == 0] = 0.0
    ref = ad.copy()
    idx = np.flatnonzero(~(ratio <= 1))  # disagreeing, nan or inf: look closer (few points)
    idx = idx[(idx >= 2) & (idx < n - 2)]
    if idx.size:
        with np.errstate(all="ignore"):
            fi = {k: f[idx + k] for k in (-2, -1, 1, 2)}
            xi = {k: xs[idx + k] for k in (-2, -1, 0, 1, 2)}
            d1 = (fi[1] - fi[-1]) / (xi[1] - xi[-1])
            d2 = (fi[2] - fi[-2]) / (xi[2] - xi[-2])
            uni = np.abs((xi[2] - xi[0]) - (xi[0] - xi[-2])) <= 1e-9 * (xi[2] - xi[-2])
            r = (4 * d1 - d2) / 3
            fmax = np.maximum(np.abs(fi[2]), np.abs(fi[-2]))
            if eps > EPS:  # below float64, rounding follows the intermediates' scale
                fmax = np.maximum(fmax, float(np.max(np.abs(f[np.isfinite(f)]), initial=0.0)))
            err = np.abs(r - d1) + 10 * eps * fmax / (xi[1] - xi[-1])
            fd = np.where(uni, r, d1)
            fd_err = np.where(uni, err, np.abs(d1 - d2) + err)
            gi, adi = g[idx], ad[idx]
            tol_fd = base + tol.rtol * np.abs(fd) + 4 * fd_err
            e_fd = np.abs(gi - fd)
            r_fd = np.where(np.isfinite(fd), e_fd / tol_fd, np.inf)
            ad_off = ~np.isfinite(adi) | (np.isfinite(fd) & (np.abs(adi - fd) > 4 * tol_fd))
            r_new = np.where(ad_off, np.minimum(ratio[idx], r_fd), ratio[idx])
            use_fd = ~np.isfinite(adi)
            error[idx] = np.where(use_fd, e_fd, error[idx])
            ref[idx] = np.where(use_fd, fd, adi)
            # a kink point: the one-sided derivatives (autodiff extrapolated from either side)
            # disagree; any gradient between them (with the tolerance) is right there
            L = 2 * ad[idx - 1] - ad[idx - 2]
            R = 2 * ad[idx + 1] - ad[idx + 2]
            slack = base + tol.rtol * np.maximum(np.abs(L), np.abs(R))
            kink_pt = np.isfinite(L) & np.isfinite(R) & (np.abs(L - R) > 4 * slack)
            between = (gi >= np.minimum(L, R) - slack) & (gi <= np.maximum(L, R) + slack)
            ratio[idx] = np.where((r_new > 1) & kink_pt & between, 0.0, r_new)
    bad_g = ~np.isfinite(g)
    if bad_g.any():
        ratio[bad_g] = np.inf
        error[bad_g] = np.inf
    # jumps of f: an isolated step, far larger than the neighbouring steps and than the slopes allow
    with np.errstate(all="ignore"):
        adf = np.abs(np.diff(f))
        mid = adf[1:-1]
        cand = np.flatnonzero((mid > 4 * adf[:-2]) & (mid > 4 * adf[2:])) + 1
    jumps = []
    if cand.size:
        span = float(np.nanmax(f) - np.nanmin(f)) if np.isfinite(f).any() else 0.0
        with np.errstate(all="ignore"):
            slope = np.maximum.reduce([np.abs(ad[cand]), np.abs(ad[cand + 1]), np.abs(g[cand]), np.abs(g[cand + 1])])
            slope = np.where(np.isfinite(slope), slope, 0.0)
            dx = xs[cand + 1] - xs[cand]
            a = adf[cand]
            ok = np.isfinite(a) & (a > 2 * dx * slope) & (a > 1e-6 * max(span, 1e-300)) \
                & (a > 1e3 * eps * np.maximum(np.abs(f[cand]), np.abs(f[cand + 1])))
        jumps = [(float(xs[i]), float(xs[i + 1]), float(f[i + 1] - f[i])) for i in cand[ok]]
    return ratio, error, ref, jumps


def derivative_check(x, h, g, F, ad, tol: Tolerance, breakpoints, fine=None, precision=("float64", EPS),
                     noise: float | None = None):
    """The derivative check; returns (CheckResult, kinks, S).

    ``fine``: ``(xs, g, f, ad)`` on the fine grid (see :func:`fine_ratios`), compared right up
    to the kinks. ``precision``: ``(name, eps)`` that ``surrogate_fun`` delivers; below float64
    the finite-difference noise and the tolerances follow its epsilon.
    """
    import numpy as np

    pname, eps = precision
    if eps > EPS:
        tol = Tolerance(max(tol.rtol, 16 * eps), max(tol.atol, 16 * eps))
    f0, fp1, fm1, fp2, fm2, fp4, fm4 = F
    with np.errstate(all="ignore"):
        d1 = (fp1 - fm1) / (2 * h)
        d2 = (fp2 - fm2) / h
        d4 = (fp4 - fm4) / (h / 2)
        r1a, r1b = (4 * d2 - d1) / 3, (4 * d4 - d2) / 3
        fd = (16 * r1b - r1a) / 15
        fmax = np.maximum.reduce([np.abs(v) for v in F])
        if eps > EPS:  # below float64, rounding follows the intermediates' scale (0.5 + tiny), not |f|
            fmax = np.maximum(fmax, float(np.max(np.abs(f0[np.isfinite(f0)]), initial=0.0)))
        fd_err = np.abs(fd - r1b) + 10 * eps * fmax / h
    ad_ok, fd_ok = np.isfinite(ad), np.isfinite(fd)
    ref0 = np.where(ad_ok, ad, np.where(fd_ok, fd, np.nan))
    finite_ref = np.isfinite(ref0)
    S_hint = float(np.max(np.abs(ref0[finite_ref]))) if finite_ref.any() else 0.0
    kinks, excluded, _, _ = find_kinks(x, h, F, S_hint, tol, breakpoints, eps)
    keep = ~excluded & finite_ref
    S = float(np.max(np.abs(ref0[keep]))) if keep.any() else 0.0
    if S == 0.0:
        S = float(np.max(np.abs(g[np.isfinite(g)]))) if np.isfinite(g).any() else 0.0
    with np.errstate(all="ignore"):
        base = tol.atol * S
        tol_ad = base + tol.rtol * np.abs(np.where(ad_ok, ad, 0.0))
        tol_fd = base + tol.rtol * np.abs(np.where(fd_ok, fd, 0.0)) + 4 * fd_err
        e_ad = np.abs(g - ad)
        e_fd = np.abs(g - fd)
        r_ad = np.where(ad_ok, np.where(e_ad == 0, 0.0, e_ad / tol_ad), np.inf)
        r_fd = np.where(fd_ok, np.where(e_fd == 0, 0.0, e_fd / tol_fd), np.inf)
        # finite differences overrule autodiff only where autodiff is off by more than their error
        ad_off = ~ad_ok | (fd_ok & (np.abs(ad - fd) > 4 * tol_fd))
        r = np.where((r_ad <= 1) | ~ad_off, r_ad, np.minimum(r_ad, r_fd))
        use_ad = ad_ok & ((r_ad <= 1) | ~ad_off | (r_ad <= r_fd))  # the reference the verdict rests on
        err = np.where(use_ad, e_ad, e_fd)
        refv = np.where(use_ad, ad, fd)
    g_bad = ~np.isfinite(g)
    r = np.where(g_bad, np.inf, r)
    err = np.where(g_bad, np.inf, err)
    unverifiable = ~finite_ref & ~g_bad
    r = np.where(unverifiable, 0.0, r)
    considered = (~excluded & ~unverifiable) | g_bad
    notes = []
    if kinks:
        notes.append(f"{len(kinks)} kink(s) of surrogate_fun: " + ", ".join(fmt(k) for k in kinks))
    n_ad_bad = int(np.sum(~ad_ok & fd_ok & ~excluded))
    if n_ad_bad:
        notes.append(f"autodiff of surrogate_fun is not finite at {n_ad_bad} point(s) "
                     "(a jnp.where dead branch?); finite differences used there")
    if unverifiable.any():
        notes.append(f"{int(unverifiable.sum())} point(s) where surrogate_fun has no finite derivative were skipped")
    if pname != "float64":
        measured = f", measured relative noise {fmt(noise, 2)} at float64 input" if noise is not None else ""
        notes.append(f"surrogate_fun delivers {pname} precision{measured}: finite-difference noise and tolerances "
                     f"from its epsilon (rtol={fmt(tol.rtol, 3)}, atol={fmt(tol.atol, 3)})")
    n_pts = int(considered.sum())
    # the two references must agree with each other, bar a few isolated points (autodiff of
    # jnp.sign at 0, a stencil across an undetected kink); a surrogate_fun whose autodiff is
    # not its derivative (a custom_jvp defined through surrogate_grad) would pass otherwise
    with np.errstate(all="ignore"):
        split_refs = considered & ad_ok & fd_ok & ~g_bad & (np.abs(ad - fd) > 4 * tol_fd)
    n_split = int(split_refs.sum())
    # every compared point: the coarse grid (with its stencils), then the fine grid
    X, Rt, E, REF, G = x[considered], r[considered], err[considered], refv[considered], g[considered]
    jumps: list = []
    if fine is not None:
        xs, gs, fs, ads = fine
        fr, fe, fref, jumps = fine_ratios(xs, gs, fs, ads, S, tol, eps)
        X, Rt, E = np.concatenate([X, xs]), np.concatenate([Rt, fr]), np.concatenate([E, fe])
        REF, G = np.concatenate([REF, fref]), np.concatenate([G, gs])
        n_pts += xs.size
    failing = Rt > 1.0
    with np.errstate(all="ignore"):
        rel = np.where(np.isfinite(E), E / np.maximum(np.abs(REF), max(base, 1e-300)), np.inf)
    if n_split > max(10, int(considered.sum()) // 200) and not failing.any() and not jumps:
        i_s = int(np.argmax(np.where(split_refs, np.abs(ad - fd), -1.0)))
        detail = (f"autodiff of surrogate_fun disagrees with its finite differences at {n_split} points "
                  f"(e.g. x={fmt(float(x[i_s]))}: autodiff {fmt(float(ad[i_s]), 7)}, finite differences "
                  f"{fmt(float(fd[i_s]), 7)}): "
                  + (f"surrogate_fun computes in {pname} precision (its finite differences are that noisy); "
                     "if that is not the cause, is its derivative defined by hand (custom_jvp)?"
                     if pname != "float64" else "is its derivative defined by hand (custom_jvp)?"))
        return (CheckResult("derivative", "fail", float(abs(g[i_s] - fd[i_s])),
                            float(abs(g[i_s] - fd[i_s]) / max(abs(fd[i_s]), base, 1e-300)), float(x[i_s]), detail),
                kinks, S)
    problems = []
    worst = None
    if jumps:
        big = max(jumps, key=lambda j: abs(j[2]))
        problems.append(f"surrogate_fun jumps by {fmt(big[2], 7)} between x={fmt(big[0], 7)} and x={fmt(big[1], 7)}"
                        + (f" (and at {len(jumps) - 1} more place(s))" if len(jumps) > 1 else "")
                        + ": its derivative has a Dirac mass there that surrogate_grad lacks")
        worst = (abs(big[2]), math.inf, (big[0] + big[1]) / 2)
    if failing.any():
        bad = ~np.isfinite(G) & failing
        idx = np.flatnonzero(failing)
        i = int(idx[np.argmax(np.where(np.isfinite(E[idx]), E[idx], np.inf))])
        xs_f = X[failing]
        if bad.any():
            xb = X[bad]
            what = (f"surrogate_grad is {'nan' if np.isnan(G[bad]).any() else 'inf'} at "
                    f"{int(np.unique(xb).size)} point(s), e.g. x={fmt(float(xb[0]))}")
            more = int(np.unique(X[failing & np.isfinite(G)]).size)
            problems.append(what + (f"; and disagrees at {more} more" if more else ""))
            i = int(np.flatnonzero(bad)[0])
        else:
            problems.append(
                f"surrogate_grad != d/dx surrogate_fun at {int(np.unique(xs_f).size)} of {n_pts} points "
                f"in [{fmt(float(xs_f.min()))}, {fmt(float(xs_f.max()))}]; largest error at x={fmt(float(X[i]), 7)}: "
                f"grad={fmt(float(G[i]), 7)}, derivative={fmt(float(REF[i]), 7)} (relative error {fmt(float(rel[i]), 3)})")
        if worst is None or not np.isfinite(E[i]) or E[i] > worst[0]:
            worst = (float(E[i]), float(rel[i]), float(X[i]))
    if problems:
        detail = "; ".join(problems + notes)
        rule = "non-finite" if (failing.any() and (~np.isfinite(G) & failing).any()) else "wrong-gradient"
        return CheckResult("derivative", "fail", worst[0], worst[1], worst[2], detail, rule), kinks, S
    fin = np.isfinite(E)
    max_abs = float(np.max(E[fin])) if fin.any() else 0.0
    max_rel = float(np.max(rel[fin])) if fin.any() else 0.0
    detail = f"{n_pts} points agree (autodiff and Richardson finite differences)"
    if notes:
        detail += "; " + "; ".join(notes)
    return CheckResult("derivative", "pass", max_abs, max_rel, None, detail), kinks, S


@register_check("derivative", needs=("g0",), order=10, rule="wrong-gradient")
def run(ev: Evaluated, ctx: Context) -> CheckResult | None:
    """Sets ``ctx.kinks`` and ``ctx.scale`` for the checks after it."""
    if ctx.F is None:
        return None if ctx.has_fun else CheckResult("derivative", "skip",
                                                    detail="no surrogate_fun (a gradient-only surrogate)")
    res, ctx.kinks, ctx.scale = derivative_check(ctx.x, ctx.h, ctx.g, ctx.F, ctx.ad, ctx.tol, ctx.breakpoints,
                                                 ctx.fine, ctx.precision, ctx.noise)
    return res
