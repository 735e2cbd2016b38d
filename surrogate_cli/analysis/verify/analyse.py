"""One parameter set's evaluated arrays turned into its :class:`SurrogateReport`: the
:class:`~.evaluated.Context` is assembled once, then every registered check runs in order."""
from __future__ import annotations

from .checks import PRECISIONS, detect_precision, measure_precision, registered
from .evaluated import Context, Evaluated
from .report import RULES, CheckResult, SurrogateReport, overall

__all__ = ["analyse", "tangent_for", "merge"]


def merge(ev: Evaluated, ctx: Context) -> None:
    """Set the context's merged coarse grid (the shared x and the parameter set's breakpoints,
    sorted) with the values there, the precision ``surrogate_fun`` delivers and the fallback scale."""
    import numpy as np

    base, patch = ctx.grid, ctx.patch
    N, nb = base.x.size, patch.b.size
    x = np.concatenate([base.x, patch.b])
    order = np.argsort(x, kind="stable")
    ctx.x = x[order]
    ctx.h = np.concatenate([base.h, patch.h])[order]
    if ev.g0 is None:
        return
    g0 = np.asarray(ev.g0, dtype=np.float64)
    gp = np.asarray(ev.gp, dtype=np.float64)
    ctx.g = g = np.concatenate([g0[:N], gp[:nb]])[order]
    fin = np.isfinite(g)
    ctx.scale = float(np.max(np.abs(g[fin]))) if fin.any() else 0.0
    if not (ctx.has_fun and ev.f0 is not None):
        ctx.precision = detect_precision(g)
        return
    f0 = np.asarray(ev.f0, dtype=np.float64)
    fp = np.asarray(ev.fp, dtype=np.float64)
    ctx.F = np.concatenate([f0[:7 * N].reshape(7, N), fp.reshape(7, nb)], axis=1)[:, order]
    ctx.ad = np.asarray(ev.ad, dtype=np.float64)[order]
    if ev.f_fine is not None:
        ctx.fine = (base.fine, np.asarray(ev.g_fine, dtype=np.float64), np.asarray(ev.f_fine, dtype=np.float64),
                    np.asarray(ev.ad_fine, dtype=np.float64))
    # the coarser of: the values are exactly float32 (bfloat16, float16) numbers; the noise measured
    exact = detect_precision(ctx.F[0])
    measured = measure_precision(ev.f_res, ev.ad_res) if ev.f_res is not None else None
    ctx.precision = exact
    if measured is not None and measured[1] > exact[1]:
        ctx.precision = measured[:2]
    if measured is not None:
        ctx.noise = measured[2]


def analyse(ev: Evaluated, ctx: Context) -> SurrogateReport:
    """Every registered check on ``ev``, in report order; a check the subject skipped (or whose
    inputs were not evaluated) reports the skip reason, or "not run"."""
    merge(ev, ctx)
    results: list[CheckResult] = []
    for check in registered():
        res = None
        if check.name not in ctx.skipped and all(ev.has(f) for f in check.needs):
            res = check.run(ev, ctx)
        if res is None:
            reason = ctx.skipped.get(check.name)
            res = CheckResult(check.name, reason[0], detail=reason[1]) if reason else \
                CheckResult(check.name, "skip", detail="not run")
            if res.status == "fail":  # a method that raised, did not trace or returned the wrong thing
                res.rule = "breaks-under-transforms"
        if res.status in ("fail", "warn") and res.rule is None:
            res.rule = check.rule
        if res.rule is not None and res.rule in RULES and res.status in ("fail", "warn"):
            res.status = RULES[res.rule][0]  # the rule decides the severity
        if ctx.strict and res.status == "warn":
            res.status = "fail"
        results.append(res)
    return SurrogateReport(ctx.name, dict(ctx.params), overall(results), results, [float(k) for k in ctx.kinks])


def tangent_for(n: int):
    """The seeded random tangent (and, reversed, cotangent) of the spike check."""
    import numpy as np

    return np.random.default_rng(7).normal(size=n)
