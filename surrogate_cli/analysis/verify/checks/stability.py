"""The ``stability`` check: no nan or inf from the methods and the spike's gradient for finite
inputs, from 0 to the largest value, in float16, bfloat16, float32 and float64."""
from __future__ import annotations

from ....formatting import fmt
from ..evaluated import Context, Evaluated
from ..grids import DTYPES, stability_inputs
from ..report import FUN_OVERFLOW_BEYOND, CheckResult
from .registry import register_check

__all__ = ["stability_check"]


def _legit_inf(d: str, f_extra, xs):
    """Where an infinite surrogate_fun in dtype ``d`` is the correctly rounded value: its exact
    value overflows ``d`` (judged in float64, or for float64 by the growth from x/1024)."""
    import jax.numpy as jnp
    import numpy as np

    m = stability_inputs("float64").size
    big = float(jnp.finfo(jnp.dtype(d)).max)
    with np.errstate(all="ignore"):
        if d == "float64":
            return np.abs(f_extra[m:2 * m]) * 1024.0 > big / 2
        off = 2 * m
        for dd in DTYPES[:3]:
            n = stability_inputs(dd).size
            if dd == d:
                return np.abs(f_extra[off:off + n]) > big
            off += n
    return np.zeros(xs.size, dtype=bool)


def stability_check(ev: Evaluated, has_fun: bool, failed: dict, N: int) -> CheckResult:
    """One finding per dtype. A non-finite ``surrogate_fun`` only beyond |x| > FUN_OVERFLOW_BEYOND
    (and only that) is a warning (rule ``fun-overflow``): training never evaluates it."""
    import numpy as np

    problems, overflows = [], []
    worst_x = None
    labels = ["surrogate_grad", "the spike's gradient", "surrogate_fun"]
    m = stability_inputs("float64").size
    for d in DTYPES:
        if d in failed:
            problems.append(f"{d}: {failed[d]}")
            continue
        if d == "float64":
            if ev.g_s64 is None:
                continue
            rows = [np.isfinite(ev.g_s64)]
            rows.append(np.isfinite(ev.vjp[N:]) if ev.vjp is not None else rows[0])
            if ev.f_extra is not None:
                rows.append(ev.f_extra[:m])
        elif d in ev.stab:
            rows = list(np.asarray(ev.stab[d]))
            if has_fun and len(rows) > 2:
                rows[2] = ev.stabf[d]
        else:
            continue
        xs = stability_inputs(d)
        found = []
        for j, (row, label) in enumerate(zip(rows, labels)):
            if j == 2:  # surrogate_fun values: inf allowed where the exact value overflows
                vals = np.asarray(row, dtype=np.float64)
                ok = np.isfinite(vals) | (np.isinf(vals) & _legit_inf(d, ev.f_extra, xs))
                far = ~ok & (np.abs(xs) > FUN_OVERFLOW_BEYOND)
                if far.any() and not (~ok & ~far).any():  # only far out: harmless for training
                    bad = vals[far]
                    what = "nan" if np.isnan(bad).all() else "inf" if np.isinf(bad).all() else "nan/inf"
                    overflows.append(f"{d}: surrogate_fun is {what} at |x| >= {fmt(float(np.min(np.abs(xs[far]))))}, "
                                     f"finite up to |x| = {fmt(_finite_up_to(xs, ok))} (harmless: training never "
                                     "evaluates surrogate_fun)")
                    continue
            else:
                ok = np.asarray(row, dtype=bool)
            if not ok.all():
                i = int(np.flatnonzero(~ok)[0])
                found.append(f"{label} at x={fmt(xs[i])}")
                if worst_x is None:
                    worst_x = float(xs[i])
        if found:  # one finding per dtype
            problems.append(f"{d}: nan/inf from " + ", ".join(found))
    if problems:
        # the warnings beside the failures say their own rule
        return CheckResult("stability", "fail", None, None, worst_x,
                           "; ".join(problems + [f"[fun-overflow] {o}" for o in overflows]), "non-finite")
    if overflows:
        return CheckResult("stability", "warn", None, None, None, "; ".join(overflows), "fun-overflow")
    what = "surrogate_fun, surrogate_grad and the spike's gradient" if has_fun else "surrogate_grad and the spike's gradient"
    return CheckResult("stability", "pass", None, None, None,
                       f"{what} finite for finite inputs (0 to the largest value) in float16, bfloat16, float32, "
                       "float64" + (" (surrogate_fun may overflow to +-inf only where its exact value does)"
                                    if has_fun else ""))


def _finite_up_to(xs, ok) -> float:
    """The largest |x| below which every input gave a finite value."""
    import numpy as np

    a = np.abs(xs)
    bad = a[~ok]
    good = a[ok & (a < bad.min())] if bad.size else a
    return float(good.max()) if good.size else 0.0


@register_check("stability", order=40, rule="non-finite")
def run(ev: Evaluated, ctx: Context) -> CheckResult | None:
    if ev.g_s64 is None and not ctx.stab_failed:
        return None
    return stability_check(ev, ctx.has_fun and ctx.F is not None, ctx.stab_failed, ctx.grid.x.size)
