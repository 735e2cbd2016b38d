"""The functional twins of the built-ins: ``sigmoid(x, alpha)`` is ``Sigmoid(alpha)(x)``.

Written out rather than generated from the catalog, so each has a real signature with
its defaults (for ``help()``, IDEs and the upstream drop-in promise); a test holds every
signature to its catalog record.
"""
from __future__ import annotations

import jax

from .gradient_only import ReluGrad, GaussianGrad, InvSquareGrad, MultiGaussianGrad, SlayerGrad
from .surrogates import Sigmoid, PiecewiseQuadratic, PiecewiseExp, SoftSign, Arctan, NonzeroSignLog, ERF, PiecewiseLeakyRelu, SquarewaveFourierSeries, S2NN, QPseudoSpike, LeakyRelu, LogTailedRelu

__all__: list[str] = []


def _twin(fn):
    """Register a functional twin."""
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
