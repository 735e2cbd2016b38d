"""The ``shape`` check (warnings; failures when strict): the properties of
:data:`surrogate_cli.catalog.SHAPE_CHECKS`, with a built-in's exceptions by design."""
from __future__ import annotations

from typing import Mapping

from ....catalog import SHAPE_CHECKS
from ....formatting import fmt
from ..evaluated import Context, Evaluated
from ..grids import EPS
from ..report import CheckResult, Tolerance
from .registry import register_check

__all__ = ["shape_check"]


def shape_check(x, g, f0, has_fun: bool, S: float, tol: Tolerance, exceptions: Mapping[str, str], strict: bool,
                kinks, eps: float = EPS) -> CheckResult:
    """Each property of :data:`~surrogate_cli.catalog.SHAPE_CHECKS`, in that order (the two on
    ``surrogate_fun`` only when there is one); a failure is a warning (``strict``: a failure)
    unless ``exceptions`` (a built-in's, from the catalog) exempts it by design."""
    import numpy as np

    fin = np.isfinite(g)
    i0 = int(np.flatnonzero(x == 0.0)[0])
    g0 = float(g[i0])
    gmax_i = int(np.argmax(np.where(fin, g, -np.inf)))
    gmax = float(g[gmax_i])
    slack = tol.atol * S + tol.rtol * abs(gmax)
    # a gradient that jumps at 0 peaks at the threshold as a one-sided limit (g'(0-) or g'(0+)),
    # if the peak is there alone (not a plateau: a flat side as large is no peak at 0)
    near = (np.abs(x) <= 2e-6) & fin
    top = fin & (g >= gmax - slack)
    limit = (gmax > g0 + slack) and bool(np.max(g[near]) >= gmax - slack) and bool(np.all(np.abs(x[top]) <= 1e-3))

    def grad_nonnegative():
        i = int(np.argmin(np.where(fin, g, np.inf)))
        return bool(g[i] >= -tol.atol * S), f"gradient {fmt(float(g[i]), 3)} < 0 at x={fmt(x[i])}", float(x[i])

    def peak_at_zero():
        if g0 != g0:  # nan at 0: the derivative and stability checks report it, once
            return True, "", None
        ok = gmax <= g0 + slack or limit
        return ok, f"gradient peak {fmt(gmax, 3)} at x={fmt(x[gmax_i])}, not at 0 (g'(0) = {fmt(g0, 3)})", \
            float(x[gmax_i])

    def fun_monotone():
        df = np.diff(f0)
        with np.errstate(all="ignore"):
            fscale = float(np.max(np.abs(f0[np.isfinite(f0)]), initial=0.0)) if eps > EPS else 0.0
            lim = 8 * eps * (np.abs(f0[1:]) + np.abs(f0[:-1]) + fscale) + tol.atol * S * np.diff(x)
        dec = ~(df >= -lim)
        if not dec.any():
            return True, "", None
        i = int(np.argmin(np.where(dec, df, np.inf)))
        return False, f"surrogate_fun decreases near x={fmt(x[i])}", float(x[i])

    def fun_half_at_zero():
        f_at0 = float(f0[i0])
        return abs(f_at0 - 0.5) <= max(tol.rtol * 0.5, 1e-12), f"surrogate_fun(0) = {fmt(f_at0)}, not 0.5", 0.0

    tests = {"grad_nonnegative": grad_nonnegative, "peak_at_zero": peak_at_zero,
             "fun_monotone": fun_monotone, "fun_half_at_zero": fun_half_at_zero}
    on_fun = ("fun_monotone", "fun_half_at_zero")
    skipped = [] if has_fun else [k for k in SHAPE_CHECKS if k in on_fun]
    results = {k: tests[k]() for k in SHAPE_CHECKS if k not in skipped}
    failed = [k for k, v in results.items() if not v[0]]
    exempt = [k for k in failed if k in exceptions]
    real = [k for k in failed if k not in exceptions]
    parts = [f"{k}: {results[k][1]}" for k in real] + [f"{k} exempt by design: {exceptions[k]}" for k in exempt]
    if real:
        status = "fail" if strict else "warn"
        return CheckResult("shape", status, None, None, results[real[0]][2], "; ".join(parts))
    passed = [k for k in results if results[k][0]]
    text = "; ".join(parts + ([f"{', '.join(passed)} ok"] if passed else []))
    if limit:
        text += f" (the peak {fmt(gmax, 3)} is the one-sided limit of the gradient at 0; g'(0) = {fmt(g0, 3)})"
    if skipped:
        text += f"; no surrogate_fun: {', '.join(skipped)} skipped"
    return CheckResult("shape", "pass", None, None, None, text)


@register_check("shape", needs=("g0",), order=70, rule="shape-convention")
def run(ev: Evaluated, ctx: Context) -> CheckResult:
    with_fun = ctx.F is not None
    return shape_check(ctx.x, ctx.g, ctx.F[0] if with_fun else None, with_fun, ctx.scale, ctx.tol, ctx.exceptions,
                       ctx.strict, ctx.kinks, ctx.precision[1])
