"""The 5 built-in surrogates that define only ``surrogate_grad`` (no ``surrogate_fun``).

The numerical care of :mod:`.surrogates` applies here too.
"""
from __future__ import annotations

import jax.numpy as jnp

from ..catalog import builtin_records
from .builtin import BuiltinSurrogate
from .safe_math import f32_for_half, gauss

__all__ = [r.class_name for r in builtin_records() if not r.has_fun]  # every class below, in catalog order


class ReluGrad(BuiltinSurrogate, record="relu_grad"):
    r"""ReLU-shaped (triangular) gradient: :math:`g'(x) = \max(0, \alpha(w - |x|))`.

    Gradient only: ``surrogate_fun`` raises ``NotImplementedError``.

    Args:
        alpha: slope of the triangle (> 0).
        width: half-width of the support (> 0).
    """

    @f32_for_half
    def surrogate_grad(self, x):
        return jnp.maximum(self.alpha * self.width - jnp.abs(x) * self.alpha, 0.0)


class GaussianGrad(BuiltinSurrogate, record="gaussian_grad"):
    r"""Gaussian gradient: :math:`g'(x) = \alpha\,\mathcal{N}(x; 0, \sigma^2)`.

    Gradient only. Note the upstream argument order ``(sigma, alpha)`` and ``repr``
    order ``(alpha, sigma)``, both kept.

    Args:
        sigma: standard deviation (> 0).
        alpha: scale (> 0); the area under the gradient.
    """

    @f32_for_half
    def surrogate_grad(self, x):
        sigma = self.sigma
        return self.alpha * gauss(x, 0.0, sigma)


class InvSquareGrad(BuiltinSurrogate, record="inv_square_grad"):
    r"""Inverse-square gradient: :math:`g'(x) = 1/(\alpha|x| + 1)^2`.

    Gradient only.

    Args:
        alpha: steepness (> 0).
    """

    @f32_for_half
    def surrogate_grad(self, x):
        r = 1.0 / (self.alpha * jnp.abs(x) + 1.0)  # r*r: no overflow in the alpha-gradient
        return r * r


class MultiGaussianGrad(BuiltinSurrogate, record="multi_gaussian_grad"):
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

    @f32_for_half
    def surrogate_grad(self, x):
        sigma, wide = self.sigma, self.s * self.sigma
        g1 = gauss(x, 0.0, sigma)
        g2 = gauss(x, sigma, wide)
        g3 = gauss(x, -sigma, wide)
        return self.scale * (g1 * (1.0 + self.h) - g2 * self.h - g3 * self.h)


class SlayerGrad(BuiltinSurrogate, record="slayer_grad"):
    r"""SLAYER's exponential gradient: :math:`g'(x) = e^{-\alpha|x|}`.

    Gradient only.

    Args:
        alpha: decay rate (> 0).
    """

    @f32_for_half
    def surrogate_grad(self, x):
        return jnp.exp(-self.alpha * jnp.abs(x))


# -- functional twins ---------------------------------------------------------------------

