"""snnTorch (snntorch/surrogate.py): forward (input_ > 0).float() everywhere."""
from __future__ import annotations

import math
from typing import Any

from ..params import Param
from .base import *  # noqa: F401,F403 - the types and helpers every library module uses
from .base import Equivalence, Unavailable

#: where the formulas below were read (the PyPI release; main-branch differences noted)
SNNTORCH = Source(
    "jeshraghian/snntorch", "snntorch/surrogate.py", "snntorch 1.0.0 (PyPI wheel)",
    "file identical to git tag v0.9.4 f5cb7465 and to main 634fc22 of 2026-05-11",
)
LIBRARY = register_library("snntorch", "snnTorch", SNNTORCH)

RECORDS: list = []

_FLOAT32_OVERFLOW = (
    "the library evaluates slope*exp(-slope*x)/(exp(-slope*x)+1)^2 literally, which overflows to inf/inf "
    "= nan in float32 where slope*x < -88.7 (x < -3.55 at slope 25; float64: slope*x < -709.8); here the "
    "same even function is evaluated at |x| (the library's arithmetic for x >= 0), which is finite there"
)

# ---- snnTorch (forward: (input_ > 0).float()) ------------------------------------------------

RECORDS.append(make_record(
    "snntorch", "straight_through_estimator", "SnntorchStraightThroughEstimator", (),
    r"g'(x) = 1", r"g(x) = x+\frac{1}{2}",
    "Straight-through estimator: the incoming gradient passes unchanged, everywhere.",
    (-2.0, 2.0), "straight-through", ">",
    equivalent=same_params("leaky_relu", extra={"alpha": 1.0, "beta": 1.0}),
    code=snntorch_code("straight_through_estimator"),
    exceptions={"peak_at_zero": "a constant gradient has no peak, by design"},
))
RECORDS.append(make_record(
    "snntorch", "triangular", "SnntorchTriangular",
    (Param("threshold", 1, "the constant magnitude of the gradient (not a triangle)", low=None),),
    r"g'(x) = \theta\ (x<0);\ \ -\theta\ (x\geq 0)", r"g(x) = \frac{1}{2}-\theta|x|",
    "snnTorch's 'triangular': +threshold below 0 and -threshold at and above 0 -- a sign flip, not a triangle.",
    (-2.0, 2.0), "sign flip", ">",
    oddities=(
        "not a triangle: backward is grad*threshold, negated where input >= 0 (so the gradient is "
        "negative for every spiking input); the docstring's cases say the same",
    ),
    code=snntorch_code("triangular"),
    breakpoints=lambda threshold: [0.0],
    exceptions={
        "grad_nonnegative": "snnTorch's triangular is -threshold for x >= 0: a sign flip, as the library defines it",
        "fun_monotone": "snnTorch's triangular flips sign at 0, so its antiderivative rises then falls",
        "peak_at_zero": "snnTorch's triangular is constant on each side of 0 with opposite signs (no peak)",
        },
))
RECORDS.append(make_record(
    "snntorch", "fast_sigmoid", "SnntorchFastSigmoid", (Param("slope", 25, STEEP),),
    r"g'(x) = \frac{1}{(k|x|+1)^{2}}", r"g(x) = \frac{1}{2}+\frac{x}{1+k|x|}",
    "Fast sigmoid (SuperSpike): peak 1 at the threshold, tails ~ 1/x^2.",
    (-1.0, 1.0), "fast sigmoid", ">",
    equivalent=same_params("inv_square_grad", rename={"slope": "alpha"}, names=("slope",)),
    code=snntorch_code("fast_sigmoid"), breakpoints=lambda slope: [0.0],
))
RECORDS.append(make_record(
    "snntorch", "atan", "SnntorchAtan", (Param("alpha", 2.0, STEEP),),
    r"g'(x) = \frac{\alpha/2}{1+(\frac{\pi}{2}\alpha x)^{2}}", r"g(x) = \frac{1}{\pi}\arctan(\frac{\pi}{2}\alpha x)+\frac{1}{2}",
    "Arctangent: Cauchy-shaped gradient of height alpha/2, area 1.",
    (-3.0, 3.0), "arctan", ">",
    equivalent=same_params("arctan", names=("alpha",)),
    oddities=("the docstring writes the gradient as (1/pi)/(1+(pi U alpha/2)^2); the code computes "
              "(alpha/2)/(1+(pi alpha U/2)^2), which is what is implemented here",),
    code=snntorch_code("atan"),
))
RECORDS.append(make_record(
    "snntorch", "heaviside", "SnntorchHeaviside", (),
    r"g'(x) = 1\ (x>0);\ \ 0\ (x\leq 0)", r"g(x) = \max(x,0)+\frac{1}{2}",
    "Spike-gated straight-through: the gradient passes (1) only where the neuron spiked (x > 0).",
    (-2.0, 2.0), "spike-gated STE", ">",
    equivalent=same_params("leaky_relu", extra={"alpha": 0.0, "beta": 1.0},
                     edges=lambda: [0.0], edges_text="x = 0 (snnTorch passes 0 there, leaky_relu beta)"),
    oddities=("the class is wrapped in @staticmethod at module level; surrogate.heaviside() works",),
    code=snntorch_code("heaviside"), breakpoints=lambda: [0.0],
    exceptions={"peak_at_zero": "the gradient is 0 below and 1 above the threshold: a step, by design"},
))
RECORDS.append(make_record(
    "snntorch", "sigmoid", "SnntorchSigmoid", (Param("slope", 25, STEEP),),
    r"g'(x) = \frac{k\,e^{-kx}}{(e^{-kx}+1)^{2}}", r"g(x) = \frac{1}{1+e^{-kx}}",
    "Logistic sigmoid gradient of height slope/4, written with exp(-slope x).",
    (-0.5, 0.5), "sigmoid", ">",
    equivalent=same_params("sigmoid", rename={"slope": "alpha"}, names=("slope",)),
    oddities=(_FLOAT32_OVERFLOW,),
    code=snntorch_code("sigmoid"),
))


def _sre_inverse(tp, f, s, k):
    if not (close(k, 1.0) and close(s, 1.0)):
        return None
    return {"beta": tp["alpha"], "slope": f}


RECORDS.append(make_record(
    "snntorch", "spike_rate_escape", "SnntorchSpikeRateEscape",
    (Param("beta", 1, "decay rate of the exponential"), Param("slope", 25, "height of the peak")),
    r"g'(x) = k\,e^{-\beta|x-1|}",
    r"g(x) = \frac{1}{2}+k\,(F(x)-F(0)),\ F(x)=\frac{e^{\beta(x-1)}}{\beta}\ (x<1);\ \frac{2-e^{-\beta(x-1)}}{\beta}",
    "Escape-rate exponential, peak slope at x = 1 (one unit above the threshold), not at 0.",
    (-3.0, 5.0), "exponential", ">",
    equivalent=Equivalence(
        target="slayer_grad", params=lambda beta, slope: {"alpha": beta}, mapping="alpha = beta",
        factor=lambda beta, slope: slope, factor_text="slope",
        shift=lambda beta, slope: 1.0, shift_text="1", inverse=_sre_inverse,
    ),
    oddities=("centred at x = 1, not at the threshold: |input_ - 1| with input_ = U - U_thr",),
    code=snntorch_code("spike_rate_escape"), breakpoints=lambda beta, slope: [1.0],
    exceptions={"peak_at_zero": "snnTorch centres spike_rate_escape at x = 1, by its definition",
                "fun_half_at_zero": "the gradient is centred at x = 1, so g crosses 1/2 at 0 only by the "
                                    "1/2 + integral-from-0 convention, not at its midpoint"},
))
RECORDS.append(make_record(
    "snntorch", "SFS", "SnntorchSFS",
    (Param("slope", 25, STEEP), Param("B", 1, "sparsity threshold: gradient only where x > B", low=None)),
    r"g'(x) = \frac{1}{(k|x|+1)^{2}}\ (x>B);\ \ 0\ (x\leq B)",
    r"g(x) = \frac{1}{2}+G(\max(x,B))-G(\max(0,B)),\ G(x)=\frac{x}{1+k|x|}",
    "Sparse fast sigmoid: the fast-sigmoid gradient kept only where x > B.",
    (-1.0, 3.0), "sparse fast sigmoid", ">",
    oddities=("with the default B = 1 the gradient is 0 on the whole threshold region x <= 1; only "
              "the tail x > 1 (values below 1/676 at slope 25) passes",),
    code=snntorch_code("SFS"), breakpoints=lambda slope, B: sorted({0.0, float(B)}),
    exceptions={"peak_at_zero": "SFS cuts the gradient to 0 for x <= B, so the largest value sits just above B",
                "fun_half_at_zero": "SFS's gradient is 0 around the threshold (x <= B), by design"},
))


#: Not deterministic spike surrogates, with the reason.
UNAVAILABLE: tuple = (
    Unavailable("snntorch", "SSO", "stochastic: below the threshold the gradient is (U[-0.5, 0.5) + mean) * "
                "variance, fresh uniform noise on every backward pass", SNNTORCH),
    Unavailable("snntorch", "LSO", "broken as released: LSO() calls StochasticSpikeOperator.apply(x, slope), "
                "one argument short, so calling it raises TypeError (and LeakySpikeOperator.backward returns one "
                "gradient for two inputs)", SNNTORCH),
    Unavailable("snntorch", "custom_surrogate", "a wrapper around a user-supplied gradient function, not a "
                "surrogate of its own", SNNTORCH),
)
