"""A surrogate written for another library: no ``surrogate_cli`` import, just the two methods.

``surrogate`` checks any object with ``surrogate_grad`` (and optionally ``surrogate_fun``).
"""
import jax.numpy as jnp


class FastSigmoid:
    """The 'fast sigmoid' (soft sign): g(x) = 1/2 + x / (2 (1/alpha + |x|))."""

    def __init__(self, alpha=2.0):
        self.alpha = alpha

    def surrogate_fun(self, x):
        return 0.5 + 0.5 * self.alpha * x / (1.0 + jnp.abs(self.alpha * x))

    def surrogate_grad(self, x):
        return 0.5 * self.alpha / (1.0 + jnp.abs(self.alpha * x)) ** 2
