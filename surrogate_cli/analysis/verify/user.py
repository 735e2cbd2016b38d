"""User surrogates: probe the methods (trace? run eagerly? dtypes?), then one kernel per
parameter set, compiled when the methods trace and run eagerly when they do not."""
from __future__ import annotations

import time

from ...evaluation import spike_of
from .analyse import analyse, tangent_for
from .evaluated import Context, Evaluated, at, combine
from .grids import DTYPES, make_patch, shared_grid, stability_inputs
from .kernel import compile_fn, make_kernel, own_call
from .probes import JIT_HELP, Probe, probe, probe_dtype, probe_eager
from .report import CheckResult, SurrogateReport, Tolerance
from .subjects import Subject

__all__ = ["run_user"]


#: The kernel's parts, grouped as they are re-run one group at a time when the whole fails, and
#: the checks each group feeds.
_GROUPS = {"grad": ("derivative", "area", "shape", "dtypes"), "fun": ("derivative", "area"), "spike": ("spike",)}


def run_user(sub: Subject, tol: Tolerance, strict: bool, timings: list) -> list[SurrogateReport]:
    """Every parameter set of a user surrogate: probed once, one kernel for all sets (float
    parameters traced and vmapped) when the class builds from traced values, else one per set."""
    import jax

    t0 = time.perf_counter()
    obj0 = sub.make(**sub.param_sets[0])
    with jax.enable_x64(True):
        plan = _probe_all(obj0)
    floats = _float_names(sub)
    reports = None
    if len(sub.param_sets) > 1 and plan["traceable"] and sub.factory is not None and floats:
        reports = _run_batched(sub, plan, floats, tol, strict)
    if reports is None:
        reports = [_run_one(sub, params, plan if i == 0 else None, tol, strict)
                   for i, params in enumerate(sub.param_sets)]
    timings.append({"name": sub.name, "static": {}, "sets": len(sub.param_sets), "trace_s": 0.0,
                    "compile_s": 0.0, "compile_wait_s": 0.0, "run_s": time.perf_counter() - t0, "analyse_s": 0.0})
    if sub.notes:
        for r in reports:
            c = r.check("derivative")
            c.detail += "; automatic sweep: " + "; ".join(sub.notes)
    return reports


def _float_names(sub: Subject) -> list[str]:
    """The parameters that vary across the sets and are floats in all of them."""
    sets = sub.param_sets
    names = [k for k in sets[0] if all(isinstance(s.get(k), float) for s in sets)]
    return [k for k in names if len({s[k] for s in sets}) > 1]


def _probe_all(obj) -> dict:
    """Probe the methods; the parts of the kernel to run and the checks skipped or failed."""
    import jax
    import jax.numpy as jnp

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
        if not p_grad.traceable:  # eagerly, on arrays?
            p_grad = probe_eager(obj.surrogate_grad, "surrogate_grad")
        if has_fun and not p_fun.traceable:
            p_fun = probe_eager(fun_attr, "surrogate_fun")
    parts = []
    if p_grad.ok:
        parts += ["grad", "spike"]
    else:
        st = "skip" if not p_grad.traceable else "fail"
        for c in ("derivative", "area", "spike", "shape", "dtypes"):
            skipped[c] = (st, p_grad.message if st == "fail" else f"skipped: {p_grad.message}")
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
                                         f"skipped: {p_grad.message}" if not p_grad.traceable else p_grad.message))
    if not p_spike.ok and p_grad.ok and traceable:
        parts.remove("spike")
        skipped["spike"] = ("fail", p_spike.message)
    if not traceable:
        parts = [p for p in parts if p != "spike"]
        skipped["spike"] = ("fail", f"the spike cannot be differentiated under jit/vmap: {jit_res.detail}")
    return {"traceable": traceable, "has_fun": has_fun and "fun" in parts, "parts": parts, "skipped": skipped,
            "stab_failed": stab_failed, "jit": jit_res}


def _args(floats: dict):
    import jax.numpy as jnp

    base = shared_grid()
    patch = make_patch([], 0)
    tangent = tangent_for(base.x.size + stability_inputs("float64").size)
    return (*base.on_device(), jnp.asarray(tangent), jnp.asarray(patch.xf), jnp.asarray(patch.xg),
            jnp.asarray(patch.b), floats), tangent, patch


def _error_text(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__


def _run_parts(make_obj, obj0, plan: dict, args, batched: bool):
    """Run the kernel; when it fails, each group of parts on its own, so that one failing
    method or path fails only the checks that need it. Returns ``(out, meta, errors)``."""
    import jax

    def run(parts):
        meta: dict = {}
        fn = make_kernel(make_obj, plan["has_fun"], tuple(parts), meta, own_call(obj0),
                         split=not plan["traceable"])
        if batched:
            fn = jax.vmap(fn, in_axes=(None,) * 9 + (0,))
        if plan["traceable"]:
            return jax.device_get(compile_fn(fn, args)(*args)), meta
        return jax.device_get(fn(*args)), meta

    parts = plan["parts"]
    try:
        out, meta = run(parts)
        return out, meta, {}
    except Exception as exc:  # noqa: BLE001 - user code failing at run time
        if batched:
            raise
        whole = _error_text(exc)
    out, meta, errors = Evaluated(), {}, {}
    groups = [[p] for p in ("grad", "fun", "spike") if p in parts] + \
        [[p for p in parts if p.startswith("stab_")]]
    for grp in groups:
        if not grp:
            continue
        try:
            o, m = run(grp)
            out = combine(out, o)
            meta.update(m)
        except Exception as exc:  # noqa: BLE001
            for p in grp:
                errors[p] = _error_text(exc)
    if not errors:  # only the whole failed (the parts together): report that everywhere
        errors = {p: whole for p in parts}
    return out, meta, errors


def _apply_errors(plan: dict, errors: dict) -> tuple[dict, dict]:
    skipped = dict(plan["skipped"])
    stab_failed = dict(plan["stab_failed"])
    for part, err in errors.items():
        if part.startswith("stab_"):
            stab_failed[part[5:]] = f"evaluation failed: {err}"
            continue
        name = {"grad": "surrogate_grad", "fun": "surrogate_fun", "spike": "the spike's gradient"}[part]
        for c in _GROUPS[part]:
            skipped[c] = ("fail", f"evaluating {name} failed: {err}")
    return skipped, stab_failed


def _run_one(sub: Subject, params: dict, plan: dict | None, tol: Tolerance, strict: bool) -> SurrogateReport:
    import jax
    import numpy as np

    shown = sub.shown
    shown_params = dict(params) if params or not shown else dict(shown)
    if len(sub.param_sets) > 1:
        shown_params = dict(params)
    obj = sub.make(**params)
    with jax.enable_x64(True):
        plan = plan or _probe_all(obj)
        args, tangent, patch = _args({})
        out, meta, errors = _run_parts(lambda fl, dtype: obj, obj, plan, args, batched=False)
    skipped, stab_failed = _apply_errors(plan, errors)
    return _report(sub, obj, shown_params, at(out, None, np.asarray), meta, plan, skipped,
                   stab_failed, tangent, patch, tol, strict)


def _run_batched(sub: Subject, plan: dict, floats: list, tol: Tolerance, strict: bool):
    """One kernel for every set, the float parameters traced and vmapped; None when the class
    cannot be built from traced values (then each set runs on its own)."""
    import jax
    import jax.numpy as jnp
    import numpy as np

    sets = sub.param_sets
    fixed = {k: v for k, v in sets[0].items() if k not in floats}

    def make_obj(fl, dtype):
        return sub.factory(**fixed, **{k: v.astype(dtype) for k, v in fl.items()})

    with jax.enable_x64(True):
        values = {k: jnp.asarray([s[k] for s in sets], dtype=jnp.float64) for k in floats}
        args, tangent, patch = _args(values)
        try:
            out, meta, _ = _run_parts(make_obj, sub.make(**sets[0]), plan, args, batched=True)
        except Exception:  # noqa: BLE001 - a constructor that needs Python numbers: one kernel per set
            return None
    reports = []
    for j, params in enumerate(sets):
        one = at(out, j, np.asarray)
        reports.append(_report(sub, sub.make(**params), dict(params), one, meta, plan, plan["skipped"],
                               plan["stab_failed"], tangent, patch, tol, strict))
    return reports


def _report(sub, obj, shown_params, ev: Evaluated, meta, plan, skipped, stab_failed, tangent, patch, tol, strict):
    with_fun = plan["has_fun"] and ev.has("f0")
    evaluate = make_evaluator(obj, plan["traceable"]) if with_fun and ev.has("g0") else None
    ctx = Context(sub.name, shown_params, shared_grid(), patch, meta, with_fun, tol, strict, {}, None, [],
                  plan["jit"], skipped, tangent, stab_failed, evaluate)
    return analyse(ev, ctx)


def make_evaluator(obj, traceable: bool):
    """``evaluate(xf, xg) -> (surrogate_fun(xf), surrogate_grad(xg))`` in float64 NumPy arrays,
    compiled once (on first use) for fixed chunk sizes when the methods trace."""
    import jax
    import jax.numpy as jnp
    import numpy as np

    chunk_f, chunk_g = 512, 512 * 24

    def both(a, b):
        return (jnp.asarray(obj.surrogate_fun(a), dtype=jnp.float64),
                jnp.asarray(obj.surrogate_grad(b), dtype=jnp.float64))

    jitted = jax.jit(both) if traceable else None

    def evaluate(xf, xg):
        xf = np.asarray(xf, dtype=np.float64)
        xg = np.asarray(xg, dtype=np.float64)
        with jax.enable_x64(True):
            if jitted is None:  # eagerly, never on an empty array
                f = np.asarray(both(jnp.asarray(xf), jnp.asarray(xf[:1]))[0]) if xf.size else np.zeros(0)
                g = np.asarray(both(jnp.asarray(xg[:1]), jnp.asarray(xg))[1]) if xg.size else np.zeros(0)
                return f, g
            fs, gs = [], []
            for k in range(max(-(-xf.size // chunk_f), -(-xg.size // chunk_g), 1)):
                a = xf[k * chunk_f:(k + 1) * chunk_f]
                b = xg[k * chunk_g:(k + 1) * chunk_g]
                fa, gb = jax.device_get(jitted(jnp.asarray(np.pad(a, (0, chunk_f - a.size))),
                                               jnp.asarray(np.pad(b, (0, chunk_g - b.size)))))
                fs.append(np.asarray(fa)[:a.size])
                gs.append(np.asarray(gb)[:b.size])
        return np.concatenate(fs), np.concatenate(gs)

    return evaluate
