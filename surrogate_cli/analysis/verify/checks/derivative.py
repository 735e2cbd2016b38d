"""The ``derivative`` check: ``surrogate_grad`` against the derivative of ``surrogate_fun``
(JAX autodiff and Richardson-extrapolated float64 finite differences), with the kinks of
``surrogate_fun`` found and located."""
from __future__ import annotations

from typing import Sequence

from ....formatting import fmt
from ..grids import EPS, fd_step
from ..report import CheckResult, Tolerance

__all__ = ["find_kinks", "derivative_check"]


def find_kinks(x, h, F, S_hint: float, tol: Tolerance, breakpoints: Sequence[float]):
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
        rnd = 40 * EPS * fmax / h
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


def derivative_check(x, h, g, F, ad, tol: Tolerance, breakpoints):
    """The derivative check; returns (CheckResult, kinks, S)."""
    import numpy as np

    f0, fp1, fm1, fp2, fm2, fp4, fm4 = F
    with np.errstate(all="ignore"):
        d1 = (fp1 - fm1) / (2 * h)
        d2 = (fp2 - fm2) / h
        d4 = (fp4 - fm4) / (h / 2)
        r1a, r1b = (4 * d2 - d1) / 3, (4 * d4 - d2) / 3
        fd = (16 * r1b - r1a) / 15
        fmax = np.maximum.reduce([np.abs(v) for v in F])
        fd_err = np.abs(fd - r1b) + 10 * EPS * fmax / h
    ad_ok, fd_ok = np.isfinite(ad), np.isfinite(fd)
    ref0 = np.where(ad_ok, ad, np.where(fd_ok, fd, np.nan))
    finite_ref = np.isfinite(ref0)
    S_hint = float(np.max(np.abs(ref0[finite_ref]))) if finite_ref.any() else 0.0
    kinks, excluded, _, _ = find_kinks(x, h, F, S_hint, tol, breakpoints)
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
        r = np.minimum(r_ad, r_fd)
        err = np.where(r_ad <= r_fd, e_ad, e_fd)
        refv = np.where(r_ad <= r_fd, ad, fd)
    g_bad = ~np.isfinite(g)
    r = np.where(g_bad, np.inf, r)
    err = np.where(g_bad, np.inf, err)
    unverifiable = ~finite_ref & ~g_bad
    r = np.where(unverifiable, 0.0, r)
    considered = (~excluded & ~unverifiable) | g_bad
    r_c = np.where(considered, r, -1.0)
    failing = r_c > 1.0
    i_worst = int(np.argmax(r_c))
    err_c = np.where(considered & np.isfinite(err), err, 0.0)
    with np.errstate(all="ignore"):
        rel = np.where(considered & np.isfinite(err), err / np.maximum(np.abs(refv), max(base, 1e-300)), 0.0)
    max_abs = float(np.inf) if g_bad.any() else float(np.max(err_c))
    max_rel = float(np.inf) if g_bad.any() else float(np.max(rel))
    notes = []
    if kinks:
        notes.append(f"{len(kinks)} kink(s) of surrogate_fun excluded: " + ", ".join(fmt(k) for k in kinks))
    n_ad_bad = int(np.sum(~ad_ok & fd_ok & ~excluded))
    if n_ad_bad:
        notes.append(f"autodiff of surrogate_fun is not finite at {n_ad_bad} point(s) "
                     "(a jnp.where dead branch?); finite differences used there")
    if unverifiable.any():
        notes.append(f"{int(unverifiable.sum())} point(s) where surrogate_fun has no finite derivative were skipped")
    n_pts = int(considered.sum())
    # the two references must agree with each other, bar a few isolated points (autodiff of
    # jnp.sign at 0, a stencil across an undetected kink); a surrogate_fun whose autodiff is
    # not its derivative (a custom_jvp defined through surrogate_grad) would pass otherwise
    with np.errstate(all="ignore"):
        split_refs = considered & ad_ok & fd_ok & ~g_bad & (np.abs(ad - fd) > 4 * tol_fd)
    n_split = int(split_refs.sum())
    if n_split > max(10, n_pts // 200) and not failing.any():
        i_s = int(np.argmax(np.where(split_refs, np.abs(ad - fd), -1.0)))
        detail = (f"autodiff of surrogate_fun disagrees with its finite differences at {n_split} points "
                  f"(e.g. x={fmt(float(x[i_s]))}: autodiff {fmt(float(ad[i_s]), 3)}, finite differences "
                  f"{fmt(float(fd[i_s]), 3)}): is its derivative defined by hand (custom_jvp)?")
        return (CheckResult("derivative", "fail", float(abs(g[i_s] - fd[i_s])),
                            float(abs(g[i_s] - fd[i_s]) / max(abs(fd[i_s]), base, 1e-300)), float(x[i_s]), detail),
                kinks, S)
    if failing.any():
        xs = x[failing]
        if g_bad.any():
            xb = x[g_bad]
            what = (f"surrogate_grad is {'nan' if np.isnan(g[g_bad]).any() else 'inf'} at "
                    f"{int(g_bad.sum())} point(s), e.g. x={fmt(float(xb[0]))}")
            if not (failing & ~g_bad).any():
                detail = what
            else:
                detail = what + f"; and disagrees at {int((failing & ~g_bad).sum())} more"
        else:
            detail = (f"surrogate_grad != d/dx surrogate_fun at {int(failing.sum())} of {n_pts} points "
                      f"in [{fmt(float(xs.min()))}, {fmt(float(xs.max()))}]; worst at x={fmt(float(x[i_worst]))}: "
                      f"grad={fmt(float(g[i_worst]), 3)}, derivative={fmt(float(ref0[i_worst]), 3)}")
        status = "fail"
    else:
        detail = f"{n_pts} points agree (autodiff and Richardson finite differences)"
        status = "pass"
    if notes:
        detail += "; " + "; ".join(notes)
    return CheckResult("derivative", status, max_abs, max_rel, float(x[i_worst]), detail), kinks, S
