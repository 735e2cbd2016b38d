"""The numbers behind the ``flow`` figures: chi over (parameter, membrane std) per surrogate,
and chi against the parameter. Plain dataclasses; the render layer only draws them."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .gradients import grad_evaluator, moments
from .rows import FlowResult, chi_grid

__all__ = ["ChiMap", "ChiCurve", "chi_maps", "chi_curves"]


@dataclass
class ChiMap:
    """``chi[i, j]`` at membrane std ``stds[i]`` and parameter value ``values[j]`` (Gaussian
    membrane with the result's mean), and the operating point (``current``, ``std``)."""

    surrogate: str
    param: str
    values: Any
    stds: Any
    chi: Any
    current: float
    std: float
    chi_current: float
    sigma_w_fixed: float | None  # None: sigma_w follows the fixed point at each std


@dataclass
class ChiCurve:
    """``chi`` against one parameter of one surrogate, the membrane held fixed."""

    surrogate: str
    param: str
    values: Any
    chi: Any
    current: float
    chi_current: float


def _grid_values(current: float, param, n: int):
    import numpy as np

    base = current if current > 0 else 1.0
    lo, hi = base / 30.0, base * 30.0
    if param is not None:
        if param.low is not None and param.low > 0:
            lo = max(lo, param.low * (1.000001 if param.low_open else 1.0))
        if param.high is not None:
            hi = min(hi, param.high)
    return np.exp(np.linspace(math.log(lo), math.log(hi), n))


def _firsts(result: FlowResult):
    """(target, row, parameter) for the first parameter set of each built-in in the result."""
    from ...catalog import REGISTRY
    from ...evaluation import resolve

    seen = set()
    for r in result.rows:
        rec = REGISTRY.get(r.surrogate)
        if r.surrogate in seen or rec is None or rec.solve_param is None:
            continue  # user surrogates are in the table; the figures need the catalog's ranges
        seen.add(r.surrogate)
        yield resolve(r.surrogate), r, (r.solve.param if r.solve is not None else rec.solve_param)


def chi_maps(result: FlowResult, n_param: int = 60, n_std: int = 60) -> list[ChiMap]:
    """One :class:`ChiMap` per built-in of ``result``: its parameter over 1/30 to 30 times the
    current value (within the valid range), the membrane std over 1/10 to 10 times the
    current one; ``sigma_w`` fixed for a given or empirical one, else the fixed point's."""
    import numpy as np

    mem = result.membrane
    fixed = mem.sigma_w if (mem.sigma_w_given and mem.kind != "network") or mem.kind == "empirical" else None
    s0 = mem.std if mem.std > 0 else 1.0
    stds = np.exp(np.linspace(math.log(s0 / 10.0), math.log(s0 * 10.0), n_std))
    out = []
    for target, r, pname in _firsts(result):
        values = _grid_values(float(r.params[pname]), target.record.param(pname), n_param)
        grid = chi_grid(target, r.params, pname, values, stds, mem.mean, fixed)
        out.append(ChiMap(r.surrogate, pname, values, stds, grid, float(r.params[pname]), s0, r.chi, fixed))
    return out


def chi_curves(result: FlowResult, n: int = 60) -> list[ChiCurve]:
    """One :class:`ChiCurve` per built-in of ``result``, the membrane as in the result."""
    mem = result.membrane
    samples = mem.samples if mem.kind == "empirical" else None
    out = []
    for target, r, pname in _firsts(result):
        values = _grid_values(float(r.params[pname]), target.record.param(pname), n)
        sets = [target.validate({**r.params, pname: float(v)}) for v in values]
        e2 = moments(grad_evaluator(target, sets), mem.mean, mem.std, samples=samples)[1]
        out.append(ChiCurve(r.surrogate, pname, values, mem.sigma_w ** 2 * e2, float(r.params[pname]), r.chi))
    return out
