r"""The spike function and the :class:`Surrogate` base class.

The forward pass is the Heaviside step :math:`H(x) = 1` for :math:`x \geq 0`, else 0.
The backward pass replaces its derivative (zero almost everywhere) by a *surrogate
gradient* :math:`g'(x)`. The rule is a public :func:`jax.custom_jvp` on a two-argument
function ``heaviside(x, dx)``, where ``dx = surrogate_grad(stop_gradient(x))``:

.. math::

   \frac{\partial\, \mathrm{heaviside}(x, d)}{\partial x} = d, \qquad
   \frac{\partial\, \mathrm{heaviside}(x, d)}{\partial d} = 1.

So ``jax.grad``, ``vjp`` and ``jvp`` through ``s(x)`` give ``surrogate_grad(x)`` times the
cotangent/tangent, under any composition with ``jit`` and ``vmap`` (JAX derives the
transpose and the batching rule from the JVP). The second line is the upstream
behaviour for surrogate *parameters*: differentiating ``s(x)`` with respect to, say,
``alpha`` gives :math:`\partial g'(x)/\partial\alpha`, not the true zero of a step.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

__all__ = ["Surrogate", "heaviside"]


@jax.custom_jvp
def heaviside(x: jax.Array, dx: jax.Array) -> jax.Array:
    """The Heaviside step of ``x`` (1 where ``x >= 0``), differentiated as ``dx``.

    ``dx`` must have the shape and dtype of ``x``; its own tangent passes straight
    through (see the module docstring).
    """
    return (x >= 0).astype(x.dtype)


@heaviside.defjvp
def _heaviside_jvp(primals, tangents):
    x, dx = primals
    tx, tdx = tangents
    return heaviside(x, dx), dx * tx + tdx


class Surrogate:
    r"""Base class of surrogate-gradient spike functions.

    Calling an instance returns the Heaviside step of ``x`` with the dtype and shape
    of ``x``; its derivative with respect to ``x`` is :meth:`surrogate_grad`.

    Subclasses implement :meth:`surrogate_grad` (required) and, optionally,
    :meth:`surrogate_fun`, the smooth function whose derivative ``surrogate_grad``
    is (used for plots and ``surrogate verify``). Parameters may be Python numbers,
    arrays or JAX tracers (``jax.grad`` with respect to a parameter, ``vmap`` over a
    sweep): the methods must use them only in array arithmetic.

    Example::

        class Tanh(Surrogate):
            def __init__(self, alpha=1.0):
                super().__init__()
                self.alpha = alpha

            def surrogate_fun(self, x):
                return 0.5 * jnp.tanh(self.alpha * x) + 0.5

            def surrogate_grad(self, x):
                return 0.5 * self.alpha * (1 - jnp.tanh(self.alpha * x) ** 2)

    Note:
        Differentiating ``s(x)`` with respect to a surrogate *parameter* returns the
        derivative of ``surrogate_grad`` with respect to that parameter (the upstream
        behaviour), not the mathematically true zero of the step. Surrogate parameters
        cannot be trained through the spike output.
    """

    def __call__(self, x):
        x = jnp.asarray(x)
        if not jnp.issubdtype(x.dtype, jnp.inexact):
            return (x >= 0).astype(x.dtype)
        dx = jnp.asarray(self.surrogate_grad(jax.lax.stop_gradient(x)))
        if dx.dtype != x.dtype:
            dx = dx.astype(x.dtype)
        if dx.shape != x.shape:
            dx = jnp.broadcast_to(dx, x.shape)
        return heaviside(x, dx)

    def surrogate_fun(self, x) -> jax.Array:
        """The smooth function g(x) whose derivative is :meth:`surrogate_grad`."""
        raise NotImplementedError(
            f"{type(self).__name__} defines only surrogate_grad (a gradient-only "
            "surrogate); it has no surrogate_fun"
        )

    def surrogate_grad(self, x) -> jax.Array:
        """The surrogate gradient g'(x), used in place of the step's derivative."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement surrogate_grad(self, x)"
        )
