"""The ``dtypes`` check: ``surrogate_grad`` computed in float16, bfloat16 and float32 (through
the spike's backward pass, as training computes it) against float64 at the same rounded
inputs, within a tolerance scaled to the dtype's epsilon and the gradient's magnitude."""
from __future__ import annotations

from ....formatting import fmt
from ..evaluated import Context, Evaluated
from ..grids import DTYPES
from ..report import CheckResult
from .registry import register_check

__all__ = ["DTYPE_K", "DTYPE_FLOOR", "dtypes_check"]

#: Tolerance: in dtype d a value may be off by (DTYPE_K * eps_d + DTYPE_FLOOR) * (S + |x| |g'(x)|)
#: (S: the gradient's peak; |x| |g'(x)|: what rounding x or a scale parameter moves it by). The
#: floor, 2048 float32 epsilons, admits float32 arithmetic in ill-conditioned formulas (a 64-term
#: Fourier series, a power with exponent 50); a gradient 10% off near its peak fails in every dtype.
DTYPE_K = 8.0
DTYPE_FLOOR = 2048 * 2.0 ** -23
_EPS = {"float16": 2.0 ** -10, "bfloat16": 2.0 ** -7, "float32": 2.0 ** -23}


def dtypes_check(grid, ev: Evaluated, S: float, failed: dict, eps_fn: float = 0.0) -> CheckResult:
    """``grid``: the shared :class:`~surrogate_cli.analysis.verify.grids.Grid`; ``ev``: the
    kernel's outputs (``g_dg64``: float64 gradient at the rounded inputs; ``gd[dtype]``);
    ``eps_fn``: the epsilon of the precision the surrogate computes in (a float64 reference
    computed in bfloat16 inside is no better than bfloat16), used where it exceeds the dtype's."""
    import numpy as np

    K = grid.dg.size
    g64_all = np.asarray(ev.g_dg64, dtype=np.float64)
    problems, compared = [], []
    worst_ratio: dict = {}
    worst = None
    # |g'| from the float64 values at the float32-rounded points (about the grid itself)
    with np.errstate(all="ignore"):
        g32ref = g64_all[2 * K:3 * K]
        slope = np.abs(np.gradient(g32ref, grid.dg))
    for j, d in enumerate(DTYPES[:3]):
        if d in failed or d not in ev.gd:
            continue
        compared.append(d)
        x = grid.dg_rounded[j * K:(j + 1) * K]
        ref = g64_all[j * K:(j + 1) * K]
        got = np.asarray(ev.gd[d], dtype=np.float64)
        big = float(np.finfo(np.float16).max) if d == "float16" else float(np.finfo(np.float32).max)
        with np.errstate(all="ignore"):
            lim = (DTYPE_K * max(_EPS[d], 2 * eps_fn) + DTYPE_FLOOR) * (S + np.abs(x) * np.where(np.isfinite(slope), slope, 0.0))
            err = np.abs(got - ref)
            ok = (err <= lim) | (np.isinf(got) & (np.abs(ref) > big) & (np.sign(got) == np.sign(ref)))
            ok |= ~np.isfinite(ref) | ~np.isfinite(got)  # not finite: the stability check's finding
            # where the gradient jumps (an edge of its support), a rounded parameter may move the
            # edge across x: a value between the float64 neighbours' is right
            lo = np.minimum.reduce([ref, np.roll(ref, 1), np.roll(ref, -1)])
            hi = np.maximum.reduce([ref, np.roll(ref, 1), np.roll(ref, -1)])
            edge = ~(err <= lim) & (got >= lo - lim) & (got <= hi + lim)
            ok |= edge
            ratio = np.where(ok | (lim <= 0), 0.0, err / np.where(lim > 0, lim, 1.0))
            worst_ratio[d] = float(np.max(np.where(np.isfinite(ref) & np.isfinite(got) & (lim > 0) & ~edge,
                                                   err / np.where(lim > 0, lim, 1.0), 0.0)))
        if ok.all():
            continue
        i = int(np.argmax(ratio))
        n_bad = int((~ok).sum())
        rel = err[i] / max(abs(ref[i]), 1e-300)
        problems.append(f"{d}: surrogate_grad off at {n_bad} point(s), worst x={fmt(x[i], 7)}: "
                        f"{d} {fmt(got[i], 7)}, float64 {fmt(ref[i], 7)} (relative error {fmt(rel, 3)}, "
                        f"tolerance {fmt(lim[i], 3)})")
        if worst is None or err[i] > worst[0]:
            worst = (float(err[i]), float(rel), float(x[i]))
    if not compared:
        return CheckResult("dtypes", "skip", detail="surrogate_grad does not run in float16, bfloat16 or float32 "
                           "(see stability)")
    if problems:
        return CheckResult("dtypes", "fail", worst[0], worst[1], worst[2], "; ".join(problems))
    return CheckResult("dtypes", "pass", None, None, None,
                       f"surrogate_grad in {', '.join(compared)} within ({fmt(DTYPE_K)} eps + {fmt(DTYPE_FLOOR, 3)}) x "
                       f"(peak + |x g''(x)|) "
                       f"of float64 at {K} points each (largest error / tolerance: "
                       + ", ".join(f"{d} {fmt(worst_ratio[d], 2)}" for d in compared) + ")")


@register_check("dtypes", needs=("g_dg64",), order=50, rule="wrong-gradient")
def run(ev: Evaluated, ctx: Context) -> CheckResult:
    return dtypes_check(ctx.grid, ev, ctx.scale, ctx.stab_failed, ctx.precision[1])
