"""The typed records verify's checks read: :class:`Evaluated`, what the checking kernel computed
for one parameter set (a JAX pytree, so the kernel returns it and ``vmap`` batches it), and
:class:`Context`, everything else a check needs (the grid, the tolerances, the subject's
catalog facts, and the facts one check hands the next: kinks, scale, precision)."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields
from typing import Any, Callable, Mapping

from .grids import EPS

__all__ = ["Evaluated", "Context", "register_pytree", "at", "combine"]


@dataclass
class Evaluated:
    """The kernel's outputs for one parameter set; ``None`` (or a missing dtype key) where that
    part was not computed (a method that failed its probe or its evaluation).

    Points: ``x`` is the shared derivative grid (:class:`~.grids.Grid`), ``b`` a parameter set's
    breakpoints (:class:`~.grids.Patch`), ``s64`` the float64 stability inputs."""

    # surrogate_grad
    g0: Any = None  # at grid.xg: x, then the quadrature nodes (4 + 8 per panel)
    gp: Any = None  # at patch.xg: b, then its sub-panels' nodes
    g_s64: Any = None  # at the float64 stability inputs
    g_fine: Any = None  # at grid.fine (only with surrogate_fun)
    g_dg64: Any = None  # float64, at grid.dg_rounded (the dtype grid rounded to each dtype)
    # surrogate_fun and its autodiff
    f0: Any = None  # at grid.xf: the 7 stencil rows of x, then the panel edges
    fp: Any = None  # at patch.xf: the 7 stencil rows of b
    f_extra: Any = None  # at grids.fun_extra_points() (stability references)
    f_fine: Any = None  # at grid.fine
    ad: Any = None  # jvp of surrogate_fun at x then b (merged order: see analyse)
    ad_fine: Any = None  # jvp of surrogate_fun at grid.fine
    f_res: Any = None  # at grids.resolution_points(): the precision probe (rows of offsets)
    ad_res: Any = None  # jvp of surrogate_fun there
    # the spike
    fwd_bad: Any = None  # how many forward values differ from the step
    jvp: Any = None  # linearised spike times the tangent, at x then s64
    vjp: Any = None  # transpose times the reversed tangent, at x then s64
    vmap: Any = None  # vmap(grad(spike)) at x[:1024]
    # per 16/32-bit dtype name
    gd: dict = field(default_factory=dict)  # surrogate_grad in that dtype at the dtype grid
    stab: dict = field(default_factory=dict)  # finiteness rows at that dtype's stability inputs
    stabf: dict = field(default_factory=dict)  # surrogate_fun in that dtype at its stability inputs

    def has(self, name: str) -> bool:
        return getattr(self, name) is not None


@functools.cache
def register_pytree() -> None:
    """Make :class:`Evaluated` a JAX pytree (once; jax is imported only when a kernel is built)."""
    import jax

    jax.tree_util.register_dataclass(Evaluated, data_fields=[f.name for f in fields(Evaluated)], meta_fields=[])


def at(ev: Evaluated, j: int | None, convert: Callable = lambda v: v) -> Evaluated:
    """Parameter set ``j`` of a batched record (``None``: not batched), each array through ``convert``."""
    def pick(v):
        return None if v is None else convert(v if j is None else v[j])

    kw = {}
    for f in fields(Evaluated):
        v = getattr(ev, f.name)
        kw[f.name] = {k: pick(a) for k, a in v.items()} if isinstance(v, dict) else pick(v)
    return Evaluated(**kw)


def combine(a: Evaluated, b: Evaluated) -> Evaluated:
    """``a`` with what ``b`` computed added (the kernel's parts run one at a time)."""
    kw = {}
    for f in fields(Evaluated):
        va, vb = getattr(a, f.name), getattr(b, f.name)
        kw[f.name] = {**va, **vb} if isinstance(va, dict) else (vb if vb is not None else va)
    return Evaluated(**kw)


@dataclass
class Context:
    """What a check knows besides the evaluated arrays, for one surrogate and parameter set."""

    name: str
    params: dict
    grid: Any  # the shared :class:`~.grids.Grid`
    patch: Any  # the parameter set's :class:`~.grids.Patch`
    meta: dict  # trace-time facts (output dtypes of the spike)
    has_fun: bool
    tol: Any  # :class:`~.report.Tolerance`
    strict: bool
    exceptions: Mapping[str, str]  # a built-in's shape exceptions by design
    closed: float | None  # a gradient-only built-in's closed-form area
    breakpoints: list
    jit_result: Any  # the jit check's result (from the probes)
    skipped: dict  # check name -> (status, reason): not run, for that reason
    tangent: Any  # the spike check's seeded tangent
    stab_failed: dict  # dtype -> why the methods could not run in it
    evaluate: Callable | None = None  # (xf, xg) -> (f, g) at new points (the area check's refinement)
    # merged, sorted coarse grid: x and b together (set by analyse)
    x: Any = None
    h: Any = None
    g: Any = None
    F: Any = None  # (7, n) stencil rows of surrogate_fun
    ad: Any = None
    fine: Any = None  # (xs, g, f, ad) on the fine grid, or None
    # facts one check leaves for the next (the derivative check sets kinks and scale)
    precision: tuple = ("float64", EPS)  # (name, eps) surrogate_fun computes in
    noise: float | None = None  # its relative noise, measured at float64 input
    kinks: list = field(default_factory=list)
    scale: float = 0.0  # S: the gradient's largest magnitude
