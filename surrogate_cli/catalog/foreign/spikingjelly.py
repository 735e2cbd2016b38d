"""SpikingJelly (activation_based/surrogate.py): forward heaviside(x) = (x >= 0)."""
from __future__ import annotations

import math
from typing import Any

from ..params import Param
from .base import *  # noqa: F401,F403 - the types and helpers every library module uses
from .base import Equivalence, Unavailable

#: where the formulas below were read (the PyPI release; main-branch differences noted)
SPIKINGJELLY = Source(
    "fangwei123456/spikingjelly", "spikingjelly/activation_based/surrogate.py",
    "spikingjelly 2.0.0 (PyPI wheel; the repository has no release tags)",
    "compared with main afb13226 of 2026-08-08",
    "main adds CUDA code generation (cfunction); the PyTorch backward formulas are unchanged",
)
LIBRARY = register_library("spikingjelly", "SpikingJelly", SPIKINGJELLY)

RECORDS: list = []

# ---- SpikingJelly (forward: heaviside(x) = (x >= 0)) -------------------------------------------

RECORDS.append(make_record(
    "spikingjelly", "PiecewiseQuadratic", "SpikingjellyPiecewiseQuadratic",
    (Param("alpha", 1.0, "inverse half-width of the window"),),
    r"g'(x) = \alpha-\alpha^{2}|x|\ (|x|\leq\frac{1}{\alpha});\ \ 0",
    r"g(x) = (1-\frac{\alpha|x|}{2})\,\alpha x+\frac{1}{2}\ (|x|\leq\frac{1}{\alpha});\ 0\ \mathrm{or}\ 1",
    "Triangular gradient of height alpha on |x| <= 1/alpha.",
    (-3.0, 3.0), "triangle", ">=",
    equivalent=same_params("piecewise_quadratic", names=("alpha",)),
    code=spikingjelly_code("PiecewiseQuadratic"), breakpoints=lambda alpha: [-1.0 / alpha, 0.0, 1.0 / alpha],
))
RECORDS.append(make_record(
    "spikingjelly", "PiecewiseExp", "SpikingjellyPiecewiseExp", (Param("alpha", 1.0, STEEP),),
    r"g'(x) = \frac{\alpha}{2}e^{-\alpha|x|}",
    r"g(x) = \frac{1}{2}e^{\alpha x}\ (x<0);\ \ 1-\frac{1}{2}e^{-\alpha x}",
    "Laplace-shaped gradient, area 1.", (-3.0, 3.0), "exponential", ">=",
    equivalent=same_params("piecewise_exp", names=("alpha",)),
    code=spikingjelly_code("PiecewiseExp"), breakpoints=lambda alpha: [0.0],
))
RECORDS.append(make_record(
    "spikingjelly", "Sigmoid", "SpikingjellySigmoid", (Param("alpha", 4.0, STEEP),),
    r"g'(x) = \alpha\,\sigma(\alpha x)(1-\sigma(\alpha x))", r"g(x) = \sigma(\alpha x)",
    "Logistic sigmoid gradient, area 1.", (-2.0, 2.0), "sigmoid", ">=",
    equivalent=same_params("sigmoid", names=("alpha",)), code=spikingjelly_code("Sigmoid"),
))
RECORDS.append(make_record(
    "spikingjelly", "SoftSign", "SpikingjellySoftSign", (Param("alpha", 2.0, STEEP),),
    r"g'(x) = \frac{1}{2\alpha(\frac{1}{\alpha}+|x|)^{2}}", r"g(x) = \frac{1}{2}\frac{\alpha x}{1+|\alpha x|}+\frac{1}{2}",
    "Soft sign: height alpha/2, tails ~ 1/x^2, area 1.", (-3.0, 3.0), "fast sigmoid", ">=",
    equivalent=same_params("soft_sign", names=("alpha",)),
    code=spikingjelly_code("SoftSign"), breakpoints=lambda alpha: [0.0],
))
RECORDS.append(make_record(
    "spikingjelly", "SuperSpike", "SpikingjellySuperSpike", (Param("alpha", 1.0, "height of the peak"),),
    r"g'(x) = \frac{\alpha}{(1+|x|)^{2}}", r"g(x) = \frac{1}{2}+\frac{\alpha x}{1+|x|}",
    "SuperSpike with a fixed width: alpha scales the height, not the steepness.",
    (-3.0, 3.0), "fast sigmoid", ">=",
    equivalent=Equivalence(
        target="inv_square_grad", params=lambda alpha: {"alpha": 1.0}, mapping="alpha = 1",
        factor=lambda alpha: alpha, factor_text="alpha",
        inverse=lambda tp, f, s, k: {"alpha": f} if (close(float(tp["alpha"]), 1.0) and s == 0 and close(k, 1.0)) else None,
    ),
    oddities=("alpha is the height of the gradient, not its steepness (the width is fixed at 1)",),
    code=spikingjelly_code("SuperSpike"), breakpoints=lambda alpha: [0.0],
))
RECORDS.append(make_record(
    "spikingjelly", "ATan", "SpikingjellyATan", (Param("alpha", 2.0, STEEP),),
    r"g'(x) = \frac{\alpha/2}{1+(\frac{\pi}{2}\alpha x)^{2}}", r"g(x) = \frac{1}{\pi}\arctan(\frac{\pi}{2}\alpha x)+\frac{1}{2}",
    "Arctangent: Cauchy-shaped gradient of height alpha/2, area 1.", (-3.0, 3.0), "arctan", ">=",
    equivalent=same_params("arctan", names=("alpha",)), code=spikingjelly_code("ATan"),
))
RECORDS.append(make_record(
    "spikingjelly", "NonzeroSignLogAbs", "SpikingjellyNonzeroSignLogAbs", (Param("alpha", 1.0, STEEP),),
    r"g'(x) = \frac{1}{1/\alpha+|x|}", r"g(x) = \frac{1}{2}+\mathrm{sgn}(x)\log(1+\alpha|x|)",
    "Signed logarithm: a heavy 1/|x| tail (infinite area).", (-3.0, 3.0), "signed log", ">=",
    equivalent=same_params("nonzero_sign_log", names=("alpha",)),
    code=spikingjelly_code("NonzeroSignLogAbs"), breakpoints=lambda alpha: [0.0],
    ))
RECORDS.append(make_record(
    "spikingjelly", "Erf", "SpikingjellyErf", (Param("alpha", 2.0, STEEP),),
    r"g'(x) = \frac{\alpha}{\sqrt{\pi}}e^{-\alpha^{2}x^{2}}", r"g(x) = \frac{1}{2}(1+\mathrm{erf}(\alpha x))",
    "Gaussian-shaped gradient, area 1.", (-3.0, 3.0), "gaussian", ">=",
    equivalent=same_params("erf", names=("alpha",)), code=spikingjelly_code("Erf"),
))
RECORDS.append(make_record(
    "spikingjelly", "PiecewiseLeakyReLU", "SpikingjellyPiecewiseLeakyReLU",
    (Param("w", 1.0, "half-width of the window"), Param("c", 0.01, "slope outside the window", low_open=False)),
    r"g'(x) = \frac{1}{2w}\ (|x|<w);\ \ c\ (|x|\geq w)",
    r"g(x) = \frac{x}{2w}+\frac{1}{2}\ (|x|\leq w);\ \ c\,(x\mp w)+\frac{1}{2}\pm\frac{1}{2}",
    "Box gradient 1/(2w) on |x| < w with a constant leak c outside.", (-3.0, 3.0), "rectangle", ">=",
    equivalent=same_params("piecewise_leaky_relu", names=("w", "c"),
                     edges=lambda w, c: [-w, w], edges_text="x = +-w (SpikingJelly: c there; built-in: 1/(2w))"),
    code=spikingjelly_code("PiecewiseLeakyReLU"), breakpoints=lambda w, c: [-w, w],
    ))


def _sq_params(n, T_period):
    return None if n < 2 else {"n": n - 1, "t_period": T_period}


RECORDS.append(make_record(
    "spikingjelly", "SquarewaveFourierSeries", "SpikingjellySquarewaveFourierSeries",
    (Param("n", 2, "number of terms (the backward sums n - 1 of them)", kind="int", low=1, low_open=False),
     Param("T_period", 8.0, "period of the square wave")),
    r"g'(x) = \frac{4}{T}\Sigma_{i=1}^{n-1}\cos((2i-1)\,\omega x),\ \omega=\frac{2\pi}{T}",
    r"g(x) = \frac{1}{2}+\frac{2}{\pi}\Sigma_{i=1}^{n-1}\frac{\sin((2i-1)\,\omega x)}{2i-1}",
    "Truncated Fourier series of a square wave; the backward sums n - 1 harmonics.",
    (-3.0, 3.0), "fourier series", ">=",
    equivalent=Equivalence(
        target="squarewave_fourier_series", params=_sq_params, mapping="n = n - 1, t_period = T_period",
        condition="n >= 2 (n = 1 sums no harmonic: the gradient is 0)",
        inverse=lambda tp, f, s, k: ({"n": int(tp["n"]) + 1, "T_period": tp["t_period"]}
                                     if (close(f, 1.0) and s == 0 and close(k, 1.0)) else None),
    ),
    oddities=("the backward loops 'for i in range(1, n)', so it sums n - 1 harmonics while the forward "
              "primitive function sums n: the gradient is not the derivative of the primitive; n = 1 "
              "gives a zero gradient",),
    code=spikingjelly_code("SquarewaveFourierSeries"),
    exceptions={"grad_nonnegative": "a truncated Fourier series rings below 0, by design",
                "fun_monotone": "the series is periodic, so g rises and falls, by design"},
))
RECORDS.append(make_record(
    "spikingjelly", "S2NN", "SpikingjellyS2NN",
    (Param("alpha", 4.0, "steepness of the sigmoid side (x < 0)"),
     Param("beta", 1.0, "scale of the 1/(x+1) side (x >= 0)", low_open=False)),
    r"g'(x) = \alpha\sigma(\alpha x)(1-\sigma(\alpha x))\ (x<0);\ \ \frac{\beta}{x+1}\ (x\geq 0)",
    r"g(x) = \sigma(\alpha x)\ (x<0);\ \ \beta\log(x+1)+\frac{1}{2}",
    "Sigmoid gradient below threshold, beta/(x+1) above.", (-3.0, 3.0), "s2nn", ">=",
    equivalent=same_params("s2nn", names=("alpha", "beta")),
    code=spikingjelly_code("S2NN"), breakpoints=lambda alpha, beta: [0.0],
    exceptions={"peak_at_zero": "the two sides meet at 0 with values alpha/4 and beta, by design"},
))


def _qps_inverse(tp, f, s, k):
    a = float(tp["alpha"])
    if a <= 1 or not (close(f, 1.0) and s == 0 and close(k, (a + 1) / (a - 1))):
        return None
    return {"alpha": a}


RECORDS.append(make_record(
    "spikingjelly", "QPseudoSpike", "SpikingjellyQPseudoSpike",
    (Param("alpha", 2.0, "tail fatness (> 1); smaller is heavier-tailed", low=1.0),),
    r"g'(x) = (1+\frac{2|x|}{\alpha-1})^{-\alpha}",
    r"g(x) = \frac{1}{2}+\frac{\mathrm{sgn}(x)}{2}(1-(1+\frac{2|x|}{\alpha-1})^{1-\alpha})",
    "q-PseudoSpike with alpha - 1 in the width (the paper and the built-in use alpha + 1).",
    (-3.0, 3.0), "q-pseudo-spike", ">=",
    equivalent=Equivalence(
        target="q_pseudo_spike", params=lambda alpha: {"alpha": alpha}, mapping="alpha = alpha",
        x_scale=lambda alpha: (alpha + 1.0) / (alpha - 1.0), x_scale_text="(alpha+1)/(alpha-1)",
        inverse=_qps_inverse,
    ),
    oddities=("the width uses alpha - 1 (2|x|/(alpha-1)), so alpha = 1 divides by zero and the area is "
              "(alpha-1)/(alpha+1) times the built-in's; equal to the built-in only after scaling x",),
    code=spikingjelly_code("QPseudoSpike"), breakpoints=lambda alpha: [0.0],
))
RECORDS.append(make_record(
    "spikingjelly", "LeakyKReLU", "SpikingjellyLeakyKReLU",
    (Param("leak", 0.0, "gradient below threshold (x < 0)", low_open=False),
     Param("k", 1.0, "gradient at and above threshold (x >= 0)", low_open=False)),
    r"g'(x) = leak\ (x<0);\ \ k\ (x\geq 0)", r"g(x) = \frac{1}{2}+leak\cdot x\ (x<0);\ \ \frac{1}{2}+k\,x",
    "A constant gradient on each side of the threshold.", (-3.0, 3.0), "leaky relu", ">=",
    equivalent=same_params("leaky_relu", rename={"leak": "alpha", "k": "beta"}, names=("leak", "k")),
    code=spikingjelly_code("LeakyKReLU"), breakpoints=lambda leak, k: [0.0],
    exceptions={"peak_at_zero": "a constant gradient on each side has no peak, by design"},
))
RECORDS.append(make_record(
    "spikingjelly", "FakeNumericalGradient", "SpikingjellyFakeNumericalGradient",
    (Param("alpha", 0.3, "the clip: the largest gradient"),),
    r"g'(x) = \min(\alpha,\ \frac{1}{|x|})",
    r"g(x) = \frac{1}{2}+\alpha x\ (|x|\leq\frac{1}{\alpha});\ \ \frac{1}{2}+\mathrm{sgn}(x)(1+\log(\alpha|x|))",
    "Clipped reciprocal: the numerical gradient (1 - 0)/|x| of the step, clipped at alpha.",
    (-10.0, 10.0), "clipped reciprocal", ">=",
    oddities=("computed as clamp_max(((x >= 0)*2 - 1)/x, alpha): at x = 0 that is 1/0 = inf, clipped to alpha",),
    code=spikingjelly_code("FakeNumericalGradient"), breakpoints=lambda alpha: [-1.0 / alpha, 1.0 / alpha],
    exceptions={"peak_at_zero": "the gradient is flat at alpha on the whole of |x| <= 1/alpha, by design"},
))
RECORDS.append(make_record(
    "spikingjelly", "LogTailedReLU", "SpikingjellyLogTailedReLU",
    (Param("alpha", 0.0, "gradient below threshold (x <= 0)", low_open=False),),
    r"g'(x) = \alpha\ (x\leq 0);\ \ 1\ (0<x\leq 1);\ \ \frac{1}{x}\ (x>1)",
    r"g(x) = \frac{1}{2}+\alpha x\ (x\leq 0);\ \ \frac{1}{2}+x\ (x\leq 1);\ \ \frac{3}{2}+\log x",
    "Log-tailed ReLU gradient.", (-2.0, 4.0), "log-tailed relu", ">=",
    equivalent=same_params("log_tailed_relu", names=("alpha",)),
    code=spikingjelly_code("LogTailedReLU"), breakpoints=lambda alpha: [0.0, 1.0],
    exceptions={"peak_at_zero": "g'(0) = alpha while g' = 1 on (0, 1], by design"},
))
RECORDS.append(make_record(
    "spikingjelly", "DeterministicPass", "SpikingjellyDeterministicPass", (),
    r"g'(x) = 1", r"g(x) = x+\frac{1}{2}",
    "Straight-through estimator: the gradient passes unchanged.", (-2.0, 2.0), "straight-through", ">=",
    equivalent=same_params("leaky_relu", extra={"alpha": 1.0, "beta": 1.0}), code=spikingjelly_code("DeterministicPass"),
    exceptions={"peak_at_zero": "a constant gradient has no peak, by design"},
))


def _rect_inverse(tp, f, s, k):
    if float(tp["c"]) != 0.0 or s != 0 or not close(k, 1.0) or not close(f, 1.0):
        return None
    return {"alpha": 1.0 / (2.0 * float(tp["w"]))}


RECORDS.append(make_record(
    "spikingjelly", "Rect", "SpikingjellyRect", (Param("alpha", 1.0, "height; the window is |x| < 0.5/alpha"),),
    r"g'(x) = \alpha\ (|x|<\frac{1}{2\alpha});\ \ 0",
    r"g(x) = \frac{1}{2}+\mathrm{clip}(\alpha x,\ -\frac{1}{2},\ \frac{1}{2})",
    "Rectangle (boxcar) gradient of height alpha and area 1.", (-2.0, 2.0), "rectangle", ">=",
    equivalent=Equivalence(
        target="piecewise_leaky_relu", params=lambda alpha: {"c": 0.0, "w": 0.5 / alpha},
        mapping="c = 0, w = 1/(2 alpha)", inverse=_rect_inverse,
        edges=lambda alpha: [-0.5 / alpha, 0.5 / alpha],
        edges_text="x = +-1/(2 alpha) (SpikingJelly: 0 there; built-in: alpha)",
    ),
    code=spikingjelly_code("Rect"), breakpoints=lambda alpha: [-0.5 / alpha, 0.5 / alpha],
    exceptions={"peak_at_zero": "the gradient is flat on the whole window, by design"},
))


#: Not deterministic spike surrogates, with the reason.
UNAVAILABLE: tuple = (
    Unavailable("spikingjelly", "PoissonPass", "stochastic: the forward samples torch.bernoulli(x) (x is a "
                "firing probability), the backward passes the gradient through", SPIKINGJELLY),
    Unavailable("spikingjelly", "MultiLevelSpikeCount", "not a binary spike: the forward is "
                "round(clamp(x, 0, max_spike_count)), a spike count", SPIKINGJELLY),
)
