"""One :class:`FlowRow` per surrogate and parameter set; chi over a (parameter, std) grid."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from ...errors import BadInput
from .gradients import active_fraction, active_intervals, grad_evaluator, moments
from .membrane import Membrane, normal_cdf
from .solve import Solve, solve_root

__all__ = ["FlowRow", "FlowResult", "flow_rows", "chi_grid"]


# -- rows and grids --------------------------------------------------------------------------------


@dataclass
class FlowRow:
    """The prediction for one surrogate at one parameter set."""

    surrogate: str
    params: dict
    mean_grad: float  # E[g'(u)]
    mean_grad_sq: float  # E[g'(u)^2]
    active_fraction: float
    active_interval: tuple[float, float]
    chi: float
    chi_layers: float  # chi ** layers
    layers: int
    quad_error: float  # estimate of the absolute quadrature error of E[g'^2]
    solve: Solve | None = None

    @property
    def regime(self) -> str:
        if not math.isfinite(self.chi):
            return "undefined"
        if abs(math.log(self.chi)) * self.layers <= math.log(2.0):
            return "stable"
        return "vanishing" if self.chi < 1.0 else "exploding"


@dataclass
class FlowResult:
    """Everything ``flow`` computes: the membrane, one row per surrogate and parameter set,
    and the simulations when asked for."""

    membrane: Membrane
    layers: int
    rows: list[FlowRow]
    simulations: list = field(default_factory=list)
    lif: list = field(default_factory=list)


def _solve_bounds(target, name: str, current: float) -> tuple[float, float]:
    rec = target.record
    base = current if current > 0 else 1.0
    lo, hi = base * 1e-3, base * 1e3
    if rec is not None:
        p = rec.param(name)
        if p.low is not None:
            lo = max(lo, p.low if p.low > 0 else lo)
            if p.low > 0 and not p.low_open:
                lo = max(lo, p.low)
            elif p.low > 0:
                lo = max(lo, p.low * (1 + 1e-9))
        if p.high is not None:
            hi = min(hi, p.high)
    return lo, hi


def flow_rows(target, sets: Sequence[Mapping[str, Any]], membrane: Membrane, layers: int,
              solve: str | None | bool = None) -> list[FlowRow]:
    """The :class:`FlowRow` of every parameter set of one resolved target.

    ``solve``: a parameter name, None for the catalog's default (``Record.solve_param``, or
    the first float parameter of a user surrogate), or False for no solving.
    """
    import numpy as np

    grad = grad_evaluator(target, sets)
    samples = membrane.samples if membrane.kind == "empirical" else None
    e1, e2, err = moments(grad, membrane.mean, membrane.std, samples=samples)
    lo, hi = active_intervals(grad)
    frac = active_fraction(membrane, lo, hi)
    sw2 = membrane.sigma_w ** 2
    pname = None
    if solve is not False:
        pname = solve if isinstance(solve, str) else getattr(target.record, "solve_param", None)
        if pname is None:
            floats = [n for n in target.param_names if isinstance(target.defaults.get(n), float)]
            pname = floats[0] if floats else None
        if pname is not None:
            target.check_name(pname)
            if target.record is not None and target.record.param(pname).kind == "int":
                raise BadInput(f"{target.name}: solve={pname!r} is an integer parameter",
                               "solve for a continuous parameter: " + ", ".join(
                                   p.name for p in target.record.params if p.kind != "int"))
    rows = []
    for i, s in enumerate(grad.sets):
        chi = sw2 * float(e2[i])
        with np.errstate(over="ignore"):
            chi_l = float(np.float64(chi) ** layers)
        sol = None
        if pname is not None:
            cur = float(s[pname])
            a, b = _solve_bounds(target, pname, cur)

            def fn(vals, s=s):
                sets_p = [target.validate({**s, pname: float(v)}) for v in vals]
                g = grad_evaluator(target, sets_p)
                return sw2 * moments(g, membrane.mean, membrane.std, samples=samples)[1]

            sol = solve_root(fn, a, b, current=cur, param=pname)
        rows.append(FlowRow(target.name, dict(s), float(e1[i]), float(e2[i]), float(frac[i]),
                            (float(lo[i]), float(hi[i])), chi, chi_l, layers, float(err[i]), sol))
    return rows


def chi_grid(target, base: Mapping[str, Any], param: str, values, stds, mean: float,
             sigma_w: float | None = None):
    """``chi`` over (std, param value): shape (len(stds), len(values)), Gaussian membrane with
    ``mean``; ``sigma_w`` fixed if given, else the fixed point's ``std/sqrt(Phi(mean/std))``.
    One quadrature pass at figure accuracy (no adaptive refinement)."""
    import numpy as np

    values = np.asarray(values, dtype=np.float64)
    stds = np.asarray(stds, dtype=np.float64)
    sets = [target.validate({**base, param: float(v)}) for v in values]
    all_sets = [s for _ in stds for s in sets]
    grad = grad_evaluator(target, all_sets)
    S = np.repeat(stds, len(values))
    e2 = moments(grad, np.full(S.shape, float(mean)), S, adaptive=False)[1]
    if sigma_w is None:
        sw2 = S * S / np.maximum(normal_cdf(mean / S), 1e-300)
    else:
        sw2 = np.full(S.shape, float(sigma_w) ** 2)
    return (sw2 * e2).reshape(len(stds), len(values))
