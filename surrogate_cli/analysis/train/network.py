r"""The network of Zenke & Vogels (2021): leaky integrate-and-fire hidden layer(s) with a
synaptic current, the package's own spike, and a non-spiking leaky readout.

Discrete time (step ``dt``), per hidden layer, with :math:`a = e^{-dt/\tau_{syn}}`,
:math:`b = e^{-dt/\tau_{mem}}`, threshold :math:`\vartheta = 1`:

.. math::

    S[n] = \mathrm{spike}(U[n] - \vartheta), \quad
    I[n+1] = a I[n] + W x[n] + V S[n], \quad
    U[n+1] = b U[n] + I[n] - \vartheta\, R[n],

with the reset :math:`R = \mathrm{stop\_gradient}(S)` (``reset="detached"``, the default),
:math:`R = S` (``"attached"``). ``spike`` is the Heaviside step whose derivative is the
surrogate's ``g'``. ``V`` (recurrent weights) only with ``recurrent=True``. The readout
integrates the last layer's spikes the same way without spiking; its logits are the
maximum over time of its membrane (``readout="max"``) or the sum (``"sum"``). The loss is
the cross-entropy of the logits plus, optionally, the paper's upper firing-rate
regulariser :math:`\lambda\, \mathrm{mean}_i [\bar c_i - c_{max}]_+^2` (``c_i``: spikes of
hidden neuron ``i`` per sample, averaged over the batch).

The gradient: with the detached reset and no recurrent weights (the defaults) the membrane
depends on its input currents linearly and through a fixed kernel, :math:`U = M h -
(\text{resets})` (:func:`kernel_matrix`), and the reset carries no gradient, so the input's
gradient is :math:`M^T (g' \odot \partial L/\partial S)`: the forward loop keeps :math:`g'`
at each step and the backward pass has no loop over time (the same for the linear readout).
Forward values are those of the recurrences' loop, to the bit; gradients are autodiff's
through the loops to float rounding (``tests/test_train_network.py``). Recurrent weights or
the attached reset: autodiff through the loop.

Initialisation: ``"fluctuation"`` (Rossbroich, Gygax & Zenke 2022): zero-mean normal
weights whose std puts the free membrane's fluctuations at :math:`\sigma_U = \vartheta/\xi`
given the input's measured spike rate (shot noise: :math:`\sigma_U^2 = N \sigma_w^2 \nu
\sum_n \epsilon[n]^2`, :math:`\epsilon` the discrete PSP kernel); deeper and recurrent
inputs are assumed to fire at the input's rate. ``"normal"``: std ``init_scale /
sqrt(fan_in)``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from ...errors import BadInput

__all__ = ["NetConfig", "psp_kernel", "init_stds", "init_params", "forward", "loss_and_stats"]

RESETS = ("detached", "attached")
READOUTS = ("max", "sum")
INITS = ("fluctuation", "normal")


@dataclass(frozen=True)
class NetConfig:
    """The network and its loss. Time constants in seconds."""

    hidden: tuple[int, ...] = (128,)
    tau_mem: float = 10e-3
    tau_syn: float = 5e-3
    dt: float = 1e-3
    recurrent: bool = False
    reset: str = "detached"
    readout: str = "max"
    init: str = "fluctuation"
    xi: float = 2.0  # fluctuation init: theta / sigma_U
    init_scale: float = 1.0  # normal init: std * sqrt(fan_in)
    reg_strength: float = 0.0  # firing-rate regulariser lambda (0: off)
    reg_max: float = 10.0  # spikes per neuron and sample above which it acts
    dtype: str = "float32"

    def check(self) -> None:
        if not self.hidden or any(isinstance(h, bool) or not isinstance(h, int) or h < 1 for h in self.hidden):
            raise BadInput(f"hidden={self.hidden!r}: layer sizes must be whole numbers >= 1",
                           "give e.g. hidden=(128,)", subject="hidden")
        for name in ("tau_mem", "tau_syn", "dt", "xi", "init_scale", "reg_max"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
                raise BadInput(f"{name}={v!r} must be a positive number", f"give {name} > 0", subject=name)
        if not isinstance(self.reg_strength, (int, float)) or not math.isfinite(self.reg_strength) \
                or self.reg_strength < 0:
            raise BadInput(f"reg_strength={self.reg_strength!r} must be a number >= 0",
                           "give reg_strength >= 0 (0: no regulariser)", subject="reg_strength")
        for name, allowed in (("reset", RESETS), ("readout", READOUTS), ("init", INITS)):
            v = getattr(self, name)
            if v not in allowed:
                from ...errors import did_you_mean

                raise BadInput(f"{name}={v!r} is not one of {', '.join(allowed)}",
                               f"{did_you_mean(str(v), allowed)}choose one of {', '.join(allowed)}", subject=name)
        if self.dtype not in ("float32", "float64"):
            raise BadInput(f"dtype={self.dtype!r}", "give float32 or float64", subject="dtype")

    @property
    def decays(self) -> tuple[float, float]:
        return math.exp(-self.dt / self.tau_syn), math.exp(-self.dt / self.tau_mem)


def psp_kernel(cfg: NetConfig, length: int | None = None) -> list[float]:
    """The membrane's response to one input spike of weight 1 (the recurrences above)."""
    a, b = cfg.decays
    n = length or int(20 * max(cfg.tau_mem, cfg.tau_syn) / cfg.dt) + 2
    syn, mem, out = 0.0, 0.0, []
    for t in range(n):
        syn, mem = a * syn + (1.0 if t == 0 else 0.0), b * mem + syn
        out.append(mem)
    return out


def init_stds(cfg: NetConfig, n_in: int, n_out: int, rate: float) -> list[tuple[str, float, tuple[int, int]]]:
    """(name, std, shape) of every weight matrix: ``w0, v0, w1, ..., out``."""
    eps2 = sum(e * e for e in psp_kernel(cfg))
    rate = max(float(rate), 1e-6)
    sigma_u = 1.0 / cfg.xi
    out = []
    fan = n_in
    for i, h in enumerate(cfg.hidden):
        share = 0.5 if cfg.recurrent else 1.0
        if cfg.init == "fluctuation":
            std = math.sqrt(share * sigma_u ** 2 / (fan * rate * eps2))
            vstd = math.sqrt(share * sigma_u ** 2 / (h * rate * eps2))
        else:
            std = cfg.init_scale / math.sqrt(fan)
            vstd = cfg.init_scale / math.sqrt(h)
        out.append((f"w{i}", std, (fan, h)))
        if cfg.recurrent:
            out.append((f"v{i}", vstd, (h, h)))
        fan = h
    if cfg.init == "fluctuation":
        out.append(("out", math.sqrt(1.0 / (fan * rate * eps2)), (fan, n_out)))
    else:
        out.append(("out", cfg.init_scale / math.sqrt(fan), (fan, n_out)))
    return out


def init_params(key, stds, dtype):
    import jax

    keys = jax.random.split(key, len(stds))
    return {name: std * jax.random.normal(k, shape, dtype=dtype) for k, (name, std, shape) in zip(keys, stds)}


def _lif_layer(cfg: NetConfig, spike: Callable, h, v=None, keep_mem: bool = False, grad_out: bool = False):
    """One hidden layer over time: input currents ``h`` (T, B, H) -> spikes (T, B, H) and, with
    ``keep_mem``, the membranes (T, B, H) (else None: not written out). With ``grad_out`` the
    second output is instead the surrogate's derivative ``g'(U - theta)`` at every step (the
    spike's tangent for a unit input tangent), computed inside the same loop."""
    import jax
    import jax.numpy as jnp

    a, b = cfg.decays
    detach = cfg.reset == "detached"

    def step(carry, h_t):
        syn, mem = carry
        if grad_out:
            x = mem - 1.0
            s, g = jax.jvp(spike, (x,), (jnp.ones_like(x),))
        else:
            s = spike(mem - 1.0)
        r = jax.lax.stop_gradient(s) if detach else s
        rec = h_t if v is None else h_t + s @ v
        out = (s, g) if grad_out else (s, mem) if keep_mem else s
        return (a * syn + rec, b * mem + syn - r), out

    zeros = jnp.zeros(h.shape[1:], h.dtype)
    _, out = jax.lax.scan(step, (zeros, zeros), h)
    return out if keep_mem or grad_out else (out, None)


def kernel_matrix(cfg: NetConfig, steps: int):
    """The (steps, steps) causal matrix ``M`` of the membrane's response to its input current:
    with zero initial state and no reset, the recurrences above give ``U = M h`` over time
    (``M[n, m] = psp[n - m - 1]`` for ``n > m``, the :func:`psp_kernel` one step later), and so
    does the readout (its membrane is ``M`` times its input). NumPy, float64."""
    import numpy as np

    k = np.concatenate([[0.0], psp_kernel(cfg, max(steps - 1, 1))])[:steps]
    n = np.arange(steps)
    lag = n[:, None] - n[None, :]
    return np.where(lag >= 0, k[np.clip(lag, 0, None)], 0.0)


def _time_conv(m, z, transpose: bool = False):
    """``M z`` (or ``M^T z``) along the leading time axis of ``z`` (T, ...)."""
    import jax.numpy as jnp

    return jnp.einsum("nt,n...->t..." if transpose else "tn,n...->t...", m, z)


def _weight_grad(a, d):
    """``sum over time and batch of a^T d`` for ``a`` (T, B, U), ``d`` (T, B, H) -> (U, H). The
    transpose of ``a`` is made explicitly (kept apart by :func:`jax.lax.optimization_barrier`)
    so the product is a plain row-major matrix product: XLA's CPU dot on a contraction over
    the leading axis of both operands measured about twice as slow (jax 0.10, 2-core CPU, the
    default network's shapes)."""
    import jax

    u = a.shape[-1]
    return jax.lax.optimization_barrier(a.reshape(-1, u).T) @ d.reshape(-1, d.shape[-1])


def _lif_detached(cfg: NetConfig, spike: Callable, inp, w):
    """A non-recurrent layer with the detached reset: input spikes ``inp`` (T, B, U), weights
    ``w`` (U, H) -> spikes (T, B, H); the same forward as :func:`_lif_layer` on ``inp @ w``, the
    same gradient by a shorter road. With the reset outside the gradient the membrane's only
    differentiated dependence on its input is linear and fixed, ``U = M h - (resets)``
    (:func:`kernel_matrix`), so ``dL/dh = M^T (g' * dL/dS)``: no backward loop over time. The
    forward loop keeps ``g'`` at each step; the backward is elementwise products and matrix
    products, and ``dL/dw = (M inp)^T (g' * dL/dS)`` (``M`` applied on the narrower side)."""
    import jax
    import jax.numpy as jnp

    steps = inp.shape[0]

    @jax.custom_vjp
    def layer(inp, w):
        return _lif_layer(cfg, spike, inp @ w)[0]

    def fwd(inp, w):
        s, g = _lif_layer(cfg, spike, inp @ w, grad_out=True)
        return s, (inp, w, g)

    def bwd(res, ds):
        inp, w, g = res
        m = jnp.asarray(kernel_matrix(cfg, steps), g.dtype)
        e = g * ds  # dL/d(free membrane), (T, B, H)
        u, h = w.shape
        if u <= h:
            dw = _weight_grad(_time_conv(m, inp), e)
            dinp = _time_conv(m, e @ w.T, transpose=True)
        else:
            dh = _time_conv(m, e, transpose=True)
            dw = _weight_grad(inp, dh)
            dinp = dh @ w.T
        return dinp.astype(inp.dtype), dw.astype(w.dtype)

    layer.defvjp(fwd, bwd)
    return layer(inp, w)


def _readout(cfg: NetConfig, s, w):
    """The readout's membrane over time (T, B, O) for the last layer's spikes ``s`` (T, B, H)
    and weights ``w`` (H, O): the recurrences' loop forward on ``s @ w``; the readout is
    linear, so its input's gradient is ``M^T`` times the membrane's (no loop backward)."""
    import jax
    import jax.numpy as jnp

    a, b = cfg.decays

    def run(s, w):
        def step(carry, h_t):
            syn, mem = carry
            return (a * syn + h_t, b * mem + syn), mem

        h = s @ w
        zeros = jnp.zeros(h.shape[1:], h.dtype)
        return jax.lax.scan(step, (zeros, zeros), h)[1]

    @jax.custom_vjp
    def readout(s, w):
        return run(s, w)

    def fwd(s, w):
        return run(s, w), (s, w)

    def bwd(res, dmem):
        s, w = res
        dh = _time_conv(jnp.asarray(kernel_matrix(cfg, dmem.shape[0]), dmem.dtype), dmem, transpose=True)
        return (dh @ w.T).astype(s.dtype), _weight_grad(s, dh).astype(w.dtype)

    readout.defvjp(fwd, bwd)
    return readout(s, w)


def forward(cfg: NetConfig, params: dict, spike: Callable, x, keep_mem: bool = False):
    """``x`` (B, T, U) -> logits (B, O), hidden spikes per layer (T, B, H), and with ``keep_mem``
    the first layer's membrane (T, B, H) (else None)."""
    import jax.numpy as jnp

    inp = jnp.swapaxes(x, 0, 1)  # (T, B, U)
    spikes, first_mem = [], None
    for i in range(len(cfg.hidden)):
        if keep_mem and i == 0 or cfg.recurrent or cfg.reset != "detached":
            s, mem = _lif_layer(cfg, spike, inp @ params[f"w{i}"], params.get(f"v{i}"), keep_mem and i == 0)
        else:
            s, mem = _lif_detached(cfg, spike, inp, params[f"w{i}"]), None
        spikes.append(s)
        first_mem = mem if first_mem is None else first_mem
        inp = s
    out = _readout(cfg, inp, params["out"])  # (T, B, O)
    logits = out.max(axis=0) if cfg.readout == "max" else out.sum(axis=0)
    return logits, spikes, first_mem


def loss_and_stats(cfg: NetConfig, params: dict, spike: Callable, x, y, weight=None) -> tuple[Any, dict]:
    """Mean cross-entropy (+ regulariser) over the batch (``weight`` masks padding) and
    (loss sum, correct count, spike count, sample count)."""
    import jax
    import jax.numpy as jnp
    import optax

    logits, spikes, _ = forward(cfg, params, spike, x)
    w = jnp.ones(y.shape, logits.dtype) if weight is None else weight.astype(logits.dtype)
    n = jnp.maximum(w.sum(), 1.0)
    ce = optax.softmax_cross_entropy_with_integer_labels(logits, y)
    loss = (ce * w).sum() / n
    counts = [s.sum(axis=0) for s in spikes]  # (B, H) spikes per neuron and sample
    if cfg.reg_strength > 0:
        reg = sum(jnp.mean(jax.nn.relu((c * w[:, None]).sum(0) / n - cfg.reg_max) ** 2) for c in counts)
        loss = loss + cfg.reg_strength * reg
    correct = ((jnp.argmax(logits, axis=1) == y) * w).sum()
    spk = sum((c.mean(axis=1) * w).sum() for c in counts) / len(counts)  # mean over neurons, summed over samples
    return loss, {"ce_sum": (ce * w).sum(), "correct": correct, "spikes": spk, "n": w.sum()}
