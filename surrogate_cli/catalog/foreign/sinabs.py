"""sinabs (activation/surrogate_gradient_fn.py): x = v_mem - spike_threshold; forward x >= 0."""
from __future__ import annotations

import math
from typing import Any

from ..params import Param
from .base import *  # noqa: F401,F403 - the types and helpers every library module uses
from .base import Equivalence, Unavailable

#: where the formulas below were read (the PyPI release; main-branch differences noted)
SINABS = Source(
    "synsense/sinabs", "sinabs/activation/surrogate_gradient_fn.py (spike_generation.py for the forward)",
    "sinabs 3.1.3 (PyPI wheel)", "git tag v3.1.3 d84078e0; identical on main 904eb89",
)
LIBRARY = register_library("sinabs", "sinabs", SINABS)

RECORDS: list = []

# ---- sinabs (x = v_mem - spike_threshold; forward SingleSpike: x >= 0; MultiSpike: >= 1 spike iff x >= 0)


def _heav_inverse(tp, f, s, k):
    if float(tp["alpha"]) != 0.0 or not close(k, 1.0):
        return None
    beta = float(tp["beta"]) * f
    if beta <= 0:
        return None
    return {"window": -s, "spike_threshold": 1.0 / beta}


_TH = Param("spike_threshold", 1.0, "the layer's spike_threshold (sinabs passes it in)")
RECORDS.append(make_record(
    "sinabs", "Heaviside", "SinabsHeaviside",
    (Param("window", 1.0, "distance below the threshold where the gradient starts", low=None), _TH),
    r"g'(x) = \frac{1}{\theta}\ (x\geq -w);\ \ 0",
    r"g(x) = \frac{1}{2}+\frac{\max(x,-w)-\max(0,-w)}{\theta}",
    "A step gradient 1/threshold from window below the threshold upwards (no upper edge).",
    (-3.0, 3.0), "spike-gated STE", ">=",
    equivalent=Equivalence(
        target="leaky_relu", params=lambda window, spike_threshold: {"alpha": 0.0, "beta": 1.0 / spike_threshold},
        mapping="alpha = 0, beta = 1/spike_threshold", shift=lambda window, spike_threshold: -window,
        shift_text="-window", inverse=_heav_inverse,
    ),
    oddities=("the docstring calls window 'relative to threshold' but the code subtracts it as an absolute "
              "voltage (v >= threshold - window); the gradient stays 1/threshold for every v above, "
              "so it is a shifted step, not a window",),
    code=sinabs_code("Heaviside"), breakpoints=lambda window, spike_threshold: [-window],
    exceptions={"peak_at_zero": "a step gradient has no peak, by design"},
))


def _gauss_inverse(tp, f, s, k):
    if not close(k, 1.0):
        return None
    return {"mu": s, "sigma": float(tp["sigma"]), "grad_scale": float(tp["alpha"]) * f}


RECORDS.append(make_record(
    "sinabs", "Gaussian", "SinabsGaussian",
    (Param("mu", 0.0, "centre of the Gaussian (relative to the threshold)", low=None),
     Param("sigma", 0.5, "standard deviation"), Param("grad_scale", 1.0, "scale (the area)")),
    r"g'(x) = \frac{s}{\sqrt{2\pi}\,\sigma}e^{-(x-\mu)^{2}/(2\sigma^{2})}",
    r"g(x) = \frac{1}{2}+\frac{s}{2}(\mathrm{erf}(\frac{x-\mu}{\sqrt{2}\sigma})+\mathrm{erf}(\frac{\mu}{\sqrt{2}\sigma}))",
    "Gaussian gradient of area grad_scale centred at mu.", (-2.0, 2.0), "gaussian", ">=",
    equivalent=Equivalence(
        target="gaussian_grad", params=lambda mu, sigma, grad_scale: {"sigma": sigma, "alpha": grad_scale},
        mapping="sigma = sigma, alpha = grad_scale", shift=lambda mu, sigma, grad_scale: mu, shift_text="mu",
        inverse=_gauss_inverse,
    ),
    code=sinabs_code("Gaussian"),
))


def _mg_params(mu, sigma, h, s, grad_scale):
    if mu != 0:
        return None
    return {"h": h, "s": s, "sigma": sigma, "scale": grad_scale}


def _mg_inverse(tp, f, s, k):
    if s != 0 or not close(k, 1.0):
        return None
    return {"mu": 0.0, "sigma": tp["sigma"], "h": tp["h"], "s": tp["s"], "grad_scale": float(tp["scale"]) * f}


RECORDS.append(make_record(
    "sinabs", "MultiGaussian", "SinabsMultiGaussian",
    (Param("mu", 0.0, "centre of the central Gaussian only", low=None), Param("sigma", 0.5, "standard deviation"),
     Param("h", 0.15, "depth of the negative side lobes", low_open=False),
     Param("s", 6.0, "width ratio of the side Gaussians"), Param("grad_scale", 1.0, "overall scale")),
    r"g'(x) = k[(1+h)\mathcal{N}(x;\mu,\sigma^{2})-h\mathcal{N}(x;\sigma,s^{2}\sigma^{2})-h\mathcal{N}(x;-\sigma,s^{2}\sigma^{2})]",
    r"g(x) = \frac{1}{2}+\int_{0}^{x}g'",
    "Yin et al.'s multi-Gaussian: a central Gaussian minus two wide side Gaussians.",
    (-3.0, 3.0), "multi-gaussian", ">=",
    equivalent=Equivalence(
        target="multi_gaussian_grad", params=_mg_params, mapping="h = h, s = s, sigma = sigma, scale = grad_scale",
        condition="mu = 0 (mu moves only the central Gaussian)", inverse=_mg_inverse,
    ),
    oddities=("mu shifts only the central Gaussian; the side Gaussians stay at +-sigma",),
    code=sinabs_code("MultiGaussian"),
    exceptions={"grad_nonnegative": "the wide side Gaussians are subtracted: negative side lobes, by design",
                "fun_monotone": "where the side lobes make g' negative, its antiderivative falls, by design"},
))


def _se_inverse(tp, f, s, k):
    if s != 0 or not close(k, 1.0):
        return None
    return {"grad_width": 1.0 / float(tp["alpha"]), "grad_scale": f / 2.0, "spike_threshold": 1.0}


RECORDS.append(make_record(
    "sinabs", "SingleExponential", "SinabsSingleExponential",
    (Param("grad_width", 0.5, "width, relative to the threshold"), Param("grad_scale", 1.0, "scale"), _TH),
    r"g'(x) = \frac{s}{\theta w}e^{-|x|/(\theta w)}",
    r"g(x) = \frac{1}{2}+s\,\mathrm{sgn}(x)(1-e^{-|x|/(\theta w)})",
    "SLAYER's exponential, width grad_width*threshold, area 2*grad_scale.", (-3.0, 3.0), "exponential", ">=",
    equivalent=Equivalence(
        target="piecewise_exp",
        params=lambda grad_width, grad_scale, spike_threshold: {"alpha": 1.0 / (spike_threshold * grad_width)},
        mapping="alpha = 1/(spike_threshold grad_width)",
        factor=lambda grad_width, grad_scale, spike_threshold: 2.0 * grad_scale, factor_text="2 grad_scale",
        inverse=_se_inverse,
    ),
    code=sinabs_code("SingleExponential"), breakpoints=lambda grad_width, grad_scale, spike_threshold: [0.0],
))
RECORDS.append(make_record(
    "sinabs", "PeriodicExponential", "SinabsPeriodicExponential",
    (Param("grad_width", 0.5, "width (absolute, not scaled by the threshold)"), Param("grad_scale", 1.0, "scale"), _TH),
    r"g'(x) = s\,e^{-|u|/w},\ u = x\ (x<0);\ \ \theta(2\,\mathrm{frac}(\frac{x}{\theta}+\frac{1}{2})-1)\ (x\geq 0)",
    None,
    "Weidel & Sheik's periodic exponential: an exponential bump at every multiple of the threshold above it.",
    (-2.0, 4.0), "periodic exponential", ">=",
    oddities=("unlike SingleExponential, grad_width is not multiplied by the threshold",
              "above the threshold the gradient repeats with period spike_threshold (a bump at each v = N "
              "threshold) and jumps at v = (N + 1/2) threshold",),
    code=sinabs_code("PeriodicExponential"),
    breakpoints=lambda grad_width, grad_scale, spike_threshold: [0.0] + [
        (n + 0.5) * spike_threshold for n in range(0, 8)],
    exceptions={"peak_at_zero": "the periodic gradient has equal peaks at every multiple of the threshold"},
))


#: Not deterministic spike surrogates, with the reason.
UNAVAILABLE: tuple = (
)
