"""The evaluator's kernels are compiled with ``KERNEL_OPTIONS`` (XLA:CPU's elemental emitter,
for speed: benchmarks/kernels.py); their numbers are the spike's own, jitted with XLA's
defaults as a user jits it, to rounding. Every built-in, from the registry."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import surrogate_cli
from surrogate_cli.catalog import builtin_records
from surrogate_cli.evaluation import grad_values, resolve
from surrogate_cli.evaluation.kernels import KERNEL_OPTIONS, kernel_options

RECORDS = list(builtin_records())


def test_this_xla_takes_the_options():
    """The fallback (XLA's defaults) is for other jax versions, not this environment's."""
    assert kernel_options() == KERNEL_OPTIONS


@pytest.mark.parametrize("rec", RECORDS, ids=[r.name for r in RECORDS])
def test_evaluator_equals_the_spike_jitted_with_xla_defaults_to_rounding(rec):
    target = resolve(rec.name)
    full = target.validate({})
    x = np.linspace(*target.default_range, 4001)
    ours = grad_values(target, full, x)
    s = surrogate_cli.lookup(rec.name)(**full)
    theirs = np.asarray(jax.jit(jax.grad(lambda v: jnp.sum(s(v))))(jnp.asarray(x)), dtype=np.float64)
    peak = float(np.max(np.abs(theirs)))
    assert peak > 0
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-15 * peak)


def test_one_sets_values_are_a_writable_array_of_the_input_shape():
    """What grad_values hands back is the caller's own array (as before the one-call path)."""
    import numpy as np

    from surrogate_cli.catalog import builtin_records
    from surrogate_cli.evaluation import grad_values, resolve

    for rec in builtin_records():
        x = np.linspace(-1.0, 1.0, 12).reshape(3, 4)
        g = grad_values(resolve(rec.name), dict(rec.defaults), x)
        assert g.shape == (3, 4) and g.flags.writeable and g.dtype == np.float64, rec.name
        g *= 2.0
