"""One training run as pure JAX functions of (random key, surrogate parameters): ``init``
and ``epoch``, so a sweep can ``jax.vmap`` them over runs (parameter values x seeds) and
compile once per surrogate.

An epoch: shuffle the training set with the run's key, ``jax.lax.scan`` over its full
batches (the remainder is dropped), Adam (optax) on each; then the held-out test set in
batches (the last one padded and masked). Train accuracy and loss are the running values
over the epoch's batches. Nothing here is tuned on the test set.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ...errors import BadInput
from .network import NetConfig, forward, init_params, init_stds, loss_and_stats

__all__ = ["TrainConfig", "Task", "RunFns", "make_spike_factory", "run_functions", "padded_batches"]


@dataclass(frozen=True)
class TrainConfig:
    """The optimiser and schedule."""

    epochs: int = 20
    batch: int = 256
    lr: float = 2e-3

    def check(self, n_train: int | None = None) -> None:
        for name in ("epochs", "batch"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise BadInput(f"{name}={v!r} is not a whole number >= 1", f"give {name} 1 or more", subject=name)
        if isinstance(self.lr, bool) or not isinstance(self.lr, (int, float)) or not math.isfinite(self.lr) \
                or self.lr <= 0:
            raise BadInput(f"lr={self.lr!r} is not a positive number", "give a learning rate > 0, e.g. 2e-3",
                           subject="lr")
        if n_train is not None and self.batch > n_train:
            raise BadInput(f"batch={self.batch} is larger than the training set ({n_train} samples)",
                           f"give batch {n_train} or less", subject="batch")


@dataclass
class Task:
    """A classification task as arrays: ``x`` (samples, steps, units) spikes, ``y`` labels."""

    name: str
    x_train: Any
    y_train: Any
    x_test: Any
    y_test: Any
    classes: int
    description: str = ""

    @property
    def chance(self) -> float:
        """Accuracy of always guessing the commonest test label."""
        import numpy as np

        return float(np.bincount(np.asarray(self.y_test), minlength=self.classes).max() / len(self.y_test))

    @property
    def input_rate(self) -> float:
        """Mean input spikes per unit and time step (training set)."""
        import numpy as np

        return float(np.asarray(self.x_train, dtype=np.float64).mean())


def make_spike_factory(target, static: Mapping[str, Any]) -> Callable[[Mapping[str, Any]], Any]:
    """``traced float parameters -> spike``: built-ins through ``target.make`` (tracers pass
    its validation), user classes through their constructor (values checked beforehand)."""
    from ...evaluation.target import spike_of

    if target.record is not None:
        return lambda traced: target.make({**static, **traced})
    if target.factory is None:
        return lambda traced: spike_of(target.instance)
    defaults = {k: v for k, v in target.defaults.items()}
    return lambda traced: spike_of(target.factory(**{**defaults, **static, **traced}))


def padded_batches(x, y, batch: int):
    """Test arrays padded to whole batches: (nb, B, ...) and a 0/1 weight per sample."""
    import numpy as np

    n = len(y)
    nb = -(-n // batch)
    pad = nb * batch - n
    xp = np.concatenate([x, np.zeros((pad,) + x.shape[1:], x.dtype)]) if pad else x
    yp = np.concatenate([y, np.zeros(pad, y.dtype)]) if pad else y
    w = np.concatenate([np.ones(n, np.float32), np.zeros(pad, np.float32)])
    return (xp.reshape((nb, batch) + x.shape[1:]), yp.reshape(nb, batch), w.reshape(nb, batch))


@dataclass
class RunFns:
    """The pure functions of one run (unbatched); see :func:`run_functions`."""

    init: Callable  # (key, sparams, xtr, ytr) -> state
    epoch: Callable  # (state, sparams, xtr, ytr, xte, yte, wte) -> state, metrics (+ first step's grads, membrane)
    names: tuple[str, ...]  # weight matrices, in order
    _batched: dict | None = None

    def batched(self, chunk: int | None = None):
        """``(init, epoch)`` over a leading run axis (data shared), jitted, made once per object
        and chunk size. ``chunk``: runs per ``jax.vmap``; the chunks follow one another inside
        the same compiled program (``jax.lax.map``), so each step's arrays stay cache-sized
        (None: all runs in one vmap; 1: the unbatched functions, run after run). The run
        count must be a multiple of ``chunk``."""
        import jax

        if self._batched is None:
            self._batched = {}
        fns = self._batched.get(chunk)
        if fns is None:
            init = jax.vmap(self.init, in_axes=(0, 0, None, None))
            epoch = jax.vmap(self.epoch, in_axes=(0, 0, None, None, None, None, None))
            if chunk == 1:  # one run at a time: the unbatched functions, no vmap of one
                init, epoch = _mapped(self.init, 2), _mapped(self.epoch, 2)
            elif chunk is not None:
                init, epoch = _chunked(init, chunk, 2), _chunked(epoch, chunk, 2)
            fns = self._batched[chunk] = (jax.jit(init), jax.jit(epoch))
        return fns


def _chunked(fn, chunk: int, n_batched: int):
    """``fn`` over a leading run axis, applied ``chunk`` runs at a time with ``jax.lax.map``: the
    first ``n_batched`` arguments carry the run axis, the rest are shared."""
    import jax

    def run(*args):
        batched, shared = args[:n_batched], args[n_batched:]
        runs = jax.tree_util.tree_leaves(batched)[0].shape[0]
        split = jax.tree_util.tree_map(lambda a: a.reshape((runs // chunk, chunk) + a.shape[1:]), batched)
        out = jax.lax.map(lambda b: fn(*b, *shared), split)
        return jax.tree_util.tree_map(lambda a: a.reshape((runs,) + a.shape[2:]), out)

    return run


def _mapped(fn, n_batched: int):
    """The unbatched ``fn`` over a leading run axis, one run after another (``jax.lax.map``).
    A ``jax.vmap`` of one run would turn its matrix products into batched ones, which XLA's CPU
    backend ran about 1.4x slower per run (jax 0.10, the default network)."""
    import jax

    def run(*args):
        return jax.lax.map(lambda b: fn(*b, *args[n_batched:]), tuple(args[:n_batched]))

    return run


def run_functions(spike_factory, net: NetConfig, tc: TrainConfig, task: Task) -> RunFns:
    """The init and epoch functions of one run, unbatched and unjitted. The gradient and
    membrane "at initialisation" are those of the first epoch's first batch (before its update)."""
    import jax
    import jax.numpy as jnp
    import optax

    dtype = jnp.dtype(net.dtype)
    units = task.x_train.shape[2]
    stds = init_stds(net, units, task.classes, task.input_rate)
    names = tuple(n for n, _, _ in stds)
    tx = optax.adam(tc.lr)
    n_train = len(task.y_train)
    nb = n_train // tc.batch
    B = tc.batch

    def loss_fn(params, spike, x, y, w=None):
        return loss_and_stats(net, params, spike, x.astype(dtype), y, w)

    def init(key, sparams, xtr, ytr):
        k_init, k_run = jax.random.split(key)
        params = init_params(k_init, stds, dtype)
        return params, tx.init(params), k_run

    def epoch(state, sparams, xtr, ytr, xte, yte, wte):
        params, opt, key = state
        key, sub = jax.random.split(key)
        perm = jax.random.permutation(sub, n_train)[: nb * B].reshape(nb, B)
        spike = spike_factory(sparams)
        # v - theta of the first layer on (up to 16 of) the first batch, before any update
        m0 = forward(net, params, spike, xtr[perm[0, :16]].astype(dtype), keep_mem=True)[2]
        g0 = jax.tree_util.tree_map(jnp.zeros_like, params)

        def step(carry, idx):
            p, o, g_first, i = carry
            (_, st), g = jax.value_and_grad(loss_fn, has_aux=True)(p, spike, xtr[idx], ytr[idx])
            first = i == 0  # keep the first step's gradient (before its update)
            g_first = jax.tree_util.tree_map(lambda a, b: jnp.where(first, a, b), g, g_first)
            upd, o = tx.update(g, o, p)
            return (optax.apply_updates(p, upd), o, g_first, i + 1), st

        (params, opt, g0, _), st = jax.lax.scan(step, (params, opt, g0, 0), perm)

        def evaluate(_, batch):
            x, y, w = batch
            return None, loss_fn(params, spike, x, y, w)[1]

        _, te = jax.lax.scan(evaluate, None, (xte, yte, wte))
        n_tr, n_te = st["n"].sum(), te["n"].sum()
        seconds = xtr.shape[1] * net.dt
        metrics = {
            "train_loss": st["ce_sum"].sum() / n_tr,
            "train_acc": st["correct"].sum() / n_tr,
            "test_loss": te["ce_sum"].sum() / n_te,
            "test_acc": te["correct"].sum() / n_te,
            "rate": te["spikes"].sum() / n_te / seconds,  # Hz, hidden neurons, test set
            "first_grads": g0,  # the gradient of the epoch's first batch, before its update
            "first_membrane": m0 - 1.0,  # v - theta of the first layer on (up to 16 of) that batch
        }
        return (params, opt, key), metrics

    return RunFns(init, epoch, names)
