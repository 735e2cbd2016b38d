"""Two user surrogates for the README's examples (`surrogate plot examples/my_surrogates.py:Tanh`).

``Tanh`` is correct. ``Tri`` is the tutorial's triangular surrogate with its bug kept on
purpose: ``surrogate_fun`` rises with slope ``alpha/2`` while ``surrogate_grad`` peaks at
``alpha``, so ``surrogate verify examples/my_surrogates.py:Tri`` fails, showing what a
failed check looks like.
"""
import jax.numpy as jnp

from surrogate_cli import Surrogate


class Tanh(Surrogate):
    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = alpha

    def surrogate_fun(self, x):          # optional: g, for plots and verification
        return 0.5 * jnp.tanh(self.alpha * x) + 0.5

    def surrogate_grad(self, x):         # required: g', what the spike backpropagates
        return 0.5 * self.alpha * (1 - jnp.tanh(self.alpha * x) ** 2)


class Tri(Surrogate):                    # the tutorial's bug: g rises at alpha/2, g' peaks at alpha
    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = alpha

    def surrogate_fun(self, x):
        return jnp.clip(0.5 + x * self.alpha / 2, 0.0, 1.0)

    def surrogate_grad(self, x):
        return jnp.maximum(0.0, self.alpha * (1.0 - jnp.abs(x * self.alpha)))
