"""The checking kernel: one JAX function that evaluates a surrogate's methods, autodiff and
spike on every point verify needs (:func:`make_kernel`), and its cheap XLA compilation."""
from __future__ import annotations

import time
from typing import Callable, Sequence

from ...evaluation import spike_of
from .evaluated import Evaluated, register_pytree
from .grids import DTYPES, fun_extra_points, resolution_points, shared_grid, stability_inputs

__all__ = ["own_call", "make_kernel", "compile_fn", "compile_lowered", "COMPILER_OPTIONS"]


def own_call(obj) -> bool:
    """True when ``obj``'s spike is not the base class's (it defines its own ``__call__``)."""
    from ...library import Surrogate

    return isinstance(obj, Surrogate) and type(obj).__call__ is not Surrogate.__call__


def make_kernel(make_obj: Callable, has_fun: bool, parts: Sequence[str], meta: dict, own_call: bool = False,
                split: bool = False):
    """``(xf, xg, x, fine, dg, tangent, pxf, pxg, pb, floats) -> Evaluated`` for one parameter
    set (vmap it over the last four for several).

    ``make_obj(floats, dtype)`` builds the surrogate with its float parameters in the
    computation dtype. ``parts`` selects what to compute (methods that failed their
    probe are left out). ``meta`` receives trace-time facts (output dtypes).

    To keep tracing cheap, the float64 stability inputs ride along with the float64
    grid in one call of each method, and the spike is traced five times: an n-d
    linearisation in float64 (forward, jvp, vjp), vmap of the gradient over scalars,
    and a vjp on a 1-d input in each of float16, bfloat16 and float32. For a class that
    keeps ``Surrogate.__call__`` that vjp is ``surrogate_grad(x).astype(dtype)`` times
    the cotangent, so it also stands for ``surrogate_grad`` in that dtype; a class with
    its own ``__call__`` has ``surrogate_grad`` called as well.
    """
    import jax
    import jax.numpy as jnp

    register_pytree()
    stab = {d: stability_inputs(d) for d in DTYPES}
    s64 = stab["float64"]
    f_extra = fun_extra_points()
    res_pts = resolution_points()[2]
    dg_rounded = shared_grid().dg_rounded

    def run(xf, xg, x, fine, dg, tangent, pxf, pxg, pb, floats):
        out = Evaluated()
        obj = make_obj(floats, jnp.float64)
        c64 = jnp.asarray(s64)
        dgr = jnp.asarray(dg_rounded)

        def call(method, *chunks):
            # one call on the concatenation (one trace); ``split`` (eager runs of methods that
            # may branch on the whole array) calls once per chunk instead, never on an empty one
            if split:
                return [jnp.asarray(method(c), dtype=jnp.float64) if c.size else jnp.zeros((0,), jnp.float64)
                        for c in chunks]
            out_all = jnp.asarray(method(jnp.concatenate(chunks)), dtype=jnp.float64)
            cuts = [0]
            for c in chunks:
                cuts.append(cuts[-1] + c.size)
            return [out_all[a:b] for a, b in zip(cuts[:-1], cuts[1:])]

        if "grad" in parts:
            # the fine grid only with surrogate_fun (it compares the gradient with its autodiff)
            with_fine = has_fun
            out.g0, out.gp, out.g_s64, out.g_fine, out.g_dg64 = call(
                obj.surrogate_grad, xg, pxg, c64, fine if with_fine else fine[:0], dgr)
        if has_fun and "fun" in parts:
            xa = jnp.concatenate([x, pb, fine])
            res = jnp.asarray(res_pts)
            if split:
                out.f0, out.fp, out.f_extra, out.f_res = call(obj.surrogate_fun, xf, pxf, jnp.asarray(f_extra), res)
                fv, fd = jax.jvp(lambda v: obj.surrogate_fun(v), (xa,), (jnp.ones_like(xa),))
                out.ad = jnp.asarray(fd, dtype=jnp.float64)
                out.f_fine = jnp.asarray(fv, dtype=jnp.float64)[x.size + pb.size:]
                out.ad_res = jnp.asarray(jax.jvp(lambda v: obj.surrogate_fun(v), (res,), (jnp.ones_like(res),))[1],
                                         dtype=jnp.float64)
            else:  # values and autodiff from one trace of surrogate_fun
                pts = jnp.concatenate([xf, pxf, jnp.asarray(f_extra), res, xa])
                fv, fd = jax.jvp(lambda v: obj.surrogate_fun(v), (pts,), (jnp.ones_like(pts),))
                fv = jnp.asarray(fv, dtype=jnp.float64)
                fd = jnp.asarray(fd, dtype=jnp.float64)
                a, b, c = xf.size, xf.size + pxf.size, xf.size + pxf.size + f_extra.size
                r = c + res_pts.size
                out.f0, out.fp, out.f_extra, out.f_res, out.ad_res = fv[:a], fv[a:b], fv[b:c], fv[c:r], fd[c:r]
                out.ad = fd[r:]
                out.f_fine = fv[r + x.size + pb.size:]
            out.ad, out.ad_fine = out.ad[:x.size + pb.size], out.ad[x.size + pb.size:]
        if "spike" in parts:
            spike = spike_of(obj)
            x2 = jnp.concatenate([x, c64]).reshape(-1, 8)
            y, lin = jax.linearize(spike, x2)
            meta["spike_dtype_float64"] = str(y.dtype)
            # the step it must equal: Heaviside (x >= 0), or a foreign library's own convention
            step = getattr(obj, "expected_spike", None)
            want = step(x2) if step is not None else (x2 >= 0)
            out.fwd_bad = jnp.sum(y != want.astype(y.dtype))
            out.jvp = lin(tangent.reshape(-1, 8)).reshape(-1)
            ct = lin_t = jax.linear_transpose(lin, x2)(tangent[::-1].reshape(-1, 8))[0]
            meta["spike_grad_dtype_float64"] = str(lin_t.dtype)
            out.vjp = ct.reshape(-1)
            out.vmap = jax.vmap(jax.grad(spike))(x[:1024])
        for d in DTYPES[:3]:
            if f"stab_{d}" not in parts:
                continue
            dt = jnp.dtype(d)
            n_s = stab[d].size
            xs = jnp.concatenate([jnp.asarray(stab[d]), dg]).astype(dt)
            o = make_obj(floats, jnp.float32 if d in ("float16", "bfloat16") else dt)
            # the spike on a 1-d input of this dtype: forward and gradient dtypes, finiteness; on
            # the dtype grid, the gradient in this dtype (compared with float64 by the analysis)
            y, back = jax.vjp(spike_of(o), xs)
            (sg,) = back(jnp.ones_like(y))
            meta[f"spike_dtype_{d}"] = str(y.dtype)
            meta[f"spike_grad_dtype_{d}"] = str(sg.dtype)
            if own_call:
                gd = jnp.asarray(o.surrogate_grad(xs))
            else:  # Surrogate.__call__'s backward pass is surrogate_grad(x).astype(dtype) x cotangent
                gd = sg
            flags = [jnp.isfinite(gd[:n_s]), jnp.isfinite(sg[:n_s])]
            out.gd[d] = gd[n_s:].astype(jnp.float32)
            if has_fun and "fun" in parts:
                fv = jnp.asarray(o.surrogate_fun(xs[:n_s]))
                flags.append(jnp.isfinite(fv))
                out.stabf[d] = fv.astype(jnp.float32)
            out.stab[d] = jnp.stack(flags)
        return out

    return run


# The kernels run once on ~100k points: compile time dominates, so ask XLA for a cheap
# compile (about 3x faster than the defaults here; the run stays ~10 ms). Tried in order;
# an XLA build that lacks an option falls back to the next set.
COMPILER_OPTIONS = (
    {"xla_backend_optimization_level": 0, "xla_llvm_disable_expensive_passes": True,
     "xla_cpu_use_fusion_emitters": False},
    {"xla_backend_optimization_level": 0, "xla_llvm_disable_expensive_passes": True},
    None,
)


def compile_fn(fn, args):
    """Lower and compile ``fn`` (jitted) for ``args``; cheap XLA options (the run is tiny)."""
    import jax

    return compile_lowered(jax.jit(fn).lower(*args))[0]


def compile_lowered(lowered):
    """``(executable, seconds)``: XLA compilation (runs on the background thread)."""
    t = time.perf_counter()
    for i, options in enumerate(COMPILER_OPTIONS):
        try:
            compiled = lowered.compile(options) if options else lowered.compile()
            break
        except Exception:  # noqa: BLE001 - an XLA build without these options
            if i == len(COMPILER_OPTIONS) - 1:
                raise
    return compiled, time.perf_counter() - t
