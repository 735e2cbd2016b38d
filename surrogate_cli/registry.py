"""The registry: one record per built-in surrogate, the single source of truth.

Every record knows the surrogate's CLI name (the functional name), the spellings it
accepts, its class and functional twin, its parameters (default, type, valid range),
its formulas as LaTeX (matplotlib mathtext renders them), a one-line description,
the reference it comes from, the shape exceptions it is meant to have and, where it
is finite, the closed-form area under its gradient.

The CLI, the gallery, the docs and the tests iterate :data:`REGISTRY`; nothing else
lists the surrogates. Parameter validation lives here too. This module imports
neither jax nor matplotlib, so ``surrogate --help`` and ``surrogate list`` stay fast.
"""
from __future__ import annotations

import difflib
import importlib
import math
import numbers
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

from .errors import BadInput

__all__ = [
    "Param",
    "Record",
    "REGISTRY",
    "SHAPE_CHECKS",
    "lookup",
    "names",
    "normalize",
    "records",
    "validate_value",
]

#: The shape checks of ``verify`` that a built-in may be exempt from, by design.
SHAPE_CHECKS = ("grad_nonnegative", "fun_monotone", "peak_at_zero", "fun_half_at_zero")


@dataclass(frozen=True)
class Param:
    """One parameter of a surrogate: default, type and valid range.

    The range is ``low < value`` (``low_open``) or ``low <= value``, and
    ``value <= high`` when ``high`` is set. ``kind`` is ``"float"`` or ``"int"``.
    """

    name: str
    default: float | int
    doc: str
    kind: str = "float"
    low: float | None = 0.0
    low_open: bool = True
    high: float | None = None

    @property
    def range_text(self) -> str:
        """The valid range in words, e.g. ``alpha > 0`` or ``n >= 1 (integer)``."""
        parts = []
        if self.low is not None:
            op = ">" if self.low_open else ">="
            parts.append(f"{self.name} {op} {_num(self.low)}")
        if self.high is not None:
            parts.append(f"{self.name} <= {_num(self.high)}")
        text = " and ".join(parts) if parts else f"{self.name} any finite number"
        return text + (" (integer)" if self.kind == "int" else "")

    @property
    def option(self) -> str:
        """The CLI option spelling: ``t_period`` -> ``--t-period``."""
        return "--" + self.name.replace("_", "-")

    def in_range(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        if self.low is not None:
            if value < self.low or (self.low_open and value == self.low):
                return False
        if self.high is not None and value > self.high:
            return False
        return True


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


@dataclass(frozen=True)
class Record:
    """Everything known about one built-in surrogate."""

    name: str  # CLI / functional name, e.g. "piecewise_quadratic"
    class_name: str  # e.g. "PiecewiseQuadratic"
    params: tuple[Param, ...]  # in the order of the constructor (= functional twin)
    has_fun: bool
    fun_tex: str | None  # g(x), mathtext; None for gradient-only surrogates
    grad_tex: str  # g'(x), mathtext
    description: str
    reference: str
    x_range: tuple[float, float]  # a sensible default plotting interval
    repr_order: tuple[str, ...] = ()  # upstream __repr__ order, when it differs from params
    area: Callable[..., float] | None = None  # closed-form integral of g' over R (inf if divergent)
    exceptions: Mapping[str, str] = field(default_factory=dict)  # shape check -> why it is fine
    aliases: tuple[str, ...] = ()  # extra spellings beyond class name / kebab / any case
    breakpoints: Callable[..., list[float]] | None = None  # where a piecewise formula switches or |x| has its cusp

    # -- derived -----------------------------------------------------------------------
    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    @property
    def defaults(self) -> dict[str, float | int]:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        have = ", ".join(self.param_names)
        close = difflib.get_close_matches(name, self.param_names, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise BadInput(
            f"{self.name} has no parameter '{name}'",
            f"{hint}its parameters are: {have}",
        )

    @property
    def spellings(self) -> tuple[str, ...]:
        kebab = self.name.replace("_", "-")
        return tuple(dict.fromkeys((self.name, self.class_name, kebab, *self.aliases)))

    @property
    def cls(self) -> type:
        """The surrogate class (imports jax on first use)."""
        from . import surrogates

        return getattr(surrogates, self.class_name)

    @property
    def function(self) -> Callable:
        """The functional twin, e.g. :func:`sigmoid`."""
        from . import surrogates

        return getattr(surrogates, self.name)

    def validate(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Check names and concrete values; return defaults updated with ``params``.

        Values that are JAX tracers are passed through unchecked.
        """
        out = dict(self.defaults)
        for key, value in params.items():
            p = self.param(key)
            out[key] = validate_value(p, value, owner=self.name)
        return out

    def make(self, **params: Any):
        """Construct the surrogate with its defaults updated by ``params``."""
        return self.cls(**self.validate(params))

    def __call__(self, **params: Any):
        """The same as :meth:`make`: ``lookup("snntorch.atan")(alpha=2.0)`` is a surrogate."""
        return self.make(**params)

    def closed_area(self, **params: Any) -> float | None:
        """Closed-form area under g' over the real line (``inf`` if divergent), or None."""
        if self.area is None:
            return None
        values = {**self.defaults, **params}
        return float(self.area(**values))


def _is_tracer(value: Any) -> bool:
    jax = sys.modules.get("jax")
    if jax is None:
        return False
    return isinstance(value, jax.core.Tracer)


def validate_value(p: Param, value: Any, owner: str = "surrogate") -> Any:
    """Check one concrete parameter value against ``p``; return it (ints coerced for ``n``).

    Raises :class:`BadInput` (a ``ValueError``) naming the parameter, the value and the
    valid range. Tracers and arrays of tracers are returned untouched.
    """
    if _is_tracer(value):
        return value
    if isinstance(value, bool) or isinstance(value, (str, bytes)) or value is None:
        raise BadInput(
            f"{owner}: {p.name}={value!r} is not a number",
            f"give a number with {p.range_text}",
        )
    if isinstance(value, numbers.Real):
        scalars = [value]
    else:
        try:
            import numpy as np

            arr = np.asarray(value)
            if arr.dtype.kind not in "iuf":
                raise TypeError
            scalars = [float(v) for v in arr.reshape(-1)]
        except Exception:
            raise BadInput(
                f"{owner}: {p.name}={value!r} is not a number",
                f"give a number with {p.range_text}",
            ) from None
    for v in scalars:
        v = float(v)
        if not math.isfinite(v):
            raise BadInput(
                f"{owner}: {p.name}={_num_or_repr(v)} is not finite",
                f"give a finite number with {p.range_text}",
            )
        if p.kind == "int" and not v.is_integer():
            raise BadInput(
                f"{owner}: {p.name}={v:g} is not an integer",
                f"give a whole number with {p.range_text}",
            )
        if not p.in_range(v):
            raise BadInput(
                f"{owner}: {p.name}={v:g} is out of range",
                f"valid values: {p.range_text}",
            )
    if p.kind == "int" and isinstance(value, numbers.Real):
        return int(value)
    return value


def _num_or_repr(v: float) -> str:
    return repr(v)


# -- the table ------------------------------------------------------------------------

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

_RECORDS: tuple[Record, ...] = (
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
            r"g'(x) = k\,[(1+h)\,\mathcal{N}(x;0,\sigma^{2})-h\,\mathcal{N}(x;\sigma,s^{2}\sigma^{2})"
            r"-h\,\mathcal{N}(x;-\sigma,s^{2}\sigma^{2})]"
        ),
        description="Central Gaussian minus two wide side Gaussians: negative side lobes.",
        reference=_YIN,
        x_range=(-3.0, 3.0),
        area=lambda h, s, sigma, scale: scale * (1.0 - h),
        exceptions={
            "grad_nonnegative": "the wide side Gaussians are subtracted: negative side lobes by design",
        },
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
    ),
)

#: The registry, in the upstream order, keyed by CLI name.
REGISTRY: dict[str, Record] = {r.name: r for r in _RECORDS}


def normalize(name: str) -> str:
    """The lookup key of a spelling: lower case, no ``_``, ``-`` or spaces."""
    return "".join(ch for ch in name.lower() if ch not in "_- ")


_INDEX: dict[str, Record] = {}
for _r in _RECORDS:
    for _s in _r.spellings:
        _INDEX[normalize(_s)] = _r
_INDEX["atan"] = REGISTRY["arctan"]


def names() -> list[str]:
    """The CLI names of every built-in, in registry order."""
    return list(REGISTRY)


def records() -> Iterator[Record]:
    """Every record, in registry order."""
    return iter(_RECORDS)


def suggest(name: str) -> str | None:
    """The closest CLI name to a misspelling, or None."""
    key = normalize(name)
    close = difflib.get_close_matches(key, list(_INDEX), n=1, cutoff=0.6)
    return _INDEX[close[0]].name if close else None


def lookup(name: str) -> Record:
    """The record for any accepted spelling (CLI name, class name, kebab-case, any case).

    ``LIBRARY.NAME`` (``snntorch.atan``) is another library's surrogate
    (:mod:`surrogate_cli.foreign_catalog`). Raises :class:`BadInput` with the closest name
    for a typo.
    """
    from .foreign_catalog import is_foreign_name, lookup_foreign

    if is_foreign_name(name):
        return lookup_foreign(name)
    rec = _INDEX.get(normalize(name))
    if rec is not None:
        return rec
    close = suggest(name)
    hint = f"did you mean '{close}'? " if close else ""
    raise BadInput(
        f"unknown surrogate '{name}'",
        f"{hint}run 'surrogate list' to see all {len(REGISTRY)} built-ins, or give a "
        "user surrogate as path/to/file.py:ClassName",
    )


def record_for_class(cls: type) -> Record | None:
    """The record of a built-in class (None for user classes)."""
    if cls.__module__ == "surrogate_cli.foreign":
        return getattr(cls, "_record", None)
    rec = REGISTRY.get(_CLASS_TO_NAME.get(cls.__name__, ""))
    if rec is None or cls.__module__ != "surrogate_cli.surrogates":
        return None
    return rec


_CLASS_TO_NAME = {r.class_name: r.name for r in _RECORDS}


def load_object(target: str) -> Any:
    """Import ``path/to/file.py:Name`` or ``package.module:Name`` and return ``Name``.

    Raises :class:`BadInput` when the file or module is missing, fails to import, or has
    no such attribute.
    """
    if ":" not in target:
        raise BadInput(
            f"'{target}' is not a user surrogate target",
            "write path/to/file.py:ClassName or package.module:ClassName",
        )
    where, _, attr = target.rpartition(":")
    module = load_module(where)
    try:
        return getattr(module, attr)
    except AttributeError:
        classes = {n: v for n, v in vars(module).items() if isinstance(v, type) and not n.startswith("_")}
        own = [n for n, v in classes.items() if v.__module__ == module.__name__]
        found = own or list(classes)  # the classes it defines, not the ones it imports
        close = difflib.get_close_matches(attr, found, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise BadInput(
            f"{where} has no class '{attr}'",
            hint + (f"it defines: {', '.join(found)}" if found else "check the name"),
        ) from None


def load_module(where: str):
    """Import a user file (``*.py`` path) or a dotted module name."""
    import importlib.util
    import os

    if where.endswith(".py") or os.sep in where or "/" in where:
        path = os.path.abspath(where)
        if not os.path.isfile(path):
            raise BadInput(f"user file '{where}' does not exist", "check the path")
        mod_name = "_surrogate_user_" + "".join(c if c.isalnum() else "_" for c in path)
        spec = importlib.util.spec_from_file_location(mod_name, path)
        if spec is None or spec.loader is None:
            raise BadInput(f"cannot load '{where}' as Python", "give a .py file")
        module = importlib.util.module_from_spec(spec)
        sys.modules[mod_name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException as exc:  # noqa: BLE001 - any failure of user code is bad input
            sys.modules.pop(mod_name, None)
            if isinstance(exc, KeyboardInterrupt):
                raise
            raise BadInput(
                f"user file '{where}' failed to import: {type(exc).__name__}: {exc}",
                "fix the error in that file (run it with python to see the traceback)",
            ) from exc
        return module
    try:
        return importlib.import_module(where)
    except ModuleNotFoundError as exc:
        raise BadInput(
            f"module '{where}' not found ({exc})",
            "check the module name and that it is importable (pip install it or set PYTHONPATH)",
        ) from exc
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise BadInput(
            f"module '{where}' failed to import: {type(exc).__name__}: {exc}",
            "fix the error in that module",
        ) from exc
