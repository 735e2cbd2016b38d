"""One parameter set's evaluated arrays turned into its :class:`SurrogateReport` (every check)."""
from __future__ import annotations

from typing import Any, Mapping

from .checks import (area_check, derivative_check, detect_precision, dtypes_check, panels_of, shape_check, spike_check,
                     stability_check)
from .grids import EPS, Grid, Patch
from .report import CHECKS, CheckResult, SurrogateReport, overall

__all__ = ["float_params", "analyse", "tangent_for"]


def float_params(record, full: Mapping[str, Any]):
    ints = tuple((p.name, int(full[p.name])) for p in record.params if p.kind == "int")
    floats = {p.name: float(full[p.name]) for p in record.params if p.kind != "int"}
    return ints, floats


def analyse(name, params, base: Grid, patch: Patch, out, meta, has_fun, tol, strict, exceptions, closed,
            breakpoints, jit_result: CheckResult, skipped: dict, tangent, stab_failed, evaluate=None) -> SurrogateReport:
    """``evaluate(xf, xg) -> (f, g)``: the methods at new points, for the area check's refinement."""
    import numpy as np

    N = base.x.size
    nb = patch.b.size
    checks: dict[str, CheckResult] = {}
    kinks: list[float] = []
    x = np.concatenate([base.x, patch.b])
    order = np.argsort(x, kind="stable")
    x = x[order]
    h = np.concatenate([base.h, patch.h])[order]
    g = F = None
    S = 0.0
    precision = ("float64", EPS)
    if "g0" in out:
        g0 = np.asarray(out["g0"], dtype=np.float64)
        gp = np.asarray(out["gp"], dtype=np.float64)
        g = np.concatenate([g0[:N], gp[:nb]])[order]
    if g is not None and has_fun and "f0" in out:
        f0 = np.asarray(out["f0"], dtype=np.float64)
        fp = np.asarray(out["fp"], dtype=np.float64)
        F = np.concatenate([f0[:7 * N].reshape(7, N), fp.reshape(7, nb)], axis=1)[:, order]
        ad = np.asarray(out["ad"], dtype=np.float64)[order]
        fine = None
        if "f_fine" in out:
            fine = (base.fine, np.asarray(out["g_fine"], dtype=np.float64), np.asarray(out["f_fine"], dtype=np.float64),
                    np.asarray(out["ad_fine"], dtype=np.float64))
        precision = detect_precision(F[0], g)
        res, kinks, S = derivative_check(x, h, g, F, ad, tol, breakpoints, fine, precision)
        checks["derivative"] = res
    elif g is not None:
        S = float(np.max(np.abs(g[np.isfinite(g)]))) if np.isfinite(g).any() else 0.0
        if not has_fun and "derivative" not in skipped:
            checks["derivative"] = CheckResult("derivative", "skip",
                                               detail="no surrogate_fun (a gradient-only surrogate)")
    if g is not None and "area" not in skipped:
        f_edges = f_b = None
        if F is not None:
            f_edges = np.asarray(out["f0"], dtype=np.float64)[7 * N:]
            f_b = np.asarray(out["fp"], dtype=np.float64)[:nb]
        P = panels_of(base, patch, g0, gp, f_edges, f_b)
        checks["area"] = area_check(P, kinks, closed, x, g, S, tol, F is not None, evaluate if F is not None else None,
                                    precision[1])
    if "fwd_bad" in out and g is not None:
        checks["spike"] = spike_check(base.x, g0[:N], out, meta, S, tol, tangent)
    if "g_s64" in out or stab_failed:
        checks["stability"] = stability_check(out, has_fun and F is not None, stab_failed, N)
    if "g_dg64" in out:
        checks["dtypes"] = dtypes_check(base, out, S, stab_failed)
    checks["jit"] = jit_result
    if g is not None:
        checks["shape"] = shape_check(x, g, F[0] if F is not None else None, F is not None, S, tol,
                                    exceptions, strict, kinks, precision[1])
    for cname, reason in skipped.items():
        if cname not in checks:
            checks[cname] = CheckResult(cname, reason[0], detail=reason[1])
    ordered = [checks.get(c) or CheckResult(c, "skip", detail="not run") for c in CHECKS]
    return SurrogateReport(name, dict(params), overall(ordered), ordered, [float(k) for k in kinks])


def tangent_for(n: int):
    """The seeded random tangent (and, reversed, cotangent) of the spike check."""
    import numpy as np

    return np.random.default_rng(7).normal(size=n)
