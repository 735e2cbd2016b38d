"""The spike function and the Surrogate base class: the custom-JVP semantics.

Forward: exactly Heaviside (x = 0 -> 1), dtype and shape of x. Backward: surrogate_grad
times the cotangent/tangent under grad, vjp, jvp, jit, vmap (other batch axes, nested)
and their compositions. Parameter gradients: d surrogate_grad / d parameter (upstream
behaviour): the user-facing forms here; against float64 central differences of the
independent NumPy references for every built-in in test_surrogates.py.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import surrogate_cli as surrogate
from surrogate_cli.library import builtin_function, make_builtin
from surrogate_cli.catalog import REGISTRY
from surrogate_cli.library.spike import Surrogate

NAMES = list(REGISTRY)
DTYPES = (jnp.float16, jnp.bfloat16, jnp.float32, jnp.float64)


def _x(shape, dtype=jnp.float64, seed=0):
    """Values in [-3, 3] with exact zeros mixed in."""
    x = np.random.default_rng(seed).uniform(-3, 3, size=shape)
    if x.ndim:
        x.reshape(-1)[:: 5] = 0.0
    else:
        x = np.float64(0.0)
    return jnp.asarray(x, dtype=dtype)


# -- forward ----------------------------------------------------------------------------------


@pytest.mark.parametrize("precision", ["x64", pytest.param("x64_off", marks=(pytest.mark.x64_off, pytest.mark.filterwarnings("ignore:Explicitly requested dtype")))])
@pytest.mark.parametrize("name", NAMES)
def test_forward_is_exactly_heaviside_and_gradient_keeps_dtype_and_shape(name, precision):
    s = make_builtin(REGISTRY[name])
    # every dtype (1-d), every rank (0-d, 1-d, 3-d)
    xs = [_x((7,), dtype) for dtype in DTYPES]
    xs += [_x((), jnp.float32), _x((2, 3, 4), jnp.float64), _x((2, 3, 4), jnp.bfloat16)]
    xs.append(jnp.asarray([-0.0, 0.0, -1e-30, 1e-30, -5.0, 5.0], jnp.float32))
    run = jax.jit(lambda xs: ([s(x) for x in xs], (s(0.0), s(-0.0), s(-1e-7), s(jnp.arange(-2, 3)))))
    ys, scalars = run(xs)
    for x, y in zip(xs, ys):
        assert y.dtype == x.dtype and y.shape == x.shape
        expect = np.where(np.asarray(x, np.float64) >= 0, 1.0, 0.0)
        np.testing.assert_array_equal(np.asarray(y, np.float64), expect)
        # the gradient's dtype and shape (its values in every dtype: test_surrogates.py)
        g = jax.eval_shape(jax.grad(lambda v: jnp.sum(s(v))), x)
        assert g.dtype == x.dtype and g.shape == x.shape
    zero, minus_zero, below, ints = scalars
    assert zero == 1 and minus_zero == 1 and below == 0
    assert ints.dtype == jnp.arange(3).dtype and ints.tolist() == [0, 0, 1, 1, 1]


def test_eager_calls_without_jit():
    # one surrogate eagerly (every eager op compiles on its own, so only one)
    s = surrogate.Sigmoid()
    assert float(s(jnp.float16(0.0))) == 1.0 and s(jnp.float16(0.0)).dtype == jnp.float16
    assert s(0.0) == 1 and s(-0.0) == 1 and s(-1e-7) == 0
    xi = jnp.arange(-2, 3)
    yi = s(xi)
    assert yi.dtype == xi.dtype and yi.tolist() == [0, 0, 1, 1, 1]
    x = jnp.linspace(-1, 1, 5)
    np.testing.assert_allclose(jax.grad(lambda v: jnp.sum(s(v)))(x), s.surrogate_grad(x), rtol=1e-15)


# -- gradient through the spike ---------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_spike_derivative_is_surrogate_grad_times_cotangent(name):
    s = make_builtin(REGISTRY[name])
    x = _x((4, 5), seed=1)
    ct = jnp.asarray(np.random.default_rng(2).normal(size=(4, 5)))
    expect = np.asarray(s.surrogate_grad(x)) * np.asarray(ct)

    def loss(v):
        return jnp.sum(s(v) * ct)

    def run(x):
        out = {}
        out["grad"] = jax.grad(loss)(x)
        out["vjp"] = jax.vjp(s, x)[1](ct)[0]
        out["jvp"] = jax.jvp(s, (x,), (ct,))[1]
        out["vmap_grad"] = jax.vmap(jax.grad(lambda v, c: s(v) * c))(x.reshape(-1), ct.reshape(-1)).reshape(x.shape)
        out["vmap_axis1"] = jax.vmap(lambda col, c: jax.grad(lambda v: jnp.sum(s(v) * c))(col), in_axes=1, out_axes=1)(x, ct)
        out["nested_vmap"] = jax.vmap(jax.vmap(jax.grad(lambda v, c: s(v) * c)))(x, ct)
        out["grad_of_vmap"] = jax.grad(lambda v: jnp.sum(jax.vmap(s, in_axes=1, out_axes=1)(v) * ct))(x)
        out["linearize"] = jax.linearize(s, x)[1](ct)
        return out

    jitted = jax.jit(run)(x)
    jit_vmap_grad = jax.jit(jax.vmap(jax.grad(lambda v, c: s(v) * c)))(x.reshape(-1), ct.reshape(-1))
    for key, val in jitted.items():
        np.testing.assert_allclose(np.asarray(val), expect, rtol=1e-14, atol=0, err_msg=key)
    np.testing.assert_allclose(np.asarray(jit_vmap_grad).reshape(x.shape), expect, rtol=1e-14, atol=0)


def test_second_order_and_scalar_input():
    s = surrogate.Sigmoid(alpha=2.0)
    x = jnp.float64(0.3)
    assert jax.grad(s)(x) == s.surrogate_grad(x)
    # surrogate_grad sees stop_gradient(x): the second derivative through the spike is 0
    assert jax.grad(jax.grad(s))(x) == 0.0
    assert jax.hessian(lambda v: jnp.sum(s(v)))(jnp.ones(3)).tolist() == [[0.0] * 3] * 3


def test_closure_over_x_outside_and_batch_of_parameters_against_one_x():
    # vmap over a parameter with x not batched, and over x with the parameter not batched
    x = jnp.linspace(-2, 2, 9)
    alphas = jnp.asarray([0.5, 1.0, 4.0])
    g = jax.vmap(lambda a: jax.grad(lambda v: jnp.sum(surrogate.sigmoid(v, alpha=a)))(x))(alphas)
    for a, row in zip(alphas, g):
        np.testing.assert_allclose(row, surrogate.Sigmoid(a).surrogate_grad(x), rtol=1e-14)
    y = jax.vmap(lambda a: surrogate.sigmoid(x, alpha=a))(alphas)
    assert y.shape == (3, 9) and np.all(np.asarray(y) == np.asarray(x >= 0, float))


# -- the base class ------------------------------------------------------------------------


def test_missing_surrogate_grad_names_the_class():
    class Nameless(Surrogate):
        pass

    with pytest.raises(NotImplementedError, match="Nameless"):
        Nameless()(jnp.ones(3))
    with pytest.raises(NotImplementedError, match="Nameless"):
        Nameless().surrogate_fun(jnp.ones(3))


@pytest.mark.parametrize("name", [n for n in NAMES if not REGISTRY[n].has_fun])
def test_gradient_only_surrogates_raise_on_surrogate_fun(name):
    rec = REGISTRY[name]
    with pytest.raises(NotImplementedError, match=rec.class_name):
        make_builtin(rec).surrogate_fun(jnp.ones(2))


def test_user_subclass_works_like_a_builtin():
    from user_surrogates import Tanh

    s = Tanh(2.0)
    x = jnp.linspace(-2, 2, 11)
    assert np.array_equal(np.asarray(s(x)), np.asarray(x >= 0, float))
    g = jax.jit(jax.grad(lambda v: jnp.sum(s(v))))(x)
    np.testing.assert_allclose(g, 0.5 * 2.0 / np.cosh(2.0 * np.asarray(x)) ** 2, rtol=1e-12)
    # a constant gradient (a Python float) is broadcast to x's shape and dtype
    class Const(Surrogate):
        def surrogate_grad(self, x):
            return 0.25

    g = jax.grad(lambda v: jnp.sum(Const()(v)))(jnp.ones((2, 3), jnp.float32))
    assert g.dtype == jnp.float32 and g.shape == (2, 3) and np.all(np.asarray(g) == 0.25)
    # parameter gradient through a user surrogate follows the same rule
    da = jax.grad(lambda a: jnp.sum(Tanh(a)(x)))(2.0)
    h = 1e-6
    fd = (np.sum(Tanh(2.0 + h).surrogate_grad(x)) - np.sum(Tanh(2.0 - h).surrogate_grad(x))) / (2 * h)
    np.testing.assert_allclose(da, fd, rtol=1e-6, atol=1e-8)


def test_public_api_only():
    import surrogate_cli.library.spike as spike_mod
    import inspect

    src = inspect.getsource(spike_mod) + inspect.getsource(__import__("surrogate_cli.library.surrogates").library.surrogates)
    assert "jax._src" not in src and "jax.interpreters" not in src


# -- parameter gradients (upstream: d surrogate_grad / d parameter) --------------------------
# For every built-in, against float64 central differences of the independent references:
# test_surrogates.py::test_functional_twin_equals_class_and_parameter_gradients. Here: the
# user-facing forms of it.


def test_parameter_sweep_under_jit_with_traced_alpha_for_every_float_parameter():
    # the functional twin called under jit with every float parameter as an argument
    x = jnp.linspace(-3, 3, 25)
    for rec in REGISTRY.values():
        floats = [p for p in rec.params if p.kind == "float"]
        static = {p.name: p.default for p in rec.params if p.kind != "float"}

        def f(x, *vals, rec=rec, floats=floats, static=static):
            return builtin_function(rec)(x, **static, **dict(zip([p.name for p in floats], vals)))

        y = jax.jit(f)(x, *[p.default for p in floats])
        assert np.array_equal(np.asarray(y), np.asarray(x >= 0, float)), rec.name


def test_user_subclass_of_a_builtin():
    # upstream code subclasses built-ins; the subclass keeps repr/eq and its own overrides
    class Scaled(surrogate.Sigmoid):
        def __init__(self, alpha=2.0, k=3.0):
            super().__init__(alpha)
            self.k = k

        def surrogate_grad(self, x):
            return self.k * super().surrogate_grad(x)

    s = Scaled()
    assert repr(s) == "Scaled(alpha=2.0)" and s == Scaled() and s != surrogate.Sigmoid(2.0)
    x = jnp.linspace(-2, 2, 5)
    g = jax.jit(jax.grad(lambda v: jnp.sum(s(v))))(x)
    np.testing.assert_allclose(g, 3.0 * np.asarray(surrogate.Sigmoid(2.0).surrogate_grad(x)), rtol=1e-14)
    with pytest.raises(ValueError, match="alpha"):
        Scaled(alpha=-1.0)
