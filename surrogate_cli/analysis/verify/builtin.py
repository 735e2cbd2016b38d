"""Built-ins: one kernel per surrogate (per value of its integer parameters), float
parameters traced and vmapped over the parameter sets, traced here and compiled on a
background thread (:func:`prepare_builtin`), then run and analysed (:func:`finish_builtin`)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from .analyse import analyse, tangent_for
from .evaluated import Context, at
from .grids import DTYPES, make_patch, shared_grid, stability_inputs
from .kernel import compile_lowered, make_kernel
from .report import CheckResult, SurrogateReport, Tolerance
from .subjects import Subject

__all__ = ["prepare_builtin", "finish_builtin", "WORKERS"]

#: Background compile threads beside the tracing thread.
WORKERS = 1
# compiled kernels by (surrogate, integer parameters, breakpoints, parameter sets): a second
# verify call in the process reuses them
_COMPILED: dict = {}


@dataclass
class _Job:
    """One compiled kernel call: a built-in at one value of its integer parameters."""

    sub: Subject
    indices: list  # positions of ``sets`` in ``sub.param_sets``
    sets: list
    bps: list
    patches: list
    args: tuple
    tangent: Any
    key: tuple
    meta: dict
    future: Any = None  # compiled executable (or a Future of it)
    t_start: float = 0.0
    trace_s: float = 0.0
    reports: list = field(default_factory=list)  # filled by finish_builtin's caller


def prepare_builtin(sub: Subject, pool) -> list[_Job]:
    """Trace and lower each group's kernel; compile in ``pool`` (overlaps the next trace)."""
    from ...library import builtin_class

    import jax
    import jax.numpy as jnp
    import numpy as np

    rec = sub.record
    groups: dict[tuple, list[int]] = {}
    for i, full in enumerate(sub.param_sets):
        ints, _ = rec.split(full)
        groups.setdefault(ints, []).append(i)
    jobs = []
    parts = ("grad", "fun", "spike") + tuple(f"stab_{d}" for d in DTYPES)
    base = shared_grid()
    for ints, indices in groups.items():
        t0 = time.perf_counter()
        sets = [sub.param_sets[i] for i in indices]
        bps = [list(rec.breakpoints(**s)) if rec.breakpoints else [] for s in sets]
        n_bp = max((len(b) for b in bps), default=0)
        patches = [make_patch(b, n_bp) for b in bps]
        tangent = tangent_for(base.x.size + stability_inputs("float64").size)
        batched = len(sets) > 1
        key = (rec.name, ints, n_bp, len(sets) if batched else 0)
        with jax.enable_x64(True):
            names = list(rec.split(sets[0])[1])
            if batched:
                stack = lambda arrs: jnp.asarray(np.stack(arrs))  # noqa: E731
                floats = {k: jnp.asarray([float(s[k]) for s in sets], dtype=jnp.float64)
                          for k in names}
            else:
                stack = lambda arrs: jnp.asarray(arrs[0])  # noqa: E731
                floats = {k: jnp.asarray(float(sets[0][k]), dtype=jnp.float64) for k in names}
            args = (*base.on_device(), jnp.asarray(tangent),
                    stack([p.xf for p in patches]), stack([p.xg for p in patches]), stack([p.b for p in patches]),
                    floats)
            entry = _COMPILED.get(key)
            if entry is None:
                static = dict(ints)
                meta: dict = {}

                def make_obj(fl, dtype, _static=static, _rec=rec):
                    return builtin_class(_rec)(**{k: v.astype(dtype) for k, v in fl.items()}, **_static)

                run = make_kernel(make_obj, rec.has_fun, parts, meta)
                fn = jax.vmap(run, in_axes=(None, None, None, None, None, None, 0, 0, 0, 0)) if batched else run
                lowered = jax.jit(fn).lower(*args)
                future = pool.submit(compile_lowered, lowered) if pool is not None else compile_lowered(lowered)
                entry = (future, meta)
                _COMPILED[key] = entry
        jobs.append(_Job(sub, indices, sets, bps, patches, args, tangent, key, entry[1], entry[0], t0,
                         time.perf_counter() - t0))
    return jobs


def finish_builtin(job: _Job, tol: Tolerance, strict: bool, timings: list) -> list[SurrogateReport]:
    import jax

    rec = job.sub.record
    t0 = time.perf_counter()
    got = job.future.result() if hasattr(job.future, "result") else job.future
    compiled, compile_s = got if isinstance(got, tuple) else (got, 0.0)
    if isinstance(got, tuple) and _COMPILED.get(job.key, (None,))[0] is job.future:
        _COMPILED[job.key] = (compiled, job.meta)
    else:
        compile_s = 0.0  # compiled by an earlier call (cached)
    t1 = time.perf_counter()
    with jax.enable_x64(True):
        out = jax.device_get(compiled(*job.args))
    t2 = time.perf_counter()
    jit_ok = CheckResult("jit", "pass", detail="every method traces under jax.jit (parameters traced, vmapped)")
    reports = []
    batched = len(job.sets) > 1
    for j, full in enumerate(job.sets):
        ctx = Context(rec.name, full, shared_grid(), job.patches[j], job.meta, rec.has_fun, tol, strict,
                      rec.exceptions, rec.closed_area(**full) if not rec.has_fun else None, job.bps[j], jit_ok, {},
                      job.tangent, {})
        reports.append(analyse(at(out, j if batched else None), ctx))
    t3 = time.perf_counter()
    timings.append({"name": rec.name, "static": dict(job.key[1]), "sets": len(job.sets),
                    "trace_s": job.trace_s, "compile_s": compile_s, "compile_wait_s": t1 - t0,
                    "run_s": t2 - t1, "analyse_s": t3 - t2})
    return reports
