"""A first end-to-end check of the library through the registry."""
import jax
import jax.numpy as jnp
import pytest

from surrogate_cli.library import make_builtin
from surrogate_cli.catalog import REGISTRY


@pytest.mark.parametrize("name", list(REGISTRY))
def test_spike_forward_and_gradient(name):
    s = make_builtin(REGISTRY[name])
    x = jnp.linspace(-2.0, 2.0, 9)
    assert jnp.array_equal(s(x), (x >= 0).astype(x.dtype))
    g = jax.grad(lambda v: jnp.sum(s(v)))(x)
    assert jnp.allclose(g, s.surrogate_grad(x))
