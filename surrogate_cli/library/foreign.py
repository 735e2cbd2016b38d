r"""Other libraries' surrogates in JAX, each with its library's exact backward formula.

One :class:`~surrogate_cli.library.spike.Surrogate` subclass per record of
:mod:`surrogate_cli.catalog.foreign` (``SnntorchAtan`` for ``snntorch.atan``). The
forward pass follows the library: a surrogate whose library spikes where ``x > 0``
spikes where ``x > 0`` here too (a public :func:`jax.custom_jvp` step, the same rule as
:func:`surrogate_cli.library.spike.heaviside`), and lava-dl CUBA's spike sits at its shifted
threshold. ``surrogate_grad`` is the library's formula as written (oddities included,
see each record's ``oddities``); ``surrogate_fun`` is ``1/2 + integral from 0 of g'``
where that has a closed form, so ``surrogate verify`` can check the gradient.

Build one by name with ``surrogate_cli.lookup("snntorch.atan")(alpha=2.0)``.
"""
from __future__ import annotations

import inspect
import math

import jax
import jax.numpy as jnp
from jax.scipy.special import erf

from ..catalog.foreign import FOREIGN, ForeignRecord
from .spike import Surrogate, heaviside

__all__ = ["ForeignSurrogate", "step_gt"]


@jax.custom_jvp
def step_gt(x: jax.Array, dx: jax.Array) -> jax.Array:
    """The strict step of ``x`` (1 where ``x > 0``), differentiated as ``dx``."""
    return (x > 0).astype(x.dtype)


@step_gt.defjvp
def _step_gt_jvp(primals, tangents):
    x, dx = primals
    tx, tdx = tangents
    return step_gt(x, dx), dx * tx + tdx


class ForeignSurrogate(Surrogate):
    """Base of the foreign surrogates: parameters validated by the record, library forward."""

    _record: ForeignRecord

    def __init__(self, **params):
        super().__init__()
        full = self._record.validate(params)
        for name, value in full.items():
            setattr(self, name, value)

    @property
    def params(self) -> dict:
        return {p.name: getattr(self, p.name) for p in self._record.params}

    def __call__(self, x):
        rec = self._record
        x = jnp.asarray(x)
        offset_fn = _OFFSET.get(rec.name)
        offset = offset_fn(**self.params) if offset_fn is not None else 0.0
        if not jnp.issubdtype(x.dtype, jnp.inexact):
            on = (x > offset) if rec.forward == ">" else (x >= offset)
            return on.astype(x.dtype)
        dx = jnp.asarray(self.surrogate_grad(jax.lax.stop_gradient(x)))
        if dx.dtype != x.dtype:
            dx = dx.astype(x.dtype)
        if dx.shape != x.shape:
            dx = jnp.broadcast_to(dx, x.shape)
        z = x - jnp.asarray(offset).astype(x.dtype) if offset_fn is not None else x
        return step_gt(z, dx) if rec.forward == ">" else heaviside(z, dx)

    def expected_spike(self, x):
        """The library's forward step of ``x`` (bool): ``x > offset`` or ``x >= offset``."""
        offset_fn = _OFFSET.get(self._record.name)
        z = x - jnp.asarray(offset_fn(**self.params)).astype(x.dtype) if offset_fn is not None else x
        return (z > 0) if self._record.forward == ">" else (z >= 0)

    def __repr__(self):
        inner = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self._record.name}({inner})"

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(bool(jnp.all(jnp.asarray(a) == jnp.asarray(b)))
                   for a, b in zip(self.params.values(), other.params.values()))

    def __hash__(self):
        return hash((type(self), tuple(str(v) for v in self.params.values())))


def _sgn0(x):
    return jnp.where(x < 0, -1.0, 1.0).astype(x.dtype) if hasattr(x, "dtype") else (-1.0 if x < 0 else 1.0)


def _fs(x, k):
    """x / (1 + k|x|): the odd antiderivative of 1/(1 + k|x|)^2."""
    return x / (1.0 + k * jnp.abs(x))


def _lin(x, below, above):
    return jnp.where(x < 0, below * x, above * x)


# name -> (grad(x, **p), fun(x, **p) or None): each gradient is the library's formula as written.
_IMPL: dict = {}


def _impl(name, fun=None):
    def deco(grad):
        _IMPL[name] = (grad, fun)
        return grad

    return deco


# ---- snnTorch
_impl("snntorch.straight_through_estimator", lambda x: x + 0.5)(lambda x: jnp.ones_like(x))
_impl("snntorch.triangular", lambda x, threshold: 0.5 - threshold * jnp.abs(x))(
    lambda x, threshold: jnp.where(x >= 0, -threshold, threshold) * jnp.ones_like(x))
_impl("snntorch.fast_sigmoid", lambda x, slope: 0.5 + _fs(x, slope))(
    lambda x, slope: 1.0 / (slope * jnp.abs(x) + 1.0) ** 2)
_impl("snntorch.atan", lambda x, alpha: jnp.arctan(math.pi / 2 * alpha * x) / math.pi + 0.5)(
    lambda x, alpha: alpha / 2 / (1 + (math.pi / 2 * alpha * x) ** 2))
_impl("snntorch.heaviside", lambda x: jnp.maximum(x, 0.0) + 0.5)(lambda x: (x > 0).astype(x.dtype))


def _snn_sigmoid_grad(x, slope):
    # the library's slope*exp(-slope*x)/(exp(-slope*x)+1)^2, an even function, evaluated at |x|:
    # the same arithmetic for x >= 0, and finite where exp(-slope*x) overflows for x < 0 (the
    # literal form gives inf/inf = nan there: see the record's oddities)
    e = jnp.exp(-slope * jnp.abs(x))
    return slope * e / ((e + 1) ** 2)


_impl("snntorch.sigmoid", lambda x, slope: jax.nn.sigmoid(slope * x))(_snn_sigmoid_grad)


def _sre_F(x, beta):
    lo = x < 1.0
    below = jnp.exp(beta * jnp.where(lo, x - 1.0, 0.0)) / beta
    above = (2.0 - jnp.exp(-beta * jnp.where(lo, 0.0, x - 1.0))) / beta
    return jnp.where(lo, below, above)


_impl("snntorch.spike_rate_escape",
      lambda x, beta, slope: 0.5 + slope * (_sre_F(x, beta) - jnp.exp(-beta) / beta))(
    lambda x, beta, slope: slope * jnp.exp(-beta * jnp.abs(x - 1)))
_impl("snntorch.SFS", lambda x, slope, B: 0.5 + _fs(jnp.maximum(x, B), slope) - _fs(jnp.maximum(0.0, B), slope))(
    lambda x, slope, B: 1.0 / (slope * jnp.abs(x) + 1.0) ** 2 * (x > B).astype(x.dtype))

# ---- SpikingJelly


def _pq_fun(x, alpha):
    inside = (1 - alpha * jnp.abs(x) / 2) * alpha * x + 0.5
    return jnp.where(x < -1 / alpha, 0.0, jnp.where(x > 1 / alpha, 1.0, inside))


_impl("spikingjelly.PiecewiseQuadratic", _pq_fun)(
    lambda x, alpha: jnp.where(jnp.abs(x) > 1 / alpha, 0.0, -(alpha ** 2) * jnp.abs(x) + alpha))
_impl("spikingjelly.PiecewiseExp",
      lambda x, alpha: jnp.where(x < 0, 0.5 * jnp.exp(alpha * jnp.minimum(x, 0.0)),
                                 1 - 0.5 * jnp.exp(-alpha * jnp.maximum(x, 0.0))))(
    lambda x, alpha: alpha / 2 * jnp.exp(-alpha * jnp.abs(x)))


def _sj_sigmoid_grad(x, alpha):
    s = jax.nn.sigmoid(x * alpha)
    return (1.0 - s) * s * alpha


_impl("spikingjelly.Sigmoid", lambda x, alpha: jax.nn.sigmoid(alpha * x))(_sj_sigmoid_grad)
_impl("spikingjelly.SoftSign", lambda x, alpha: 0.5 * _sgn0(x) * (1 - 1 / (1 + jnp.abs(alpha * x))) + 0.5)(
    lambda x, alpha: 1.0 / (2 * alpha * (1 / alpha + jnp.abs(x)) ** 2))
_impl("spikingjelly.SuperSpike", lambda x, alpha: 0.5 + alpha * _fs(x, 1.0))(
    lambda x, alpha: alpha / (jnp.abs(x) + 1.0) ** 2)
_impl("spikingjelly.ATan", lambda x, alpha: jnp.arctan(math.pi / 2 * alpha * x) / math.pi + 0.5)(
    lambda x, alpha: (alpha / 2) / (1 + (math.pi * (alpha / 2) * x) ** 2))
_impl("spikingjelly.NonzeroSignLogAbs", lambda x, alpha: 0.5 + _sgn0(x) * jnp.log1p(alpha * jnp.abs(x)))(
    lambda x, alpha: 1.0 / (1 / alpha + jnp.abs(x)))
_impl("spikingjelly.Erf", lambda x, alpha: 0.5 * (1 + erf(alpha * x)))(
    lambda x, alpha: jnp.exp(-((x * alpha) ** 2)) * (alpha / math.sqrt(math.pi)))


def _plr_fun(x, w, c):
    inside = x / (2 * w) + 0.5
    return jnp.where(x < -w, c * (x + w), jnp.where(x > w, c * (x - w) + 1.0, inside))


_impl("spikingjelly.PiecewiseLeakyReLU", _plr_fun)(
    lambda x, w, c: jnp.where(jnp.abs(x) < w, 1 / (2 * w), c) * jnp.ones_like(x))


def _sq_grad(x, n, T_period):
    w = math.pi * 2.0 / T_period
    out = jnp.zeros_like(x)
    for i in range(1, int(n)):
        out = out + jnp.cos((2 * i - 1.0) * w * x)
    return out * (4.0 / T_period)


def _sq_fun(x, n, T_period):
    w = math.pi * 2.0 / T_period
    out = jnp.zeros_like(x)
    for i in range(1, int(n)):
        out = out + jnp.sin((2 * i - 1.0) * w * x) / (2 * i - 1.0)
    return 0.5 + (2.0 / math.pi) * out


_impl("spikingjelly.SquarewaveFourierSeries", _sq_fun)(_sq_grad)


def _s2nn_grad(x, alpha, beta):
    s = jax.nn.sigmoid(alpha * x)
    return jnp.where(x < 0.0, alpha * s * (1.0 - s), beta / (jnp.maximum(x, 0.0) + 1.0))


_impl("spikingjelly.S2NN",
      lambda x, alpha, beta: jnp.where(x < 0, jax.nn.sigmoid(alpha * x), beta * jnp.log1p(jnp.maximum(x, 0.0)) + 0.5))(
    _s2nn_grad)
_impl("spikingjelly.QPseudoSpike",
      lambda x, alpha: 0.5 + _sgn0(x) / 2 * (1 - (1 + 2 * jnp.abs(x) / (alpha - 1)) ** (1 - alpha)))(
    lambda x, alpha: (1 + 2 / (alpha - 1) * jnp.abs(x)) ** (-alpha))
_impl("spikingjelly.LeakyKReLU", lambda x, leak, k: 0.5 + _lin(x, leak, k))(
    lambda x, leak, k: jnp.where(x >= 0.0, k, leak) * jnp.ones_like(x))


def _fng_grad(x, alpha):
    sign = jnp.where(x >= 0.0, 1.0, -1.0)
    safe = jnp.where(x == 0, 1.0, x)
    recip = jnp.where(x == 0, jnp.inf, sign / safe)  # the library's 1/0 = inf, then clipped
    return jnp.minimum(recip, alpha).astype(x.dtype)


def _fng_fun(x, alpha):
    a = jnp.abs(x)
    tail = 1 + jnp.log(alpha * jnp.maximum(a, 1 / alpha))
    return 0.5 + jnp.where(a <= 1 / alpha, alpha * x, _sgn0(x) * tail)


_impl("spikingjelly.FakeNumericalGradient", _fng_fun)(_fng_grad)
_impl("spikingjelly.LogTailedReLU",
      lambda x, alpha: 0.5 + jnp.where(x <= 0, alpha * x,
                                       jnp.where(x <= 1, x, 1 + jnp.log(jnp.maximum(x, 1.0)))))(
    lambda x, alpha: jnp.where(x > 1.0, 1.0 / jnp.maximum(x, 1.0), jnp.where(x <= 0.0, alpha, 1.0)))
_impl("spikingjelly.DeterministicPass", lambda x: x + 0.5)(lambda x: jnp.ones_like(x))
_impl("spikingjelly.Rect", lambda x, alpha: 0.5 + jnp.clip(alpha * x, -0.5, 0.5))(
    lambda x, alpha: alpha * (jnp.abs(x) < 0.5 / alpha).astype(x.dtype))

# ---- Norse
_impl("norse.super", lambda x, alpha: 0.5 + _fs(x, 1.0))(lambda x, alpha: 1.0 / (jnp.abs(x) + 1.0) ** 2)


def _tri_fun(x, alpha):
    c = jnp.clip(x, -1.0, 1.0)
    return 0.5 + alpha * (c - c * jnp.abs(c) / 2)


_impl("norse.triangle", _tri_fun)(lambda x, alpha: alpha * jnp.maximum(1 - jnp.abs(x), 0.0))
_impl("norse.tanh", lambda x, alpha: 0.5 + jnp.tanh(alpha * x) / alpha)(
    lambda x, alpha: 1 - jnp.tanh(x * alpha) ** 2)


def _circ_grad(x, alpha):
    # the library: (-(x^2/(2 r2^1.5)) + 1/(2 sqrt(r2))) * 2 alpha with r2 = alpha^2 + x^2, which is
    # alpha^3/r2^1.5 exactly; written as (alpha/r)^3, r = hypot(alpha, x), so it neither overflows
    # (x^2 = inf gives inf/inf = nan) nor cancels for |x| >> alpha (see the record's oddities)
    q = alpha / jnp.hypot(alpha, x)
    return q * q * q


_impl("norse.circ", lambda x, alpha: 0.5 + alpha * (x / jnp.hypot(alpha, x)))(_circ_grad)
_impl("norse.heavi_erfc", lambda x, alpha: 0.5 + erf(alpha * x) / alpha)(
    lambda x, alpha: (2 * jnp.exp(-((alpha * x) ** 2))) / math.sqrt(math.pi))

# ---- sinabs (x = v_mem - spike_threshold)
_impl("sinabs.Heaviside",
      lambda x, window, spike_threshold: 0.5 + (jnp.maximum(x, -window) - jnp.maximum(0.0, -window)) / spike_threshold)(
    lambda x, window, spike_threshold: (x >= -window).astype(x.dtype) / spike_threshold)


def _gauss(x, mu, sigma):
    return jnp.exp(-((x - mu) ** 2) / (2 * sigma ** 2)) / (sigma * math.sqrt(2 * math.pi))


def _gauss_cdf0(x, mu, sigma):
    """Integral of N(t; mu, sigma^2) from 0 to x."""
    r = math.sqrt(2.0)
    return 0.5 * (erf((x - mu) / (r * sigma)) - erf((0.0 - mu) / (r * sigma)))


_impl("sinabs.Gaussian", lambda x, mu, sigma, grad_scale: 0.5 + grad_scale * _gauss_cdf0(x, mu, sigma))(
    lambda x, mu, sigma, grad_scale: _gauss(x, mu, sigma) * grad_scale)


def _mg_grad(x, mu, sigma, h, s, grad_scale):
    return ((1 + h) * _gauss(x, mu, sigma) - h * _gauss(x, sigma, s * sigma)
            - h * _gauss(x, -sigma, s * sigma)) * grad_scale


def _mg_fun(x, mu, sigma, h, s, grad_scale):
    return 0.5 + grad_scale * ((1 + h) * _gauss_cdf0(x, mu, sigma) - h * _gauss_cdf0(x, sigma, s * sigma)
                               - h * _gauss_cdf0(x, -sigma, s * sigma))


_impl("sinabs.MultiGaussian", _mg_fun)(_mg_grad)


def _se_grad(x, grad_width, grad_scale, spike_threshold):
    w = spike_threshold * grad_width
    return grad_scale / w * jnp.exp(-jnp.abs(x) / w)


_impl("sinabs.SingleExponential",
      lambda x, grad_width, grad_scale, spike_threshold: 0.5 + grad_scale * _sgn0(x) * (
          1 - jnp.exp(-jnp.abs(x) / (spike_threshold * grad_width))))(_se_grad)


def _pe_grad(x, grad_width, grad_scale, spike_threshold):
    v = x + spike_threshold  # back to v_mem, as sinabs computes it
    vn = v / spike_threshold - 0.5
    vp = vn - jnp.floor(vn)
    vp = spike_threshold * (2 * vp - 1)
    below = (v - spike_threshold) * (v < spike_threshold)
    above = vp * (v >= spike_threshold)
    return grad_scale * jnp.exp(-jnp.abs(above + below) / grad_width)


_impl("sinabs.PeriodicExponential")(_pe_grad)

# ---- Spyx
_impl("spyx.tanh", lambda x, k: 0.5 + jnp.tanh(k * x) / k)(
    lambda x, k: 4 / (jnp.exp(-k * x) + jnp.exp(k * x)) ** 2)
_impl("spyx.boxcar", lambda x, width, height: 0.5 + height * jnp.clip(x, -width / 2, width / 2))(
    lambda x, width, height: height * (-(jnp.abs(x) - width / 2) > 0).astype(x.dtype))


def _spyx_tri_fun(x, k):
    c = jnp.clip(x, -1 / k, 1 / k)
    return 0.5 + c - k * c * jnp.abs(c) / 2


_impl("spyx.triangular", _spyx_tri_fun)(lambda x, k: jnp.maximum(0.0, 1 - jnp.abs(k * x)))
_impl("spyx.arctan", lambda x, k: 0.5 + jnp.arctan(k * math.pi * x) / (k * math.pi ** 2))(
    lambda x, k: 1 / ((1 + (k * math.pi * x) ** 2) * math.pi))
_impl("spyx.superspike", lambda x, k: 0.5 + _fs(x, k))(lambda x, k: 1 / (1 + k * jnp.abs(x)) ** 2)
# the identity, behind an optimization barrier: XLA:CPU (jaxlib 0.10) crashes compiling slices of
# a concatenation that pass through unchanged ("SmallVector unable to grow")
_impl("spyx.custom", lambda x: 0.5 + x * x / 2)(lambda x: jax.lax.optimization_barrier(x))

# ---- lava-dl
_impl("lava_dl.slayer",
      lambda x, tau_rho, scale_rho: 0.5 + scale_rho / 2 * _sgn0(x) * (1 - jnp.exp(-jnp.abs(x) / tau_rho)))(
    lambda x, tau_rho, scale_rho: scale_rho / 2 / tau_rho * jnp.exp(-jnp.abs(x) / tau_rho))


def _cuba_parts(threshold, tau_grad, scale_grad):
    from ..catalog.foreign import CUBA_THRESHOLD_EPS as _CUBA_EPS

    th_q = jnp.trunc(jnp.asarray(threshold) * 64) / 64.0  # int(threshold * w_scale) / w_scale
    tau = tau_grad * th_q * 100.0
    scale = scale_grad * 0.1
    return th_q + _CUBA_EPS - threshold, tau, scale


def _cuba_grad(x, threshold, tau_grad, scale_grad):
    shift, tau, scale = _cuba_parts(threshold, tau_grad, scale_grad)
    return scale / 2 / tau * jnp.exp(-jnp.abs(x - shift) / tau)


def _cuba_fun(x, threshold, tau_grad, scale_grad):
    shift, tau, scale = _cuba_parts(threshold, tau_grad, scale_grad)

    def prim(u):
        return scale / 2 * _sgn0(u) * (1 - jnp.exp(-jnp.abs(u) / tau))

    return 0.5 + prim(x - shift) - prim(-shift)


_impl("lava_dl.cuba", _cuba_fun)(_cuba_grad)

#: Records whose spike is not at x = 0: name -> offset(**params) (spike where x >= offset).
_OFFSET = {"lava_dl.cuba": lambda threshold, tau_grad, scale_grad: _cuba_parts(threshold, tau_grad, scale_grad)[0]}

# ---- NEST (height h, width w)
_H, _W = "surrogate_gradient_height", "surrogate_gradient_width"


def _nest(fn):
    return lambda x, surrogate_gradient_height, surrogate_gradient_width: fn(
        x, surrogate_gradient_height, surrogate_gradient_width)


def _nest_pl_fun(x, h, w):
    c = jnp.clip(x, -w, w)
    return 0.5 + h * (c - c * jnp.abs(c) / (2 * w))


_impl("nest.piecewise_linear", _nest(_nest_pl_fun))(
    _nest(lambda x, h, w: h * jnp.maximum(0.0, 1.0 - jnp.abs(x) / w)))
_impl("nest.exponential", _nest(lambda x, h, w: 0.5 + h * w * _sgn0(x) * (1 - jnp.exp(-jnp.abs(x) / w))))(
    _nest(lambda x, h, w: h * jnp.exp(-jnp.abs(x) / w)))
_impl("nest.fast_sigmoid_derivative", _nest(lambda x, h, w: 0.5 + h * x / (1 + jnp.abs(x) / w)))(
    _nest(lambda x, h, w: h * (1.0 + jnp.abs(x) / w) ** -2.0))
_impl("nest.arctan_derivative", _nest(lambda x, h, w: 0.5 + h * w * jnp.arctan(x / w)))(
    _nest(lambda x, h, w: h / (1.0 + (x / w) ** 2.0)))


# -- the classes ---------------------------------------------------------------------------------


_HALF = (jnp.dtype(jnp.float16), jnp.dtype(jnp.bfloat16))


def _as_float(method):
    """Integers as the default float; 16-bit floats computed in float32 (as the built-ins do)
    and every result cast back to the input's dtype."""

    def wrapper(self, x):
        x = jnp.asarray(x)
        if not jnp.issubdtype(x.dtype, jnp.inexact):
            x = x.astype(jnp.result_type(float))
        if x.dtype in _HALF:
            return jnp.asarray(method(self, x.astype(jnp.float32))).astype(x.dtype)
        out = jnp.asarray(method(self, x))
        return out.astype(x.dtype) if out.dtype != x.dtype else out

    return wrapper


def _make_class(rec: ForeignRecord) -> type:
    grad, fun = _IMPL[rec.name]
    names = rec.param_names

    @_as_float
    def surrogate_grad(self, x):
        return grad(x, **{n: getattr(self, n) for n in names})

    body = {
        "_record": rec,
        "surrogate_grad": surrogate_grad,
        "__doc__": f"{rec.name}: {rec.description}\n\ng'(x): {rec.grad_tex}\n\nSource: {rec.source.text()}",
        "__module__": __name__,
    }
    if fun is not None:
        @_as_float
        def surrogate_fun(self, x):
            return fun(x, **{n: getattr(self, n) for n in names})

        body["surrogate_fun"] = surrogate_fun
    cls = type(rec.class_name, (ForeignSurrogate,), body)
    cls._exact = cls  # the class itself (a user's subclass is not the catalogued surrogate)
    sig = inspect.Signature([inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, default=p.default)
                             for p in rec.params])
    cls.__signature__ = sig
    return cls


for _rec in FOREIGN.values():
    if (_rec.fun_tex is not None) != (_IMPL[_rec.name][1] is not None):
        raise AssertionError(f"{_rec.name}: has_fun disagrees with the implementation")
    globals()[_rec.class_name] = _make_class(_rec)
    __all__.append(_rec.class_name)
del _rec
