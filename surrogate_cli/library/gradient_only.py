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
    @f32_for_half
    def surrogate_grad(self, x):
        return jnp.maximum(self.alpha * self.width - jnp.abs(x) * self.alpha, 0.0)


class GaussianGrad(BuiltinSurrogate, record="gaussian_grad"):
    @f32_for_half
    def surrogate_grad(self, x):
        sigma = self.sigma
        return self.alpha * gauss(x, 0.0, sigma)


class InvSquareGrad(BuiltinSurrogate, record="inv_square_grad"):
    @f32_for_half
    def surrogate_grad(self, x):
        r = 1.0 / (self.alpha * jnp.abs(x) + 1.0)  # r*r: no overflow in the alpha-gradient
        return r * r


class MultiGaussianGrad(BuiltinSurrogate, record="multi_gaussian_grad"):
    @f32_for_half
    def surrogate_grad(self, x):
        sigma, wide = self.sigma, self.s * self.sigma
        g1 = gauss(x, 0.0, sigma)
        g2 = gauss(x, sigma, wide)
        g3 = gauss(x, -sigma, wide)
        return self.scale * (g1 * (1.0 + self.h) - g2 * self.h - g3 * self.h)


class SlayerGrad(BuiltinSurrogate, record="slayer_grad"):
    @f32_for_half
    def surrogate_grad(self, x):
        return jnp.exp(-self.alpha * jnp.abs(x))


# -- functional twins ---------------------------------------------------------------------

