"""The ``spike`` check: the spike's forward pass is the Heaviside step, and its grad, jvp, vjp
(under jit and vmap) are ``surrogate_grad`` times the tangent/cotangent, in every dtype."""
from __future__ import annotations

import math

from ....formatting import fmt
from ..evaluated import Context, Evaluated
from ..grids import DTYPES
from ..report import CheckResult, Tolerance
from .registry import register_check

__all__ = ["spike_check"]


def spike_check(x, g, ev: Evaluated, meta, S, tol: Tolerance, tangent) -> CheckResult:
    import numpy as np

    N = x.size
    problems = []
    worst = 0.0
    worst_x = None
    base = tol.atol * S
    n_fwd = int(ev.fwd_bad)
    if n_fwd:
        problems.append(f"the forward pass differs from the Heaviside step at {n_fwd} point(s)")
    t = tangent[:N]
    c = tangent[::-1][:N]
    for label, got, want, xs, scale in (
        ("the jvp (tangent t)", ev.jvp[:N], g * t, x, np.abs(t)),
        ("the vjp (cotangent c)", ev.vjp[:N], g * c, x, np.abs(c)),
        ("grad of scalars under vmap", ev.vmap, g[:ev.vmap.size], x[:ev.vmap.size], 1.0),
    ):
        with np.errstate(all="ignore"):
            e = np.abs(got - want)
            lim = base * scale + tol.rtol * np.abs(want)
            bad = ~(e <= lim) & ~(got == want) & ~(np.isnan(got) & np.isnan(want))  # nan in, nan out
        if bad.any():
            idx = np.flatnonzero(bad)
            i = int(idx[np.argmax(np.where(np.isfinite(e[idx]), e[idx], np.inf))])
            problems.append(f"{label} through the spike != surrogate_grad x t at {int(bad.sum())} point(s), "
                            f"e.g. x={fmt(xs[i])}: {fmt(float(got[i]), 3)} vs {fmt(float(want[i]), 3)}")
            ei = float(e[i]) if np.isfinite(e[i]) else math.inf
            if worst_x is None or ei > worst:  # worst_x: where max_abs_error is
                worst, worst_x = ei, float(xs[i])
    for d in DTYPES:
        sd, gd = meta.get(f"spike_dtype_{d}"), meta.get(f"spike_grad_dtype_{d}")
        if sd is not None and sd != d:
            problems.append(f"spike({d} input) returns {sd}")
        if gd is not None and gd != d:
            problems.append(f"the spike's gradient for a {d} input is {gd}")
    if problems:
        step = n_fwd or any("returns" in p for p in problems)
        return CheckResult("spike", "fail", worst, None, worst_x, "; ".join(problems),
                           "not-a-step" if step else "breaks-under-transforms")
    return CheckResult("spike", "pass", worst, None, None,
                       "forward == Heaviside; grad, jvp, vjp == surrogate_grad x tangent/cotangent under jit "
                       "and vmap; scalar, 1-d and n-d inputs; dtype preserved")


@register_check("spike", needs=("g0", "fwd_bad"), order=30, rule="breaks-under-transforms")
def run(ev: Evaluated, ctx: Context) -> CheckResult:
    import numpy as np

    N = ctx.grid.x.size
    return spike_check(ctx.grid.x, np.asarray(ev.g0, dtype=np.float64)[:N], ev, ctx.meta, ctx.scale, ctx.tol,
                       ctx.tangent)
