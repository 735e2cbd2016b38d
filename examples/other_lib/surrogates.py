"""A surrogate written for another library: no ``surrogate_cli`` import, just the two methods.

``surrogate`` checks any object with ``surrogate_grad`` (and optionally ``surrogate_fun``).
"""
import jax.numpy as jnp


class FastSigmoid:
    """The 'fast sigmoid' (soft sign): g(x) = 1/2 + x / (2 (1/alpha + |x|))."""

    def __init__(self, alpha=2.0):
        self.alpha = alpha

    # written with 1/alpha + |x| (not 1 + |alpha x|), so alpha * x cannot overflow to inf/inf
    # at the largest floats: `surrogate verify` finds that nan at alpha = 4 otherwise
    def surrogate_fun(self, x):
        return 0.5 + 0.5 * x / (1.0 / self.alpha + jnp.abs(x))

    def surrogate_grad(self, x):
        c = 1.0 / self.alpha
        return 0.5 * c / (c + jnp.abs(x)) ** 2
