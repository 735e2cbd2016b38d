r"""The 18 built-in surrogates and their functional twins.

Each class is a :class:`~surrogate_cli.spike.Surrogate`: calling it is the Heaviside
step, its derivative is ``surrogate_grad``. Formulas, parameters, valid ranges and
references live in :mod:`surrogate_cli.registry` (``surrogate info NAME`` prints them).

Numerical care, common to all of them:

* ``jnp.where`` evaluates both branches, and a dead branch that overflows or divides
  by zero poisons gradients even where it is not selected (``0 * inf = nan``). Every
  branch is evaluated on an input that is safe for it (clipped or substituted).
* ``float16`` and ``bfloat16`` inputs are computed in ``float32`` and cast back, so
  no intermediate (``x**2``, ``alpha*|x|``) overflows a 16-bit type; every float input
  gets its own dtype back from ``surrogate_fun`` and ``surrogate_grad``.
* Odd functions use ``sgn0(x)`` (``-1`` for ``x < 0`` else ``1``), so autodiff of
  ``surrogate_fun`` at exactly ``x = 0`` is the true derivative.
* Parameter gradients (``jax.grad`` with respect to ``alpha`` through ``s(x)``, which is
  ``d surrogate_grad / d alpha``) stay finite for every finite ``x``: no intermediate
  that overflows feeds a derivative (``r*r`` with ``r = 1/(1 + a|x|)`` rather than
  ``1/(1 + a|x|)**2``; Gaussian distances clipped where ``exp`` underflows anyway).
* Performance: ``surrogate_grad`` avoids functions that XLA:CPU does not vectorise
  (``cos``, ``pow``), so a jitted forward+backward is one fused pass over memory at
  close to the cost of reading ``x`` and the cotangent and writing the gradient
  (``benchmarks/spike.py``). Calling an exact built-in runs one jitted function of
  ``(x, parameters)``, so eager use is one kernel too.
"""
from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
from jax.scipy.special import erfc

from .registry import REGISTRY, validate_value
from .spike import Surrogate

__all__ = []  # filled below: every class and functional twin

_HALF = (jnp.dtype(jnp.float16), jnp.dtype(jnp.bfloat16))


def _f32_for_half(method):
    """Return the dtype of a float ``x``; compute 16-bit floats in float32.

    Branches whose values are only parameters (``jnp.where(x < 0, alpha, beta)``)
    would otherwise come back as the parameters' dtype (float64 under x64).
    """

    @functools.wraps(method)
    def wrapper(self, x):
        x = jnp.asarray(x)
        if x.dtype in _HALF:
            return method(self, x.astype(jnp.float32)).astype(x.dtype)
        out = jnp.asarray(method(self, x))
        if out.dtype != x.dtype and jnp.issubdtype(x.dtype, jnp.inexact):
            out = out.astype(x.dtype)
        return out

    return wrapper


def _sgn0(x):
    """-1 where x < 0, else 1 (so the sign of 0 is +1)."""
    return jnp.where(x < 0, -1.0, 1.0).astype(x.dtype)


def _log1p_mul(k, u):
    """log(1 + k*u) for k > 0, u >= 0, without overflow when k*u exceeds the dtype."""
    ku = k * u
    small = ku <= 1.0
    ku_safe = jnp.where(small, ku, 1.0)
    u_safe = jnp.where(small, 1.0, u)
    return jnp.where(small, jnp.log1p(ku_safe), jnp.log(k) + jnp.log(1.0 / k + u_safe))


# Taylor coefficients of cos(a) in z = a**2, highest power first (Horner); on
# |a| <= pi/2 the truncation error is below 2e-17 (11 terms) and 7e-9 (7 terms).
_COS_COEFFS = {
    n: tuple((-1) ** k / math.factorial(2 * k) for k in reversed(range(n))) for n in (7, 11)
}


def _cos_reduced(theta):
    """cos(theta) for |theta| <= 2*pi from multiply-adds only.

    XLA:CPU lowers ``cos`` to a scalar libm call (about 4 ns per float32 element, twice
    the cost of reading and writing the element), while this polynomial vectorises.
    The argument is folded into [0, pi/2] by cos(t) = cos(2*pi - t) = -cos(pi - t).
    """
    a = jnp.abs(theta)
    a = jnp.where(a > math.pi, 2.0 * math.pi - a, a)
    flip = a > math.pi / 2.0
    a = jnp.where(flip, math.pi - a, a)
    z = a * a
    coeffs = _COS_COEFFS[11 if jnp.finfo(z.dtype).bits > 32 else 7]
    c = coeffs[0]
    for k in coeffs[1:]:
        c = c * z + k
    return jnp.where(flip, -c, c)


# Taylor coefficients of expm1(y)/y = sum y**k/(k+1)!, highest power first.
_PHI_COEFFS = tuple(1.0 / math.factorial(k + 1) for k in reversed(range(10)))


def _expm1_div(log_base, e):
    """expm1(e * log_base) / e for log_base >= 0, with its limit log_base at e = 0.

    For |y| < 0.1 (y = e * log_base) it is log_base times a 10-term Taylor series of
    expm1(y)/y (truncation < 3e-18), so value and derivatives are accurate through
    e = 0. Otherwise e is safely non-zero and it is expm1(y)/e for |y| < 1 and
    (exp(y) - 1)/e beyond (JAX differentiates expm1 as expm1(y) + 1, which cancels
    for large negative y; exp does not).
    """
    y = e * log_base
    ay = jnp.abs(y)
    small = ay < 0.1
    ys = jnp.where(small, y, 0.0)
    series = _PHI_COEFFS[0]
    for c in _PHI_COEFFS[1:]:
        series = series * ys + c
    yb = jnp.where(small, 1.0, y)
    eb = jnp.where(small, 1.0, e)
    big = jnp.where(ay < 1.0, jnp.expm1(yb), jnp.exp(yb) - 1.0) / eb
    return jnp.where(small, log_base * series, big)


#: exp(-z*z/2) and exp(-z*z) are exactly 0 beyond |z| = 40 in every float dtype, so
#: clipping z there changes no value and keeps (z*z)' finite for parameter gradients.
_EXP_CUT = 40.0


def _gauss(x, mean, sigma):
    """The normal pdf N(x; mean, sigma**2), with the standardised distance clipped at
    40 (where the pdf underflows anyway): no x*x overflow, finite parameter gradients."""
    u = jnp.clip((x - mean) * (1.0 / sigma), -_EXP_CUT, _EXP_CUT)  # no per-element divide
    return jnp.exp(-0.5 * (u * u)) / (math.sqrt(2.0 * math.pi) * sigma)


def _clip_sq(z):
    """z clipped where z*z would overflow its dtype (1 + z*z is then beyond 1/eps**2
    anyway): keeps 1/(1 + z*z) and its parameter gradients finite."""
    big = math.sqrt(float(jnp.finfo(jnp.result_type(z)).max)) / 2.0
    return jnp.clip(z, -big, big)


def _logistic(z):
    """The logistic function expit(z), numerically stable: 1/(1+e) for z >= 0 and
    e/(1+e) below, e = exp(-|z|) (never overflows). Unlike ``expit``, which JAX
    differentiates as s*(1-s) (1-s cancels for z >> 0: 1e-3 relative error at z = 30 in
    float64), its autodiff derivative e/(1+e)**2 is accurate in both tails."""
    e = jnp.exp(jnp.where(z >= 0, -z, z))  # not abs: its derivative at 0 would be 0
    r = 1.0 / (1.0 + e)
    return jnp.where(z >= 0, r, e * r)


def _logistic_slope(z):
    """s*(1-s) for s = expit(z), as e/(1+e)**2 with e = exp(-|z|): full relative
    precision in both tails (s*(1-s) cancels for z >> 0)."""
    e = jnp.exp(-jnp.abs(z))
    r = 1.0 / (1.0 + e)
    return e * r * r


def _equal(a, b) -> bool:
    """Parameter equality: same shape and values; a tracer equals only itself."""
    if a is b:
        return True
    if isinstance(a, jax.core.Tracer) or isinstance(b, jax.core.Tracer):
        return False
    a, b = jnp.asarray(a), jnp.asarray(b)
    return a.shape == b.shape and bool(jnp.all(a == b))


def _hash_key(value):
    """A hashable stand-in for a parameter, consistent with :func:`_equal`."""
    if isinstance(value, jax.core.Tracer):
        return ("tracer", id(value))
    try:
        return hash(value)
    except TypeError:  # arrays
        import numpy as np

        arr = np.asarray(value)
        if arr.size == 1:
            return hash(arr.reshape(()).item())
        return hash((arr.shape, tuple(arr.reshape(-1).tolist())))


class _Builtin(Surrogate):
    """Shared plumbing of the built-ins: validated parameters, repr, equality, hash."""

    _repr_order: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__module__ != __name__:
            return  # a user's subclass of a built-in inherits its record
        rec = next(r for r in REGISTRY.values() if r.class_name == cls.__name__)
        cls._record = rec
        cls._repr_order = rec.repr_order or rec.param_names

    def __call__(self, x):
        # The spike of an exact built-in runs as one jitted function of (x, parameters):
        # outside jit, calling it is one compiled kernel instead of one dispatch (and
        # one pass over memory) per operation of surrogate_grad, and its first call
        # compiles once. Inside jit/grad/vmap it inlines; semantics are unchanged.
        x = jnp.asarray(x)
        cls = type(self)
        if cls.__module__ != __name__ or not jnp.issubdtype(x.dtype, jnp.inexact):
            return super().__call__(x)
        static = tuple((p.name, getattr(self, p.name)) for p in self._record.params if p.kind == "int")
        try:
            hash(static)
        except TypeError:  # an array-valued integer parameter
            return super().__call__(x)
        dynamic = tuple(getattr(self, p.name) for p in self._record.params if p.kind != "int")
        return _jitted_spike(cls, static, dynamic, x)

    def _set(self, **params):
        for name, value in params.items():
            p = self._record.param(name)
            setattr(self, name, validate_value(p, value, owner=type(self).__name__))

    def _params(self) -> tuple:
        return tuple(getattr(self, n) for n in self._repr_order)

    def __repr__(self):
        inner = ", ".join(f"{n}={getattr(self, n)}" for n in self._repr_order)
        return f"{type(self).__name__}({inner})"

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(_equal(a, b) for a, b in zip(self._params(), other._params()))

    def __hash__(self):
        return hash((type(self), tuple(_hash_key(p) for p in self._params())))


@functools.partial(jax.jit, static_argnums=(0, 1))
def _jitted_spike(cls, static, dynamic, x):
    obj = object.__new__(cls)
    for name, value in static:
        setattr(obj, name, value)
    for p, value in zip((p for p in cls._record.params if p.kind != "int"), dynamic):
        setattr(obj, p.name, value)
    return Surrogate.__call__(obj, x)


def _export(obj):
    __all__.append(obj.__name__)
    return obj


# -- surrogates with a surrogate_fun ------------------------------------------------------


@_export
class Sigmoid(_Builtin):
    r"""Sigmoid surrogate: :math:`g(x) = \sigma(\alpha x)`,
    :math:`g'(x) = \alpha\,\sigma(\alpha x)(1 - \sigma(\alpha x))`.

    Args:
        alpha: steepness (> 0); larger is closer to the step.
    """

    def __init__(self, alpha: float = 4.0):
        super().__init__()
        self._set(alpha=alpha)

    @_f32_for_half
    def surrogate_fun(self, x):
        return _logistic(self.alpha * x)

    @_f32_for_half
    def surrogate_grad(self, x):
        return self.alpha * _logistic_slope(self.alpha * x)


@_export
class PiecewiseQuadratic(_Builtin):
    r"""Piecewise quadratic surrogate: a triangular gradient on :math:`|x| \le 1/\alpha`.

    :math:`g'(x) = \alpha - \alpha^2|x|` for :math:`|x| \le 1/\alpha`, else 0;
    :math:`g(x) = (1 - \alpha|x|/2)\,\alpha x + 1/2` inside, 0 below, 1 above.

    Args:
        alpha: inverse half-width of the window (> 0).
    """

    def __init__(self, alpha: float = 1.0):
        super().__init__()
        self._set(alpha=alpha)

    @_f32_for_half
    def surrogate_fun(self, x):
        a = self.alpha
        xc = jnp.clip(x, -1.0 / a, 1.0 / a)
        inner = (1.0 - a * jnp.abs(xc) / 2.0) * a * xc + 0.5
        return jnp.where(x < -1.0 / a, 0.0, jnp.where(x > 1.0 / a, 1.0, inner))

    @_f32_for_half
    def surrogate_grad(self, x):
        a = self.alpha
        xc = jnp.clip(x, -1.0 / a, 1.0 / a)
        return jnp.where(jnp.abs(x) > 1.0 / a, 0.0, a - a * a * jnp.abs(xc))


@_export
class PiecewiseExp(_Builtin):
    r"""Piecewise exponential surrogate: :math:`g'(x) = \frac{\alpha}{2} e^{-\alpha|x|}`.

    :math:`g(x) = e^{\alpha x}/2` for :math:`x < 0`, :math:`1 - e^{-\alpha x}/2` otherwise.

    Args:
        alpha: steepness (> 0).
    """

    def __init__(self, alpha: float = 1.0):
        super().__init__()
        self._set(alpha=alpha)

    @_f32_for_half
    def surrogate_grad(self, x):
        return (self.alpha / 2.0) * jnp.exp(-self.alpha * jnp.abs(x))

    @_f32_for_half
    def surrogate_fun(self, x):
        half_e = jnp.exp(-self.alpha * jnp.abs(x)) / 2.0
        return jnp.where(x < 0, half_e, 1.0 - half_e)


@_export
class SoftSign(_Builtin):
    r"""Soft sign ("fast sigmoid") surrogate.

    :math:`g(x) = \frac{1}{2}\frac{\alpha x}{1 + |\alpha x|} + \frac{1}{2}`,
    :math:`g'(x) = \frac{\alpha}{2(1 + |\alpha x|)^2}`.

    Args:
        alpha: steepness (> 0).
    """

    def __init__(self, alpha: float = 1.0):
        super().__init__()
        self._set(alpha=alpha)

    @_f32_for_half
    def surrogate_grad(self, x):
        r = 1.0 / (1.0 + jnp.abs(self.alpha * x))  # r*r: no overflow in the alpha-gradient
        return self.alpha * 0.5 * r * r

    @_f32_for_half
    def surrogate_fun(self, x):
        return 0.5 * x / (1.0 / self.alpha + jnp.abs(x)) + 0.5


@_export
class Arctan(_Builtin):
    r"""Arctangent surrogate.

    :math:`g(x) = \frac{1}{\pi}\arctan(\frac{\pi}{2}\alpha x) + \frac{1}{2}`,
    :math:`g'(x) = \frac{\alpha}{2(1 + (\frac{\pi}{2}\alpha x)^2)}`.

    Args:
        alpha: steepness (> 0).
    """

    def __init__(self, alpha: float = 1.0):
        super().__init__()
        self._set(alpha=alpha)

    @_f32_for_half
    def surrogate_grad(self, x):
        z = _clip_sq(math.pi / 2.0 * self.alpha * x)
        return self.alpha * 0.5 / (1.0 + z * z)

    @_f32_for_half
    def surrogate_fun(self, x):
        return jnp.arctan(math.pi / 2.0 * self.alpha * x) / math.pi + 0.5


@_export
class NonzeroSignLog(_Builtin):
    r"""Signed-log surrogate: :math:`g(x) = \mathrm{sgn}_0(x)\log(1 + \alpha|x|)`.

    :math:`g'(x) = \frac{1}{1/\alpha + |x|}`. ``g`` is odd (``g(0) = 0``), and its
    gradient has a heavy :math:`1/|x|` tail.

    Args:
        alpha: steepness (> 0).
    """

    def __init__(self, alpha: float = 1.0):
        super().__init__()
        self._set(alpha=alpha)

    @_f32_for_half
    def surrogate_grad(self, x):
        return 1.0 / (1.0 / self.alpha + jnp.abs(x))

    @_f32_for_half
    def surrogate_fun(self, x):
        return _sgn0(x) * _log1p_mul(self.alpha, jnp.abs(x))


@_export
class ERF(_Builtin):
    r"""Error-function surrogate.

    :math:`g(x) = \frac{1}{2}(1 + \mathrm{erf}(\alpha x))`,
    :math:`g'(x) = \frac{\alpha}{\sqrt{\pi}} e^{-\alpha^2 x^2}`.

    Args:
        alpha: steepness (> 0).
    """

    def __init__(self, alpha: float = 1.0):
        super().__init__()
        self._set(alpha=alpha)

    @_f32_for_half
    def surrogate_grad(self, x):
        z = jnp.clip(self.alpha * x, -_EXP_CUT, _EXP_CUT)  # exp(-z*z) is 0 beyond: exact
        return (self.alpha / math.sqrt(math.pi)) * jnp.exp(-(z * z))

    @_f32_for_half
    def surrogate_fun(self, x):
        # erfc keeps full relative precision in the lower tail, where 1 + erf cancels.
        return 0.5 * erfc(-self.alpha * x)


@_export
class PiecewiseLeakyRelu(_Builtin):
    r"""Piecewise leaky ReLU surrogate: a box gradient with a leak.

    :math:`g'(x) = \frac{1}{2w}` for :math:`|x| \le w`, else :math:`c`;
    :math:`g(x) = \frac{x}{2w} + \frac{1}{2}` inside, :math:`cx + cw` below,
    :math:`cx - cw + 1` above. (The upstream docstring says :math:`1/w` inside; the
    code, and the derivative of its own ``g``, is :math:`1/(2w)`.)

    Args:
        c: slope outside the window (>= 0).
        w: half-width of the window (> 0).
    """

    def __init__(self, c: float = 0.01, w: float = 1.0):
        super().__init__()
        self._set(c=c, w=w)

    @_f32_for_half
    def surrogate_fun(self, x):
        c, w = self.c, self.w
        inner = jnp.clip(x, -w, w) / (2.0 * w) + 0.5
        return jnp.where(x < -w, c * x + c * w, jnp.where(x > w, c * x - c * w + 1.0, inner))

    @_f32_for_half
    def surrogate_grad(self, x):
        return jnp.where(jnp.abs(x) > self.w, self.c, 1.0 / (2.0 * self.w))


@_export
class SquarewaveFourierSeries(_Builtin):
    r"""Truncated Fourier series of a square wave.

    With :math:`\omega = 2\pi/T`:
    :math:`g(x) = \frac{1}{2} + \frac{2}{\pi}\sum_{i=1}^{n}\frac{\sin((2i-1)\omega x)}{2i-1}`,
    :math:`g'(x) = \frac{4}{T}\sum_{i=1}^{n}\cos((2i-1)\omega x)`.

    The odd harmonics come from one ``sin``/``cos`` and the Chebyshev recurrence
    :math:`c_{k+1} = 2\cos(2\theta)\,c_k - c_{k-1}`, so the cost grows by one
    multiply-add per harmonic; ``x`` is first reduced modulo :math:`T` so that no
    product overflows. In ``surrogate_grad`` (the hot path of training) ``cos`` itself
    is a short polynomial on the folded argument, because XLA:CPU's ``cos`` does not
    vectorise.

    Args:
        n: number of odd harmonics (integer >= 1; not traceable).
        t_period: period :math:`T` (> 0).
    """

    def __init__(self, n: int = 2, t_period: float = 8.0):
        super().__init__()
        self._set(n=n, t_period=t_period)

    def _theta(self, x):
        return (2.0 * math.pi / self.t_period) * jnp.fmod(x, self.t_period)

    @_f32_for_half
    def surrogate_grad(self, x):
        theta = self._theta(x)
        c1 = _cos_reduced(theta)
        two_c2 = 2.0 * (2.0 * c1 * c1 - 1.0)  # 2 cos(2 theta)
        prev, cur, total = c1, c1, c1  # cos(-theta), cos(theta)
        for _ in range(int(self.n) - 1):
            prev, cur = cur, two_c2 * cur - prev
            total = total + cur
        return (4.0 / self.t_period) * total

    @_f32_for_half
    def surrogate_fun(self, x):
        theta = self._theta(x)
        s1 = jnp.sin(theta)
        c1 = jnp.cos(theta)
        two_c2 = 2.0 * (2.0 * c1 * c1 - 1.0)
        prev, cur, total = -s1, s1, s1  # sin(-theta), sin(theta)
        for i in range(2, int(self.n) + 1):
            prev, cur = cur, two_c2 * cur - prev
            total = total + cur / (2 * i - 1)
        return 0.5 + (2.0 / math.pi) * total


@_export
class S2NN(_Builtin):
    r"""S2NN surrogate: sigmoid below the threshold, logarithm above.

    :math:`g(x) = \sigma(\alpha x)` for :math:`x < 0`,
    :math:`\beta\log(x + 1 + \epsilon) + \frac{1}{2}` otherwise;
    :math:`g'(x) = \alpha\sigma(\alpha x)(1-\sigma(\alpha x))` for :math:`x < 0`,
    :math:`\beta/(x + 1)` otherwise.

    Args:
        alpha: steepness of the sigmoid side (> 0).
        beta: scale of the log side (>= 0).
        epsilon: offset inside the log (>= 0).
    """

    def __init__(self, alpha: float = 4.0, beta: float = 1.0, epsilon: float = 1e-8):
        super().__init__()
        self._set(alpha=alpha, beta=beta, epsilon=epsilon)

    @_f32_for_half
    def surrogate_fun(self, x):
        x_pos = jnp.where(x < 0, 0.0, x)
        log_side = self.beta * jnp.log(x_pos + 1.0 + self.epsilon) + 0.5
        return jnp.where(x < 0, _logistic(self.alpha * x), log_side)

    @_f32_for_half
    def surrogate_grad(self, x):
        x_pos = jnp.where(x < 0, 0.0, x)
        return jnp.where(x < 0, self.alpha * _logistic_slope(self.alpha * x), self.beta / (x_pos + 1.0))


@_export
class QPseudoSpike(_Builtin):
    r"""q-PseudoSpike surrogate: power-law tails of tunable fatness.

    :math:`g'(x) = (1 + \frac{2|x|}{\alpha + 1})^{-\alpha}`;
    :math:`g(x) = \frac{1}{2} + \mathrm{sgn}(x)\frac{\alpha+1}{2(1-\alpha)}
    ((1 + \frac{2|x|}{\alpha+1})^{1-\alpha} - 1)`, and at :math:`\alpha = 1` its limit
    :math:`\frac{1}{2} + \mathrm{sgn}(x)\log(1 + |x|)`.

    Args:
        alpha: tail fatness (> 0); smaller is heavier-tailed.
    """

    def __init__(self, alpha: float = 2.0):
        super().__init__()
        self._set(alpha=alpha)

    @_f32_for_half
    def surrogate_grad(self, x):
        # (1 + k|x|)**(-alpha) with k = 2/(alpha+1), as exp(-alpha * log(1/k + |x|) +
        # alpha*log(1/k)): exp and log vectorise on XLA:CPU where pow does not, and
        # 1/k + |x| cannot overflow, so the alpha-gradient stays finite for every x.
        a = self.alpha
        inv_k = (a + 1.0) / 2.0
        return jnp.exp(-a * (jnp.log(inv_k + jnp.abs(x)) - jnp.log(inv_k)))

    @_f32_for_half
    def surrogate_fun(self, x):
        # With L = log(1 + k|x|) and e = 1 - alpha, the integral of g' from 0 to |x| is
        # (alpha+1)/2 * expm1(e*L)/e, whose limit at e = 0 is the log form of
        # alpha == 1; near e*L = 0 it is a Taylor series, so value, x- and
        # alpha-gradients are accurate through the removable singularity at alpha = 1.
        a = self.alpha
        log_base = _log1p_mul(2.0 / (a + 1.0), jnp.abs(x))
        return 0.5 + _sgn0(x) * ((a + 1.0) / 2.0) * _expm1_div(log_base, 1.0 - a)


@_export
class LeakyRelu(_Builtin):
    r"""Leaky ReLU surrogate: :math:`g(x) = \alpha x` for :math:`x < 0`, :math:`\beta x` otherwise.

    :math:`g'(x) = \alpha` for :math:`x < 0`, :math:`\beta` otherwise. ``g(0) = 0``.

    Args:
        alpha: gradient below the threshold (>= 0).
        beta: gradient at and above the threshold (>= 0).
    """

    def __init__(self, alpha: float = 0.1, beta: float = 1.0):
        super().__init__()
        self._set(alpha=alpha, beta=beta)

    @_f32_for_half
    def surrogate_fun(self, x):
        return jnp.where(x < 0.0, self.alpha * x, self.beta * x)

    @_f32_for_half
    def surrogate_grad(self, x):
        return jnp.where(x < 0.0, self.alpha, self.beta)


@_export
class LogTailedRelu(_Builtin):
    r"""Log-tailed ReLU surrogate.

    :math:`g(x) = \alpha x` for :math:`x \le 0`, :math:`x` for :math:`0 < x \le 1`,
    :math:`1 + \log x` for :math:`x > 1`; :math:`g'(x) = \alpha`, :math:`1`, :math:`1/x`.

    Args:
        alpha: gradient below the threshold (>= 0).
    """

    def __init__(self, alpha: float = 0.0):
        super().__init__()
        self._set(alpha=alpha)

    @_f32_for_half
    def surrogate_fun(self, x):
        x_tail = jnp.where(x > 1.0, x, 1.0)
        return jnp.where(x > 1.0, 1.0 + jnp.log(x_tail), jnp.where(x > 0.0, x, self.alpha * x))

    @_f32_for_half
    def surrogate_grad(self, x):
        x_tail = jnp.where(x > 1.0, x, 1.0)
        return jnp.where(x > 1.0, 1.0 / x_tail, jnp.where(x > 0.0, 1.0, self.alpha))


# -- gradient-only surrogates -------------------------------------------------------------


@_export
class ReluGrad(_Builtin):
    r"""ReLU-shaped (triangular) gradient: :math:`g'(x) = \max(0, \alpha(w - |x|))`.

    Gradient only: ``surrogate_fun`` raises ``NotImplementedError``.

    Args:
        alpha: slope of the triangle (> 0).
        width: half-width of the support (> 0).
    """

    def __init__(self, alpha: float = 0.3, width: float = 1.0):
        super().__init__()
        self._set(alpha=alpha, width=width)

    @_f32_for_half
    def surrogate_grad(self, x):
        return jnp.maximum(self.alpha * self.width - jnp.abs(x) * self.alpha, 0.0)


@_export
class GaussianGrad(_Builtin):
    r"""Gaussian gradient: :math:`g'(x) = \alpha\,\mathcal{N}(x; 0, \sigma^2)`.

    Gradient only. Note the upstream argument order ``(sigma, alpha)`` and ``repr``
    order ``(alpha, sigma)``, both kept.

    Args:
        sigma: standard deviation (> 0).
        alpha: scale (> 0); the area under the gradient.
    """

    def __init__(self, sigma: float = 0.5, alpha: float = 0.5):
        super().__init__()
        self._set(sigma=sigma, alpha=alpha)

    @_f32_for_half
    def surrogate_grad(self, x):
        sigma = self.sigma
        return self.alpha * _gauss(x, 0.0, sigma)


@_export
class InvSquareGrad(_Builtin):
    r"""Inverse-square gradient: :math:`g'(x) = 1/(\alpha|x| + 1)^2`.

    Gradient only.

    Args:
        alpha: steepness (> 0).
    """

    def __init__(self, alpha: float = 100.0):
        super().__init__()
        self._set(alpha=alpha)

    @_f32_for_half
    def surrogate_grad(self, x):
        r = 1.0 / (self.alpha * jnp.abs(x) + 1.0)  # r*r: no overflow in the alpha-gradient
        return r * r


@_export
class MultiGaussianGrad(_Builtin):
    r"""Multi-Gaussian gradient: a central Gaussian minus two wide side Gaussians.

    :math:`g'(x) = k[(1+h)\mathcal{N}(x;0,\sigma^2) - h\mathcal{N}(x;\sigma,(s\sigma)^2)
    - h\mathcal{N}(x;-\sigma,(s\sigma)^2)]` with ``k = scale``. Gradient only; it is
    negative in its side lobes, by design.

    Args:
        h: depth of the side lobes (>= 0).
        s: width ratio of the side Gaussians (> 0).
        sigma: standard deviation of the central Gaussian (> 0).
        scale: overall scale ``k`` (> 0).
    """

    def __init__(self, h: float = 0.15, s: float = 6.0, sigma: float = 0.5, scale: float = 0.5):
        super().__init__()
        self._set(h=h, s=s, sigma=sigma, scale=scale)

    @_f32_for_half
    def surrogate_grad(self, x):
        sigma, wide = self.sigma, self.s * self.sigma
        g1 = _gauss(x, 0.0, sigma)
        g2 = _gauss(x, sigma, wide)
        g3 = _gauss(x, -sigma, wide)
        return self.scale * (g1 * (1.0 + self.h) - g2 * self.h - g3 * self.h)


@_export
class SlayerGrad(_Builtin):
    r"""SLAYER's exponential gradient: :math:`g'(x) = e^{-\alpha|x|}`.

    Gradient only.

    Args:
        alpha: decay rate (> 0).
    """

    def __init__(self, alpha: float = 1.0):
        super().__init__()
        self._set(alpha=alpha)

    @_f32_for_half
    def surrogate_grad(self, x):
        return jnp.exp(-self.alpha * jnp.abs(x))


# -- functional twins ---------------------------------------------------------------------


def _twin(fn):
    """Register a functional twin; its docstring points at the class."""
    __all__.append(fn.__name__)
    return fn


@_twin
def sigmoid(x: jax.Array, alpha: float = 4.0):
    """Spike with the :class:`Sigmoid` surrogate gradient: ``Sigmoid(alpha)(x)``."""
    return Sigmoid(alpha=alpha)(x)


@_twin
def piecewise_quadratic(x: jax.Array, alpha: float = 1.0):
    """Spike with the :class:`PiecewiseQuadratic` surrogate gradient."""
    return PiecewiseQuadratic(alpha=alpha)(x)


@_twin
def piecewise_exp(x: jax.Array, alpha: float = 1.0):
    """Spike with the :class:`PiecewiseExp` surrogate gradient."""
    return PiecewiseExp(alpha=alpha)(x)


@_twin
def soft_sign(x: jax.Array, alpha: float = 1.0):
    """Spike with the :class:`SoftSign` surrogate gradient."""
    return SoftSign(alpha=alpha)(x)


@_twin
def arctan(x: jax.Array, alpha: float = 1.0):
    """Spike with the :class:`Arctan` surrogate gradient."""
    return Arctan(alpha=alpha)(x)


@_twin
def nonzero_sign_log(x: jax.Array, alpha: float = 1.0):
    """Spike with the :class:`NonzeroSignLog` surrogate gradient."""
    return NonzeroSignLog(alpha=alpha)(x)


@_twin
def erf(x: jax.Array, alpha: float = 1.0):
    """Spike with the :class:`ERF` surrogate gradient."""
    return ERF(alpha=alpha)(x)


@_twin
def piecewise_leaky_relu(x: jax.Array, c: float = 0.01, w: float = 1.0):
    """Spike with the :class:`PiecewiseLeakyRelu` surrogate gradient."""
    return PiecewiseLeakyRelu(c=c, w=w)(x)


@_twin
def squarewave_fourier_series(x: jax.Array, n: int = 2, t_period: float = 8.0):
    """Spike with the :class:`SquarewaveFourierSeries` surrogate gradient."""
    return SquarewaveFourierSeries(n=n, t_period=t_period)(x)


@_twin
def s2nn(x: jax.Array, alpha: float = 4.0, beta: float = 1.0, epsilon: float = 1e-8):
    """Spike with the :class:`S2NN` surrogate gradient."""
    return S2NN(alpha=alpha, beta=beta, epsilon=epsilon)(x)


@_twin
def q_pseudo_spike(x: jax.Array, alpha: float = 2.0):
    """Spike with the :class:`QPseudoSpike` surrogate gradient."""
    return QPseudoSpike(alpha=alpha)(x)


@_twin
def leaky_relu(x: jax.Array, alpha: float = 0.1, beta: float = 1.0):
    """Spike with the :class:`LeakyRelu` surrogate gradient."""
    return LeakyRelu(alpha=alpha, beta=beta)(x)


@_twin
def log_tailed_relu(x: jax.Array, alpha: float = 0.0):
    """Spike with the :class:`LogTailedRelu` surrogate gradient."""
    return LogTailedRelu(alpha=alpha)(x)


@_twin
def relu_grad(x: jax.Array, alpha: float = 0.3, width: float = 1.0):
    """Spike with the :class:`ReluGrad` surrogate gradient."""
    return ReluGrad(alpha=alpha, width=width)(x)


@_twin
def gaussian_grad(x: jax.Array, sigma: float = 0.5, alpha: float = 0.5):
    """Spike with the :class:`GaussianGrad` surrogate gradient."""
    return GaussianGrad(sigma=sigma, alpha=alpha)(x)


@_twin
def inv_square_grad(x: jax.Array, alpha: float = 100.0):
    """Spike with the :class:`InvSquareGrad` surrogate gradient."""
    return InvSquareGrad(alpha=alpha)(x)


@_twin
def multi_gaussian_grad(
    x: jax.Array, h: float = 0.15, s: float = 6.0, sigma: float = 0.5, scale: float = 0.5
):
    """Spike with the :class:`MultiGaussianGrad` surrogate gradient."""
    return MultiGaussianGrad(h=h, s=s, sigma=sigma, scale=scale)(x)


@_twin
def slayer_grad(x: jax.Array, alpha: float = 1.0):
    """Spike with the :class:`SlayerGrad` surrogate gradient."""
    return SlayerGrad(alpha=alpha)(x)
