"""The training network and loop: the unrolled gradient against float64 finite differences,
vmapped runs against single runs, determinism from the seed."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from surrogate_cli.analysis.train.loop import Task, TrainConfig, make_spike_factory, run_functions, padded_batches
from surrogate_cli.analysis.train.network import NetConfig, init_params, init_stds, loss_and_stats, psp_kernel
from surrogate_cli.analysis.train.randman import RandmanConfig, make_randman
from surrogate_cli.analysis.train.sweep import grad_norms_of, run_group
from surrogate_cli.evaluation import resolve


def tiny_task(samples=24, steps=12, units=6, classes=3, seed=0):
    x, y = make_randman(RandmanConfig(classes=classes, units=units, steps=steps, samples=samples, smoothness=2.0), seed)
    n = len(y) * 3 // 4
    return Task("randman", x[:n], y[:n], x[n:], y[n:], classes)


class SmoothSpike:
    """A sigmoid 'spike': the forward is smooth, so its derivative (the surrogate) is exact."""

    def __init__(self, alpha):
        self.alpha = alpha

    def __call__(self, x):
        return jax.nn.sigmoid(self.alpha * x)


def test_unrolled_gradient_equals_central_differences():
    """Through the whole unrolled loss: input and recurrent weights, readout, regulariser."""
    task = tiny_task(samples=8, steps=8)
    net = NetConfig(hidden=(5,), recurrent=True, reset="attached", readout="sum", dtype="float64",
                    reg_strength=0.3, reg_max=0.5, xi=1.0)
    stds = init_stds(net, 6, 3, task.input_rate)
    params = init_params(jax.random.PRNGKey(1), stds, jnp.float64)
    spike = SmoothSpike(3.0)
    x, y = jnp.asarray(task.x_train, jnp.float64), jnp.asarray(task.y_train)
    loss = jax.jit(lambda p: loss_and_stats(net, p, spike, x, y)[0])
    grad = jax.jit(jax.grad(loss))(params)
    assert all(float(jnp.abs(g).max()) > 0 for g in grad.values())  # every weight matrix gets a gradient
    rng = np.random.default_rng(0)
    h = 1e-5
    for _ in range(2):
        d = {k: jnp.asarray(rng.standard_normal(v.shape)) for k, v in params.items()}
        plus = loss({k: params[k] + h * d[k] for k in params})
        minus = loss({k: params[k] - h * d[k] for k in params})
        fd = (plus - minus) / (2 * h)
        ad = sum(jnp.vdot(grad[k], d[k]) for k in params)
        assert abs(float(fd) - float(ad)) <= 1e-6 * max(1.0, abs(float(ad))), (float(fd), float(ad))


def _scan_loss(net, params, spike, x, y):
    """The network's loss written as the recurrences and differentiated through its loops by
    autodiff (the reference for the loop-free backward of the detached, non-recurrent layers)."""
    import optax

    a, b = net.decays

    def lif(h):
        def step(c, h_t):
            syn, mem = c
            s = spike(mem - 1.0)
            return (a * syn + h_t, b * mem + syn - jax.lax.stop_gradient(s)), s

        z = jnp.zeros(h.shape[1:], h.dtype)
        return jax.lax.scan(step, (z, z), h)[1]

    def readout(h):
        def step(c, h_t):
            syn, mem = c
            return (a * syn + h_t, b * mem + syn), mem

        z = jnp.zeros(h.shape[1:], h.dtype)
        return jax.lax.scan(step, (z, z), h)[1]

    inp, counts = jnp.swapaxes(x, 0, 1), []
    for i in range(len(net.hidden)):
        inp = lif(inp @ params[f"w{i}"])
        counts.append(inp.sum(0))
    out = readout(inp @ params["out"])
    logits = out.max(0) if net.readout == "max" else out.sum(0)
    loss = optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()
    reg = sum(jnp.mean(jax.nn.relu(c.mean(0) - net.reg_max) ** 2) for c in counts)
    return loss + net.reg_strength * reg


@pytest.mark.parametrize("hidden,readout", [((7,), "max"), ((4, 9), "sum"), ((9, 4), "max")])
def test_loop_free_backward_equals_autodiff_through_the_loops(hidden, readout):
    """The detached reset's layers and the readout are differentiated without a loop over time
    (network._lif_detached, network._readout); in float64 that gradient is autodiff's through
    the recurrences, to rounding (narrow and wide layers: both orders of the time convolution)."""
    task = tiny_task(samples=8, steps=16, units=6)
    net = NetConfig(hidden=hidden, readout=readout, dtype="float64", reg_strength=0.3, reg_max=0.5, xi=0.5)
    params = init_params(jax.random.PRNGKey(2), init_stds(net, 6, 3, task.input_rate), jnp.float64)
    spike = make_spike_factory(resolve("sigmoid"), {})({"alpha": jnp.float64(2.0)})
    x, y = jnp.asarray(task.x_train, jnp.float64), jnp.asarray(task.y_train)
    ours = jax.jit(jax.value_and_grad(lambda p: loss_and_stats(net, p, spike, x, y)[0]))(params)
    ref = jax.jit(jax.value_and_grad(lambda p: _scan_loss(net, p, spike, x, y)))(params)
    assert float(ours[0]) == float(ref[0])  # the same forward, to the bit
    for k in params:
        assert float(jnp.abs(ref[1][k]).max()) > 0, k
        np.testing.assert_allclose(ours[1][k], ref[1][k], rtol=1e-12, atol=1e-15 * float(jnp.abs(ref[1][k]).max()),
                                   err_msg=k)


def test_psp_kernel_closed_form():
    net = NetConfig(tau_mem=10e-3, tau_syn=5e-3, dt=1e-3)
    a, b = np.exp(-1 / 5), np.exp(-1 / 10)
    k = psp_kernel(net, 30)
    closed = [0.0] + [(a ** n - b ** n) / (a - b) for n in range(1, 30)]  # sum_{j<n} b^(n-1-j) a^j
    np.testing.assert_allclose(k, closed, rtol=1e-12, atol=1e-15)


@pytest.mark.x64_off
@pytest.mark.parametrize("chunk", [1, 2])
def test_vmapped_runs_equal_single_runs_bit_for_bit(chunk):
    task = tiny_task()
    net = NetConfig(hidden=(8,))
    tc = TrainConfig(epochs=2, batch=8, lr=5e-3)
    target = resolve("sigmoid")
    fns = run_functions(make_spike_factory(target, {}), net, tc, task)
    # chunk 1: one run after another (jax.lax.map of the unbatched functions: the path of
    # full-sized networks); chunk 2: jax.lax.map over vmapped chunks of two runs; one vmap over
    # all runs, the path of small ones, is the one-device side of the sharded test below
    res = run_group(target, {}, [{"alpha": 2.0}, {"alpha": 8.0}], [0, 3], task, net, tc, fns=fns, chunk=chunk)
    assert [r[1] for r in res.runs] == [0, 3, 0, 3]
    xte, yte, wte = padded_batches(task.x_test, task.y_test, tc.batch)
    init, epoch = jax.jit(fns.init), jax.jit(fns.epoch)
    for i, (params, seed) in enumerate(res.runs):
        sp = {"alpha": jnp.asarray(params["alpha"], jnp.float32)}
        state = init(jax.random.PRNGKey(seed), sp, task.x_train, task.y_train)
        for e in range(tc.epochs):
            state, m = epoch(state, sp, task.x_train, task.y_train, xte, yte, wte)
            if e == 0:
                norms = grad_norms_of(jax.device_get(m.pop("first_grads")), fns.names)
                # the kept first-step gradient is fused differently in the chunked program than in
                # the single one: equal to float32 rounding, not bit for bit (the training is)
                np.testing.assert_allclose(res.grad_norms[i], norms, rtol=1e-6)
            m.pop("first_grads", None), m.pop("first_membrane")
            for k, v in m.items():
                assert res.metrics[k][i, e] == float(v), (k, i, e)
    # same seed, same numbers; another seed, other numbers
    again = run_group(target, {}, [{"alpha": 2.0}, {"alpha": 8.0}], [0, 3], task, net, tc, fns=fns, chunk=chunk)
    for m in res.metrics:
        np.testing.assert_array_equal(again.metrics[m], res.metrics[m])
    np.testing.assert_array_equal(again.grad_norms, res.grad_norms)
    assert not np.array_equal(res.metrics["train_loss"][0], res.metrics["train_loss"][1])


_SHARDED = r"""
import json, sys
import jax
from surrogate_cli.analysis.train.loop import TrainConfig
from surrogate_cli.analysis.train.network import NetConfig
from surrogate_cli.analysis.train.sweep import run_group
from surrogate_cli.evaluation import resolve
sys.path.insert(0, "tests")
from test_train_network import tiny_task
assert len(jax.devices()) == 4, jax.devices()
task, net, tc = tiny_task(), NetConfig(hidden=(8,)), TrainConfig(epochs=2, batch=8, lr=5e-3)
args = (resolve("sigmoid"), {}, [{"alpha": 2.0}, {"alpha": 8.0}, {"alpha": 0.5}], [0], task, net, tc)
one = run_group(*args, devices=jax.devices()[:1])
four = run_group(*args)
print(json.dumps({"one": {k: v.tolist() for k, v in one.metrics.items()},
                  "four": {k: v.tolist() for k, v in four.metrics.items()},
                  "norms": [one.grad_norms.tolist(), four.grad_norms.tolist()]}))
"""


def test_sharded_over_four_cpu_devices_equals_one_device():
    """Three runs (padded to four) over a 1-D mesh of 4 host devices, in a fresh process."""
    import json
    import os
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "XLA_FLAGS": "--xla_force_host_platform_device_count=4", "JAX_PLATFORMS": "cpu"}
    out = subprocess.run([sys.executable, "-c", _SHARDED], cwd=root, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    res = json.loads(out.stdout.strip().splitlines()[-1])
    for k in res["one"]:
        a, b = np.asarray(res["one"][k]), np.asarray(res["four"][k])
        assert a.shape == (3, 2)
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6, err_msg=k)
    np.testing.assert_allclose(res["norms"][1], res["norms"][0], rtol=1e-5)
