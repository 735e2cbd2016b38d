"""The data table: one :class:`~.record.Record` per built-in surrogate, in upstream order.

This is the single list of the built-ins, and a record holds every fact about its
surrogate (names, parameters, formulas, reference, range, area, breakpoints, shape
exceptions, family, the parameter ``flow`` solves for, the escape-noise reading). The CLI,
the gallery, the docs and the tests iterate it (through :mod:`.lookup`); a new built-in is
one record here plus its class in :mod:`surrogate_cli.library.surrogates`.
"""
from __future__ import annotations

import math

from .noise import NEG_LOBES, Noise
from .params import Param
from .record import Record

__all__ = ["RECORDS"]

_ALPHA_STEEP = "steepness; larger is closer to the step"

_NEFTCI = (
    "Neftci, Mostafa & Zenke, Surrogate gradient learning in spiking neural networks, "
    "IEEE Signal Processing Magazine 36(6):51-63 (2019)"
)
_ZENKE = (
    "Zenke & Ganguli, SuperSpike: supervised learning in multilayer spiking neural "
    "networks, Neural Computation 30(6):1514-1541 (2018)"
)
_FANG = (
    "Fang et al., SpikingJelly: an open-source machine learning infrastructure platform "
    "for spike-based intelligence, Science Advances 9(40) (2023)"
)
_YIN = (
    "Yin, Corradi & Bohte, Accurate and efficient time-domain classification with "
    "adaptive spiking recurrent neural networks, Nature Machine Intelligence 3:905-913 (2021)"
)

RECORDS: tuple[Record, ...] = (
    Record(
        name="sigmoid",
        class_name="Sigmoid",
        params=(Param("alpha", 4.0, _ALPHA_STEEP),),
        has_fun=True,
        fun_tex=r"g(x) = \sigma(\alpha x) = \frac{1}{1+e^{-\alpha x}}",
        grad_tex=r"g'(x) = \alpha\,\sigma(\alpha x)\,(1-\sigma(\alpha x))",
        description="Logistic sigmoid: smooth bell-shaped gradient with exponential tails.",
        reference=_NEFTCI,
        x_range=(-2.0, 2.0),
        area=lambda alpha: 1.0,
        family="sigmoid",
        solve_param="alpha",
        noise=Noise("logistic", "1/alpha", lambda alpha: 1.0 / alpha),
    ),
    Record(
        name="piecewise_quadratic",
        class_name="PiecewiseQuadratic",
        params=(Param("alpha", 1.0, "inverse half-width of the window"),),
        has_fun=True,
        fun_tex=(
            r"g(x) = (1-\frac{\alpha|x|}{2})\,\alpha x+\frac{1}{2}\ \mathrm{for}\ |x|\leq"
            r"\frac{1}{\alpha};\ \ 0\ \mathrm{or}\ 1\ \mathrm{outside}"
        ),
        grad_tex=r"g'(x) = \max(0,\ \alpha-\alpha^{2}|x|)",
        description="Triangular gradient on |x| <= 1/alpha, exactly zero outside (compact support).",
        reference=(
            "Esser et al., Convolutional networks for fast, energy-efficient neuromorphic "
            "computing, PNAS 113(41):11441-11446 (2016)"
        ),
        x_range=(-3.0, 3.0),
        area=lambda alpha: 1.0,
        breakpoints=lambda alpha: [-1.0 / alpha, 0.0, 1.0 / alpha],
        family="triangle",
        solve_param="alpha",
        noise=Noise("triangular", "half-width 1/alpha", lambda alpha: 1.0 / alpha),
    ),
    Record(
        name="piecewise_exp",
        class_name="PiecewiseExp",
        params=(Param("alpha", 1.0, _ALPHA_STEEP),),
        has_fun=True,
        fun_tex=(
            r"g(x) = \frac{1}{2}e^{\alpha x}\ (x<0);\ \ 1-\frac{1}{2}e^{-\alpha x}\ (x\geq 0)"
        ),
        grad_tex=r"g'(x) = \frac{\alpha}{2}\,e^{-\alpha|x|}",
        description="Laplace-shaped gradient: a sharp cusp at the threshold, exponential tails.",
        reference=_NEFTCI,
        x_range=(-3.0, 3.0),
        area=lambda alpha: 1.0,
        breakpoints=lambda alpha: [0.0],
        family="exponential",
        solve_param="alpha",
        noise=Noise("laplace", "1/alpha", lambda alpha: 1.0 / alpha),
    ),
    Record(
        name="soft_sign",
        class_name="SoftSign",
        params=(Param("alpha", 1.0, _ALPHA_STEEP),),
        has_fun=True,
        fun_tex=r"g(x) = \frac{1}{2}\,\frac{\alpha x}{1+|\alpha x|}+\frac{1}{2}",
        grad_tex=r"g'(x) = \frac{\alpha}{2\,(1+|\alpha x|)^{2}}",
        description="Soft sign ('fast sigmoid'): gradient with power-law tails ~ 1/x^2.",
        reference=_ZENKE,
        x_range=(-3.0, 3.0),
        area=lambda alpha: 1.0,
        breakpoints=lambda alpha: [0.0],
        family="fast sigmoid",
        solve_param="alpha",
        noise=Noise("lomax", "1/alpha", lambda alpha: 1.0 / alpha),
    ),
    Record(
        name="arctan",
        class_name="Arctan",
        params=(Param("alpha", 1.0, _ALPHA_STEEP),),
        has_fun=True,
        fun_tex=r"g(x) = \frac{1}{\pi}\arctan(\frac{\pi}{2}\alpha x)+\frac{1}{2}",
        grad_tex=r"g'(x) = \frac{\alpha}{2\,(1+(\frac{\pi}{2}\alpha x)^{2})}",
        description="Arctangent: Cauchy-shaped gradient with power-law tails ~ 1/x^2.",
        reference=(
            "Fang et al., Incorporating learnable membrane time constant to enhance learning "
            "of spiking neural networks, ICCV 2021"
        ),
        x_range=(-3.0, 3.0),
        area=lambda alpha: 1.0,
        aliases=("atan",),
        family="arctan",
        solve_param="alpha",
        noise=Noise("cauchy", "2/(pi*alpha)", lambda alpha: 2.0 / (math.pi * alpha)),
    ),
    Record(
        name="nonzero_sign_log",
        class_name="NonzeroSignLog",
        params=(Param("alpha", 1.0, _ALPHA_STEEP),),
        has_fun=True,
        fun_tex=r"g(x) = \mathrm{sgn}_0(x)\,\log(1+\alpha|x|)",
        grad_tex=r"g'(x) = \frac{1}{1/\alpha+|x|}",
        description="Signed logarithm: gradient with a heavy 1/|x| tail (infinite area).",
        reference=_FANG,
        x_range=(-3.0, 3.0),
        area=lambda alpha: math.inf,
        breakpoints=lambda alpha: [0.0],
        exceptions={
            "fun_half_at_zero": "g is centred at 0 (g(0) = 0), an odd function, by design",
        },
        family="signed log",
        solve_param="alpha",
        noise=Noise(None, why_none="infinite area: g' ~ 1/|x| and g is unbounded"),
    ),
    Record(
        name="erf",
        class_name="ERF",
        params=(Param("alpha", 1.0, _ALPHA_STEEP),),
        has_fun=True,
        fun_tex=r"g(x) = \frac{1}{2}\,(1+\mathrm{erf}(\alpha x))",
        grad_tex=r"g'(x) = \frac{\alpha}{\sqrt{\pi}}\,e^{-\alpha^{2}x^{2}}",
        description="Error function: Gaussian-shaped gradient with super-exponential tails.",
        reference=(
            "Esser et al., Backpropagation for energy-efficient neuromorphic computing, "
            "NeurIPS 28:1117-1125 (2015)"
        ),
        x_range=(-3.0, 3.0),
        area=lambda alpha: 1.0,
        family="gaussian",
        solve_param="alpha",
        noise=Noise("gaussian", "1/(sqrt(2)*alpha)", lambda alpha: 1.0 / (math.sqrt(2.0) * alpha)),
    ),
    Record(
        name="piecewise_leaky_relu",
        class_name="PiecewiseLeakyRelu",
        params=(
            Param("c", 0.01, "slope outside the window (leak)", low_open=False),
            Param("w", 1.0, "half-width of the window"),
        ),
        has_fun=True,
        fun_tex=(
            r"g(x) = \frac{x}{2w}+\frac{1}{2}\ (|x|\leq w);\ \ cx+cw\ (x<-w);\ \ "
            r"cx-cw+1\ (x>w)"
        ),
        grad_tex=r"g'(x) = \frac{1}{2w}\ (|x|\leq w);\ \ c\ (|x|>w)",
        description="Box gradient 1/(2w) on |x| <= w with a constant leak c outside.",
        reference=(
            "Yin et al., Algorithm and hardware design of discrete-time spiking neural networks "
            "based on back propagation with binary activations, IEEE BioCAS 2017"
        ),
        x_range=(-3.0, 3.0),
        area=lambda c, w: 1.0 if c == 0 else math.inf,
        breakpoints=lambda c, w: [-w, w],
        family="rectangle",
        solve_param="w",
        noise=Noise(
            "uniform", "half-width w", lambda c, w: w,
            applies=lambda c, w: c == 0,
            why_not_here="with c > 0 the leak c gives g' infinite area and g is unbounded",
            where={"c": 0.0},
        ),
    ),
    Record(
        name="squarewave_fourier_series",
        class_name="SquarewaveFourierSeries",
        params=(
            Param("n", 2, "number of odd harmonics", kind="int", low=1, low_open=False),
            Param("t_period", 8.0, "period of the square wave"),
        ),
        has_fun=True,
        fun_tex=(
            r"g(x) = \frac{1}{2}+\frac{2}{\pi}\Sigma_{i=1}^{n}\frac{\sin((2i-1)\,\omega x)}{2i-1},"
            r"\ \omega=\frac{2\pi}{T}"
        ),
        grad_tex=r"g'(x) = \frac{4}{T}\Sigma_{i=1}^{n}\cos((2i-1)\,\omega x)",
        description="Truncated Fourier series of a square wave: periodic, with ripples.",
        reference=_FANG,
        x_range=(-3.0, 3.0),
        area=None,
        exceptions={
            "grad_nonnegative": "a truncated Fourier series rings: the gradient dips below 0 by design",
            "fun_monotone": "the series is periodic, so g rises and falls by design",
        },
        family="fourier series",
        solve_param="t_period",
        noise=Noise(None, why_none=NEG_LOBES + " (a periodic, ringing series)"),
    ),
    Record(
        name="s2nn",
        class_name="S2NN",
        params=(
            Param("alpha", 4.0, "steepness of the sigmoid side (x < 0)"),
            Param("beta", 1.0, "scale of the log side (x >= 0)", low_open=False),
            Param("epsilon", 1e-8, "offset inside the log", low_open=False),
        ),
        has_fun=True,
        fun_tex=(
            r"g(x) = \sigma(\alpha x)\ (x<0);\ \ \beta\log(x+1+\epsilon)+\frac{1}{2}\ (x\geq 0)"
        ),
        grad_tex=r"g'(x) = \alpha\,\sigma(\alpha x)(1-\sigma(\alpha x))\ (x<0);\ \ \frac{\beta}{x+1}\ (x\geq 0)",
        description="Sigmoid gradient below threshold, slowly decaying beta/(x+1) above it.",
        reference=(
            "Suetake et al., S2NN: time step reduction of spiking surrogate gradients for "
            "training energy efficient single-step neural networks, arXiv:2201.10879 (2022)"
        ),
        x_range=(-3.0, 3.0),
        area=lambda alpha, beta, epsilon: 0.5 if beta == 0 else math.inf,
        breakpoints=lambda alpha, beta, epsilon: [0.0],
        exceptions={
            "peak_at_zero": (
                "the two sides meet at 0 with slopes alpha/4 and beta; with alpha/4 > beta the "
                "left limit is the peak, by design"
            ),
        },
        family="s2nn",
        solve_param="alpha",
        noise=Noise(None, why_none="infinite area: g' ~ beta/(x+1) above threshold, g is unbounded"),
    ),
    Record(
        name="q_pseudo_spike",
        class_name="QPseudoSpike",
        params=(Param("alpha", 2.0, "tail fatness; smaller is heavier-tailed"),),
        has_fun=True,
        fun_tex=(
            r"g(x) = \frac{1}{2}+\mathrm{sgn}(x)\,\frac{\alpha+1}{2(1-\alpha)}"
            r"((1+\frac{2|x|}{\alpha+1})^{1-\alpha}-1)"
        ),
        grad_tex=r"g'(x) = (1+\frac{2|x|}{\alpha+1})^{-\alpha}",
        description="q-PseudoSpike: power-law tails whose fatness alpha is tunable.",
        reference=(
            "Herranz-Celotti & Rouat, Surrogate gradients design, arXiv:2202.00282 (2022)"
        ),
        x_range=(-3.0, 3.0),
        area=lambda alpha: (alpha + 1.0) / (alpha - 1.0) if alpha > 1 else math.inf,
        breakpoints=lambda alpha: [0.0],
        family="q-pseudo-spike",
        solve_param="alpha",
        noise=Noise(
            None, why_none="area (alpha+1)/(alpha-1) > 1 for alpha > 1 and infinite otherwise: g is not a CDF"),
    ),
    Record(
        name="leaky_relu",
        class_name="LeakyRelu",
        params=(
            Param("alpha", 0.1, "gradient below threshold (x < 0)", low_open=False),
            Param("beta", 1.0, "gradient above threshold (x >= 0)", low_open=False),
        ),
        has_fun=True,
        fun_tex=r"g(x) = \alpha x\ (x<0);\ \ \beta x\ (x\geq 0)",
        grad_tex=r"g'(x) = \alpha\ (x<0);\ \ \beta\ (x\geq 0)",
        description="Leaky ReLU: a constant gradient on each side of the threshold.",
        reference=_FANG,
        x_range=(-3.0, 3.0),
        area=lambda alpha, beta: 0.0 if alpha == 0 and beta == 0 else math.inf,
        breakpoints=lambda alpha, beta: [0.0],
        exceptions={
            "fun_half_at_zero": "g is a leaky ReLU through the origin (g(0) = 0), by design",
            "peak_at_zero": "the gradient is a constant on each side; with alpha > beta the left side is larger, by design",
        },
        family="leaky relu",
        solve_param="beta",  # no width: the gradient level above threshold
        noise=Noise(None, why_none="constant gradient on each side: infinite area, g is unbounded"),
    ),
    Record(
        name="log_tailed_relu",
        class_name="LogTailedRelu",
        params=(Param("alpha", 0.0, "gradient below threshold (x <= 0)", low_open=False),),
        has_fun=True,
        fun_tex=r"g(x) = \alpha x\ (x\leq 0);\ \ x\ (0<x\leq 1);\ \ 1+\log x\ (x>1)",
        grad_tex=r"g'(x) = \alpha\ (x\leq 0);\ \ 1\ (0<x\leq 1);\ \ \frac{1}{x}\ (x>1)",
        description="Log-tailed ReLU: slope alpha below 0, 1 up to x = 1, then a 1/x tail.",
        reference=(
            "Cai et al., Deep learning with low precision by half-wave Gaussian quantization, "
            "CVPR 2017:5406-5414"
        ),
        x_range=(-2.0, 4.0),
        area=lambda alpha: math.inf,
        breakpoints=lambda alpha: [0.0, 1.0],
        exceptions={
            "fun_half_at_zero": "g is a ReLU variant through the origin (g(0) = 0), by design",
            "peak_at_zero": "g'(0) = alpha (the x <= 0 branch) while g' = 1 on (0, 1], by design",
        },
        family="log-tailed relu",
        solve_param="alpha",  # no width: its only parameter
        noise=Noise(None, why_none="infinite area: a constant and a 1/x tail, g is unbounded"),
    ),
    Record(
        name="relu_grad",
        class_name="ReluGrad",
        params=(
            Param("alpha", 0.3, "slope of the triangle"),
            Param("width", 1.0, "half-width of the support"),
        ),
        has_fun=False,
        fun_tex=None,
        grad_tex=r"g'(x) = \max(0,\ \alpha\,(w-|x|))",
        description="Triangular (ReLU-shaped) gradient of height alpha*width on |x| < width.",
        reference=_NEFTCI,
        x_range=(-3.0, 3.0),
        area=lambda alpha, width: alpha * width * width,
        breakpoints=lambda alpha, width: [-width, 0.0, width],
        family="triangle",
        solve_param="width",
        noise=Noise(
            "triangular", "half-width width", lambda alpha, width: width,
            area_text="alpha*width^2",
        ),
    ),
    Record(
        name="gaussian_grad",
        class_name="GaussianGrad",
        params=(
            Param("sigma", 0.5, "standard deviation of the Gaussian"),
            Param("alpha", 0.5, "height scale (the area under the gradient)"),
        ),
        repr_order=("alpha", "sigma"),
        has_fun=False,
        fun_tex=None,
        grad_tex=r"g'(x) = \frac{\alpha}{\sqrt{2\pi}\,\sigma}\,e^{-x^{2}/(2\sigma^{2})}",
        description="Gaussian gradient scaled by alpha: smooth, with super-exponential tails.",
        reference=_YIN,
        x_range=(-4.0, 4.0),
        area=lambda sigma, alpha: alpha,
        family="gaussian",
        solve_param="sigma",
        noise=Noise("gaussian", "sigma", lambda sigma, alpha: sigma, area_text="alpha"),
    ),
    Record(
        name="inv_square_grad",
        class_name="InvSquareGrad",
        params=(Param("alpha", 100.0, _ALPHA_STEEP),),
        has_fun=False,
        fun_tex=None,
        grad_tex=r"g'(x) = \frac{1}{(\alpha|x|+1)^{2}}",
        description="Inverse-square gradient (SuperSpike): sharp peak of 1, tails ~ 1/x^2.",
        reference=_ZENKE,
        x_range=(-1.0, 1.0),
        area=lambda alpha: 2.0 / alpha,
        breakpoints=lambda alpha: [0.0],
        family="fast sigmoid",
        solve_param="alpha",
        noise=Noise("lomax", "1/alpha", lambda alpha: 1.0 / alpha, area_text="2/alpha"),
    ),
    Record(
        name="multi_gaussian_grad",
        class_name="MultiGaussianGrad",
        params=(
            Param("h", 0.15, "depth of the negative side lobes", low_open=False),
            Param("s", 6.0, "width ratio of the side Gaussians"),
            Param("sigma", 0.5, "standard deviation of the central Gaussian"),
            Param("scale", 0.5, "overall scale"),
        ),
        has_fun=False,
        fun_tex=None,
        grad_tex=(
            r"g'(x) = \mathrm{scale}\,[(1+h)\,\mathcal{N}(x;0,\sigma^{2})-h\,\mathcal{N}(x;\sigma,s^{2}\sigma^{2})"
            r"-h\,\mathcal{N}(x;-\sigma,s^{2}\sigma^{2})]"
        ),
        description="Central Gaussian minus two wide side Gaussians: negative side lobes.",
        reference=_YIN,
        x_range=(-3.0, 3.0),
        area=lambda h, s, sigma, scale: scale * (1.0 - h),
        exceptions={
            "grad_nonnegative": "the wide side Gaussians are subtracted: negative side lobes by design",
        },
        family="multi-gaussian",
        solve_param="sigma",
        noise=Noise(
            None, why_none=NEG_LOBES,
            # at h = 0 it is a scaled Gaussian, but h > 0 is the point of the family
        ),
    ),
    Record(
        name="slayer_grad",
        class_name="SlayerGrad",
        params=(Param("alpha", 1.0, "decay rate of the exponential"),),
        has_fun=False,
        fun_tex=None,
        grad_tex=r"g'(x) = e^{-\alpha|x|}",
        description="SLAYER's exponential gradient: peak 1 at the threshold, exponential tails.",
        reference=(
            "Shrestha & Orchard, SLAYER: spike layer error reassignment in time, "
            "NeurIPS 31:1412-1421 (2018)"
        ),
        x_range=(-4.0, 4.0),
        area=lambda alpha: 2.0 / alpha,
        breakpoints=lambda alpha: [0.0],
        aliases=("slayer",),
        family="exponential",
        solve_param="alpha",
        noise=Noise("laplace", "1/alpha", lambda alpha: 1.0 / alpha, area_text="2/alpha"),
    ),
)
