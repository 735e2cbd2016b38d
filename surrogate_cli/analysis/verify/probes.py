"""Probing a user's methods before the kernel runs: do they trace under ``jax.jit``, run
eagerly on arrays, return float arrays of the input's shape, accept each dtype?"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

__all__ = ["JIT_HELP", "Probe", "trace_errors", "probe", "probe_eager", "probe_dtype", "first_line", "check_output"]


#: How to fix a method that does not trace.
JIT_HELP = (
    "Python control flow on array values (if/while/bool/float() on x) cannot be traced: "
    "use jnp.where(cond, a, b) or jax.lax.cond/select instead"
)


@functools.cache
def trace_errors() -> tuple:
    """JAX's errors for Python control flow on traced values."""
    import jax

    return (
        jax.errors.ConcretizationTypeError,
        jax.errors.TracerBoolConversionError,
        jax.errors.TracerIntegerConversionError,
        jax.errors.TracerArrayConversionError,
    )


@dataclass
class Probe:
    ok: bool = True
    traceable: bool = True
    message: str = ""
    missing: bool = False  # surrogate_fun not implemented


def probe(fn: Callable, n: int, name: str) -> Probe:
    """Trace ``fn`` abstractly (as ``jax.jit`` would) on a float64 vector; check shape and dtype.

    A method that fails on a vector but traces on a scalar, or that fails with one of
    JAX's tracer errors, uses Python control flow on array values: not traceable.
    """
    import jax
    import jax.numpy as jnp

    try:
        out = jax.eval_shape(fn, jax.ShapeDtypeStruct((n,), jnp.float64))
    except NotImplementedError as exc:
        return Probe(False, True, f"{name} is not implemented ({exc})", missing=True)
    except trace_errors() as exc:
        return Probe(False, False, f"{name} does not trace under jax.jit: {first_line(exc)}")
    except Exception as exc:  # noqa: BLE001 - user code
        try:
            jax.eval_shape(fn, jax.ShapeDtypeStruct((), jnp.float64))
        except trace_errors() as exc2:
            return Probe(False, False, f"{name} does not trace under jax.jit: {first_line(exc2)}")
        except Exception:  # noqa: BLE001
            pass
        return Probe(False, True, f"{name} raised {first_line(exc)}")
    return check_output(out, (n,), name)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__


def check_output(out, shape, name) -> Probe:
    import jax.numpy as jnp

    oshape = getattr(out, "shape", None)
    odtype = getattr(out, "dtype", None)
    if oshape is None or odtype is None:
        return Probe(False, True, f"{name} returned {type(out).__name__}, not an array")
    if tuple(oshape) != tuple(shape):
        return Probe(False, True, f"{name} returned shape {tuple(oshape)} for an input of shape {tuple(shape)}")
    if not jnp.issubdtype(odtype, jnp.floating):
        return Probe(False, True, f"{name} returned {odtype}, not a float array")
    return Probe()


def probe_eager(fn: Callable, name: str) -> Probe:
    """Run ``fn`` eagerly on a small float64 array (for methods that do not trace)."""
    import jax.numpy as jnp

    x = jnp.asarray([-0.5, 0.0, 0.5, 1.5], dtype=jnp.float64)
    try:
        out = fn(x)
    except Exception as exc:  # noqa: BLE001
        return Probe(False, False, f"{name} cannot run on arrays either ({first_line(exc)})")
    return check_output(jnp.asarray(out) if not hasattr(out, "shape") else out, (4,), name)


def probe_dtype(obj, spike, d: str, with_fun: bool, traceable: bool) -> str | None:
    """None if the methods accept a ``d`` vector, else the problem (for the stability check)."""
    import jax
    import jax.numpy as jnp

    dt = jnp.dtype(d)
    fns = [("surrogate_grad", obj.surrogate_grad),
           ("the spike's gradient", lambda v: jax.grad(lambda u: jnp.sum(spike(u).astype(u.dtype)))(v))]
    if with_fun:
        fns.append(("surrogate_fun", obj.surrogate_fun))
    for name, fn in fns:
        try:
            if traceable:
                out = jax.eval_shape(fn, jax.ShapeDtypeStruct((8,), dt))
            else:
                out = fn(jnp.zeros((8,), dt))
        except Exception as exc:  # noqa: BLE001
            return f"{name} raised {first_line(exc)}"
        if getattr(out, "shape", None) != (8,):
            return f"{name} returned shape {getattr(out, 'shape', None)} for a {d} vector of 8"
        if not jnp.issubdtype(out.dtype, jnp.floating):
            return f"{name} returned {out.dtype} for a {d} input"
    return None
