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


def _lif_layer(cfg: NetConfig, spike: Callable, h, v=None, keep_mem: bool = False):
    """One hidden layer over time: input currents ``h`` (T, B, H) -> spikes (T, B, H) and, with
    ``keep_mem``, the membranes (T, B, H) (else None: not written out)."""
    import jax
    import jax.numpy as jnp

    a, b = cfg.decays
    detach = cfg.reset == "detached"

    def step(carry, h_t):
        syn, mem = carry
        s = spike(mem - 1.0)
        r = jax.lax.stop_gradient(s) if detach else s
        rec = h_t if v is None else h_t + s @ v
        return (a * syn + rec, b * mem + syn - r), ((s, mem) if keep_mem else s)

    zeros = jnp.zeros(h.shape[1:], h.dtype)
    _, out = jax.lax.scan(step, (zeros, zeros), h)
    return out if keep_mem else (out, None)


def _readout(cfg: NetConfig, h):
    import jax
    import jax.numpy as jnp

    a, b = cfg.decays

    def step(carry, h_t):
        syn, mem = carry
        return (a * syn + h_t, b * mem + syn), mem

    zeros = jnp.zeros(h.shape[1:], h.dtype)
    _, mem = jax.lax.scan(step, (zeros, zeros), h)
    return mem


def forward(cfg: NetConfig, params: dict, spike: Callable, x, keep_mem: bool = False):
    """``x`` (B, T, U) -> logits (B, O), hidden spikes per layer (T, B, H), and with ``keep_mem``
    the first layer's membrane (T, B, H) (else None)."""
    import jax.numpy as jnp

    inp = jnp.swapaxes(x, 0, 1)  # (T, B, U)
    spikes, first_mem = [], None
    for i in range(len(cfg.hidden)):
        s, mem = _lif_layer(cfg, spike, inp @ params[f"w{i}"], params.get(f"v{i}"), keep_mem and i == 0)
        spikes.append(s)
        first_mem = mem if first_mem is None else first_mem
        inp = s
    out = _readout(cfg, inp @ params["out"])  # (T, B, O)
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
