"""Evaluation: a target and parameter sets -> :class:`Curve` dataclasses of float64 arrays.

The gradient is the one the spike really backpropagates: ``jax.grad`` of ``sum(s(x))``,
not ``surrogate_grad`` called directly. For a gradient-only surrogate the ``function``
is the numerical antiderivative of the gradient, anchored at ``g(0) = 0.5``, and the
curve is flagged ``integrated``.

Precision: the evaluation runs inside ``jax.enable_x64(True)`` (a scoped context
manager), so curves are float64 without changing the caller's JAX configuration. jax is
imported only inside the functions that evaluate.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from ..catalog import Record
from ..errors import BadInput
from .kernels import curve_values
from .limits import MAX_ABS_X, MAX_SAMPLES, check_points
from .sweep import expand, swept_names
from .target import Target, resolve, spike_of

__all__ = ["Curve", "x_grid", "evaluate_one", "evaluate", "curves"]


@dataclass
class Curve:
    """One evaluated curve: float64 arrays over ``x``.

    ``function`` is ``surrogate_fun`` (or, with ``integrated`` set, the numerical
    antiderivative of the gradient anchored at ``g(0) = 0.5``; None when not computed).
    ``swept`` names the parameters that vary across the sweep (for legends).
    """

    surrogate: str
    params: dict[str, Any]
    x: Any
    spike: Any
    gradient: Any
    function: Any = None
    integrated: bool = False
    swept: tuple[str, ...] = ()
    record: Record | None = field(default=None, repr=False)
    #: how ``gradient`` was rescaled (``"peak"``, ``"area"``), None when it is g' itself
    normalized: str | None = None
    #: the target that made the curve (to evaluate it elsewhere, e.g. for a whole-line area)
    target: Any = field(default=None, repr=False, compare=False)
    #: what is wrong with a user surrogate's output (nan gradient, wrong shape), one line each;
    #: the curve is still drawn
    warnings: list[str] = field(default_factory=list)

    @property
    def has_fun(self) -> bool:
        """True when ``function`` is the surrogate's own ``surrogate_fun``."""
        return self.function is not None and not self.integrated


def x_grid(x_range: tuple[float, float], points: int):
    """``points`` evenly spaced float64 samples over ``x_range`` (both ends included)."""
    import numpy as np

    a, b = float(x_range[0]), float(x_range[1])
    if not (a < b and max(abs(a), abs(b)) <= MAX_ABS_X):
        raise BadInput(
            f"x_range=({a!r}, {b!r}) is not an interval with start < stop inside [-1e300, 1e300]",
            "give e.g. x_range=(-3, 3)", subject="x_range",
        )
    return np.linspace(a, b, int(points), dtype=np.float64)



def _user_error(name: str, what: str, exc: BaseException) -> BadInput:
    return BadInput(
        f"{name}: {what} failed: {type(exc).__name__}: {exc}",
        "check that it works on a float64 jax array (run it in Python to see the traceback)",
    )


def _integrate_from_zero(x, grad, anchor, anchor_grad):
    """0.5 + the integral of the gradient from 0 to each x (trapezoid rule).

    ``anchor``/``anchor_grad`` sample [0, x[0]] (empty when x[0] == 0), giving the
    integral from 0 to the first grid point.
    """
    import numpy as np

    cum = np.concatenate([[0.0], np.cumsum(0.5 * (grad[1:] + grad[:-1]) * np.diff(x))])
    start = 0.0
    if anchor.size:
        start = float(np.sum(0.5 * (anchor_grad[1:] + anchor_grad[:-1]) * np.diff(anchor)))
    return 0.5 + start + cum


def evaluate_one(
    target: Target,
    params: Mapping[str, Any],
    x,
    with_function: bool = True,
    swept: Sequence[str] = (),
    pad_to: int = 0,
) -> Curve:
    """Evaluate one parameter set on the float64 grid ``x``.

    Built-ins run as one jitted kernel per surrogate (float parameters traced, so a
    sweep compiles once); user surrogates run eagerly (they need not be jittable).
    ``pad_to``: a built-in's points zero-padded to this many (see
    :func:`~surrogate_cli.evaluation.kernels.curve_values`).
    """
    import numpy as np

    full = target.validate(params)
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[0]
    need_integral = with_function and not target.has_fun
    # a gradient-only surrogate's g is anchored at 0: also sample [0, x[0]] in the same call
    anchor = np.linspace(0.0, x[0], 4001) if (need_integral and x[0] != 0.0) else np.zeros(0)
    xs = np.concatenate([x, anchor])
    warnings: list[str] = []
    if target.record is not None:
        s, g, f = curve_values(target.record, full, xs, pad_to)
    else:
        s, g, f = _eval_user(target, full, xs, with_function, warnings)
        bad = ~np.isfinite(np.broadcast_to(g, xs.shape)[:n])
        if bad.any():
            kinds = " or ".join(k for k, m in (("nan", np.isnan), ("infinite", np.isinf))
                                if m(np.broadcast_to(g, xs.shape)[:n]).any())
            first = float(x[np.argmax(bad)])
            warnings.append(f"{target.name}: the gradient is {kinds} at {int(bad.sum())} of {n} points "
                            f"(the first at x = {first:.6g}); those points are left out of the figure")
    function = None
    integrated = False
    if with_function:
        if target.has_fun and f is not None:
            function = np.broadcast_to(f, xs.shape)[:n].copy()
        else:
            function = _integrate_from_zero(x, g[:n], anchor, g[n:])
            integrated = True
    return Curve(
        surrogate=target.name,
        params=dict(full),
        x=x,
        spike=np.broadcast_to(s, xs.shape)[:n].copy(),
        gradient=np.broadcast_to(g, xs.shape)[:n].copy(),
        function=function,
        integrated=integrated,
        swept=tuple(swept),
        record=target.record,
        target=target,
        warnings=warnings,
    )


def _eval_user(target: Target, full: Mapping[str, Any], xs, with_function: bool, warnings: list | None = None):
    import jax
    import jax.numpy as jnp
    import numpy as np

    warnings = [] if warnings is None else warnings
    with jax.enable_x64(True):
        obj = target.make(full)
        spike = spike_of(obj)
        xj = jnp.asarray(xs, dtype=jnp.float64)
        try:
            direct = np.asarray(obj.surrogate_grad(xj), dtype=np.float64)
        except BadInput:
            raise
        except Exception as exc:  # noqa: BLE001 - user code
            raise _user_error(target.name, "surrogate_grad", exc) from exc
        if direct.shape != xs.shape:
            what = "a scalar" if direct.shape == () else f"shape {direct.shape}"
            warnings.append(f"{target.name}: surrogate_grad returns {what} for an input of shape {xs.shape} "
                            "(it must return the shape of x); "
                            + ("every x gets that one value" if direct.shape == () else
                               "drawn reshaped to the input's shape" if direct.size == xs.size else
                               "the figure shows what the spike backpropagates"))
        try:
            try:
                s = np.asarray(spike(xj), dtype=np.float64)
                g = np.asarray(jax.grad(lambda v: jnp.sum(spike(v)))(xj), dtype=np.float64)
            except Exception:  # noqa: BLE001 - a gradient of the wrong shape breaks the spike: draw it reshaped
                if direct.shape == xs.shape or direct.size != xs.size:
                    raise
                s = (xs >= 0).astype(np.float64)
                g = direct.reshape(xs.shape)
        except BadInput:
            raise
        except Exception as exc:  # noqa: BLE001 - user code
            raise _user_error(target.name, "the spike or its gradient", exc) from exc
        f = None
        if with_function and target.has_fun:
            try:
                f = np.asarray(obj.surrogate_fun(xj), dtype=np.float64)
            except NotImplementedError:
                f = None
            except Exception as exc:  # noqa: BLE001
                raise _user_error(target.name, "surrogate_fun", exc) from exc
    for name, arr in (("the spike", s), ("the gradient", g), ("surrogate_fun", f)):
        if arr is not None and arr.shape not in (xs.shape, ()):
            raise BadInput(
                f"{target.name}: {name} has shape {arr.shape} for an input of shape {xs.shape}",
                "return an array of the same shape as x (elementwise)",
            )
    return s, g, f


def evaluate(
    target: Target,
    param_sets: Sequence[Mapping[str, Any]],
    x_range: tuple[float, float] | None = None,
    points: int = 1000,
    with_function: bool = True,
    pad_to: int = 0,
) -> list[Curve]:
    """Evaluate every parameter set of a sweep on ``points`` samples of ``x_range``.

    ``x_range`` defaults to the registry's range for a built-in (``(-3, 3)`` otherwise).
    ``pad_to``: see :func:`evaluate_one`.
    """
    check_points(points)
    if x_range is None:
        x_range = target.default_range
    if len(param_sets) * int(points) > MAX_SAMPLES:
        raise BadInput(
            f"{len(param_sets)} curves x {points} points is too much to evaluate",
            f"keep curves x points at most {MAX_SAMPLES}",
        )
    x = x_grid(x_range, points)
    swept = swept_names(param_sets)
    return [evaluate_one(target, p, x, with_function, swept, pad_to) for p in param_sets]




def curves(
    name: str,
    *,
    x_range: tuple[float, float] | None = None,
    points: int = 1000,
    zip: bool = False,  # noqa: A002 - mirrors the CLI option --zip
    with_function: bool = True,
    **values: Any,
) -> list[Curve]:
    """The curves of one surrogate over a sweep, in one call (for scripts and notebooks).

    ``values`` maps parameter names to one number or a sequence of numbers; several
    sequences form a grid, or are paired with ``zip=True``. Parameters not given keep
    their defaults. ``name`` is any spelling of a built-in or a user target
    (``"file.py:Class"``)::

        cs = curves("sigmoid", alpha=[1, 2, 4], x_range=(-2, 2))
        cs[0].x, cs[0].function, cs[0].gradient      # float64 NumPy arrays
    """
    target = resolve(name)
    swept = {
        k: [v] if isinstance(v, numbers.Real) or not isinstance(v, Sequence) else list(v)
        for k, v in values.items()
    }
    sets = expand(target, swept, "zip" if zip else "grid")
    return evaluate(target, sets, x_range, points, with_function)
