r"""Simulations that check the gradient-flow prediction on the user's own numbers.

:func:`simulate_stack` builds the random deep stack of :func:`~surrogate_cli.analysis.flow.flow` in JAX with the
package's spike (seeded): layer ``l`` maps spikes to membranes
``u_l = sigma_w W_l s_{l-1} + (bias - theta)`` with ``W_l ~ N(0, 1/n)``, ``s = spike(u)``;
the first layer's input membranes are drawn from the membrane distribution. The backward
pass is measured layer by layer with ``jax.grad`` of ``<d, u_l(u_{l-1})>`` for a unit
vector ``d`` per sample (the normalised incoming gradient), so the squared-norm ratio
``||grad||^2 / ||d||^2`` of every layer is measured without overflow or underflow however
far ``chi^L`` runs. The per-layer ratio is its batch mean; the measured chi is the
geometric mean over layers (the per-layer factor of the end-to-end gain).

:func:`simulate_lif` unrolls a stack of leaky integrate-and-fire layers over time:
``V_l[t] = leak V_l[t-1] + sigma_w W_l S_{l-1}[t] + bias - theta sg(S_l[t-1])``,
``S_l[t] = spike(V_l[t] - theta)``, with the subtractive reset detached from the graph
(``sg`` = ``stop_gradient``, as is common practice), input spikes at the fixed-point rate,
and a readout of the last layer at the last step. It reports the measured ratio of summed
squared gradient norms per layer and per step. The single-step formula assumes Gaussian
membranes at the fixed point and one path per layer; leak and reset change the membrane
distribution and add paths through time, so the result states the formula's error
rather than hiding it, beside chi recomputed from the membranes the simulation produced.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Mapping

from ...errors import BadInput
from .membrane import Membrane

__all__ = ["StackSimulation", "LifSimulation", "simulate_stack", "simulate_lif", "check_sizes"]

MAX_UNITS = 5 * 10**8  # layers * width * width (float32 weights) kept in memory


@dataclass
class StackSimulation:
    """Measured per-layer squared-gradient-norm ratios of a random Heaviside stack."""

    surrogate: str
    params: dict
    layers: int
    width: int
    batch: int
    seed: int
    sigma_w: float
    per_layer: list[float]  # ratio of layer l (input side) to layer l+1, from the top down
    measured: float  # geometric mean of per_layer
    predicted: float  # chi of the mean-field
    rel_error: float  # measured / predicted - 1
    stderr: float  # standard error of log(measured) from the spread over layers
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class LifSimulation:
    """Measured ratios of a LIF stack unrolled over time, beside the single-step formula."""

    surrogate: str
    params: dict
    layers: int
    width: int
    batch: int
    steps: int
    leak: float
    theta: float
    seed: int
    per_layer: list[float]  # sum_t ||dL/dV_{l-1}[t]||^2 / sum_t ||dL/dV_l[t]||^2, top down
    per_step: list[float]  # sum_l ||dL/dV_l[t-1]||^2 / sum_l ||dL/dV_l[t]||^2, last step first
    measured: float  # geometric mean of per_layer
    predicted: float  # single-step chi at the Gaussian fixed point
    rel_error: float  # measured / predicted - 1
    chi_membranes: float  # sigma_w^2 mean g'(V - theta)^2 over the simulated membranes
    rel_error_membranes: float  # measured / chi_membranes - 1
    rate: float  # simulated firing rate
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def check_sizes(layers: Any, width: Any, batch: Any, steps: Any = None, leak: Any = None, seed: Any = 0,
                simulating: bool = True) -> None:
    """Validate the simulation's sizes, steps, leak and seed (Python names in messages);
    ``simulating``: also that the weights fit in memory."""
    for name, v, lo in (("layers", layers, 1), ("width", width, 2), ("batch", batch, 1), ("seed", seed, 0)):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < lo:
            raise BadInput(f"{name}={v!r} is not a whole number >= {lo}", f"give {name} as an integer >= {lo}",
                           subject=name)
    if simulating and layers * width * width > MAX_UNITS:
        raise BadInput(f"layers={layers} x width={width}^2 weights is too large to simulate",
                       f"keep layers * width^2 at most {MAX_UNITS:.0e}", subject="layers", also=("width",))
    if steps is not None and (isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 2):
        raise BadInput(f"steps={steps!r} is not a whole number >= 2", "give steps as an integer >= 2",
                       subject="steps")
    if leak is not None:
        if steps is None:
            raise BadInput("leak= needs steps= (the LIF unroll)", "give steps=T too, e.g. steps=20", subject="leak",
                           also=("steps",))
        try:
            lv = float(leak)
        except (TypeError, ValueError):
            raise BadInput(f"leak={leak!r} is not a number", "give leak in [0, 1]", subject="leak") from None
        if not (0.0 <= lv <= 1.0):
            raise BadInput(f"leak={leak!r} is outside [0, 1]", "give leak in [0, 1] (0: no memory, 1: no leak)",
                           subject="leak")


def _spike_and_params(target, params: Mapping[str, Any]):
    """(build(params) -> spike, float params dict, full set, compile key): float32 traced floats."""
    from ...evaluation import spike_builder

    full = target.validate(dict(params))
    build, traced, key = spike_builder(target, full, "float32")
    return build, traced, full, key


def _stack_fn(build, key):
    import jax
    import jax.numpy as jnp

    from ...evaluation.kernels import cached

    def run(W, u0, d_top, fp, sigma_w, shift):
        spike = build(fp)

        def forward(u, Wl):
            nxt = sigma_w * spike(u) @ Wl.T + shift
            return nxt, u

        _, inputs = jax.lax.scan(forward, u0, W)  # inputs[l] = membranes entering layer l

        def backward(d, xs):
            Wl, u = xs

            def proj(v):
                return jnp.sum(d * (sigma_w * spike(v) @ Wl.T + shift))

            g = jax.grad(proj)(u)
            ratio = jnp.sum(g * g, axis=1) / jnp.sum(d * d, axis=1)
            norm = jnp.sqrt(jnp.sum(g * g, axis=1, keepdims=True))
            g_next = jnp.where(norm > 0, g / jnp.where(norm > 0, norm, 1.0), d)
            return g_next, ratio

        _, ratios = jax.lax.scan(backward, d_top, (W, inputs), reverse=True)
        return ratios, inputs  # ratios: (layers, batch), in layer order

    if key is None:  # a user surrogate: compiled for this call only
        return jax.jit(run)
    return cached(("flow-stack", *key), lambda: jax.jit(run))


def _draw_inputs(rng_np, membrane: Membrane, shape):
    import numpy as np

    if membrane.kind == "empirical":
        return rng_np.choice(membrane.samples, size=shape).astype(np.float32)
    return (membrane.mean + membrane.std * rng_np.standard_normal(shape)).astype(np.float32)


def simulate_stack(target, params: Mapping[str, Any], membrane: Membrane, predicted: float, *,
                   layers: int = 20, width: int = 1000, batch: int = 16, seed: int = 0,
                   weights=None) -> StackSimulation:
    """Measure the per-layer squared-gradient-norm ratio of the random stack (see module doc).

    ``weights`` (layers, width, width) with N(0, 1/width) entries may be passed to reuse
    one draw across surrogates (float32).
    """
    import jax
    import jax.numpy as jnp
    import numpy as np

    check_sizes(layers, width, batch)
    build, fp, full, key = _spike_and_params(target, params)
    if weights is None:
        weights = random_weights(layers, width, seed)
    rng = np.random.default_rng(seed + 1)
    u0 = _draw_inputs(rng, membrane, (batch, width))
    d = rng.standard_normal((batch, width)).astype(np.float32)
    fn = _stack_fn(build, key)
    ratios, _ = fn(weights, jnp.asarray(u0), jnp.asarray(d), fp, jnp.float32(membrane.sigma_w),
                   jnp.float32(membrane.mean))
    ratios = np.asarray(jax.device_get(ratios), dtype=np.float64)
    per_layer = ratios.mean(axis=1)[::-1]  # top layer first
    with np.errstate(divide="ignore"):
        logs = np.log(per_layer)
    measured = float(np.exp(logs.mean())) if np.all(per_layer > 0) else 0.0
    stderr = float(logs.std(ddof=1) / math.sqrt(len(logs))) if layers > 1 and measured > 0 else math.nan
    notes = []
    if membrane.kind == "empirical":
        notes.append("the first layer's input is drawn from the file; the deeper layers' membranes "
                     "are the stack's own (Gaussian in the wide limit)")
    if membrane.sigma_w_given and membrane.kind == "gaussian":
        notes.append("sigma_w was given, so the stack's own membrane std is sigma_w*sqrt(rate), "
                     "not necessarily v_std")
    rel = measured / predicted - 1.0 if predicted > 0 else math.nan
    return StackSimulation(target.name, dict(full), layers, width, batch, seed, membrane.sigma_w,
                           [float(v) for v in per_layer], measured, float(predicted), float(rel), stderr, notes)


def random_weights(layers: int, width: int, seed: int):
    """``(layers, width, width)`` float32 weights with N(0, 1/width) entries (seeded NumPy)."""
    import jax.numpy as jnp
    import numpy as np

    w = np.random.default_rng(seed).standard_normal((layers, width, width), dtype=np.float32)
    w *= np.float32(1.0 / math.sqrt(width))
    return jnp.asarray(w)


def simulate_lif(target, params: Mapping[str, Any], membrane: Membrane, predicted: float, *,
                 layers: int = 4, width: int = 1000, batch: int = 8, steps: int = 10, leak: float = 0.9,
                 seed: int = 0) -> LifSimulation:
    """Unroll a LIF stack over ``steps`` and measure gradient ratios (see module doc).

    The threshold is ``membrane.theta`` for a network membrane, else 1.0; the bias puts
    the first step's membranes at the fixed point's mean. Runs in float64.
    """
    import jax
    import jax.numpy as jnp
    import numpy as np

    check_sizes(layers, width, batch, steps, leak)
    leak = float(leak)
    theta = membrane.theta if membrane.theta is not None else 1.0
    bias = membrane.mean + theta
    build, fp, full, _ = _spike_and_params(target, params)
    rng = np.random.default_rng(seed + 2)
    with jax.enable_x64(True):
        fp64 = {k: jnp.float64(v) for k, v in fp.items()}
        W = jax.random.normal(jax.random.PRNGKey(seed), (layers, width, width), dtype=jnp.float64) / math.sqrt(width)
        inp = (rng.random((steps, batch, width)) < membrane.rate).astype(np.float64)
        c = rng.standard_normal((batch, width))
        sw = float(membrane.sigma_w)

        def run(eps, fp_):
            spike = build(fp_)

            def step(carry, xs):
                V, S = carry
                below, e = xs
                newV, newS = [], []
                for l in range(layers):
                    v = leak * V[l] + sw * below @ W[l].T + bias - theta * jax.lax.stop_gradient(S[l]) + e[l]
                    s = spike(v - theta)
                    newV.append(v)
                    newS.append(s)
                    below = s
                V2, S2 = jnp.stack(newV), jnp.stack(newS)
                return (V2, S2), V2

            zeros = jnp.zeros((layers, batch, width))
            (V, _), Vs = jax.lax.scan(step, (zeros, zeros), (jnp.asarray(inp), jnp.swapaxes(eps, 0, 1)))
            loss = jnp.sum(c * V[layers - 1])
            return loss, Vs  # (steps, layers, batch, width)

        eps = jnp.zeros((layers, steps, batch, width))
        grads, Vs = jax.jit(jax.grad(run, has_aux=True))(eps, fp64)
        sq = np.asarray(jnp.sum(grads * grads, axis=(2, 3)))  # (layers, steps)
        Vs = np.asarray(Vs)
        g_mem = np.asarray(build(fp64).surrogate_grad(jnp.asarray(Vs - theta)))
    per_layer_tot = sq.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_layer = (per_layer_tot[:-1] / per_layer_tot[1:])[::-1]
        step_tot = sq.sum(axis=0)
        per_step = (step_tot[:-1] / step_tot[1:])[::-1]
    good = per_layer[np.isfinite(per_layer) & (per_layer > 0)]
    measured = float(np.exp(np.mean(np.log(good)))) if good.size == len(per_layer) and good.size else math.nan
    chi_mem = sw * sw * float(np.mean(g_mem * g_mem))
    rate = float(np.mean(Vs >= theta))
    notes = [
        "the single-step formula assumes Gaussian membranes at the fixed point and one path per layer; "
        "the leak carries membrane (and gradient) across steps and the detached reset reshapes the "
        "membrane distribution, so the relative error above is the formula's, not noise",
        f"per-step ratios: a layer's gradient also flows back in time through the leak (factor "
        f"leak^2 = {leak * leak:.4g} per step on that path alone)",
    ]
    if layers < 2:
        notes.append("per-layer ratios need layers >= 2")
    return LifSimulation(
        target.name, dict(full), layers, width, batch, steps, leak, theta, seed,
        [float(v) for v in per_layer], [float(v) for v in per_step], measured, float(predicted),
        measured / predicted - 1.0 if predicted > 0 and math.isfinite(measured) else math.nan,
        chi_mem, measured / chi_mem - 1.0 if chi_mem > 0 and math.isfinite(measured) else math.nan,
        rate, notes,
    )
