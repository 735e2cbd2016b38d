"""Targets resolved once, sweeps, and evaluation into :class:`Curve` dataclasses.

The pipeline, each step usable from Python::

    target = resolve("sigmoid")                       # or "my_file.py:MySurrogate"
    sets = expand(target, {"alpha": [1, 2, 4]})        # -> [{"alpha": 1.0}, ...] (validated)
    cs = evaluate(target, sets, x_range=(-2, 2), points=1000)

or all at once: ``curves("sigmoid", alpha=[1, 2, 4], x_range=(-2, 2))``.
"""
from .compare import compare_curves
from .evaluate import Curve, curves, evaluate, evaluate_one, x_grid
from .kernels import curve_values, grad_function, grad_values, spike_builder
from .limits import MAX_CURVES, MAX_POINTS, MAX_SAMPLES, check_points
from .loading import load_module, load_object
from .plan import Plan, PlanEntry, plan_sweep
from .sweep import expand, swept_names
from .target import Target, UserParam, check_surrogate_like, defines_fun, resolve, spike_of, user_params

__all__ = [
    "Curve", "Plan", "PlanEntry", "Target", "UserParam", "MAX_CURVES", "MAX_POINTS", "MAX_SAMPLES", "check_points",
    "check_surrogate_like", "compare_curves", "curve_values", "grad_function", "grad_values", "spike_builder", "curves", "defines_fun", "evaluate", "evaluate_one", "expand",
    "load_module", "load_object", "plan_sweep", "resolve", "spike_of", "swept_names", "user_params", "x_grid",
]
