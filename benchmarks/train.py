"""Benchmark: `surrogate train`, each figure beside its baseline measured in the same run.

    python benchmarks/train.py [--epochs E] [--repeat R]
    python benchmarks/train.py --sweep OUT.json [--sweep-values N] [--sweep-epochs E] [--sweep-seeds S]

1. One training run (sigmoid, alpha = 4) on the default Randman task, the package's path
   (``analysis.train`` run functions, jitted) against a hand-written minimal JAX LIF training
   loop of the same network (same task, sizes, init scale, Adam, batch, scan over time and over
   batches, one jitted epoch, the held-out accuracy computed each epoch): seconds per epoch
   after compiling, median of R repeats of E epochs each, alternating. Target: at most 1.2x.
2. The vmapped sweep of 8 values x 3 seeds (one compiled program) against the same 24 runs one
   after the other (one compile, reused: the floats are traced): seconds for E epochs of all 24
   runs. Target: at least 4x faster. The same for a small network (hidden 16, batch 16), where
   a single run's steps are too small to keep the cores busy. From the vmapped figure: seconds
   per run-epoch, and the README sweep's 1,440 run-epochs at that rate (an extrapolation).
3. ``--sweep``: the README's example, ``surrogate train sigmoid inv_square_grad
   piecewise_quadratic --alpha log:0.3:100:8 --seeds 3`` on the default task, wall time of the
   whole command (a subprocess), JSON written to OUT.json (the README's reproduction table).
   Target: under 5 minutes on 2 cores.

Times are wall clock; on a shared machine they move with the load, the ratios less so.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time


def minimal_loop(task, hidden, batch, lr, alpha, w_stds, seed=0):
    """The floor: the same network written directly in JAX, nothing of the package but the task."""
    import jax
    import jax.numpy as jnp
    import optax

    a, b = float(jnp.exp(-1.0 / 5.0)), float(jnp.exp(-1.0 / 10.0))

    @jax.custom_jvp
    def spike(x):
        return (x >= 0).astype(x.dtype)

    @spike.defjvp
    def _(p, t):
        (x,), (tx,) = p, t
        s = jax.nn.sigmoid(alpha * x)
        return spike(x), alpha * s * (1 - s) * tx

    def logits(params, x):
        h = jnp.swapaxes(x.astype(jnp.float32), 0, 1) @ params["w0"]

        def step(c, h_t):
            syn, mem = c
            s = spike(mem - 1.0)
            return (a * syn + h_t, b * mem + syn - jax.lax.stop_gradient(s)), s

        z = jnp.zeros(h.shape[1:], h.dtype)
        _, s = jax.lax.scan(step, (z, z), h)
        o = s @ params["out"]

        def ro(c, o_t):
            syn, mem = c
            return (a * syn + o_t, b * mem + syn), mem

        z2 = jnp.zeros(o.shape[1:], o.dtype)
        _, m = jax.lax.scan(ro, (z2, z2), o)
        return m.max(0)

    def loss(params, x, y):
        return optax.softmax_cross_entropy_with_integer_labels(logits(params, x), y).mean()

    tx = optax.adam(lr)
    k0, k1 = jax.random.split(jax.random.PRNGKey(seed))
    units, classes = task.x_train.shape[2], task.classes
    params = {"w0": w_stds[0] * jax.random.normal(k0, (units, hidden)),
              "out": w_stds[1] * jax.random.normal(k1, (hidden, classes))}
    n = len(task.y_train) // batch * batch

    @jax.jit
    def epoch(params, opt, key, x, y, xte, yte):
        key, sub = jax.random.split(key)
        perm = jax.random.permutation(sub, len(y))[:n].reshape(-1, batch)

        def st(c, idx):
            p, o = c
            l, g = jax.value_and_grad(loss)(p, x[idx], y[idx])
            u, o = tx.update(g, o, p)
            return (optax.apply_updates(p, u), o), l

        (params, opt), ls = jax.lax.scan(st, (params, opt), perm)

        def ev(_, b):  # the held-out accuracy, as the package reports each epoch
            xb, yb = b
            return None, (jnp.argmax(logits(params, xb), 1) == yb).sum()

        _, correct = jax.lax.scan(ev, None, (xte, yte))
        return params, opt, key, ls.mean() + 0 * correct.sum()

    return epoch, params, tx.init(params), jax.random.PRNGKey(1)


def bench_single(task, epochs_each: int, repeat: int):
    import jax
    import jax.numpy as jnp

    from surrogate_cli.analysis.train.loop import TrainConfig, make_spike_factory, padded_batches, run_functions
    from surrogate_cli.analysis.train.network import NetConfig, init_stds
    from surrogate_cli.evaluation import resolve

    net, tc = NetConfig(), TrainConfig()
    stds = init_stds(net, task.x_train.shape[2], task.classes, task.input_rate)
    fns = run_functions(make_spike_factory(resolve("sigmoid"), {}), net, tc, task)
    xte, yte, wte = (jnp.asarray(a) for a in padded_batches(task.x_test, task.y_test, tc.batch))
    x, y = jnp.asarray(task.x_train), jnp.asarray(task.y_train)
    sp = {"alpha": jnp.float32(4.0)}
    ep = jax.jit(fns.epoch)
    state = jax.jit(fns.init)(jax.random.PRNGKey(0), sp, x, y)
    floor_ep, fp, fo, fk = minimal_loop(task, net.hidden[0], tc.batch, tc.lr, 4.0, [stds[0][1], stds[-1][1]])
    state, m = ep(state, sp, x, y, xte, yte, wte)  # compile
    jax.block_until_ready(m)
    nt = len(task.y_test) // tc.batch * tc.batch  # whole test batches (the package pads the last one)
    xt = jnp.asarray(task.x_test[:nt]).reshape((-1, tc.batch) + task.x_test.shape[1:])
    yt = jnp.asarray(task.y_test[:nt]).reshape(-1, tc.batch)
    fp, fo, fk, l = floor_ep(fp, fo, fk, x, y, xt, yt)
    jax.block_until_ready(l)
    ours, floor = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(epochs_each):
            state, m = ep(state, sp, x, y, xte, yte, wte)
        jax.block_until_ready(m)
        ours.append((time.perf_counter() - t) / epochs_each)
        t = time.perf_counter()
        for _ in range(epochs_each):
            fp, fo, fk, l = floor_ep(fp, fo, fk, x, y, xt, yt)
        jax.block_until_ready(l)
        floor.append((time.perf_counter() - t) / epochs_each)
    return statistics.median(ours), statistics.median(floor)


def bench_vmap(task, epochs: int, hidden: int = 128, batch: int = 256):
    import jax
    import jax.numpy as jnp
    import numpy as np

    from surrogate_cli.analysis.train.loop import TrainConfig, make_spike_factory, padded_batches, run_functions
    from surrogate_cli.analysis.train.network import NetConfig
    from surrogate_cli.analysis.train.sweep import run_group
    from surrogate_cli.evaluation import resolve

    net, tc = NetConfig(hidden=(hidden,)), TrainConfig(epochs=epochs, batch=batch)
    target = resolve("sigmoid")
    values = [float(v) for v in np.geomspace(0.3, 100, 8)]
    fns = run_functions(make_spike_factory(target, {}), net, tc, task)
    # compile both paths first (a one-epoch warm-up each), then time
    run_group(target, {}, [{"alpha": v} for v in values], [0, 1, 2], task, net, TrainConfig(epochs=1, batch=batch),
              fns=fns)
    t = time.perf_counter()
    run_group(target, {}, [{"alpha": v} for v in values], [0, 1, 2], task, net, tc, fns=fns)
    vm = time.perf_counter() - t
    xte, yte, wte = (jnp.asarray(a) for a in padded_batches(task.x_test, task.y_test, tc.batch))
    x, y = jnp.asarray(task.x_train), jnp.asarray(task.y_train)
    init, ep = jax.jit(fns.init), jax.jit(fns.epoch)
    s = init(jax.random.PRNGKey(0), {"alpha": jnp.float32(1.0)}, x, y)
    s, m = ep(s, {"alpha": jnp.float32(1.0)}, x, y, xte, yte, wte)
    jax.block_until_ready(m)
    t = time.perf_counter()
    for v in values:
        for seed in (0, 1, 2):
            sp = {"alpha": jnp.float32(v)}
            s = init(jax.random.PRNGKey(seed), sp, x, y)
            for _ in range(epochs):
                s, m = ep(s, sp, x, y, xte, yte, wte)
            jax.device_get({k: m[k] for k in ("train_loss", "test_acc")})
    sep = time.perf_counter() - t
    return vm, sep


def bench_sweep(out: str, n_values: int, epochs: int | None, seeds: int = 3) -> float:
    cmd = [sys.executable, "-m", "surrogate_cli", "train", "sigmoid", "inv_square_grad", "piecewise_quadratic",
           "--alpha", f"log:0.3:100:{n_values}", "--seeds", str(seeds), "--json"]
    if epochs is not None:
        cmd += ["--epochs", str(epochs)]
    t = time.perf_counter()
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env={**os.environ, "MPLBACKEND": "Agg"})
    dt = time.perf_counter() - t
    if res.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {res.returncode}: {res.stderr.strip()[-600:]}")
    with open(out, "w", encoding="utf-8") as f:
        f.write(res.stdout)
    return dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=3, help="epochs per timing (default 3)")
    ap.add_argument("--repeat", type=int, default=3, help="alternating repeats of the one-run timing")
    ap.add_argument("--sweep", metavar="OUT.json", help="time the README's example sweep instead")
    ap.add_argument("--sweep-values", type=int, default=8)
    ap.add_argument("--sweep-epochs", type=int, default=None)
    ap.add_argument("--sweep-seeds", type=int, default=3)
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    if args.sweep:
        dt = bench_sweep(args.sweep, args.sweep_values, args.sweep_epochs, args.sweep_seeds)
        print(f"README sweep (3 shapes x {args.sweep_values} values x {args.sweep_seeds} seeds, "
              f"{args.sweep_epochs or 'default'} epochs): {dt:.1f} s   target < 300 s   wrote {args.sweep}")
        return
    from surrogate_cli.analysis.train.tasks import load_task

    t = time.perf_counter()
    task = load_task("randman")
    print(f"default Randman task generated in {time.perf_counter() - t:.1f} s: {task.description}")
    ours, floor = bench_single(task, args.epochs, args.repeat)
    print(f"one run, s/epoch: package {ours:.3f}   hand-written floor {floor:.3f}   ratio {ours / floor:.2f}x"
          f"   target <= 1.2x")
    vm, sep = bench_vmap(task, args.epochs)
    print(f"8 values x 3 seeds, {args.epochs} epochs: vmapped {vm:.1f} s   24 separate runs {sep:.1f} s   "
          f"speed-up {sep / vm:.1f}x   target >= 4x")
    per = vm / (24 * args.epochs)
    print(f"the sweep's path (run_group, 24 runs): {per:.3f} s per run-epoch; the README sweep's 1,440 run-epochs "
          f"at that rate: {1440 * per:.0f} s (an extrapolation, before its 3 compiles and the task; target < 300 s; "
          f"measured 739 s before the loop-free backward)")
    from surrogate_cli.analysis.train.randman import RandmanConfig

    small = load_task("randman", randman=RandmanConfig(samples=200))
    vm, sep = bench_vmap(small, args.epochs, hidden=16, batch=16)
    print(f"the same with a small network (hidden 16, batch 16, 200 samples per class): vmapped {vm:.1f} s   "
          f"24 separate runs {sep:.1f} s   speed-up {sep / vm:.1f}x")


if __name__ == "__main__":
    main()
