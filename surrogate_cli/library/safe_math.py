r"""Numerically careful building blocks of the built-in surrogates (pure jax.numpy).

* ``jnp.where`` evaluates both branches, and a dead branch that overflows or divides
  by zero poisons gradients even where it is not selected (``0 * inf = nan``): the
  helpers evaluate every branch on an input that is safe for it.
* ``float16``/``bfloat16`` inputs are computed in ``float32`` and cast back
  (:func:`f32_for_half`), so no intermediate overflows a 16-bit type.
* ``cos`` and ``pow`` do not vectorise on XLA:CPU: :func:`cos_reduced` and
  :func:`expm1_div` replace them with polynomials and ``exp``/``log``.
"""
from __future__ import annotations

import functools
import math

import jax.numpy as jnp

__all__ = ['HALF', 'f32_for_half', 'sgn0', 'log1p_mul', 'cos_reduced', 'expm1_div', 'EXP_CUT', 'gauss', 'clip_sq', 'logistic_slope', 'logistic']


HALF = (jnp.dtype(jnp.float16), jnp.dtype(jnp.bfloat16))


def f32_for_half(method):
    """Return the dtype of a float ``x``; compute 16-bit floats in float32.

    Branches whose values are only parameters (``jnp.where(x < 0, alpha, beta)``)
    would otherwise come back as the parameters' dtype (float64 under x64).
    """

    @functools.wraps(method)
    def wrapper(self, x):
        x = jnp.asarray(x)
        if x.dtype in HALF:
            return method(self, x.astype(jnp.float32)).astype(x.dtype)
        out = jnp.asarray(method(self, x))
        if out.dtype != x.dtype and jnp.issubdtype(x.dtype, jnp.inexact):
            out = out.astype(x.dtype)
        return out

    return wrapper


def sgn0(x):
    """-1 where x < 0, else 1 (so the sign of 0 is +1)."""
    return jnp.where(x < 0, -1.0, 1.0).astype(x.dtype)


def log1p_mul(k, u):
    """log(1 + k*u) for k > 0, u >= 0, without overflow when k*u exceeds the dtype."""
    ku = k * u
    small = ku <= 1.0
    ku_safe = jnp.where(small, ku, 1.0)
    u_safe = jnp.where(small, 1.0, u)
    return jnp.where(small, jnp.log1p(ku_safe), jnp.log(k) + jnp.log(1.0 / k + u_safe))


# Taylor coefficients of cos(a) in z = a**2, highest power first (Horner); on
# |a| <= pi/2 the truncation error is below 2e-17 (11 terms) and 7e-9 (7 terms).
COS_COEFFS = {
    n: tuple((-1) ** k / math.factorial(2 * k) for k in reversed(range(n))) for n in (7, 11)
}


def cos_reduced(theta):
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
    coeffs = COS_COEFFS[11 if jnp.finfo(z.dtype).bits > 32 else 7]
    c = coeffs[0]
    for k in coeffs[1:]:
        c = c * z + k
    return jnp.where(flip, -c, c)


# Taylor coefficients of expm1(y)/y = sum y**k/(k+1)!, highest power first.
PHI_COEFFS = tuple(1.0 / math.factorial(k + 1) for k in reversed(range(10)))


def expm1_div(log_base, e):
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
    series = PHI_COEFFS[0]
    for c in PHI_COEFFS[1:]:
        series = series * ys + c
    yb = jnp.where(small, 1.0, y)
    eb = jnp.where(small, 1.0, e)
    big = jnp.where(ay < 1.0, jnp.expm1(yb), jnp.exp(yb) - 1.0) / eb
    return jnp.where(small, log_base * series, big)


#: exp(-z*z/2) and exp(-z*z) are exactly 0 beyond |z| = 40 in every float dtype, so
#: clipping z there changes no value and keeps (z*z)' finite for parameter gradients.
EXP_CUT = 40.0


def gauss(x, mean, sigma):
    """The normal pdf N(x; mean, sigma**2), with the standardised distance clipped at
    40 (where the pdf underflows anyway): no x*x overflow, finite parameter gradients."""
    u = jnp.clip((x - mean) * (1.0 / sigma), -EXP_CUT, EXP_CUT)  # no per-element divide
    return jnp.exp(-0.5 * (u * u)) / (math.sqrt(2.0 * math.pi) * sigma)


def clip_sq(z):
    """z clipped where z*z would overflow its dtype (1 + z*z is then beyond 1/eps**2
    anyway): keeps 1/(1 + z*z) and its parameter gradients finite."""
    big = math.sqrt(float(jnp.finfo(jnp.result_type(z)).max)) / 2.0
    return jnp.clip(z, -big, big)


def logistic(z):
    """The logistic function expit(z), numerically stable: 1/(1+e) for z >= 0 and
    e/(1+e) below, e = exp(-|z|) (never overflows). Unlike ``expit``, which JAX
    differentiates as s*(1-s) (1-s cancels for z >> 0: 1e-3 relative error at z = 30 in
    float64), its autodiff derivative e/(1+e)**2 is accurate in both tails."""
    e = jnp.exp(jnp.where(z >= 0, -z, z))  # not abs: its derivative at 0 would be 0
    r = 1.0 / (1.0 + e)
    return jnp.where(z >= 0, r, e * r)


def logistic_slope(z):
    """s*(1-s) for s = expit(z), as e/(1+e)**2 with e = exp(-|z|): full relative
    precision in both tails (s*(1-s) cancels for z >> 0)."""
    e = jnp.exp(-jnp.abs(z))
    r = 1.0 / (1.0 + e)
    return e * r * r

