r"""Other libraries' surrogates, by their own names: the catalogue (no jax).

One :class:`ForeignRecord` per deterministic surrogate of snnTorch, SpikingJelly
(``activation_based``), Norse, sinabs, Spyx (``axn``), lava-dl SLAYER and NEST e-prop,
named ``LIBRARY.NAME`` exactly as that library spells it, with that library's parameter
names and defaults, its forward convention (spike where ``x > 0`` or ``x >= 0``) and its
backward formula, oddities included (documented, never fixed). ``x`` is always the
input relative to the threshold, as the library computes it (for sinabs, lava-dl and
NEST, which take the membrane potential and the threshold, ``x = v - threshold``).

Each record carries its source (repository, file, the released version read, and how the
main branch differs), its family (``list`` shows it: the union catalogue) and, where one
exists, its exact equivalent among the built-ins::

    g'_source(x) = factor * g'_target(x_scale * (x - shift))

with the target's parameters a function of the source's. :data:`UNAVAILABLE` lists the
surrogates that are not deterministic spike surrogates, with the reason.

A :class:`ForeignRecord` is a :class:`~surrogate_cli.catalog.Record`, so every command
that takes a built-in takes a foreign surrogate too; its class lives in
:mod:`surrogate_cli.library.foreign` (``library.builtin_class(record)`` finds it).

``x = 0`` convention of every ``surrogate_fun`` here: ``g(x) = 1/2 + \int_0^x g'``
(the libraries define only the backward pass; the function is the antiderivative that
``verify`` checks against it).
"""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

from ..errors import BadInput, did_you_mean
from .lookup import normalize
from .params import Param
from .record import Record

__all__ = [
    "Source",
    "Equivalence",
    "ForeignRecord",
    "Unavailable",
    "FOREIGN",
    "UNAVAILABLE",
    "LIBRARIES",
    "BUILTIN_FAMILY",
    "family_of",
    "foreign_records",
    "library_records",
    "lookup_foreign",
    "is_foreign_name",
    "library_of",
    "equivalent_of",
    "equivalence_text",
    "equivalence_rule",
]


@dataclass(frozen=True)
class Source:
    """Where a formula was read: repository, file, released version, and main-branch notes."""

    repo: str
    path: str
    version: str  # the PyPI release read, e.g. "snntorch 1.0.0"
    commit: str  # the git tag/commit of that release (or the commit read)
    main_note: str = ""  # how the main branch differs, if it does

    def text(self) -> str:
        out = f"{self.repo} {self.path}, {self.version} ({self.commit})"
        return out + (f"; main: {self.main_note}" if self.main_note else "")


def _one(**p: Any) -> float:
    return 1.0


def _zero(**p: Any) -> float:
    return 0.0


@dataclass(frozen=True)
class Equivalence:
    """``g'_source(x) = factor * g'_target(x_scale * (x - shift))`` exactly.

    ``params(**source_params)`` gives the target's parameters, or None where the
    equivalence does not hold for those values (``condition`` says when it does).
    ``inverse(target_params, factor, shift, x_scale)`` gives source parameters that
    reproduce ``factor * target(x_scale * (x - shift))``, or None when no source
    parameters do. ``edges`` names the isolated points where the two differ (a strict
    versus a non-strict inequality at a breakpoint).
    """

    target: str
    params: Callable[..., Mapping[str, Any] | None]
    mapping: str  # human text, e.g. "alpha = alpha"
    factor: Callable[..., float] = _one
    factor_text: str = "1"
    shift: Callable[..., float] = _zero
    shift_text: str = "0"
    x_scale: Callable[..., float] = _one
    x_scale_text: str = "1"
    condition: str = ""
    edges: Callable[..., list[float]] | None = None
    edges_text: str = ""
    inverse: Callable[[Mapping[str, Any], float, float, float], Mapping[str, Any] | None] | None = None


@dataclass(frozen=True)
class ForeignRecord(Record):
    """A built-in-shaped record for another library's surrogate (see the module doc)."""

    library: str = ""
    source_name: str = ""  # as the library spells it, e.g. "atan"
    forward: str = ">"  # spike where x > offset (">") or x >= offset (">=")
    spike_offset: Callable[..., float] | None = None  # default 0
    source: Source | None = None
    family: str = ""
    oddities: tuple[str, ...] = ()
    equivalent: Equivalence | None = None
    code: Callable[..., str] | None = None  # paste-ready code in that library

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name,)

    def offset(self, **params: Any) -> float:
        """Where the forward step sits (spike where ``x > offset`` or ``x >= offset``)."""
        if self.spike_offset is None:
            return 0.0
        return float(self.spike_offset(**{**self.defaults, **params}))

    @property
    def forward_text(self) -> str:
        return f"spikes where x {self.forward} 0"

    def paste(self, **params: Any) -> str:
        """Paste-ready code that builds this surrogate in its own library."""
        full = {**self.defaults, **params}
        return self.code(**full) if self.code is not None else ""


@dataclass(frozen=True)
class Unavailable:
    """A surrogate of a library that is not a deterministic spike surrogate, and why."""

    library: str
    name: str
    reason: str
    source: Source


# -- sources ------------------------------------------------------------------------------

_SNNTORCH = Source(
    "jeshraghian/snntorch", "snntorch/surrogate.py", "snntorch 1.0.0 (PyPI wheel)",
    "file identical to git tag v0.9.4 f5cb7465 and to main 634fc22 of 2026-05-11",
)
_SPIKINGJELLY = Source(
    "fangwei123456/spikingjelly", "spikingjelly/activation_based/surrogate.py",
    "spikingjelly 2.0.0 (PyPI wheel; the repository has no release tags)",
    "compared with main afb13226 of 2026-08-08",
    "main adds CUDA code generation (cfunction); the PyTorch backward formulas are unchanged",
)
_NORSE = Source(
    "norse/norse", "norse/torch/functional/threshold.py, superspike.py, heaviside.py",
    "norse 1.1.0 (PyPI sdist)", "git tag v1.1.0 4f729507 of 2024-03-18",
    "commit 1d2671a2 (#403, 2024-08-25, unreleased) makes 'super' use alpha: 1/(alpha|x|+1)^2",
)
_SINABS = Source(
    "synsense/sinabs", "sinabs/activation/surrogate_gradient_fn.py (spike_generation.py for the forward)",
    "sinabs 3.1.3 (PyPI wheel)", "git tag v3.1.3 d84078e0; identical on main 904eb89",
)
_SPYX = Source(
    "kmheckel/spyx", "src/spyx/axn.py", "spyx 1.0.0 (PyPI wheel)",
    "git tag v1.0.0 54057505 of 2026-07-06; identical on main 38374e9",
)
_LAVA = Source(
    "lava-nc/lava-dl", "src/lava/lib/dl/slayer/spike/spike.py (neuron/base.py, neuron/cuba.py)",
    "lava-dl 0.6.0 (PyPI wheel)", "git tag v0.6.0 8b3c9e03; identical on main d825ac5",
)
_NEST = Source(
    "nest/nest-simulator", "nestkernel/eprop_archiving_node_recurrent_impl.h (models/eprop_iaf*.cpp)",
    "NEST 3.10 (nest-simulator 3.10.0 on PyPI)", "git tag v3.10 acca9704 of 2026-06-09; identical on main 84b06d8",
)

#: Library name -> (display name, source) in the order ``list`` shows them.
LIBRARIES: dict[str, tuple[str, Source]] = {
    "snntorch": ("snnTorch", _SNNTORCH),
    "spikingjelly": ("SpikingJelly", _SPIKINGJELLY),
    "norse": ("Norse", _NORSE),
    "sinabs": ("sinabs", _SINABS),
    "spyx": ("Spyx", _SPYX),
    "lava_dl": ("lava-dl", _LAVA),
    "nest": ("NEST", _NEST),
}

#: The family of every built-in (``list`` shows it beside the foreign families).
BUILTIN_FAMILY: dict[str, str] = {
    "sigmoid": "sigmoid",
    "piecewise_quadratic": "triangle",
    "piecewise_exp": "exponential",
    "soft_sign": "fast sigmoid",
    "arctan": "arctan",
    "nonzero_sign_log": "signed log",
    "erf": "gaussian",
    "piecewise_leaky_relu": "rectangle",
    "squarewave_fourier_series": "fourier series",
    "s2nn": "s2nn",
    "q_pseudo_spike": "q-pseudo-spike",
    "leaky_relu": "leaky relu",
    "log_tailed_relu": "log-tailed relu",
    "relu_grad": "triangle",
    "gaussian_grad": "gaussian",
    "inv_square_grad": "fast sigmoid",
    "multi_gaussian_grad": "multi-gaussian",
    "slayer_grad": "exponential",
}


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)


def _num(v: float) -> str:
    v = float(v)
    return repr(v)


def _kw(**p: Any) -> str:
    return ", ".join(f"{k}={_num(v) if not isinstance(v, int) or isinstance(v, bool) else v}" for k, v in p.items())


# -- the records --------------------------------------------------------------------------

_X = "x = u - threshold: the library's input, threshold already subtracted"


def _rec(
    library: str,
    source_name: str,
    class_name: str,
    params: tuple[Param, ...],
    grad_tex: str,
    fun_tex: str | None,
    description: str,
    x_range: tuple[float, float],
    family: str,
    forward: str,
    *,
    equivalent: Equivalence | None = None,
    oddities: tuple[str, ...] = (),
    exceptions: Mapping[str, str] | None = None,
    breakpoints: Callable[..., list[float]] | None = None,
    code: Callable[..., str] | None = None,
    spike_offset: Callable[..., float] | None = None,
) -> ForeignRecord:
    display, source = LIBRARIES[library]
    return ForeignRecord(
        name=f"{library}.{source_name}",
        class_name=class_name,
        params=params,
        has_fun=fun_tex is not None,
        fun_tex=fun_tex,
        grad_tex=grad_tex,
        description=description,
        reference=f"{display}: {source.version}, {source.repo} {source.path}",
        x_range=x_range,
        exceptions=dict(exceptions or {}),
        breakpoints=breakpoints,
        library=library,
        source_name=source_name,
        forward=forward,
        spike_offset=spike_offset,
        source=source,
        family=family,
        oddities=oddities,
        equivalent=equivalent,
        code=code,
    )


def _same(target: str, rename: Mapping[str, str] | None = None, extra: Mapping[str, Any] | None = None,
          **kw: Any) -> Equivalence:
    """An equivalence whose target parameters are the source's, renamed (factor 1, no shift)."""
    rename = dict(rename or {})
    extra = dict(extra or {})
    inv_rename = {v: k for k, v in rename.items()}

    def params(**p: Any) -> dict:
        return {**{rename.get(k, k): v for k, v in p.items() if rename.get(k, k) is not None}, **extra}

    def inverse(tp: Mapping[str, Any], f: float, s: float, k: float):
        if not (_close(f, 1.0) and _close(k, 1.0) and s == 0.0):
            return None
        for key, value in extra.items():
            if key in tp and not _close(float(tp[key]), float(value)):
                return None
        return {inv_rename.get(t, t): v for t, v in tp.items() if t not in extra}

    mapping = ", ".join(f"{rename.get(k, k)} = {k}" for k in (kw.pop("names", ())))
    if extra:
        mapping = ", ".join(x for x in (mapping, ", ".join(f"{k} = {_num(v)}" for k, v in extra.items())) if x)
    return Equivalence(target=target, params=params, mapping=mapping, inverse=inverse, **kw)


_STEEP = "steepness; larger is closer to the step"


def _snn(name: str) -> Callable[..., str]:
    return lambda **p: f"from snntorch import surrogate\nspike_grad = surrogate.{name}({_kw(**p)})"


def _sj(name: str) -> Callable[..., str]:
    return lambda **p: (
        f"from spikingjelly.activation_based import surrogate\nsurrogate_function = surrogate.{name}({_kw(**p)})"
    )


def _norse(method: str) -> Callable[..., str]:
    return lambda alpha: (
        "import torch\nfrom norse.torch import LIFParameters\n"
        f'p = LIFParameters(method="{method}", alpha=torch.as_tensor({_num(alpha)}))'
    )


def _sinabs(name: str) -> Callable[..., str]:
    def code(**p: Any) -> str:
        th = p.pop("spike_threshold", None)
        out = f"from sinabs.activation import {name}\nsurrogate_grad_fn = {name}({_kw(**p)})"
        if th is not None:
            out += f"\n# use with a sinabs layer built with spike_threshold={_num(th)}"
        return out

    return code


def _spyx(name: str) -> Callable[..., str]:
    return lambda **p: f"import spyx\nactivation = spyx.axn.{name}({_kw(**p)})"


def _nest(fn: str) -> Callable[..., str]:
    return lambda surrogate_gradient_height, surrogate_gradient_width: (
        "import nest\n"
        f'neurons = nest.Create("eprop_iaf", params={{"surrogate_gradient_function": "{fn}", '
        f'"surrogate_gradient_height": {_num(surrogate_gradient_height)}, '
        f'"surrogate_gradient_width": {_num(surrogate_gradient_width)}}})'
    )


def _ratio_inverse(fn: Callable[[Mapping[str, Any], float, float, float], Mapping[str, Any] | None]):
    return fn


_FLOAT32_OVERFLOW = (
    "the library evaluates slope*exp(-slope*x)/(exp(-slope*x)+1)^2 literally, which overflows to inf/inf "
    "= nan in float32 where slope*x < -88.7 (x < -3.55 at slope 25; float64: slope*x < -709.8); here the "
    "same even function is evaluated at |x| (the library's arithmetic for x >= 0), which is finite there"
)

_RECORDS: list[ForeignRecord] = []
_add = _RECORDS.append

# ---- snnTorch (forward: (input_ > 0).float()) ------------------------------------------------

_add(_rec(
    "snntorch", "straight_through_estimator", "SnntorchStraightThroughEstimator", (),
    r"g'(x) = 1", r"g(x) = x+\frac{1}{2}",
    "Straight-through estimator: the incoming gradient passes unchanged, everywhere.",
    (-2.0, 2.0), "straight-through", ">",
    equivalent=_same("leaky_relu", extra={"alpha": 1.0, "beta": 1.0}),
    code=_snn("straight_through_estimator"),
    exceptions={"peak_at_zero": "a constant gradient has no peak, by design"},
))
_add(_rec(
    "snntorch", "triangular", "SnntorchTriangular",
    (Param("threshold", 1, "the constant magnitude of the gradient (not a triangle)", low=None),),
    r"g'(x) = \theta\ (x<0);\ \ -\theta\ (x\geq 0)", r"g(x) = \frac{1}{2}-\theta|x|",
    "snnTorch's 'triangular': +threshold below 0 and -threshold at and above 0 -- a sign flip, not a triangle.",
    (-2.0, 2.0), "sign flip", ">",
    oddities=(
        "not a triangle: backward is grad*threshold, negated where input >= 0 (so the gradient is "
        "negative for every spiking input); the docstring's cases say the same",
    ),
    code=_snn("triangular"),
    breakpoints=lambda threshold: [0.0],
    exceptions={
        "grad_nonnegative": "snnTorch's triangular is -threshold for x >= 0: a sign flip, as the library defines it",
        "fun_monotone": "snnTorch's triangular flips sign at 0, so its antiderivative rises then falls",
        "peak_at_zero": "snnTorch's triangular is constant on each side of 0 with opposite signs (no peak)",
        },
))
_add(_rec(
    "snntorch", "fast_sigmoid", "SnntorchFastSigmoid", (Param("slope", 25, _STEEP),),
    r"g'(x) = \frac{1}{(k|x|+1)^{2}}", r"g(x) = \frac{1}{2}+\frac{x}{1+k|x|}",
    "Fast sigmoid (SuperSpike): peak 1 at the threshold, tails ~ 1/x^2.",
    (-1.0, 1.0), "fast sigmoid", ">",
    equivalent=_same("inv_square_grad", rename={"slope": "alpha"}, names=("slope",)),
    code=_snn("fast_sigmoid"), breakpoints=lambda slope: [0.0],
))
_add(_rec(
    "snntorch", "atan", "SnntorchAtan", (Param("alpha", 2.0, _STEEP),),
    r"g'(x) = \frac{\alpha/2}{1+(\frac{\pi}{2}\alpha x)^{2}}", r"g(x) = \frac{1}{\pi}\arctan(\frac{\pi}{2}\alpha x)+\frac{1}{2}",
    "Arctangent: Cauchy-shaped gradient of height alpha/2, area 1.",
    (-3.0, 3.0), "arctan", ">",
    equivalent=_same("arctan", names=("alpha",)),
    oddities=("the docstring writes the gradient as (1/pi)/(1+(pi U alpha/2)^2); the code computes "
              "(alpha/2)/(1+(pi alpha U/2)^2), which is what is implemented here",),
    code=_snn("atan"),
))
_add(_rec(
    "snntorch", "heaviside", "SnntorchHeaviside", (),
    r"g'(x) = 1\ (x>0);\ \ 0\ (x\leq 0)", r"g(x) = \max(x,0)+\frac{1}{2}",
    "Spike-gated straight-through: the gradient passes (1) only where the neuron spiked (x > 0).",
    (-2.0, 2.0), "spike-gated STE", ">",
    equivalent=_same("leaky_relu", extra={"alpha": 0.0, "beta": 1.0},
                     edges=lambda: [0.0], edges_text="x = 0 (snnTorch passes 0 there, leaky_relu beta)"),
    oddities=("the class is wrapped in @staticmethod at module level; surrogate.heaviside() works",),
    code=_snn("heaviside"), breakpoints=lambda: [0.0],
    exceptions={"peak_at_zero": "the gradient is 0 below and 1 above the threshold: a step, by design"},
))
_add(_rec(
    "snntorch", "sigmoid", "SnntorchSigmoid", (Param("slope", 25, _STEEP),),
    r"g'(x) = \frac{k\,e^{-kx}}{(e^{-kx}+1)^{2}}", r"g(x) = \frac{1}{1+e^{-kx}}",
    "Logistic sigmoid gradient of height slope/4, written with exp(-slope x).",
    (-0.5, 0.5), "sigmoid", ">",
    equivalent=_same("sigmoid", rename={"slope": "alpha"}, names=("slope",)),
    oddities=(_FLOAT32_OVERFLOW,),
    code=_snn("sigmoid"),
))


def _sre_inverse(tp, f, s, k):
    if not (_close(k, 1.0) and _close(s, 1.0)):
        return None
    return {"beta": tp["alpha"], "slope": f}


_add(_rec(
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
    code=_snn("spike_rate_escape"), breakpoints=lambda beta, slope: [1.0],
    exceptions={"peak_at_zero": "snnTorch centres spike_rate_escape at x = 1, by its definition",
                "fun_half_at_zero": "the gradient is centred at x = 1, so g crosses 1/2 at 0 only by the "
                                    "1/2 + integral-from-0 convention, not at its midpoint"},
))
_add(_rec(
    "snntorch", "SFS", "SnntorchSFS",
    (Param("slope", 25, _STEEP), Param("B", 1, "sparsity threshold: gradient only where x > B", low=None)),
    r"g'(x) = \frac{1}{(k|x|+1)^{2}}\ (x>B);\ \ 0\ (x\leq B)",
    r"g(x) = \frac{1}{2}+G(\max(x,B))-G(\max(0,B)),\ G(x)=\frac{x}{1+k|x|}",
    "Sparse fast sigmoid: the fast-sigmoid gradient kept only where x > B.",
    (-1.0, 3.0), "sparse fast sigmoid", ">",
    oddities=("with the default B = 1 the gradient is 0 on the whole threshold region x <= 1; only "
              "the tail x > 1 (values below 1/676 at slope 25) passes",),
    code=_snn("SFS"), breakpoints=lambda slope, B: sorted({0.0, float(B)}),
    exceptions={"peak_at_zero": "SFS cuts the gradient to 0 for x <= B, so the largest value sits just above B",
                "fun_half_at_zero": "SFS's gradient is 0 around the threshold (x <= B), by design"},
))

# ---- SpikingJelly (forward: heaviside(x) = (x >= 0)) -------------------------------------------

_add(_rec(
    "spikingjelly", "PiecewiseQuadratic", "SpikingjellyPiecewiseQuadratic",
    (Param("alpha", 1.0, "inverse half-width of the window"),),
    r"g'(x) = \alpha-\alpha^{2}|x|\ (|x|\leq\frac{1}{\alpha});\ \ 0",
    r"g(x) = (1-\frac{\alpha|x|}{2})\,\alpha x+\frac{1}{2}\ (|x|\leq\frac{1}{\alpha});\ 0\ \mathrm{or}\ 1",
    "Triangular gradient of height alpha on |x| <= 1/alpha.",
    (-3.0, 3.0), "triangle", ">=",
    equivalent=_same("piecewise_quadratic", names=("alpha",)),
    code=_sj("PiecewiseQuadratic"), breakpoints=lambda alpha: [-1.0 / alpha, 0.0, 1.0 / alpha],
))
_add(_rec(
    "spikingjelly", "PiecewiseExp", "SpikingjellyPiecewiseExp", (Param("alpha", 1.0, _STEEP),),
    r"g'(x) = \frac{\alpha}{2}e^{-\alpha|x|}",
    r"g(x) = \frac{1}{2}e^{\alpha x}\ (x<0);\ \ 1-\frac{1}{2}e^{-\alpha x}",
    "Laplace-shaped gradient, area 1.", (-3.0, 3.0), "exponential", ">=",
    equivalent=_same("piecewise_exp", names=("alpha",)),
    code=_sj("PiecewiseExp"), breakpoints=lambda alpha: [0.0],
))
_add(_rec(
    "spikingjelly", "Sigmoid", "SpikingjellySigmoid", (Param("alpha", 4.0, _STEEP),),
    r"g'(x) = \alpha\,\sigma(\alpha x)(1-\sigma(\alpha x))", r"g(x) = \sigma(\alpha x)",
    "Logistic sigmoid gradient, area 1.", (-2.0, 2.0), "sigmoid", ">=",
    equivalent=_same("sigmoid", names=("alpha",)), code=_sj("Sigmoid"),
))
_add(_rec(
    "spikingjelly", "SoftSign", "SpikingjellySoftSign", (Param("alpha", 2.0, _STEEP),),
    r"g'(x) = \frac{1}{2\alpha(\frac{1}{\alpha}+|x|)^{2}}", r"g(x) = \frac{1}{2}\frac{\alpha x}{1+|\alpha x|}+\frac{1}{2}",
    "Soft sign: height alpha/2, tails ~ 1/x^2, area 1.", (-3.0, 3.0), "fast sigmoid", ">=",
    equivalent=_same("soft_sign", names=("alpha",)),
    code=_sj("SoftSign"), breakpoints=lambda alpha: [0.0],
))
_add(_rec(
    "spikingjelly", "SuperSpike", "SpikingjellySuperSpike", (Param("alpha", 1.0, "height of the peak"),),
    r"g'(x) = \frac{\alpha}{(1+|x|)^{2}}", r"g(x) = \frac{1}{2}+\frac{\alpha x}{1+|x|}",
    "SuperSpike with a fixed width: alpha scales the height, not the steepness.",
    (-3.0, 3.0), "fast sigmoid", ">=",
    equivalent=Equivalence(
        target="inv_square_grad", params=lambda alpha: {"alpha": 1.0}, mapping="alpha = 1",
        factor=lambda alpha: alpha, factor_text="alpha",
        inverse=lambda tp, f, s, k: {"alpha": f} if (_close(float(tp["alpha"]), 1.0) and s == 0 and _close(k, 1.0)) else None,
    ),
    oddities=("alpha is the height of the gradient, not its steepness (the width is fixed at 1)",),
    code=_sj("SuperSpike"), breakpoints=lambda alpha: [0.0],
))
_add(_rec(
    "spikingjelly", "ATan", "SpikingjellyATan", (Param("alpha", 2.0, _STEEP),),
    r"g'(x) = \frac{\alpha/2}{1+(\frac{\pi}{2}\alpha x)^{2}}", r"g(x) = \frac{1}{\pi}\arctan(\frac{\pi}{2}\alpha x)+\frac{1}{2}",
    "Arctangent: Cauchy-shaped gradient of height alpha/2, area 1.", (-3.0, 3.0), "arctan", ">=",
    equivalent=_same("arctan", names=("alpha",)), code=_sj("ATan"),
))
_add(_rec(
    "spikingjelly", "NonzeroSignLogAbs", "SpikingjellyNonzeroSignLogAbs", (Param("alpha", 1.0, _STEEP),),
    r"g'(x) = \frac{1}{1/\alpha+|x|}", r"g(x) = \frac{1}{2}+\mathrm{sgn}(x)\log(1+\alpha|x|)",
    "Signed logarithm: a heavy 1/|x| tail (infinite area).", (-3.0, 3.0), "signed log", ">=",
    equivalent=_same("nonzero_sign_log", names=("alpha",)),
    code=_sj("NonzeroSignLogAbs"), breakpoints=lambda alpha: [0.0],
    ))
_add(_rec(
    "spikingjelly", "Erf", "SpikingjellyErf", (Param("alpha", 2.0, _STEEP),),
    r"g'(x) = \frac{\alpha}{\sqrt{\pi}}e^{-\alpha^{2}x^{2}}", r"g(x) = \frac{1}{2}(1+\mathrm{erf}(\alpha x))",
    "Gaussian-shaped gradient, area 1.", (-3.0, 3.0), "gaussian", ">=",
    equivalent=_same("erf", names=("alpha",)), code=_sj("Erf"),
))
_add(_rec(
    "spikingjelly", "PiecewiseLeakyReLU", "SpikingjellyPiecewiseLeakyReLU",
    (Param("w", 1.0, "half-width of the window"), Param("c", 0.01, "slope outside the window", low_open=False)),
    r"g'(x) = \frac{1}{2w}\ (|x|<w);\ \ c\ (|x|\geq w)",
    r"g(x) = \frac{x}{2w}+\frac{1}{2}\ (|x|\leq w);\ \ c\,(x\mp w)+\frac{1}{2}\pm\frac{1}{2}",
    "Box gradient 1/(2w) on |x| < w with a constant leak c outside.", (-3.0, 3.0), "rectangle", ">=",
    equivalent=_same("piecewise_leaky_relu", names=("w", "c"),
                     edges=lambda w, c: [-w, w], edges_text="x = +-w (SpikingJelly: c there; built-in: 1/(2w))"),
    code=_sj("PiecewiseLeakyReLU"), breakpoints=lambda w, c: [-w, w],
    ))


def _sq_params(n, T_period):
    return None if n < 2 else {"n": n - 1, "t_period": T_period}


_add(_rec(
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
                                     if (_close(f, 1.0) and s == 0 and _close(k, 1.0)) else None),
    ),
    oddities=("the backward loops 'for i in range(1, n)', so it sums n - 1 harmonics while the forward "
              "primitive function sums n: the gradient is not the derivative of the primitive; n = 1 "
              "gives a zero gradient",),
    code=_sj("SquarewaveFourierSeries"),
    exceptions={"grad_nonnegative": "a truncated Fourier series rings below 0, by design",
                "fun_monotone": "the series is periodic, so g rises and falls, by design"},
))
_add(_rec(
    "spikingjelly", "S2NN", "SpikingjellyS2NN",
    (Param("alpha", 4.0, "steepness of the sigmoid side (x < 0)"),
     Param("beta", 1.0, "scale of the 1/(x+1) side (x >= 0)", low_open=False)),
    r"g'(x) = \alpha\sigma(\alpha x)(1-\sigma(\alpha x))\ (x<0);\ \ \frac{\beta}{x+1}\ (x\geq 0)",
    r"g(x) = \sigma(\alpha x)\ (x<0);\ \ \beta\log(x+1)+\frac{1}{2}",
    "Sigmoid gradient below threshold, beta/(x+1) above.", (-3.0, 3.0), "s2nn", ">=",
    equivalent=_same("s2nn", names=("alpha", "beta")),
    code=_sj("S2NN"), breakpoints=lambda alpha, beta: [0.0],
    exceptions={"peak_at_zero": "the two sides meet at 0 with values alpha/4 and beta, by design"},
))


def _qps_inverse(tp, f, s, k):
    a = float(tp["alpha"])
    if a <= 1 or not (_close(f, 1.0) and s == 0 and _close(k, (a + 1) / (a - 1))):
        return None
    return {"alpha": a}


_add(_rec(
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
    code=_sj("QPseudoSpike"), breakpoints=lambda alpha: [0.0],
))
_add(_rec(
    "spikingjelly", "LeakyKReLU", "SpikingjellyLeakyKReLU",
    (Param("leak", 0.0, "gradient below threshold (x < 0)", low_open=False),
     Param("k", 1.0, "gradient at and above threshold (x >= 0)", low_open=False)),
    r"g'(x) = leak\ (x<0);\ \ k\ (x\geq 0)", r"g(x) = \frac{1}{2}+leak\cdot x\ (x<0);\ \ \frac{1}{2}+k\,x",
    "A constant gradient on each side of the threshold.", (-3.0, 3.0), "leaky relu", ">=",
    equivalent=_same("leaky_relu", rename={"leak": "alpha", "k": "beta"}, names=("leak", "k")),
    code=_sj("LeakyKReLU"), breakpoints=lambda leak, k: [0.0],
    exceptions={"peak_at_zero": "a constant gradient on each side has no peak, by design"},
))
_add(_rec(
    "spikingjelly", "FakeNumericalGradient", "SpikingjellyFakeNumericalGradient",
    (Param("alpha", 0.3, "the clip: the largest gradient"),),
    r"g'(x) = \min(\alpha,\ \frac{1}{|x|})",
    r"g(x) = \frac{1}{2}+\alpha x\ (|x|\leq\frac{1}{\alpha});\ \ \frac{1}{2}+\mathrm{sgn}(x)(1+\log(\alpha|x|))",
    "Clipped reciprocal: the numerical gradient (1 - 0)/|x| of the step, clipped at alpha.",
    (-10.0, 10.0), "clipped reciprocal", ">=",
    oddities=("computed as clamp_max(((x >= 0)*2 - 1)/x, alpha): at x = 0 that is 1/0 = inf, clipped to alpha",),
    code=_sj("FakeNumericalGradient"), breakpoints=lambda alpha: [-1.0 / alpha, 1.0 / alpha],
    exceptions={"peak_at_zero": "the gradient is flat at alpha on the whole of |x| <= 1/alpha, by design"},
))
_add(_rec(
    "spikingjelly", "LogTailedReLU", "SpikingjellyLogTailedReLU",
    (Param("alpha", 0.0, "gradient below threshold (x <= 0)", low_open=False),),
    r"g'(x) = \alpha\ (x\leq 0);\ \ 1\ (0<x\leq 1);\ \ \frac{1}{x}\ (x>1)",
    r"g(x) = \frac{1}{2}+\alpha x\ (x\leq 0);\ \ \frac{1}{2}+x\ (x\leq 1);\ \ \frac{3}{2}+\log x",
    "Log-tailed ReLU gradient.", (-2.0, 4.0), "log-tailed relu", ">=",
    equivalent=_same("log_tailed_relu", names=("alpha",)),
    code=_sj("LogTailedReLU"), breakpoints=lambda alpha: [0.0, 1.0],
    exceptions={"peak_at_zero": "g'(0) = alpha while g' = 1 on (0, 1], by design"},
))
_add(_rec(
    "spikingjelly", "DeterministicPass", "SpikingjellyDeterministicPass", (),
    r"g'(x) = 1", r"g(x) = x+\frac{1}{2}",
    "Straight-through estimator: the gradient passes unchanged.", (-2.0, 2.0), "straight-through", ">=",
    equivalent=_same("leaky_relu", extra={"alpha": 1.0, "beta": 1.0}), code=_sj("DeterministicPass"),
    exceptions={"peak_at_zero": "a constant gradient has no peak, by design"},
))


def _rect_inverse(tp, f, s, k):
    if float(tp["c"]) != 0.0 or s != 0 or not _close(k, 1.0) or not _close(f, 1.0):
        return None
    return {"alpha": 1.0 / (2.0 * float(tp["w"]))}


_add(_rec(
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
    code=_sj("Rect"), breakpoints=lambda alpha: [-0.5 / alpha, 0.5 / alpha],
    exceptions={"peak_at_zero": "the gradient is flat on the whole window, by design"},
))

# ---- Norse (forward: heaviside = torch.gt(x, 0)); parameter alpha from LIFParameters ------------

_NORSE_ALPHA = "LIFParameters.alpha (default 100), passed to every method"
_add(_rec(
    "norse", "super", "NorseSuper", (Param("alpha", 100.0, _NORSE_ALPHA + "; IGNORED by 1.1.0"),),
    r"g'(x) = \frac{1}{(|x|+1)^{2}}", r"g(x) = \frac{1}{2}+\frac{x}{1+|x|}",
    "SuperSpike as released in norse 1.1.0: alpha is ignored, the width is fixed at 1.",
    (-5.0, 5.0), "fast sigmoid", ">",
    equivalent=Equivalence(
        target="inv_square_grad", params=lambda alpha: {"alpha": 1.0}, mapping="alpha = 1 (whatever alpha)",
        inverse=lambda tp, f, s, k: ({"alpha": 100.0} if (_close(float(tp["alpha"]), 1.0) and _close(f, 1.0)
                                                          and s == 0 and _close(k, 1.0)) else None),
    ),
    oddities=("norse 1.1.0 ignores alpha: the backward is grad/(|x|+1)^2; main (commit 1d2671a2, #403, "
              "unreleased) computes grad/(alpha|x|+1)^2 = inv_square_grad(alpha)",),
    code=_norse("super"), breakpoints=lambda alpha: [0.0],
))
_add(_rec(
    "norse", "triangle", "NorseTriangle", (Param("alpha", 100.0, _NORSE_ALPHA + "; triangle_fn's own default is 0.3"),),
    r"g'(x) = \alpha\,\max(0,\ 1-|x|)",
    r"g(x) = \frac{1}{2}+\alpha(x-\frac{x|x|}{2})\ (|x|\leq 1);\ \ \frac{1}{2}\pm\frac{\alpha}{2}",
    "Triangle of half-width 1 and height alpha (100 through LIFParameters).", (-2.0, 2.0), "triangle", ">",
    equivalent=_same("relu_grad", extra={"width": 1.0}, names=("alpha",)),
    code=_norse("triangle"), breakpoints=lambda alpha: [-1.0, 0.0, 1.0],
))


def _tanh_params(alpha):
    return {"alpha": 2.0 * alpha}


_add(_rec(
    "norse", "tanh", "NorseTanh", (Param("alpha", 100.0, _NORSE_ALPHA),),
    r"g'(x) = 1-\tanh^{2}(\alpha x)", r"g(x) = \frac{1}{2}+\frac{\tanh(\alpha x)}{\alpha}",
    "sech^2 gradient of height 1 and width ~ 1/alpha.", (-0.05, 0.05), "sigmoid", ">",
    equivalent=Equivalence(
        target="sigmoid", params=_tanh_params, mapping="alpha = 2 alpha",
        factor=lambda alpha: 2.0 / alpha, factor_text="2/alpha",
        inverse=lambda tp, f, s, k: ({"alpha": float(tp["alpha"]) / 2.0}
                                     if (_close(f, 4.0 / float(tp["alpha"])) and s == 0 and _close(k, 1.0)) else None),
    ),
    oddities=("the docstring's h(x,k) = 1/2 + tanh(kx)/2 has derivative (k/2)(1 - tanh^2(kx)); the backward "
              "returns 1 - tanh^2(kx), 2/k times that",),
    code=_norse("tanh"),
))
_add(_rec(
    "norse", "circ", "NorseCirc", (Param("alpha", 100.0, _NORSE_ALPHA),),
    r"g'(x) = \frac{\alpha^{3}}{(\alpha^{2}+x^{2})^{3/2}}", r"g(x) = \frac{1}{2}+\frac{\alpha x}{\sqrt{\alpha^{2}+x^{2}}}",
    "Circ: height 1 at 0, half-width ~ 0.77 alpha, tails ~ 1/|x|^3.", (-500.0, 500.0), "circ", ">",
    oddities=("the backward is 2 alpha times the derivative of the docstring's h(x, alpha) = 1/2 + "
              "x/(2 sqrt(x^2 + alpha^2)); with the default alpha = 100 the gradient is about 1 over |x| < 50",
              "the library computes (-(x^2/(2 r2^1.5)) + 1/(2 sqrt(r2))) * 2 alpha, r2 = alpha^2 + x^2: two "
              "nearly equal terms cancel for |x| >> alpha (float32 loses every digit beyond |x| ~ 3000 alpha) "
              "and x^2 overflows to inf/inf = nan; here the same value is computed as (alpha/hypot(alpha, x))^3",),
    code=_norse("circ"),
))
_add(_rec(
    "norse", "heavi_erfc", "NorseHeaviErfc", (Param("alpha", 100.0, _NORSE_ALPHA),),
    r"g'(x) = \frac{2}{\sqrt{\pi}}e^{-\alpha^{2}x^{2}}", r"g(x) = \frac{1}{2}+\frac{\mathrm{erf}(\alpha x)}{\alpha}",
    "Gaussian gradient of height 2/sqrt(pi) (area 2/alpha).", (-0.05, 0.05), "gaussian", ">",
    equivalent=Equivalence(
        target="erf", params=lambda alpha: {"alpha": alpha}, mapping="alpha = alpha",
        factor=lambda alpha: 2.0 / alpha, factor_text="2/alpha",
        inverse=lambda tp, f, s, k: ({"alpha": float(tp["alpha"])}
                                     if (_close(f, 2.0 / float(tp["alpha"])) and s == 0 and _close(k, 1.0)) else None),
    ),
    oddities=("the docstring's h(x,k) = 1/2 + erfc(kx)/2 decreases; the backward is +2/sqrt(pi) exp(-(kx)^2) "
              "(the magnitude of d erfc/d(kx), without the chain-rule factor k)",),
    code=_norse("heavi_erfc"),
))

# ---- sinabs (x = v_mem - spike_threshold; forward SingleSpike: x >= 0; MultiSpike: >= 1 spike iff x >= 0)


def _heav_inverse(tp, f, s, k):
    if float(tp["alpha"]) != 0.0 or not _close(k, 1.0):
        return None
    beta = float(tp["beta"]) * f
    if beta <= 0:
        return None
    return {"window": -s, "spike_threshold": 1.0 / beta}


_TH = Param("spike_threshold", 1.0, "the layer's spike_threshold (sinabs passes it in)")
_add(_rec(
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
    code=_sinabs("Heaviside"), breakpoints=lambda window, spike_threshold: [-window],
    exceptions={"peak_at_zero": "a step gradient has no peak, by design"},
))


def _gauss_inverse(tp, f, s, k):
    if not _close(k, 1.0):
        return None
    return {"mu": s, "sigma": float(tp["sigma"]), "grad_scale": float(tp["alpha"]) * f}


_add(_rec(
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
    code=_sinabs("Gaussian"),
))


def _mg_params(mu, sigma, h, s, grad_scale):
    if mu != 0:
        return None
    return {"h": h, "s": s, "sigma": sigma, "scale": grad_scale}


def _mg_inverse(tp, f, s, k):
    if s != 0 or not _close(k, 1.0):
        return None
    return {"mu": 0.0, "sigma": tp["sigma"], "h": tp["h"], "s": tp["s"], "grad_scale": float(tp["scale"]) * f}


_add(_rec(
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
    code=_sinabs("MultiGaussian"),
    exceptions={"grad_nonnegative": "the wide side Gaussians are subtracted: negative side lobes, by design",
                "fun_monotone": "where the side lobes make g' negative, its antiderivative falls, by design"},
))


def _se_inverse(tp, f, s, k):
    if s != 0 or not _close(k, 1.0):
        return None
    return {"grad_width": 1.0 / float(tp["alpha"]), "grad_scale": f / 2.0, "spike_threshold": 1.0}


_add(_rec(
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
    code=_sinabs("SingleExponential"), breakpoints=lambda grad_width, grad_scale, spike_threshold: [0.0],
))
_add(_rec(
    "sinabs", "PeriodicExponential", "SinabsPeriodicExponential",
    (Param("grad_width", 0.5, "width (absolute, not scaled by the threshold)"), Param("grad_scale", 1.0, "scale"), _TH),
    r"g'(x) = s\,e^{-|u|/w},\ u = x\ (x<0);\ \ \theta(2\,\mathrm{frac}(\frac{x}{\theta}+\frac{1}{2})-1)\ (x\geq 0)",
    None,
    "Weidel & Sheik's periodic exponential: an exponential bump at every multiple of the threshold above it.",
    (-2.0, 4.0), "periodic exponential", ">=",
    oddities=("unlike SingleExponential, grad_width is not multiplied by the threshold",
              "above the threshold the gradient repeats with period spike_threshold (a bump at each v = N "
              "threshold) and jumps at v = (N + 1/2) threshold",),
    code=_sinabs("PeriodicExponential"),
    breakpoints=lambda grad_width, grad_scale, spike_threshold: [0.0] + [
        (n + 0.5) * spike_threshold for n in range(0, 8)],
    exceptions={"peak_at_zero": "the periodic gradient has equal peaks at every multiple of the threshold"},
))

# ---- Spyx (forward: heaviside = where(x > 0, 1, 0)) ----------------------------------------------

_add(_rec(
    "spyx", "tanh", "SpyxTanh", (Param("k", 1.0, "slope factor"),),
    r"g'(x) = \frac{4}{(e^{-kx}+e^{kx})^{2}}", r"g(x) = \frac{1}{2}+\frac{\tanh(kx)}{k}",
    "sech^2(kx): height 1, area 2/k.", (-3.0, 3.0), "sigmoid", ">",
    equivalent=Equivalence(
        target="sigmoid", params=lambda k: {"alpha": 2.0 * k}, mapping="alpha = 2 k",
        factor=lambda k: 2.0 / k, factor_text="2/k",
        inverse=lambda tp, f, s, kk: ({"k": float(tp["alpha"]) / 2.0}
                                      if (_close(f, 4.0 / float(tp["alpha"])) and s == 0 and _close(kk, 1.0)) else None),
    ),
    code=_spyx("tanh"),
))


def _boxcar_inverse(tp, f, s, k):
    if float(tp["c"]) != 0.0 or s != 0 or not _close(k, 1.0):
        return None
    w = float(tp["w"])
    return {"width": 2.0 * w, "height": f / (2.0 * w)}


_add(_rec(
    "spyx", "boxcar", "SpyxBoxcar",
    (Param("width", 2.0, "total width of the window"), Param("height", 0.5, "value inside the window")),
    r"g'(x) = h\ (|x|<\frac{w}{2});\ \ 0", r"g(x) = \frac{1}{2}+h\,\mathrm{clip}(x,\ -\frac{w}{2},\ \frac{w}{2})",
    "Boxcar of height h on |x| < w/2.", (-2.0, 2.0), "rectangle", ">",
    equivalent=Equivalence(
        target="piecewise_leaky_relu", params=lambda width, height: {"c": 0.0, "w": width / 2.0},
        mapping="c = 0, w = width/2", factor=lambda width, height: height * width, factor_text="height width",
        inverse=_boxcar_inverse, edges=lambda width, height: [-width / 2.0, width / 2.0],
        edges_text="x = +-width/2 (Spyx: 0 there; built-in: the window value)",
    ),
    oddities=("the docstring says |x| <= w/2; the code is heaviside(w/2 - |x|) with heaviside strict (x > 0), "
              "so the edges get 0",),
    code=_spyx("boxcar"), breakpoints=lambda width, height: [-width / 2.0, width / 2.0],
    exceptions={"peak_at_zero": "the gradient is flat on the whole window, by design"},
))
_add(_rec(
    "spyx", "triangular", "SpyxTriangular", (Param("k", 2.0, "scale factor: the support is |x| < 1/k"),),
    r"g'(x) = \max(0,\ 1-|kx|)",
    r"g(x) = \frac{1}{2}+x-\frac{k\,x|x|}{2}\ (|x|\leq\frac{1}{k});\ \ \frac{1}{2}\pm\frac{1}{2k}",
    "Triangle of height 1 on |x| < 1/k.", (-1.0, 1.0), "triangle", ">",
    equivalent=Equivalence(
        target="relu_grad", params=lambda k: {"alpha": k, "width": 1.0 / k}, mapping="alpha = k, width = 1/k",
        inverse=lambda tp, f, s, kk: ({"k": float(tp["alpha"])}
                                      if (_close(f, 1.0) and s == 0 and _close(kk, 1.0)
                                          and _close(float(tp["alpha"]) * float(tp["width"]), 1.0)) else None),
    ),
    code=_spyx("triangular"), breakpoints=lambda k: [-1.0 / k, 0.0, 1.0 / k],
))
_add(_rec(
    "spyx", "arctan", "SpyxArctan", (Param("k", 2.0, "steepness"),),
    r"g'(x) = \frac{1}{\pi(1+(k\pi x)^{2})}", r"g(x) = \frac{1}{2}+\frac{\arctan(k\pi x)}{k\pi^{2}}",
    "Cauchy gradient of height 1/pi (area 1/(pi k)).", (-2.0, 2.0), "arctan", ">",
    equivalent=Equivalence(
        target="arctan", params=lambda k: {"alpha": 2.0 * k}, mapping="alpha = 2 k",
        factor=lambda k: 1.0 / (math.pi * k), factor_text="1/(pi k)",
        inverse=lambda tp, f, s, kk: ({"k": float(tp["alpha"]) / 2.0}
                                      if (_close(f, 2.0 / (math.pi * float(tp["alpha"]))) and s == 0
                                          and _close(kk, 1.0)) else None),
    ),
    oddities=("the height is 1/pi for every k, so the area 1/(pi k) shrinks as k grows",),
    code=_spyx("arctan"),
))
_add(_rec(
    "spyx", "superspike", "SpyxSuperspike", (Param("k", 25.0, _STEEP),),
    r"g'(x) = \frac{1}{(1+k|x|)^{2}}", r"g(x) = \frac{1}{2}+\frac{x}{1+k|x|}",
    "SuperSpike / fast sigmoid: peak 1, tails ~ 1/x^2.", (-1.0, 1.0), "fast sigmoid", ">",
    equivalent=_same("inv_square_grad", rename={"k": "alpha"}, names=("k",)),
    code=_spyx("superspike"), breakpoints=lambda k: [0.0],
))
_add(_rec(
    "spyx", "custom", "SpyxCustom", (),
    r"g'(x) = x", r"g(x) = \frac{1}{2}+\frac{x^{2}}{2}",
    "spyx.axn.custom() with its defaults: documented as the straight-through estimator, but the gradient is x.",
    (-2.0, 2.0), "linear", ">",
    oddities=("the default bwd is 'lambda x: x' and the backward is 'g * bwd(x)', so the gradient is g*x, "
              "not g as the docstring's STE claims (zero at the threshold, negative below it)",),
    code=lambda: "import spyx\nactivation = spyx.axn.custom()",
    exceptions={"grad_nonnegative": "spyx.axn.custom() multiplies by x: negative below the threshold, as released",
                "fun_monotone": "the gradient x changes sign at 0, so g falls then rises",
                "peak_at_zero": "the gradient x is 0 at the threshold and grows with |x|"},
))

# ---- lava-dl SLAYER (forward: voltage >= threshold) ------------------------------------------------


def _slayer_inverse(tp, f, s, k):
    if s != 0 or not _close(k, 1.0):
        return None
    return {"tau_rho": 1.0 / float(tp["alpha"]), "scale_rho": f}


_add(_rec(
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
        f"spikes = Spike.apply(voltage, threshold, {_num(tau_rho)}, {_num(scale_rho)}, False, 0, 1)"),
    breakpoints=lambda tau_rho, scale_rho: [0.0],
))

_CUBA_EPS = 0.01 / 4096.0  # threshold_eps = 0.01 / s_scale, s_scale = scale * 64 = 4096 by default


def _quantized(threshold: float) -> float:
    return int(threshold * 64) / 64.0


def _cuba_inverse(tp, f, s, k):
    return None  # the threshold quantization and the epsilon shift tie the shift to the threshold


_add(_rec(
    "lava_dl", "cuba", "LavaDlCuba",
    (Param("threshold", 1.0, "neuron threshold (required by lava-dl; 1 here)"),
     Param("tau_grad", 1.0, "gradient width, times the threshold"), Param("scale_grad", 1.0, "gradient scale")),
    r"g'(x) = \frac{0.1\,s}{2\tau}e^{-|x-\epsilon'|/\tau},\ \tau=100\,\tau_{g}\,\theta_{q}",
    r"g(x) = \frac{1}{2}+\int_{0}^{x}g'",
    "slayer.neuron.cuba.Neuron's spike: SLAYER's exponential, 100 x wider and 10 x lower than tau_grad, scale_grad say.",
    (-400.0, 400.0), "exponential", ">=",
    spike_offset=lambda threshold, tau_grad, scale_grad: _quantized(threshold) + _CUBA_EPS - threshold,
    equivalent=Equivalence(
        target="piecewise_exp",
        params=lambda threshold, tau_grad, scale_grad: {"alpha": 1.0 / (100.0 * tau_grad * _quantized(threshold))},
        mapping="alpha = 1/(100 tau_grad theta_q)",
        factor=lambda threshold, tau_grad, scale_grad: 0.1 * scale_grad, factor_text="0.1 scale_grad",
        shift=lambda threshold, tau_grad, scale_grad: _quantized(threshold) + _CUBA_EPS - threshold,
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
        f"neuron = slayer.neuron.cuba.Neuron(threshold={_num(threshold)}, current_decay=..., voltage_decay=..., "
        f"tau_grad={_num(tau_grad)}, scale_grad={_num(scale_grad)})  # fill in the decays of your model"),
    breakpoints=lambda threshold, tau_grad, scale_grad: [_quantized(threshold) + _CUBA_EPS - threshold],
))

# ---- NEST e-prop (forward: v_m >= V_th; the gradient is 0 while refractory) ------------------------

_NEST_PARAMS = (
    Param("surrogate_gradient_height", 0.3, "height h of the pseudo-derivative"),
    Param("surrogate_gradient_width", 1.0, "width w, in mV"),
)
_NEST_ODD = ("NEST returns 0 while the neuron is refractory (r > 0); adaptive models take x = v_m - V_th_adapt",)


def _nest_eq(target: str, params, mapping: str, factor, factor_text: str, inverse) -> Equivalence:
    return Equivalence(target=target, params=params, mapping=mapping, factor=factor, factor_text=factor_text,
                       inverse=inverse)


_add(_rec(
    "nest", "piecewise_linear", "NestPiecewiseLinear", _NEST_PARAMS,
    r"g'(x) = h\,\max(0,\ 1-\frac{|x|}{w})",
    r"g(x) = \frac{1}{2}+h(x-\frac{x|x|}{2w})\ (|x|\leq w);\ \ \frac{1}{2}\pm\frac{hw}{2}",
    "Triangle of height h and half-width w (Bellec et al. 2020).", (-3.0, 3.0), "triangle", ">=",
    equivalent=_nest_eq(
        "relu_grad",
        lambda surrogate_gradient_height, surrogate_gradient_width: {
            "alpha": surrogate_gradient_height / surrogate_gradient_width, "width": surrogate_gradient_width},
        "alpha = h/w, width = w", _one, "1",
        lambda tp, f, s, k: ({"surrogate_gradient_height": float(tp["alpha"]) * float(tp["width"]) * f,
                              "surrogate_gradient_width": float(tp["width"])} if (s == 0 and _close(k, 1.0)) else None),
    ),
    oddities=_NEST_ODD, code=_nest("piecewise_linear"),
    breakpoints=lambda surrogate_gradient_height, surrogate_gradient_width: [
        -surrogate_gradient_width, 0.0, surrogate_gradient_width],
))
_add(_rec(
    "nest", "exponential", "NestExponential", _NEST_PARAMS,
    r"g'(x) = h\,e^{-|x|/w}", r"g(x) = \frac{1}{2}+h\,w\,\mathrm{sgn}(x)(1-e^{-|x|/w})",
    "Exponential of height h and decay length w.", (-3.0, 3.0), "exponential", ">=",
    equivalent=_nest_eq(
        "slayer_grad",
        lambda surrogate_gradient_height, surrogate_gradient_width: {"alpha": 1.0 / surrogate_gradient_width},
        "alpha = 1/w", lambda surrogate_gradient_height, surrogate_gradient_width: surrogate_gradient_height, "h",
        lambda tp, f, s, k: ({"surrogate_gradient_height": f, "surrogate_gradient_width": 1.0 / float(tp["alpha"])}
                             if (s == 0 and _close(k, 1.0)) else None),
    ),
    oddities=_NEST_ODD, code=_nest("exponential"),
    breakpoints=lambda surrogate_gradient_height, surrogate_gradient_width: [0.0],
))
_add(_rec(
    "nest", "fast_sigmoid_derivative", "NestFastSigmoidDerivative", _NEST_PARAMS,
    r"g'(x) = h\,(1+\frac{|x|}{w})^{-2}", r"g(x) = \frac{1}{2}+\frac{h\,x}{1+|x|/w}",
    "Fast-sigmoid derivative of height h and width w.", (-3.0, 3.0), "fast sigmoid", ">=",
    equivalent=_nest_eq(
        "inv_square_grad",
        lambda surrogate_gradient_height, surrogate_gradient_width: {"alpha": 1.0 / surrogate_gradient_width},
        "alpha = 1/w", lambda surrogate_gradient_height, surrogate_gradient_width: surrogate_gradient_height, "h",
        lambda tp, f, s, k: ({"surrogate_gradient_height": f, "surrogate_gradient_width": 1.0 / float(tp["alpha"])}
                             if (s == 0 and _close(k, 1.0)) else None),
    ),
    oddities=_NEST_ODD, code=_nest("fast_sigmoid_derivative"),
    breakpoints=lambda surrogate_gradient_height, surrogate_gradient_width: [0.0],
))
_add(_rec(
    "nest", "arctan_derivative", "NestArctanDerivative", _NEST_PARAMS,
    r"g'(x) = \frac{h}{1+(x/w)^{2}}", r"g(x) = \frac{1}{2}+h\,w\arctan(\frac{x}{w})",
    "Arctan derivative (Cauchy) of height h and half-width w.", (-3.0, 3.0), "arctan", ">=",
    equivalent=_nest_eq(
        "arctan",
        lambda surrogate_gradient_height, surrogate_gradient_width: {"alpha": 2.0 / (math.pi * surrogate_gradient_width)},
        "alpha = 2/(pi w)",
        lambda surrogate_gradient_height, surrogate_gradient_width: (
            surrogate_gradient_height * math.pi * surrogate_gradient_width), "pi h w",
        lambda tp, f, s, k: ({"surrogate_gradient_height": f * float(tp["alpha"]) / 2.0,
                              "surrogate_gradient_width": 2.0 / (math.pi * float(tp["alpha"]))}
                             if (s == 0 and _close(k, 1.0)) else None),
    ),
    oddities=_NEST_ODD, code=_nest("arctan_derivative"),
))

#: Every foreign record, keyed by ``LIBRARY.NAME``.
FOREIGN: dict[str, ForeignRecord] = {r.name: r for r in _RECORDS}

#: Surrogates that are not deterministic spike surrogates, with the reason.
UNAVAILABLE: tuple[Unavailable, ...] = (
    Unavailable("snntorch", "SSO", "stochastic: below the threshold the gradient is (U[-0.5, 0.5) + mean) * "
                "variance, fresh uniform noise on every backward pass", _SNNTORCH),
    Unavailable("snntorch", "LSO", "broken as released: LSO() calls StochasticSpikeOperator.apply(x, slope), "
                "one argument short, so calling it raises TypeError (and LeakySpikeOperator.backward returns one "
                "gradient for two inputs)", _SNNTORCH),
    Unavailable("snntorch", "custom_surrogate", "a wrapper around a user-supplied gradient function, not a "
                "surrogate of its own", _SNNTORCH),
    Unavailable("spikingjelly", "PoissonPass", "stochastic: the forward samples torch.bernoulli(x) (x is a "
                "firing probability), the backward passes the gradient through", _SPIKINGJELLY),
    Unavailable("spikingjelly", "MultiLevelSpikeCount", "not a binary spike: the forward is "
                "round(clamp(x, 0, max_spike_count)), a spike count", _SPIKINGJELLY),
    Unavailable("norse", "heaviside", "the true step (torch.gt): no surrogate, its gradient is zero", _NORSE),
    Unavailable("norse", "logistic", "stochastic: Logistic samples a Bernoulli spike with p = 1/2 + tanh(kx)/2 "
                "(its backward is 1 - tanh^2(kx), as norse.tanh)", _NORSE),
    Unavailable("norse", "circ_dist", "stochastic: CircDist samples a Bernoulli spike (its backward is "
                "norse.circ's)", _NORSE),
    Unavailable("lava_dl", "slayer_graded", "graded spike (graded_spike=True): the forward emits voltage/scale, "
                "not a binary spike; its backward is scale_rho*exp(min(x, 0)/tau_rho)", _LAVA),
)


# -- lookup ------------------------------------------------------------------------------------


def foreign_records() -> Iterator[ForeignRecord]:
    """Every foreign record, library by library in :data:`LIBRARIES` order."""
    order = {lib: i for i, lib in enumerate(LIBRARIES)}
    return iter(sorted(_RECORDS, key=lambda r: order[r.library]))


def _library_key(text: str) -> str | None:
    key = normalize(text)
    for lib, (display, _) in LIBRARIES.items():
        if normalize(lib) == key or normalize(display) == key:
            return lib
    return None


def library_of(text: str) -> str:
    """The library key for a spelling (``snnTorch``, ``lava-dl``); :class:`BadInput` with a hint if unknown."""
    lib = _library_key(text)
    if lib is not None:
        return lib
    close = difflib.get_close_matches(normalize(text), [normalize(k) for k in LIBRARIES], n=1, cutoff=0.5)
    hint = f"did you mean '{next(k for k in LIBRARIES if normalize(k) == close[0])}'? " if close else ""
    raise BadInput(f"unknown library '{text}'", f"{hint}libraries: {', '.join(LIBRARIES)}")


def library_records(library: str) -> list[ForeignRecord]:
    """The records of one library (any spelling of its name)."""
    lib = library_of(library)
    return [r for r in _RECORDS if r.library == lib]


def is_foreign_name(name: str) -> bool:
    """True for a ``LIBRARY.NAME`` spelling (a dot, no colon, no path separator)."""
    name = name.strip()
    return "." in name and ":" not in name and "/" not in name and not name.endswith(".py")


def lookup_foreign(name: str) -> ForeignRecord:
    """The record for ``LIBRARY.NAME`` (library and name in any case, ``_``/``-`` ignored).

    Raises :class:`BadInput`: unknown library (closest suggested), unknown name within the
    library (closest within it), or a surrogate the catalogue lists as unavailable (why).
    """
    lib_text, _, src = name.strip().partition(".")
    lib = library_of(lib_text)
    key = normalize(src)
    mine = [r for r in _RECORDS if r.library == lib]
    for r in mine:
        if normalize(r.source_name) == key:
            return r
    for u in UNAVAILABLE:
        if u.library == lib and normalize(u.name) == key:
            raise BadInput(f"{lib}.{u.name} is not available: {u.reason}",
                           f"run 'surrogate list --library {lib}' for the ones that are")
    spelled = {normalize(r.source_name): r.source_name for r in mine}
    close = difflib.get_close_matches(key, list(spelled), n=1, cutoff=0.5)
    hint = f"did you mean '{lib}.{spelled[close[0]]}'? " if close else ""
    raise BadInput(
        f"{lib} has no surrogate '{src}'",
        f"{hint}its surrogates: {', '.join(r.source_name for r in mine)}",
    )


def equivalent_of(record: Record, **params: Any):
    """``(target, target_params, factor, shift, x_scale)`` of the exact equivalent at these
    parameters (defaults filled in), or None where there is none."""
    eq = getattr(record, "equivalent", None)
    if eq is None:
        return None
    full = {**record.defaults, **params}
    tp = eq.params(**full)
    if tp is None:
        return None
    return eq.target, dict(tp), float(eq.factor(**full)), float(eq.shift(**full)), float(eq.x_scale(**full))


def _short(v: Any) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else f"{v:.10g}"


def equivalence_text(record: Record, **params: Any) -> str | None:
    """The exact equivalent at these parameters as one expression, e.g.
    ``25 * slayer_grad(alpha=1)(x - 1)``; None where there is none."""
    found = equivalent_of(record, **params)
    if found is None:
        return None
    target, tp, f, s, k = found
    args = ", ".join(f"{n}={_short(v)}" for n, v in tp.items())
    arg = "x"
    if s != 0:
        arg = f"x {'-' if s > 0 else '+'} {_short(abs(s))}"
    if k != 1:
        arg = f"{_short(k)}*({arg})" if s != 0 else f"{_short(k)}*x"
    out = f"{target}({args})"
    out = f"{_short(f)} * {out}" if f != 1 else out
    return out if arg == "x" else f"{out} at {arg}"


def equivalence_rule(record: Record) -> str | None:
    """The general mapping in words: target, parameters, factor, shift, x scale, condition, edges."""
    eq = getattr(record, "equivalent", None)
    if eq is None:
        return None
    parts = [f"{eq.target}({eq.mapping})" if eq.mapping else eq.target]
    if eq.factor_text != "1":
        parts.insert(0, f"{eq.factor_text} *")
    if eq.shift_text != "0" or eq.x_scale_text != "1":
        inner = "x" if eq.shift_text == "0" else f"x - ({eq.shift_text})"
        if eq.x_scale_text != "1":
            inner = f"{eq.x_scale_text} * ({inner})" if eq.shift_text != "0" else f"{eq.x_scale_text} * x"
        parts.append(f"at {inner}")
    out = " ".join(parts)
    if eq.condition:
        out += f"; when {eq.condition}"
    if eq.edges_text:
        out += f"; except at {eq.edges_text}"
    return out


def family_of(record: Record) -> str:
    """The family of a built-in or foreign record (the union catalogue)."""
    if isinstance(record, ForeignRecord):
        return record.family
    return BUILTIN_FAMILY.get(record.name, "")
