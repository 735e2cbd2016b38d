"""The one evaluator of ``g'`` (and of a built-in's whole curve), with the one kernel cache.

Every analysis that needs a surrogate's gradient as numbers (curves, ``info``'s
properties, ``flow``'s expectations, ``convert``'s equivalences and fits, ``train``'s and
``explore``'s tables) calls :func:`grad_values` or :func:`curve_values` (``info``'s large
evaluations of one parameter set go through :func:`info_values`, the same kernel code in
one program); nothing else builds a jitted kernel of a surrogate.

A built-in (or another library's catalogued surrogate) runs as one ``jax.jit`` kernel per
record and integer-parameter values: the split :meth:`Record.split` makes integer
parameters (``n``) static and float parameters traced, so a sweep over floats compiles
once. A user surrogate runs through its spike, jitted when it traces and eagerly when it
does not. All arithmetic is float64 inside a scoped ``jax.enable_x64``.
"""
from __future__ import annotations

import threading
from typing import Any, Callable, Mapping, Sequence

from ..catalog import Record

__all__ = ["cached", "kernel", "curve_values", "fun_values", "grad_values", "info_values", "grad_function",
           "spike_builder", "padded_call", "one_set", "CHUNK", "BIG_CHUNK", "KERNEL_OPTIONS", "kernel_options"]

#: The compile cache of the whole package: (kind, record name, static ints, ...) -> jitted
#: function. Keyed by catalog names and values, never by ``id()``; it grows by one entry per
#: (program kind, surrogate, integer values) a process runs.
_KERNELS: dict = {}
_LOCK = threading.RLock()


def cached(key: tuple, make: Callable[[], Callable]) -> Callable:
    """The compiled program ``key`` names, made once by ``make()`` (the one cache: every
    jitted program of a catalogued surrogate the package reuses lives here)."""
    with _LOCK:  # threads (evaluation.parallel) share it: one jitted function per key
        fn = _KERNELS.get(key)
        if fn is None:
            fn = _KERNELS[key] = make()
        return fn

#: XLA options for the evaluator's kernels (elementwise programs, compiled once and run on
#: up to 2**18 points): XLA:CPU's older elemental emitter instead of its fusion emitters
#: compiles them 1.5x faster and runs them 1.5x faster (``benchmarks/kernels.py``: the 18
#: built-ins' grad, curve and fun kernels at info's and explore's grids, both ways in one
#: process). 35 of its 1090 outputs are not bit-identical to XLA's defaults, by at most
#: 2.2e-16 of the output's peak (arctan's g, relu_grad's g' near its edges, q_pseudo_spike's
#: g): rounding. Not used by ``train`` (its long runs keep XLA's defaults) nor by the spike
#: users jit themselves.
KERNEL_OPTIONS = {"xla_cpu_use_fusion_emitters": False}
_OPTIONS: list = []  # [the options this process's XLA takes], once known


def kernel_options() -> dict:
    """:data:`KERNEL_OPTIONS` where this jax and XLA take them, else ``{}`` (checked once a
    process, on a one-line program)."""
    with _LOCK:
        if not _OPTIONS:
            import jax

            try:
                jax.jit(lambda v: v + 1.0, compiler_options=KERNEL_OPTIONS).lower(1.0).compile()
                _OPTIONS.append(dict(KERNEL_OPTIONS))
            except Exception:  # noqa: BLE001 - an older jax (no compiler_options) or XLA (no such option)
                _OPTIONS.append({})
        return _OPTIONS[0]


def _jit(fn: Callable) -> Callable:
    import jax

    options = kernel_options()
    return jax.jit(fn, compiler_options=options) if options else jax.jit(fn)


#: Many parameter sets go through a kernel in chunks of one of two fixed sizes, so each
#: surrogate compiles at most twice however many points and sets a call has.
CHUNK = 1 << 14
BIG_CHUNK = 1 << 18
#: The lengths one set's evaluation is padded to (:func:`padded_call`).
_LENGTHS = (1 << 10, 1 << 12, CHUNK, 1 << 16, BIG_CHUNK)


def kernel(record: Record, static: tuple, kind: str = "grad") -> Callable:
    """The jitted kernel of a record at integer values ``static`` (see :meth:`Record.split`).

    ``kind="grad"``: ``(x, traced) -> surrogate_grad(x)``; the traced parameters may be
    scalars or arrays broadcasting against ``x`` (one parameter set per point).
    ``kind="fun"``: ``(x, traced) -> surrogate_fun(x)`` (records with ``has_fun``).
    ``kind="curve"``: ``(x, traced) -> (spike, g', g)``, with ``g'`` the gradient the spike
    really backpropagates (``jax.grad`` of ``sum(spike(x))``) and ``g`` its
    ``surrogate_fun`` (``g'`` again for a gradient-only record).
    ``kind="info"``: ``(grid, core, traced) -> (g'(grid), g'(-core), g(core), None)``
    (``g`` None for a gradient-only record); ``"info+area"`` takes a third array of points
    and gives ``g'`` there last: ``info``'s large evaluations of one parameter set in one
    program (see :func:`info_values`).
    """
    return cached((kind, record.name, static), lambda: _jit(_program(record, static, kind)))


def _program(record: Record, static: tuple, kind: str) -> Callable:
    import jax
    import jax.numpy as jnp

    from ..library import builtin_class

    cls = builtin_class(record)
    fixed = dict(static)
    if kind == "grad":
        def run(x, traced):
            return cls(**traced, **fixed).surrogate_grad(x)
    elif kind == "fun":
        def run(x, traced):
            return cls(**traced, **fixed).surrogate_fun(x)
    elif kind == "curve":
        def run(x, traced):
            obj = cls(**traced, **fixed)
            spike = obj(x)
            grad = jax.grad(lambda v: jnp.sum(obj(v)))(x)
            fun = obj.surrogate_fun(x) if record.has_fun else grad
            return spike, grad, fun
    elif kind in ("info", "info+area"):
        def run(x_grid, x_core, *rest):
            *x_area, traced = rest
            obj = cls(**traced, **fixed)
            out = (obj.surrogate_grad(x_grid), obj.surrogate_grad(-x_core),
                   obj.surrogate_fun(x_core) if record.has_fun else None)
            return out + (obj.surrogate_grad(x_area[0]) if x_area else None,)
    else:
        raise ValueError(f"unknown kernel kind {kind!r}")
    return run


def _scalars(traced: Mapping[str, Any]) -> dict:
    # NumPy scalars: a jitted call takes them as they are (a jnp scalar is one eager
    # dispatch each, which was most of the cost of a call on a few points)
    import numpy as np

    return {k: np.float64(float(v)) for k, v in traced.items()}


def fun_values(record: Record, full: Mapping[str, Any], x) -> Any:
    """``g(x)`` (``surrogate_fun``) of a built-in with ``has_fun`` at one full parameter set,
    float64 NumPy of ``x``'s shape (padded as :func:`padded_call` pads)."""
    return _one(record, full, x, "fun")


def curve_values(record: Record, full: Mapping[str, Any], x, pad_to: int = 0) -> tuple:
    """``(spike, g', g)`` of a built-in at one full parameter set on ``x`` (1-D), float64 NumPy.

    A curve compiles for its own length (not padded: XLA's last, partial vector of a
    length can round a function such as ``arctan`` differently). ``pad_to``: zero-pad a
    shorter ``x`` to this many points, for a caller that also evaluates the curve kernel
    on that many (one compilation for both; such a caller checks that its numbers are the
    unpadded ones).
    """
    import jax
    import jax.numpy as jnp
    import numpy as np

    static, traced = record.split(full)
    fn = kernel(record, static, "curve")
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[0]
    if n < pad_to:
        x = np.concatenate([x, np.zeros(pad_to - n)])
    with jax.enable_x64(True):
        out = fn(jnp.asarray(x), _scalars(traced))
        return tuple(np.asarray(o, dtype=np.float64)[:n] if np.ndim(o) else np.asarray(o, dtype=np.float64)
                     for o in out)


def info_values(record: Record, full: Mapping[str, Any], grid, core, area_x=None):
    """``(g'(grid), g'(-core), g(core), g'(area_x))`` of a built-in at one full parameter set,
    float64 NumPy (read-only), in one call of its ``"info"`` kernel (``g`` None without
    ``has_fun``, the last None without ``area_x``): each 1-D input zero-padded to a
    multiple of :data:`CHUNK` points (so a few breakpoints more or less keep the compiled
    shapes), the same numbers as :func:`grad_values` and :func:`fun_values` give at those
    points. None when an input is longer than :data:`BIG_CHUNK` (evaluate them one by one).
    """
    import jax
    import numpy as np

    xs = [grid, core] + ([] if area_x is None else [area_x])
    if any(len(x) > BIG_CHUNK for x in xs):
        return None
    padded = []
    for x in xs:
        p = np.zeros(max(1, -(-len(x) // CHUNK)) * CHUNK)
        p[:len(x)] = x
        padded.append(p)
    static, traced = record.split(full)
    fn = kernel(record, static, "info" if area_x is None else "info+area")
    with jax.enable_x64(True):
        out = fn(*padded, _scalars(traced))
        lengths = (len(grid), len(core), len(core), 0 if area_x is None else len(area_x))
        shapes = [p.shape for p in padded[:2]] + [padded[1].shape, padded[-1].shape]
        return tuple(None if o is None else np.broadcast_to(np.asarray(o, dtype=np.float64), shape)[:n]
                     for o, n, shape in zip(out, lengths, shapes))


def grad_values(subject: Any, sets: Mapping[str, Any] | Sequence[Mapping[str, Any]], x, min_length: int = 0) -> Any:
    """``g'(x)`` as float64 NumPy.

    ``subject``: a :class:`~surrogate_cli.evaluation.Target` or a catalog :class:`Record`.
    ``sets``: one full parameter set (then ``x`` is any shape and so is the result), or a
    sequence of ``P`` sets (then ``x`` is ``(P, M)``, row ``i`` evaluated at set ``i``, or
    ``(M,)`` shared by every set; the result is ``(P, M)``).

    For a catalogued surrogate this is ``surrogate_grad`` in one jitted kernel (parameters
    traced; many sets go through in fixed-size chunks with per-point parameter arrays).
    For a user surrogate it is ``jax.grad`` through its spike, set by set.
    ``min_length``: one set of a catalogued surrogate pads to at least this many points
    (:func:`padded_call`), so that a caller with many small evaluations compiles one
    length for all of them.
    """
    import numpy as np

    record = subject if isinstance(subject, Record) else subject.record
    if isinstance(sets, Mapping):
        if record is not None:
            return _one(record, sets, x, min_length=min_length)
        flat = np.asarray(x, dtype=np.float64)
        return grad_function(subject.make(sets))(flat.reshape(-1)).reshape(flat.shape)
    sets = list(sets)
    X = np.asarray(x, dtype=np.float64)
    if X.ndim == 1:
        X = np.broadcast_to(X, (len(sets), X.shape[0]))
    if X.shape[0] != len(sets):
        raise ValueError(f"x has {X.shape[0]} rows for {len(sets)} parameter sets")
    if record is not None:
        return _builtin_many(record, sets, X)
    out = np.empty(X.shape)
    for i, s in enumerate(sets):
        out[i] = grad_function(subject.make(s))(X[i])
    return out


def _one(record: Record, full: Mapping[str, Any], x, kind: str = "grad", min_length: int = 0):
    """One parameter set of a built-in through its ``kind`` kernel, padded."""
    return one_set(record, full, kind, min_length)(x)


def one_set(record: Record, full: Mapping[str, Any], kind: str = "grad", min_length: int = 0) -> Callable:
    """``x -> values``: :func:`grad_values` (``kind="grad"``) or :func:`fun_values` (``"fun"``)
    of a built-in at one full parameter set, with its kernel and parameters looked up once
    (for a caller that evaluates one set many times, as ``info`` does: the same numbers)."""
    import jax

    static, traced = record.split(full)
    fn = kernel(record, static, kind)
    scalars = _scalars(traced)

    def call(x):
        with jax.enable_x64(True):
            return padded_call(lambda chunk: fn(chunk, scalars), x, min_length)

    return call


def padded_call(fn: Callable, x, min_length: int = 0) -> Any:
    """``fn`` (an elementwise jitted kernel) on the float64 points ``x`` (any shape), as
    float64 NumPy of ``x``'s shape, zero-padded to one of :data:`_LENGTHS` (more points in
    chunks of the largest), so a kernel compiles for a few lengths whatever grids its
    callers build, pads at most 4x, and runs a large grid as one array (which XLA spreads
    over the cores). ``min_length``: the shortest of those lengths to use (the same numbers
    at any length: the kernel is elementwise; one compilation fewer for a caller whose
    small calls would otherwise span two lengths)."""
    import numpy as np

    flat = np.asarray(x, dtype=np.float64)
    shape, flat = flat.shape, flat.reshape(-1)
    n = flat.shape[0]
    step = next(c for c in _LENGTHS if (n <= c and c >= min_length) or c == BIG_CHUNK)
    size = -(-max(n, 1) // step) * step
    padded = np.zeros(size)
    padded[:n] = flat
    if size == step:  # one call (most calls): its answer (a writable copy), without a second buffer
        res = np.array(fn(padded), dtype=np.float64)
        if res.shape != (step,):  # a constant: one value for every point
            res = np.full(step, res)
        return res[:n].reshape(shape)
    out = np.empty(size)
    for c0 in range(0, size, step):
        part = slice(c0, c0 + step)
        out[part] = np.broadcast_to(np.asarray(fn(padded[part]), dtype=np.float64), (step,))
    return out[:n].reshape(shape)


def _builtin_many(record: Record, sets: list, X):
    """Row ``i`` of ``X`` at set ``i``: the sets of one integer-value group end to end, in
    chunks of :data:`CHUNK` points (:data:`BIG_CHUNK` for a large group), each point with
    its own parameter values (built chunk by chunk, never for the whole group at once)."""
    import jax
    import numpy as np

    out = np.empty(X.shape)
    M = X.shape[1]
    groups: dict[tuple, list[int]] = {}
    split = [record.split(s) for s in sets]
    for i, (static, _) in enumerate(split):
        groups.setdefault(static, []).append(i)
    names = list(split[0][1]) if split else []
    with jax.enable_x64(True):
        for static, rows in groups.items():
            whole = len(rows) == X.shape[0]  # every row, in order
            rows_a = np.asarray(rows)
            n = len(rows) * M
            chunk = BIG_CHUNK if n >= 4 * BIG_CHUNK else CHUNK
            xs = np.ascontiguousarray(X if whole else X[rows_a]).reshape(-1)
            cols = {k: np.asarray([float(split[i][1][k]) for i in rows], dtype=np.float64) for k in names}
            g = out.reshape(-1) if whole else np.empty(n)  # out is fresh: reshape is a view
            fn = kernel(record, static, "grad")
            for c0 in range(0, n, chunk):
                c1 = min(c0 + chunk, n)
                r0, r1 = c0 // M, (c1 - 1) // M + 1
                lo, hi = c0 - r0 * M, c1 - r0 * M
                if c1 - c0 == chunk:
                    xc = xs[c0:c1]
                    pc = {k: np.repeat(col[r0:r1], M)[lo:hi] for k, col in cols.items()}
                else:  # the last chunk, zero-padded (parameters: the group's first set)
                    xc = np.zeros(chunk)
                    xc[:c1 - c0] = xs[c0:c1]
                    pc = {}
                    for k, col in cols.items():
                        v = np.full(chunk, col[0])
                        v[:c1 - c0] = np.repeat(col[r0:r1], M)[lo:hi]
                        pc[k] = v
                gc = fn(xc, pc)
                g[c0:c1] = np.broadcast_to(np.asarray(gc, dtype=np.float64), (chunk,))[:c1 - c0]
            if not whole:
                out[rows_a] = g.reshape(len(rows), M)
    return out


def grad_function(surrogate: Any) -> Callable:
    """``x (1-D ndarray) -> g'(x)`` as float64 NumPy, for any surrogate object: ``jax.grad``
    through its spike.

    Jitted, with inputs padded to power-of-two lengths so a handful of compilations
    serve every grid; falls back to eager evaluation if the surrogate does not trace.
    """
    import jax
    import jax.numpy as jnp
    import numpy as np

    from .target import spike_of

    spike = spike_of(surrogate)

    def eager(xj):
        return jax.grad(lambda v: jnp.sum(spike(v)))(xj)

    jitted = _jit(eager)
    state = {"jit": True}

    def grad(x):
        x = np.asarray(x, dtype=np.float64)
        n = x.shape[0]
        size = max(1024, 1 << (n - 1).bit_length())
        padded = np.zeros(size)
        padded[:n] = x
        with jax.enable_x64(True):
            xj = jnp.asarray(padded)
            if state["jit"]:
                try:
                    return np.asarray(jitted(xj), dtype=np.float64)[:n]
                except Exception:  # noqa: BLE001 - not traceable: evaluate eagerly
                    state["jit"] = False
            return np.asarray(eager(xj), dtype=np.float64)[:n]

    return grad


def spike_builder(target: Any, full: Mapping[str, Any], dtype: str = "float32") -> tuple:
    """``(build, traced, key)`` to use a surrogate's spike inside a jitted, vmapped or scanned
    program with its float parameters traced: ``build(traced)`` returns the spike (a callable
    ``x -> heaviside(x)`` whose derivative is ``g'``); ``traced`` holds the float parameters
    as ``dtype`` scalars (replace them by tracers or batched arrays); ``key`` names the
    compiled program for a cache (None for a user surrogate, which is built once as it is).
    """
    import jax.numpy as jnp

    from .target import spike_of

    record = target.record
    if record is None:
        spike = spike_of(target.make(full))
        return (lambda traced: spike), {}, None
    from ..library import builtin_class

    cls = builtin_class(record)
    static, traced = record.split(full)
    fixed = dict(static)

    def build(values):
        return cls(**values, **fixed)

    return build, {k: jnp.asarray(float(v), dtype=dtype) for k, v in traced.items()}, (record.name, static)
