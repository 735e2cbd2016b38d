"""Gradients of catalogued surrogates on float64 grids, and the two error measures of a
conversion (the exact check's difference and a fit's deviation, both relative to the peak)."""
from __future__ import annotations

from typing import Any, Mapping

from ..catalog import Record

__all__ = ["grad_values", "max_rel_diff", "fit_deviation"]


_JIT: dict = {}


def grad_values(record: Record, params: Mapping[str, Any], x) -> "Any":
    """g'(x) of a built-in or foreign record at ``params``, as a float64 NumPy array."""
    import jax
    import jax.numpy as jnp
    import numpy as np

    from ..library import builtin_class

    ints = tuple((p.name, int(params[p.name])) for p in record.params if p.kind == "int")
    floats = {p.name: float(params[p.name]) for p in record.params if p.kind != "int"}
    key = (record.name, ints)
    fn = _JIT.get(key)
    if fn is None:
        cls = builtin_class(record)
        static = dict(ints)

        def grad(xs, fl):
            return cls(**fl, **static).surrogate_grad(xs)

        fn = _JIT[key] = jax.jit(grad)
    with jax.enable_x64(True):
        out = fn(jnp.asarray(x, dtype=jnp.float64), {k: jnp.float64(v) for k, v in floats.items()})
        return np.asarray(out, dtype=np.float64)


def max_rel_diff(a, b, skip=None) -> float:
    """``max |a - b| / max(|a|, |b|)`` over the grid (``skip``: a mask of points left out):
    the largest difference relative to the peak of the two gradients."""
    import numpy as np

    a, b = np.asarray(a, float), np.asarray(b, float)
    keep = np.ones(a.shape, bool) if skip is None else ~skip
    if not keep.any():
        return 0.0
    peak = float(max(np.max(np.abs(a[keep])), np.max(np.abs(b[keep]))))
    if peak == 0:
        return 0.0
    return float(np.max(np.abs(a - b)[keep])) / peak


def fit_deviation(source_grad, target_grad, factor: float = 1.0) -> float:
    """``max |g'_source - factor g'_target| / max |g'_source|``: the reported fit deviation."""
    import numpy as np

    s = np.asarray(source_grad, float)
    peak = float(np.max(np.abs(s)))
    diff = float(np.max(np.abs(s - factor * np.asarray(target_grad, float))))
    return diff / peak if peak > 0 else diff
