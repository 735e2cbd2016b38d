r"""The 13 built-in surrogates that define ``surrogate_fun`` (the 5 gradient-only ones are in
:mod:`.gradient_only`).

Each class is a :class:`~surrogate_cli.library.spike.Surrogate`: calling it is the Heaviside
step, its derivative is ``surrogate_grad``. Formulas, parameters, valid ranges and
references live in :mod:`surrogate_cli.catalog` (``surrogate info NAME`` prints them).

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

import math

import jax
import jax.numpy as jnp
from jax.scipy.special import erfc

from ..catalog import builtin_records
from .builtin import BuiltinSurrogate
from .safe_math import f32_for_half, sgn0, log1p_mul, cos_reduced, expm1_div, EXP_CUT, clip_sq, logistic_slope, logistic

__all__ = [r.class_name for r in builtin_records() if r.has_fun]  # every class below, in catalog order


# -- surrogates with a surrogate_fun ------------------------------------------------------


class Sigmoid(BuiltinSurrogate, record="sigmoid"):
    @f32_for_half
    def surrogate_fun(self, x):
        return logistic(self.alpha * x)

    @f32_for_half
    def surrogate_grad(self, x):
        return self.alpha * logistic_slope(self.alpha * x)


class PiecewiseQuadratic(BuiltinSurrogate, record="piecewise_quadratic"):
    @f32_for_half
    def surrogate_fun(self, x):
        a = self.alpha
        xc = jnp.clip(x, -1.0 / a, 1.0 / a)
        inner = (1.0 - a * jnp.abs(xc) / 2.0) * a * xc + 0.5
        return jnp.where(x < -1.0 / a, 0.0, jnp.where(x > 1.0 / a, 1.0, inner))

    @f32_for_half
    def surrogate_grad(self, x):
        a = self.alpha
        # x, not x clipped to the support, inside: at |x| = 1/alpha the parameter gradient is then -1, as
        # upstream's where gives (a clip at its bound shares the derivative: -0.5)
        return jnp.where(jnp.abs(x) > 1.0 / a, 0.0, a - a * a * jnp.abs(x))


class PiecewiseExp(BuiltinSurrogate, record="piecewise_exp"):
    @f32_for_half
    def surrogate_grad(self, x):
        return (self.alpha / 2.0) * jnp.exp(-self.alpha * jnp.abs(x))

    @f32_for_half
    def surrogate_fun(self, x):
        half_e = jnp.exp(-self.alpha * jnp.abs(x)) / 2.0
        return jnp.where(x < 0, half_e, 1.0 - half_e)


class SoftSign(BuiltinSurrogate, record="soft_sign"):
    @f32_for_half
    def surrogate_grad(self, x):
        r = 1.0 / (1.0 + jnp.abs(self.alpha * x))  # r*r: no overflow in the alpha-gradient
        return self.alpha * 0.5 * r * r

    @f32_for_half
    def surrogate_fun(self, x):
        return 0.5 * x / (1.0 / self.alpha + jnp.abs(x)) + 0.5


class Arctan(BuiltinSurrogate, record="arctan"):
    @f32_for_half
    def surrogate_grad(self, x):
        z = clip_sq(math.pi / 2.0 * self.alpha * x)
        return self.alpha * 0.5 / (1.0 + z * z)

    @f32_for_half
    def surrogate_fun(self, x):
        return jnp.arctan(math.pi / 2.0 * self.alpha * x) / math.pi + 0.5


class NonzeroSignLog(BuiltinSurrogate, record="nonzero_sign_log"):
    @f32_for_half
    def surrogate_grad(self, x):
        return 1.0 / (1.0 / self.alpha + jnp.abs(x))

    @f32_for_half
    def surrogate_fun(self, x):
        return sgn0(x) * log1p_mul(self.alpha, jnp.abs(x))


class ERF(BuiltinSurrogate, record="erf"):
    @f32_for_half
    def surrogate_grad(self, x):
        z = jnp.clip(self.alpha * x, -EXP_CUT, EXP_CUT)  # exp(-z*z) is 0 beyond: exact
        return (self.alpha / math.sqrt(math.pi)) * jnp.exp(-(z * z))

    @f32_for_half
    def surrogate_fun(self, x):
        # erfc keeps full relative precision in the lower tail, where 1 + erf cancels.
        return 0.5 * erfc(-self.alpha * x)


class PiecewiseLeakyRelu(BuiltinSurrogate, record="piecewise_leaky_relu"):
    @f32_for_half
    def surrogate_fun(self, x):
        c, w = self.c, self.w
        inner = jnp.clip(x, -w, w) / (2.0 * w) + 0.5
        return jnp.where(x < -w, c * x + c * w, jnp.where(x > w, c * x - c * w + 1.0, inner))

    @f32_for_half
    def surrogate_grad(self, x):
        return jnp.where(jnp.abs(x) > self.w, self.c, 1.0 / (2.0 * self.w))


class SquarewaveFourierSeries(BuiltinSurrogate, record="squarewave_fourier_series"):
    # The odd harmonics come from one sin/cos and the Chebyshev recurrence
    # c_{k+1} = 2 cos(2 theta) c_k - c_{k-1}, so the cost grows by one multiply-add per
    # harmonic; x is first reduced modulo T so that no product overflows. In
    # surrogate_grad (the hot path of training) cos itself is a short polynomial on the
    # folded argument, because XLA:CPU's cos does not vectorise. n is static (not traceable).

    def _theta(self, x):
        return (2.0 * math.pi / self.t_period) * jnp.fmod(x, self.t_period)

    @f32_for_half
    def surrogate_grad(self, x):
        theta = self._theta(x)
        c1 = cos_reduced(theta)
        two_c2 = 2.0 * (2.0 * c1 * c1 - 1.0)  # 2 cos(2 theta)
        prev, cur, total = c1, c1, c1  # cos(-theta), cos(theta)
        for _ in range(int(self.n) - 1):
            prev, cur = cur, two_c2 * cur - prev
            total = total + cur
        return (4.0 / self.t_period) * total

    @f32_for_half
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


class S2NN(BuiltinSurrogate, record="s2nn"):
    @f32_for_half
    def surrogate_fun(self, x):
        x_pos = jnp.where(x < 0, 0.0, x)
        log_side = self.beta * jnp.log(x_pos + 1.0 + self.epsilon) + 0.5
        return jnp.where(x < 0, logistic(self.alpha * x), log_side)

    @f32_for_half
    def surrogate_grad(self, x):
        x_pos = jnp.where(x < 0, 0.0, x)
        return jnp.where(x < 0, self.alpha * logistic_slope(self.alpha * x), self.beta / (x_pos + 1.0))


class QPseudoSpike(BuiltinSurrogate, record="q_pseudo_spike"):
    @f32_for_half
    def surrogate_grad(self, x):
        # (1 + k|x|)**(-alpha) with k = 2/(alpha+1), as exp(-alpha * log(1/k + |x|) +
        # alpha*log(1/k)): exp and log vectorise on XLA:CPU where pow does not, and
        # 1/k + |x| cannot overflow, so the alpha-gradient stays finite for every x.
        a = self.alpha
        inv_k = (a + 1.0) / 2.0
        return jnp.exp(-a * (jnp.log(inv_k + jnp.abs(x)) - jnp.log(inv_k)))

    @f32_for_half
    def surrogate_fun(self, x):
        # With L = log(1 + k|x|) and e = 1 - alpha, the integral of g' from 0 to |x| is
        # (alpha+1)/2 * expm1(e*L)/e, whose limit at e = 0 is the log form of
        # alpha == 1; near e*L = 0 it is a Taylor series, so value, x- and
        # alpha-gradients are accurate through the removable singularity at alpha = 1.
        a = self.alpha
        log_base = log1p_mul(2.0 / (a + 1.0), jnp.abs(x))
        return 0.5 + sgn0(x) * ((a + 1.0) / 2.0) * expm1_div(log_base, 1.0 - a)


class LeakyRelu(BuiltinSurrogate, record="leaky_relu"):
    @f32_for_half
    def surrogate_fun(self, x):
        return jnp.where(x < 0.0, self.alpha * x, self.beta * x)

    @f32_for_half
    def surrogate_grad(self, x):
        return jnp.where(x < 0.0, self.alpha, self.beta)


class LogTailedRelu(BuiltinSurrogate, record="log_tailed_relu"):
    @f32_for_half
    def surrogate_fun(self, x):
        x_tail = jnp.where(x > 1.0, x, 1.0)
        return jnp.where(x > 1.0, 1.0 + jnp.log(x_tail), jnp.where(x > 0.0, x, self.alpha * x))

    @f32_for_half
    def surrogate_grad(self, x):
        x_tail = jnp.where(x > 1.0, x, 1.0)
        return jnp.where(x > 1.0, 1.0 / x_tail, jnp.where(x > 0.0, 1.0, self.alpha))
