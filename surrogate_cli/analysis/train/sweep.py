"""The runs of one surrogate (parameter values x seeds) as one compiled program: the run
functions of :mod:`.loop` under ``jax.vmap`` over the run axis (surrogate floats traced),
jitted once (on one device in cache-sized vmapped chunks that follow one another inside the
program), with the run axis sharded over ``jax.devices()`` by a 1-D
:class:`jax.sharding.Mesh` when there is more than one device (CPU cores with
``XLA_FLAGS=--xla_force_host_platform_device_count=N``, GPUs, or the global devices of a
``jax.distributed`` job). The epochs are a Python loop over one compiled epoch, so progress
is reported and an interrupt is honoured between epochs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from ...errors import BadInput
from .loop import RunFns, Task, TrainConfig, make_spike_factory, run_functions, padded_batches
from .network import NetConfig

__all__ = ["GroupResult", "run_group", "memory_estimate", "check_memory", "float_params", "grad_norms_of"]

METRICS = ("train_loss", "train_acc", "test_loss", "test_acc", "rate")


@dataclass
class GroupResult:
    """Per-run histories of one surrogate group: arrays (runs, epochs) per metric."""

    metrics: dict[str, Any]
    grad_norms: Any  # (runs, layers)
    membrane: Any  # (samples,) v - theta at initialisation, seed runs pooled
    layer_names: tuple[str, ...]
    runs: list[tuple[dict, int]] = field(default_factory=list)  # (param set, seed) per run


def float_params(target) -> tuple[list[str], list[str]]:
    """(traced, static) parameter names of a target: integer parameters are static (a compile
    for each value), the rest are traced floats."""
    if target.record is not None:
        static = [name for name, _ in target.record.split(target.defaults)[0]]
    else:
        static = [p.name for p in target.user_params if p.kind == "int"]
    return [n for n in target.param_names if n not in static], static


def memory_estimate(sizes: tuple[int, int, int, int, int], net: NetConfig, tc: TrainConfig, runs: int) -> int:
    """Bytes the vmapped sweep of ``runs`` runs needs at its peak (an upper estimate), from the
    task's sizes ``(n_train, n_test, steps, units, classes)``: the activations kept for the
    backward pass (about 8 arrays of (runs, batch, steps, hidden) per layer), the test pass,
    the weights with Adam's moments, and the task itself (float32)."""
    n_train, n_test, steps, units, classes = sizes
    item = 4 if net.dtype == "float32" else 8
    hid = sum(net.hidden)
    act = runs * tc.batch * steps * (8 * hid + 4 * units + 4 * classes) * item
    layers = [units] + list(net.hidden)
    weights = sum(a * b for a, b in zip(layers[:-1], layers[1:])) + layers[-1] * classes
    if net.recurrent:
        weights += sum(h * h for h in net.hidden)
    params = runs * weights * item * 8  # params, grads, two moments, updates, copies
    data = (n_train + n_test) * steps * units * 4
    return int(act + params + data)


def available_memory() -> int | None:
    import os

    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(need: int, available: int | None = None, what: str = "the sweep") -> None:
    avail = available_memory() if available is None else available
    if avail is not None and need > 0.8 * avail:
        raise BadInput(f"seeds: {what} would need about {need / 2**30:.1f} GiB of memory "
                       f"({avail / 2**30:.1f} GiB available)",
                       "use fewer seeds or values, a smaller --batch or --hidden, or fewer samples",
                       subject="seeds")


def grad_norms_of(grads: Mapping[str, Any], names: Sequence[str]):
    """The Frobenius norm of each weight matrix's gradient, in float64 on the host: (..., layers)."""
    import numpy as np

    return np.stack([np.sqrt((np.asarray(grads[n], dtype=np.float64) ** 2).sum(axis=(-2, -1))) for n in names],
                    axis=-1)


def _mesh_sharding(devices=None):
    import jax
    import numpy as np

    devices = list(jax.devices() if devices is None else devices)
    if len(devices) < 2:
        return None, 1
    from jax.sharding import Mesh, NamedSharding, PartitionSpec

    mesh = Mesh(np.asarray(devices), ("runs",))
    return (NamedSharding(mesh, PartitionSpec("runs")), NamedSharding(mesh, PartitionSpec())), len(devices)


#: Runs are vmapped together, on one device, as long as one time step's arrays (runs x batch x
#: hidden neurons) stay about this size: past it they fall out of the cores' caches and a vmapped
#: step costs more per run than a single run's step (measured on 2-core CPUs: benchmarks/train.py).
CHUNK_NEURONS = 1 << 15

def functions_for(target, static: Mapping[str, Any], net: NetConfig, tc: TrainConfig, task: Task) -> RunFns:
    """The run functions (and their compiled forms) of one built-in surrogate group, kept in the
    package's one compile cache (:func:`surrogate_cli.evaluation.kernels.cached`) by value:
    catalog name, static parameters, network, training settings and the task's sizes and input
    rate (everything the functions depend on). User surrogates are not cached."""
    from ...evaluation.kernels import cached

    make = lambda: run_functions(make_spike_factory(target, static), net, tc, task)  # noqa: E731
    if target.record is None:
        return make()
    key = ("train", target.record.name, tuple(sorted(static.items())), net, tc, len(task.y_train),
           task.x_train.shape[1:], task.classes, task.input_rate)
    return cached(key, make)


def run_group(target, static: Mapping[str, Any], float_sets: Sequence[Mapping[str, float]], seeds: Sequence[int],
              task: Task, net: NetConfig, tc: TrainConfig,
              on_epoch: Callable[[int], None] | None = None, fns: RunFns | None = None,
              devices: Sequence[Any] | None = None,
              runs: Sequence[tuple[Mapping[str, float], int]] | None = None,
              chunk: int | None | str = "auto") -> GroupResult:
    """Train every (parameter set, seed) of one target with the same static parameters.

    Runs are ordered set-major (all seeds of the first set, then the next). The same seed
    gives the same initial weights and batch order for every parameter value. ``devices``:
    those to shard the runs over (default ``jax.devices()``; the run axis is padded to a
    multiple of their number with copies of the last run, dropped afterwards). On one device
    the runs go through the compiled program in vmapped chunks of about :data:`CHUNK_NEURONS`
    neurons per time step (``jax.lax.map`` over the chunks; ``chunk`` sets the runs per chunk,
    None: one vmap over all; a chunk of one run is the unbatched run, no vmap). ``runs``: an
    explicit list of (float parameters, seed) instead of the product (a resumed sweep).
    """
    import jax
    import jax.numpy as jnp
    import numpy as np

    runs = list(runs) if runs is not None else [(dict(s), int(seed)) for s in float_sets for seed in seeds]
    if not runs:
        raise BadInput("no runs to train", "give at least one parameter value and one seed")
    fns = fns or functions_for(target, static, net, tc, task)
    dtype = jnp.dtype(net.dtype)
    names = sorted(runs[0][0])
    shard, n_dev = _mesh_sharding(devices)
    R = len(runs)
    if shard is not None:
        chunk = None
    elif chunk == "auto":  # one device: runs vmapped in cache-sized chunks, the chunks one after another
        c = max(1, CHUNK_NEURONS // (tc.batch * sum(net.hidden)))
        chunk = c if c < R else None
    step = chunk or n_dev
    padded = -(-R // step) * step
    order = list(range(R)) + [R - 1] * (padded - R)  # pad with copies of the last run
    keys = jnp.stack([jax.random.PRNGKey(runs[i][1]) for i in order])
    sparams = {n: jnp.asarray([runs[i][0][n] for i in order], dtype=dtype) for n in names}
    xte, yte, wte = padded_batches(task.x_test, task.y_test, tc.batch)
    data_tr = (jnp.asarray(task.x_train), jnp.asarray(task.y_train))
    data_te = (jnp.asarray(xte), jnp.asarray(yte), jnp.asarray(wte))
    if shard is not None:
        run_s, rep_s = shard
        keys, sparams = jax.device_put((keys, sparams), run_s)
        data_tr, data_te = jax.device_put((data_tr, data_te), rep_s)
    init, epoch = fns.batched(chunk)
    state = init(keys, sparams, *data_tr)
    history = {m: [] for m in METRICS}
    grads = mem = None
    for e in range(tc.epochs):
        state, met = epoch(state, sparams, *data_tr, *data_te)
        got = jax.device_get({m: met[m] for m in METRICS})
        if e == 0:
            grads, mem = jax.device_get((met["first_grads"], met["first_membrane"]))
        for m in METRICS:
            history[m].append(np.asarray(got[m], dtype=np.float64)[:R])
        if on_epoch is not None:
            on_epoch(e + 1)
    metrics = {m: np.stack(v, axis=1) for m, v in history.items()}
    grad_norms = grad_norms_of(grads, fns.names)[:R]
    mem = np.asarray(mem, dtype=np.float64)[:R]
    # the membrane at initialisation does not depend on the surrogate (the forward is the step):
    # pool the first run of each distinct seed
    first = {}
    for i, (_, seed) in enumerate(runs):
        first.setdefault(seed, i)
    membrane = mem[sorted(first.values())].reshape(-1)
    return GroupResult(metrics, grad_norms, membrane, fns.names, runs)
