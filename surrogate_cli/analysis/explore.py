"""The numbers behind ``surrogate explore``: for each surrogate, every slider position's
curves (g, g', the spike), the properties ``info`` shows, ``flow``'s chi over a grid of
membrane standard deviations, the whole-line area and peak ``compare`` normalises by,
and for another library's surrogate its ``convert`` equivalent. All of it computed here,
by the package, when the page is written; the page only picks and draws.

A slider runs over the values a sweep gives (``{"alpha": [1, 2, 4]}``) or, by default,
``steps`` values around the parameter's default inside its valid range (log-spaced over
two decades for a positive default, linear from the lower bound for a zero default,
whole numbers for an integer parameter). The parameter sets of a surrogate are the grid
of its sliders when that is small (at most :data:`GRID_MAX` sets), else a *star*: each
slider moved alone, the others at their centre value.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from ..errors import BadInput

__all__ = ["GRID_MAX", "STEPS", "POINTS", "STDS", "Slider", "Setting", "ExploreSurrogate", "ExploreData",
           "slider_values", "plan_sliders", "explore_data"]

#: Slider positions per parameter when no sweep is given.
STEPS = 33
#: Samples per curve (over the surrogate's own x range; 301 puts x = 0 on the grid).
POINTS = 301
#: At most this many parameter sets form a full grid of the sliders; more make a star.
GRID_MAX = 128
#: The membrane standard deviations the page offers for chi (mean 0, the stack at its fixed point).
STDS = tuple(float(f"{10.0 ** (k / 6.0):.3g}") for k in range(-6, 7))
_INT_SPAN = 8  # an integer slider covers low .. low + 7 (each value compiles its own kernel)
_COMPILE_COST = 15  # one integer value's compilations, in parameter sets' time (for map_processes' shares)
_STARTUP_COST = 40  # a worker process's start (interpreter, jax, the package: 0.5 s), in the same unit


@dataclass
class Slider:
    """One parameter's slider: its values and the index it starts at."""

    name: str
    values: list
    start: int
    kind: str = "float"  # "int" or "float"


@dataclass
class Setting:
    """One parameter set of a surrogate and everything computed at it."""

    params: dict
    gradient: Any  # float64 over the surrogate's x grid
    function: Any  # g (or the integrated g' for a gradient-only surrogate)
    properties: Any  # analysis.metrics.Properties: what `info` shows
    chi: Any  # float64, one per STDS value
    peak: float  # largest |g'| on the grid (compare's normalize="peak")
    area: float | None  # area under g' over the whole line (normalize="area"); None: not finite
    convert: Any = None  # analysis.convert.Conversion for a foreign surrogate
    spike: Any = None  # the forward step on the x grid


@dataclass
class ExploreSurrogate:
    """One surrogate of the page."""

    name: str
    source: str  # as the user typed it (for the copied command)
    target: Any = field(repr=False)
    sliders: list[Slider]
    mode: str  # "grid" or "star"
    x: Any
    spike: Any
    integrated: bool
    settings: list[Setting]
    index: dict  # tuple of slider indices -> position in settings

    def setting_at(self, **params: Any) -> Setting:
        """The setting whose parameters equal ``params`` (the others at their start)."""
        for s in self.settings:
            if all(s.params.get(k) == v for k, v in params.items()):
                return s
        raise KeyError(params)


@dataclass
class ExploreData:
    """Everything on the page: the surrogates and the membrane grid of chi."""

    surrogates: list[ExploreSurrogate]
    stds: tuple[float, ...]
    v_mean: float
    points: int
    x_range: tuple[float, float] | None  # None: each surrogate's own


def _round3(v: float) -> float:
    return float(f"{v:.3g}")


def slider_values(centre: float, steps: int = STEPS, *, kind: str = "float", low: float | None = None,
                  low_open: bool = True, high: float | None = None) -> list:
    """The default slider values around ``centre`` (a parameter's default) inside its valid
    range (``low`` < or <= value <= ``high``; see :class:`~surrogate_cli.catalog.Param`).

    Positive: ``steps`` log-spaced values from centre/10 to centre*10 rounded to 3 digits
    (the centre exact), clipped to the valid range; zero or negative: linear steps of 1/32
    up from it; integers: 8 whole numbers from ``low`` (or around the centre).
    """
    c = float(centre)

    def ok(v: float) -> bool:
        if low is not None and (v < low or (low_open and v == low)):
            return False
        return high is None or v <= high

    if kind == "int":
        start = int(low) if low is not None else int(c) - _INT_SPAN // 2
        start = max(start, int(c) - _INT_SPAN + 1)
        return [v for v in range(start, start + _INT_SPAN) if ok(v)] or [int(c)]
    steps = max(1, int(steps))
    half = (steps - 1) // 2
    if c > 0:
        raw = [c * 10.0 ** ((k - half) / max(half, 1)) for k in range(steps)] if steps > 1 else [c]
        vals = [c if k == half else _round3(v) for k, v in enumerate(raw)]
    else:
        vals = [_round3(c + k / 32.0) for k in range(steps)]
    vals = [v for v in dict.fromkeys(vals) if ok(v)]
    return vals or [c]


def _start(values: Sequence[float], centre: float) -> int:
    """The index of the value nearest ``centre`` (in log terms when all are positive)."""
    if all(v > 0 for v in values) and centre > 0:
        return min(range(len(values)), key=lambda i: (abs(math.log(values[i] / centre)), i))
    return min(range(len(values)), key=lambda i: (abs(values[i] - centre), i))


def _sliders(target, fixed: Mapping[str, Any], values: Mapping[str, Sequence[float]], steps: int) -> list[Slider]:
    sliders = []
    for name in target.param_names:
        centre = fixed.get(name, target.defaults.get(name))
        param = target.record.param(name) if target.record is not None else None
        kind = param.kind if param is not None else next(p.kind for p in target.user_params if p.name == name)
        if name in values:
            if not values[name]:
                raise BadInput(f"{name}: empty list of values", "give at least one value", subject=name)
            vals = [target.check_value(name, v) for v in values[name]]
            vals = list(dict.fromkeys(vals))
        elif param is not None:
            vals = slider_values(centre, steps, kind=kind, low=param.low, low_open=param.low_open, high=param.high)
        elif isinstance(centre, numbers.Real) and not isinstance(centre, bool):
            vals = [target.check_value(name, v) for v in slider_values(centre, steps, kind=kind)]
        else:
            raise BadInput(f"{target.name}: parameter '{name}' has no default to build a slider around",
                           f"give its values, e.g. {name}=1,2,4", subject=name)
        if centre is None:
            centre = vals[len(vals) // 2]
        if kind == "int":
            vals = [int(v) for v in vals]
        sliders.append(Slider(name, vals, _start(vals, float(centre)), kind))
    return sliders


def _positions(sliders: Sequence[Slider]) -> tuple[str, list[tuple[int, ...]]]:
    total = math.prod(len(s.values) for s in sliders) if sliders else 1
    if total <= GRID_MAX:
        import itertools

        return "grid", list(itertools.product(*[range(len(s.values)) for s in sliders]))
    base = tuple(s.start for s in sliders)
    out = [base]
    for i, s in enumerate(sliders):
        for j in range(len(s.values)):
            if j != s.start:
                out.append(base[:i] + (j,) + base[i + 1:])
    return "star", out


def plan_sliders(target, fixed: Mapping[str, Any] | None = None, values: Mapping[str, Sequence[float]] | None = None,
                 steps: int = STEPS):
    """``(sliders, mode, positions, sets)`` of one resolved target: its sliders (``values``
    given, else :func:`slider_values` around ``fixed`` or the defaults), ``"grid"`` or
    ``"star"``, the slider indices of each parameter set and the validated sets."""
    sliders = _sliders(target, dict(fixed or {}), dict(values or {}), steps)
    mode, positions = _positions(sliders)
    sets = [target.validate({s.name: s.values[j] for s, j in zip(sliders, pos)}) for pos in positions]
    return sliders, mode, positions, sets


def _chi(target, sets, stds: Sequence[float], v_mean: float):
    """chi = sigma_w^2 E[g'(u)^2], u ~ N(v_mean, std^2), the stack at its fixed point, for
    every set and std (shape (len(sets), len(stds))); flow's quadrature (refined)."""
    import numpy as np

    from .flow import gaussian_membrane, grad_evaluator, moments

    mems = [gaussian_membrane(v_mean, s) for s in stds]
    all_sets = [s for s in sets for _ in stds]
    grad = grad_evaluator(target, all_sets)
    means = np.full(len(all_sets), float(v_mean))
    sds = np.tile(np.asarray(stds, dtype=np.float64), len(sets))
    e2 = moments(grad, means, sds)[1]
    sw2 = np.tile(np.asarray([m.sigma_w ** 2 for m in mems]), len(sets))
    return (sw2 * e2).reshape(len(sets), len(stds))


def _area(curve) -> float | None:
    """The whole-line area ``compare --normalize area`` divides by (None: not finite)."""
    import copy

    import numpy as np

    from ..evaluation.normalize import normalize_curves

    probe = copy.copy(curve)
    try:
        normalize_curves([probe], "area")
    except BadInput:
        return None
    i = int(np.argmax(np.abs(curve.gradient)))
    if probe.gradient[i] == 0:
        return None
    return float(curve.gradient[i] / probe.gradient[i])


def explore_data(
    items: Sequence[Any] | None = None,
    values: Mapping[str, Sequence[float]] | None = None,
    *,
    steps: int = STEPS,
    points: int = POINTS,
    x_range: tuple[float, float] | None = None,
    stds: Sequence[float] = STDS,
    v_mean: float = 0.0,
    jobs: int | None = None,
) -> ExploreData:
    """Compute the page of :func:`surrogate_cli.explore` (see the module doc).

    ``items``: names (any spelling, ``LIBRARY.NAME``, ``file.py:Class``), ``Target``s or
    ``(name, {param: value})`` pairs (the value is the slider's centre); None: every
    built-in. ``values``: slider values per parameter, for every surrogate that has it
    (one that none has is an error). ``jobs``: processes sharing the surrogates (default:
    one per core, when there is enough work for a second; 1: this process only, in its
    threads); a user's own surrogate is always computed in this process. The numbers do
    not depend on it.
    """
    from ..catalog import builtin_records
    from ..evaluation import check_points, plan_sweep
    from ..evaluation.parallel import check_jobs, map_processes
    from . import convert, flow, metrics  # noqa: F401 - imported before map_processes starts its threads

    if items is None:
        items = [r.name for r in builtin_records()]
    if isinstance(items, str):
        items = [items]
    if not items:
        raise BadInput("explore needs at least one surrogate", "e.g. explore(['sigmoid', 'arctan'])")
    check_points(points)
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or not 2 <= steps <= 201:
        raise BadInput(f"steps={steps!r} is not a whole number from 2 to 201", "give e.g. steps=33",
                       subject="steps")
    check_jobs(jobs)
    stds = tuple(float(s) for s in stds)
    if not stds or not all(math.isfinite(s) and s > 0 for s in stds):
        raise BadInput("stds: every membrane std must be a positive number", "give e.g. stds=(0.5, 1, 2)",
                       subject="stds")
    values = {k: list(v) for k, v in (values or {}).items()}
    # resolution, fixed values and the parameter names through the one planner (the first
    # value of each slider stands in; every value is checked below)
    plan = plan_sweep(items, {k: v[:1] for k, v in values.items() if v})
    parsed = [(e.target, e.fixed, e.source) for e in plan.entries]
    names = [t.name for t, _, _ in parsed]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise BadInput(f"'{dup[0]}' is named twice", "name each surrogate once")
    planned = []
    for target, fixed, source in parsed:
        own = {k: v for k, v in values.items() if k in target.param_names}
        planned.append((target, source, plan_sliders(target, fixed, own, steps)))
    # the surrogates are independent: shared between this process and a worker process per
    # further core (one surrogate's positions are many small calls, which hold the GIL)
    work = [(target, source, plan, points, x_range, stds, v_mean) for target, source, plan in planned]
    out = map_processes(_surrogate_job, work, cost=_cost, portable=lambda job: job[0].record is not None,
                        startup=_STARTUP_COST, min_total=4 * _STARTUP_COST, processes=jobs)
    return ExploreData(out, stds, float(v_mean), int(points), None if x_range is None else tuple(x_range))


def _cost(job) -> float:
    """A surrogate's time, roughly: its parameter sets, and its kernels' compilations (one
    set of them per integer values, each about as long as 15 sets' computations)."""
    target, _, (_, _, _, sets) = job[:3]
    rec = target.record
    groups = len({rec.split(s)[0] for s in sets}) if rec is not None else 1
    return len(sets) + _COMPILE_COST * groups


def _surrogate_job(job) -> ExploreSurrogate:
    """:func:`_surrogate` of one job (module level: it runs in a worker process too)."""
    return _surrogate(*job)


def _surrogate(target, source, plan, points, x_range, stds, v_mean) -> ExploreSurrogate:
    """Every slider position of one surrogate (see the module doc); ``plan`` is
    :func:`plan_sliders`' answer."""
    import numpy as np

    from ..catalog.foreign import ForeignRecord
    from ..evaluation import evaluate
    from ..evaluation.normalize import AREA_POINTS
    from .convert import convert
    from .metrics import properties_of

    sliders, mode, positions, sets = plan
    rng = x_range if x_range is not None else target.default_range
    rec = target.record
    # without a closed-form area, the whole-line area evaluates the curve kernel on
    # AREA_POINTS points: the curves are padded to that length, so it compiles once (the
    # same numbers as unpadded, tests/test_explore.py checks against plot's)
    numerical_area = rec is not None and rec.area is None
    curves = evaluate(target, sets, rng, points, pad_to=AREA_POINTS if numerical_area else 0)
    chi = _chi(target, sets, stds, v_mean)
    foreign = isinstance(rec, ForeignRecord)
    settings = []
    for k, (full, c) in enumerate(zip(sets, curves)):
        props = properties_of(target, full)
        conv = convert(target.record.name, dict(full)) if foreign else None
        settings.append(Setting(dict(full), c.gradient, c.function, props, chi[k],
                                float(np.max(np.abs(c.gradient))), _area(c), conv, c.spike))
    return ExploreSurrogate(
        name=target.name, source=source, target=target, sliders=sliders, mode=mode, x=curves[0].x,
        spike=curves[0].spike, integrated=curves[0].integrated, settings=settings,
        index={pos: i for i, pos in enumerate(positions)},
    )
