"""lava-dl SLAYER (slayer/spike/spike.py, neuron/cuba.py): forward voltage >= threshold."""
from __future__ import annotations

import math
from typing import Any

from ..params import Param
from .base import *  # noqa: F401,F403 - the types and helpers every library module uses
from .base import Equivalence, Unavailable

#: where the formulas below were read (the PyPI release; main-branch differences noted)
LAVA_DL = Source(
    "lava-nc/lava-dl", "src/lava/lib/dl/slayer/spike/spike.py (neuron/base.py, neuron/cuba.py)",
    "lava-dl 0.6.0 (PyPI wheel)", "git tag v0.6.0 8b3c9e03; identical on main d825ac5",
)
LIBRARY = register_library("lava_dl", "lava-dl", LAVA_DL)

RECORDS: list = []

# ---- lava-dl SLAYER (forward: voltage >= threshold) ------------------------------------------------


def _slayer_inverse(tp, f, s, k):
    if s != 0 or not close(k, 1.0):
        return None
    return {"tau_rho": 1.0 / float(tp["alpha"]), "scale_rho": f}


RECORDS.append(make_record(
    "lava_dl", "slayer", "LavaDlSlayer",
    (Param("tau_rho", 1.0, "gradient relaxation (width); neurons pass tau_grad*threshold"),
     Param("scale_rho", 1.0, "gradient scale; neurons pass scale_grad")),
    r"g'(x) = \frac{s}{2\tau}e^{-|x|/\tau}", r"g(x) = \frac{1}{2}+\frac{s}{2}\mathrm{sgn}(x)(1-e^{-|x|/\tau})",
    "SLAYER's spike function (graded_spike=False): a Laplace gradient of area scale_rho.",
    (-4.0, 4.0), "exponential", ">=",
    equivalent=Equivalence(
        target="piecewise_exp", params=lambda tau_rho, scale_rho: {"alpha": 1.0 / tau_rho},
        mapping="alpha = 1/tau_rho", factor=lambda tau_rho, scale_rho: scale_rho, factor_text="scale_rho",
        inverse=_slayer_inverse,
    ),
    oddities=("Spike.apply has no defaults; 1 and 1 here are what base neurons pass with tau_grad = "
              "scale_grad = threshold = 1 (CUBA-family neurons rescale them, see lava_dl.cuba)",),
    code=lambda tau_rho, scale_rho: (
        "from lava.lib.dl.slayer.spike.spike import Spike\n"
        f"spikes = Spike.apply(voltage, threshold, {num(tau_rho)}, {num(scale_rho)}, False, 0, 1)"),
    breakpoints=lambda tau_rho, scale_rho: [0.0],
))

CUBA_THRESHOLD_EPS = 0.01 / 4096.0  # threshold_eps = 0.01 / s_scale, s_scale = scale * 64 = 4096 by default


def quantized_threshold(threshold: float) -> float:
    return int(threshold * 64) / 64.0


def _cuba_inverse(tp, f, s, k):
    return None  # the threshold quantization and the epsilon shift tie the shift to the threshold


RECORDS.append(make_record(
    "lava_dl", "cuba", "LavaDlCuba",
    (Param("threshold", 1.0, "neuron threshold (required by lava-dl; 1 here)"),
     Param("tau_grad", 1.0, "gradient width, times the threshold"), Param("scale_grad", 1.0, "gradient scale")),
    r"g'(x) = \frac{0.1\,s}{2\tau}e^{-|x-\epsilon'|/\tau},\ \tau=100\,\tau_{g}\,\theta_{q}",
    r"g(x) = \frac{1}{2}+\int_{0}^{x}g'",
    "slayer.neuron.cuba.Neuron's spike: SLAYER's exponential, 100 x wider and 10 x lower than tau_grad, scale_grad say.",
    (-400.0, 400.0), "exponential", ">=",
    spike_offset=lambda threshold, tau_grad, scale_grad: quantized_threshold(threshold) + CUBA_THRESHOLD_EPS - threshold,
    equivalent=Equivalence(
        target="piecewise_exp",
        params=lambda threshold, tau_grad, scale_grad: {"alpha": 1.0 / (100.0 * tau_grad * quantized_threshold(threshold))},
        mapping="alpha = 1/(100 tau_grad theta_q)",
        factor=lambda threshold, tau_grad, scale_grad: 0.1 * scale_grad, factor_text="0.1 scale_grad",
        shift=lambda threshold, tau_grad, scale_grad: quantized_threshold(threshold) + CUBA_THRESHOLD_EPS - threshold,
        shift_text="theta_q + 0.01/4096 - threshold",
        inverse=_cuba_inverse,
    ),
    oddities=(
        "CUBA neurons call Spike with tau_rho*TAU_RHO_MULT (100) and scale_rho*SCALE_RHO_MULT (0.1): the "
        "gradient is 100 x wider and 10 x lower than tau_grad and scale_grad suggest",
        "the threshold is quantized to theta_q = int(64 threshold)/64 and the spike fires at v >= theta_q + "
        "0.01/4096 (threshold_eps with the default scale 64), so x = v - threshold is shifted by "
        "theta_q + 0.01/4096 - threshold",
    ),
    code=lambda threshold, tau_grad, scale_grad: (
        "from lava.lib.dl import slayer\n"
        f"neuron = slayer.neuron.cuba.Neuron(threshold={num(threshold)}, current_decay=..., voltage_decay=..., "
        f"tau_grad={num(tau_grad)}, scale_grad={num(scale_grad)})  # fill in the decays of your model"),
    breakpoints=lambda threshold, tau_grad, scale_grad: [quantized_threshold(threshold) + CUBA_THRESHOLD_EPS - threshold],
))


#: Not deterministic spike surrogates, with the reason.
UNAVAILABLE: tuple = (
    Unavailable("lava_dl", "slayer_graded", "graded spike (graded_spike=True): the forward emits voltage/scale, "
                "not a binary spike; its backward is scale_rho*exp(min(x, 0)/tau_rho)", LAVA_DL),
)
