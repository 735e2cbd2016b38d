"""User surrogates: probe the methods (trace? run eagerly? dtypes?), then one kernel per
parameter set, compiled when the methods trace and run eagerly when they do not."""
from __future__ import annotations

import time

from ...evaluation import spike_of
from .analyse import analyse, tangent_for
from .grids import DTYPES, make_patch, shared_grid, stability_inputs
from .kernel import compile_fn, make_kernel, own_call
from .probes import JIT_HELP, Probe, probe, probe_dtype, probe_eager
from .report import CHECKS, CheckResult, SurrogateReport, Tolerance
from .subjects import Subject

__all__ = ["run_user"]


def run_user(sub: Subject, tol: Tolerance, strict: bool, timings: list) -> list[SurrogateReport]:
    out_reports = []
    for params in sub.param_sets:
        out_reports.append(_run_user_one(sub, params, tol, strict, timings))
    return out_reports


def _run_user_one(sub: Subject, params: dict, tol: Tolerance, strict: bool, timings: list) -> SurrogateReport:
    import jax
    import jax.numpy as jnp
    import numpy as np

    shown = sub.shown
    shown_params = dict(params) if params or not shown else dict(shown)
    obj = sub.make(**params)
    base = shared_grid()
    patch = make_patch([], 0)
    tangent = tangent_for(base.x.size + stability_inputs("float64").size)
    t0 = time.perf_counter()
    with jax.enable_x64(True):
        spike = spike_of(obj)
        p_grad = probe(obj.surrogate_grad, 64, "surrogate_grad")
        fun_attr = getattr(obj, "surrogate_fun", None)
        if callable(fun_attr):
            p_fun = probe(fun_attr, 64, "surrogate_fun")
        else:
            p_fun = Probe(False, True, "no surrogate_fun", missing=True)
        has_fun = not p_fun.missing
        p_spike = probe(lambda v: jax.grad(lambda u: jnp.sum(spike(u)))(v), 64, "the spike's gradient") \
            if p_grad.ok else p_grad
        traceable = p_grad.traceable and (p_fun.traceable or p_fun.missing) and p_spike.traceable
        skipped: dict[str, tuple[str, str]] = {}
        if traceable:
            jit_res = CheckResult("jit", "pass", detail="every method traces under jax.jit")
        else:
            bad = [p.message for p in (p_grad, p_fun, p_spike) if not p.traceable]
            jit_res = CheckResult("jit", "fail", detail=f"{bad[0].rstrip('.')}. {JIT_HELP}")
            # eagerly, on arrays?
            if not p_grad.traceable:
                p_grad = probe_eager(obj.surrogate_grad, "surrogate_grad")
            if has_fun and not p_fun.traceable:
                p_fun = probe_eager(fun_attr, "surrogate_fun")
        parts = []
        if p_grad.ok:
            parts += ["grad", "spike"]
        else:
            reason_status = "skip" if not p_grad.traceable else "fail"
            for c in ("derivative", "area", "spike", "shape"):
                skipped[c] = (reason_status, p_grad.message if reason_status == "fail"
                              else f"skipped: {p_grad.message}")
        if has_fun:
            if p_fun.ok:
                parts.append("fun")
            else:
                st = "skip" if not p_fun.traceable else "fail"
                skipped["derivative"] = (st, p_fun.message)
                skipped["area"] = (st, p_fun.message)
        stab_failed: dict[str, str] = {}
        if p_grad.ok:
            for d in DTYPES:
                pr = probe_dtype(obj, spike, d, has_fun and p_fun.ok, traceable)
                if pr is None:
                    parts.append(f"stab_{d}")
                else:
                    stab_failed[d] = pr
        else:
            skipped.setdefault("stability", ("skip" if not p_grad.traceable else "fail",
                                             f"skipped: {p_grad.message}" if not p_grad.traceable
                                             else p_grad.message))
        if not traceable:
            parts = [p for p in parts if p != "spike"]
            skipped["spike"] = ("fail", f"the spike cannot be differentiated under jit/vmap: {jit_res.detail}")
        meta: dict = {}
        run = make_kernel(lambda fl, dtype: obj, has_fun and "fun" in parts, tuple(parts), meta, own_call(obj),
                      split=not traceable)
        args = (*base.on_device(), jnp.asarray(tangent),
                jnp.asarray(patch.xf), jnp.asarray(patch.xg), jnp.asarray(patch.b), {})
        out = {}
        error = None
        compile_s = 0.0
        try:
            if traceable:
                compiled = compile_fn(run, args)
                compile_s = time.perf_counter() - t0
                out = jax.device_get(compiled(*args))
            else:
                out = jax.device_get(run(*args))
        except Exception as exc:  # noqa: BLE001 - user code failing at run time
            error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
        t2 = time.perf_counter()
    timings.append({"name": sub.name, "static": {}, "sets": 1, "trace_s": 0.0, "compile_s": compile_s,
                    "compile_wait_s": 0.0, "run_s": t2 - t0 - compile_s, "analyse_s": 0.0})
    if error is not None:
        checks = [CheckResult(c, "fail", detail=f"evaluation failed: {error}") if c != "jit" else jit_res
                  for c in CHECKS]
        return SurrogateReport(sub.name, shown_params, "fail", checks, [])
    out = {k: np.asarray(v) for k, v in out.items()}
    return analyse(sub.name, shown_params, base, patch, out, meta, has_fun and "fun" in parts, tol, strict, {},
                    None, [], jit_res, skipped, tangent, stab_failed)
