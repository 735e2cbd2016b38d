r"""Curve properties of a surrogate gradient, for ``surrogate info``.

:func:`properties` evaluates ``g'`` in float64 (for a catalogued surrogate through the
package's one evaluator, whose ``surrogate_grad`` verify proves is what the spike
backpropagates; for a user's, through its spike) on a dense grid around the threshold
plus log-spaced points out to :math:`10^6` times the plotting half-width, and reports:

* the peak of ``g'`` (value and where),
* the full width at half maximum (``inf`` when ``g'`` never falls to half its peak),
* the support: compact (``g'`` is exactly zero beyond finite points, found by
  bisection) or, per side, the tail class: exponential (:math:`e^{-k|x|}`, with ``k``),
  faster than exponential (Gaussian), power law (:math:`|x|^{-p}`, with ``p``),
  constant, or oscillating (does not decay),
* the area under ``g'`` over the real line, numerically (trapezoid on the grid, with
  the analytic remainder of a power-law tail; ``inf`` for divergent tails) and in
  closed form from the registry where known,
* whether ``g'`` is symmetric, ``g(0)``, and whether ``g`` is monotone.

Zeros caused by floating-point rounding far in a smooth tail (e.g. ``1 - sigmoid``
rounding to 0) are told apart from a true compact support by looking at the gradient
5 % inside the would-be boundary: a true support edge still carries gradient there.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Mapping

from ..formatting import fmt
from ..evaluation.kernels import grad_function
from ..evaluation.normalize import simpson_weights
from .info_grids import area_lookups, info_grids, known
from .tails import Tail, classify_tail, clean, core_area

__all__ = ["Tail", "Properties", "properties", "properties_of"]


@dataclass
class Properties:
    """Everything ``surrogate info`` computes about ``g'`` at one parameter set."""

    surrogate: str
    params: dict
    peak_value: float
    peak_x: float
    fwhm: float
    half_max_interval: tuple[float, float]
    compact: bool
    support: tuple[float, float] | None
    left: Tail
    right: Tail
    area_numerical: float | None  # None: does not converge (oscillating)
    area_closed: float | None
    symmetric: bool
    g0: float | None  # None for gradient-only surrogates
    monotone: bool
    decreasing_at: float | None = None  # where g starts to decrease, nearest to 0, when not monotone
    has_fun: bool = True
    notes: list[str] = field(default_factory=list)
    #: the peak is a plateau: g' equals ``peak_value`` on this interval (ends may be infinite)
    plateau: tuple[float, float] | None = None
    #: whether each end of the plateau belongs to it (``(0, 1]``: False, True)
    plateau_closed: tuple[bool, bool] | None = None

    def peak_text(self, num: Callable[[float], str] | None = None) -> str:
        """``1 at x = 0``, or for a plateau ``0.5 on [-1, 1] (a plateau)``."""
        _g = num or globals()["_g"]
        if self.plateau is None:
            return f"{fmt(self.peak_value)} at x = {fmt(self.peak_x)}"
        (a, b), (ca, cb) = self.plateau, self.plateau_closed or (True, True)
        if math.isinf(b) and not math.isinf(a):
            where = f"x {'>=' if ca else '>'} {fmt(a)}"
        elif math.isinf(a) and not math.isinf(b):
            where = f"x {'<=' if cb else '<'} {fmt(b)}"
        else:
            where = f"{'[' if ca else '('}{fmt(a)}, {fmt(b)}{']' if cb else ')'}"
        return f"{fmt(self.peak_value)} on {where} (a plateau)"

    @property
    def support_text(self) -> str:
        if self.compact and self.support is not None:
            return f"compact: [{fmt(self.support[0])}, {fmt(self.support[1])}]"
        if (self.left.kind, self.left.exponent, self.left.rate, self.left.value) == (
            self.right.kind, self.right.exponent, self.right.rate, self.right.value,
        ):
            return f"unbounded; both tails {self.right.describe()}"
        return f"unbounded; left tail {self.left.describe()}; right tail {self.right.describe()}"

    def as_dict(self) -> dict:
        d = asdict(self)
        d["support_text"] = self.support_text
        return d


def _fun_function(surrogate: Any) -> Callable:
    import jax
    import jax.numpy as jnp
    import numpy as np

    def fun(x):
        with jax.enable_x64(True):
            out = surrogate.surrogate_fun(jnp.asarray(np.asarray(x, dtype=np.float64)))
            return np.broadcast_to(np.asarray(out, dtype=np.float64), np.shape(x))

    return fun


def properties_of(target: Any, params: Mapping[str, Any] | None = None, grad: Callable | None = None,
                  fun: Callable | None = None, bulk: Callable | None = None) -> Properties:
    """:func:`properties` of a surrogate at ``params`` (defaults for the rest).

    ``target`` is a :class:`~surrogate_cli.evaluation.Target` or any name ``resolve`` takes
    (``"sigmoid"``, ``"file.py:Class"``). ``grad``, ``fun``: see :func:`properties`; a
    catalogued surrogate (built-in or another library's) is evaluated by the package's one
    evaluator (:func:`~surrogate_cli.evaluation.grad_values`: its kernels, parameters
    traced, compiled once a process for every parameter set), a user surrogate through its
    spike. ``bulk``: see :func:`properties`; a catalogued surrogate's (unless ``grad`` or ``fun``
    is given) is :func:`~surrogate_cli.evaluation.kernels.info_values`.
    """
    if isinstance(target, str):
        from ..evaluation import resolve

        target = resolve(target)
    full = target.validate(params if params is not None else {})
    obj = target.make(full)
    rec = target.record
    scale = max(abs(v) for v in target.default_range)
    bps = rec.breakpoints(**full) if (rec is not None and rec.breakpoints) else []
    closed = rec.closed_area(**full) if rec is not None else None
    if rec is not None:
        from ..evaluation.kernels import info_values, one_set

        # every small evaluation (bisections, refinements, tails: 1 to 4000 points) at one
        # padded length, 4096: one compilation of the kernel fewer than 1024 and 4096
        own = grad is not None or fun is not None
        grad = grad or one_set(rec, full, "grad", min_length=4096)
        if fun is None and rec.has_fun:
            fun = one_set(rec, full, "fun")
        if bulk is None and not own:
            # the grid, the mirrored core, g on the core and the area's other points in one
            # kernel (one compilation where three lengths-and-kinds took two)
            def bulk(grid, core, area_x):
                return info_values(rec, full, grid, core, area_x if rec.breakpoints is not None else None)
    return properties(
        obj, name=target.name, params=full, scale=scale, breakpoints=bps,
        closed_area=closed, has_fun=target.has_fun, grad=grad, fun=fun, bulk=bulk,
    )


def properties(
    surrogate: Any,
    name: str | None = None,
    params: Mapping[str, Any] | None = None,
    scale: float = 3.0,
    breakpoints=(),
    closed_area: float | None = None,
    has_fun: bool | None = None,
    grad: Callable | None = None,
    fun: Callable | None = None,
    bulk: Callable | None = None,
) -> Properties:
    """Compute the :class:`Properties` of one surrogate object (see the module doc).

    ``scale`` is the half-width of the region of interest (the registry's plotting
    range); ``breakpoints`` are x values where ``g'`` may jump (added to the grid).
    ``grad``, ``fun``: ``x -> g'(x)`` and ``x -> g(x)`` of ``surrogate`` on float64 arrays,
    when the caller has faster ones (one jitted kernel for many parameter sets) than
    :func:`grad_function` and the eager ``surrogate_fun``. ``bulk``: ``(grid, core,
    area_x) -> (g'(grid), g'(-core), g(core), g'(area_x))`` (g and the last None where not
    evaluated), the four large evaluations in one call when the caller has them in one
    kernel, or None to have them evaluated one by one; ``area_x`` are the points of the
    core area's Simpson pieces off the grid.
    """
    import numpy as np

    grad = grad or grad_function(surrogate)
    if has_fun is None:
        from ..evaluation import defines_fun

        has_fun = defines_fun(type(surrogate))
    name = name or type(surrogate).__name__
    S = float(scale)

    # -- the central grid, with breakpoints (and both sides of each) ----------------
    bp = [float(b) for b in breakpoints if math.isfinite(float(b))]
    extra = [0.0]
    for b in bp:
        eps = 1e-13 * (1.0 + abs(b))
        extra += [b - eps, b, b + eps]
    core, far, grid, at_core, at_far = info_grids(S, tuple(extra))
    pre = None
    if bulk is not None:
        area_x, area_at, _ = area_lookups(S, tuple(extra), tuple(bp))
        pre = bulk(grid, core, area_x[area_at < 0])
    vals = grad(grid) if pre is None else pre[0]
    ok = np.isfinite(vals)
    if not ok.all():
        bad = float(grid[~ok][0])
        notes = [f"g' is not finite at x = {bad:.6g}"]
        finite = np.where(ok, vals, 0.0)
    else:
        notes = []
        finite = vals  # read only below

    # -- peak ------------------------------------------------------------------------
    # the first largest value with |x| <= S (grid is sorted: those points are one slice)
    lo_core, hi_core = int(np.searchsorted(grid, -S, side="left")), int(np.searchsorted(grid, S, side="right"))
    i_peak = lo_core + int(np.argmax(finite[lo_core:hi_core]))
    if float(np.max(finite)) > finite[i_peak] * (1 + 1e-12) + 1e-300:
        i_peak = int(np.argmax(finite))
    peak = float(finite[i_peak])
    x_peak = float(grid[i_peak])
    plateau, plateau_closed = _plateau(grad, grid, finite, i_peak, peak, bp)
    if plateau is not None:
        a, b = plateau
        if a <= 0.0 <= b and float(vals[int(np.searchsorted(grid, 0.0))]) == peak:  # 0 is a grid point
            x_peak = 0.0
        elif math.isfinite(a) and math.isfinite(b):
            x_peak = 0.5 * (a + b)
        else:
            x_peak = a if math.isfinite(a) else b

    # -- half maximum ------------------------------------------------------------------
    def crossings() -> tuple[float, float]:
        """Where g' falls to half its peak on each side (infinite where it never does)."""
        half = peak / 2.0
        ends, spans = {}, {}
        for direction in (-1, 1):
            # the last grid point from the peak outward still at or above half the peak
            seg = finite[i_peak + 1:] if direction > 0 else finite[:i_peak][::-1]
            below = ~(seg >= half)
            if not below.any():
                ends[direction] = math.inf * direction
                continue
            i = i_peak + direction * int(np.argmax(below))
            spans[direction] = (grid[i], grid[i + direction])
        for _ in range(2):  # refine each crossing twice on 1001 points (both sides in one call)
            ts = {d: np.linspace(a, b, 1001) for d, (a, b) in spans.items()}
            if not ts:
                break
            v = grad(np.concatenate(list(ts.values())))
            for k, (d, t) in enumerate(ts.items()):
                j = int(np.argmax(v[1001 * k:1001 * (k + 1)] < half))  # first point below half (t runs from a to b)
                spans[d] = (t[max(j - 1, 0)], t[j])
        for d, (a, b) in spans.items():
            ends[d] = _snap(float(0.5 * (a + b)), bp)
        return ends[-1], ends[1]

    if peak > 0:
        lo, hi = crossings()
        fwhm = hi - lo
    else:
        lo, hi, fwhm = math.nan, math.nan, math.nan
        notes.append("the gradient has no positive peak")

    # -- tails -------------------------------------------------------------------------
    centre = 0.5 * (lo + hi) if (math.isfinite(lo) and math.isfinite(hi)) else x_peak
    left = classify_tail(grad, grid, finite, i_peak, peak, centre, -1, lo, S)
    right = classify_tail(grad, grid, finite, i_peak, peak, centre, +1, hi, S)
    compact = left.kind == "compact" and right.kind == "compact"
    support = (left.boundary, right.boundary) if compact else None

    # -- area ----------------------------------------------------------------------------
    area: float | None
    divergent = any(
        t.kind == "constant" and t.value != 0 or t.kind == "power law" and t.exponent <= 1.0 + 1e-3
        for t in (left, right)
    )
    if any(t.kind == "oscillating" for t in (left, right)):
        area = None
    elif divergent:
        area = math.inf
    else:
        # |x| <= S: Simpson's rule between breakpoints (so kinks and jumps cost nothing);
        # beyond: Simpson's rule in u = log|x| (smooth, geometric spacing).
        # g' at the points of the grid is known: only the others are evaluated
        area_x, area_at, neg_far_at = area_lookups(S, tuple(extra), tuple(bp))
        area = core_area(grad, S, bp, values=known(grad, vals, area_x, area_at, None if pre is None else pre[3]))
        u = np.log(far)
        du = u[1] - u[0]
        w = simpson_weights(len(u))
        for sign in (-1, 1):
            fv = finite[at_far] if sign > 0 else known(grad, vals, -far, neg_far_at)
            area += float(np.sum(w * fv * far) * du / 3.0)
        for t, sign in ((left, -1), (right, 1)):
            if t.kind == "power law":  # the analytic remainder beyond the last grid point
                L = float(far[-1])
                vL = float(vals[at_far[-1]] if sign > 0 else known(grad, vals, -far[-1:], neg_far_at[-1:])[0])
                area += vL * L / (t.exponent - 1.0)
        area = float(area)

    # -- symmetry, g(0), monotonicity ---------------------------------------------------------
    sym_vals = grad(-core) if pre is None else pre[1]
    core_vals = finite[at_core]
    tol = 1e-9 * max(abs(peak), 1e-300)
    symmetric = bool(np.all(np.abs(core_vals - sym_vals) <= tol))

    g0 = gv = None
    if has_fun:
        try:  # g on the core (for monotonicity below); g(0) is its point x = 0
            gv = pre[2] if pre is not None and pre[2] is not None else (fun or _fun_function(surrogate))(core)
            g0 = float(gv[int(np.searchsorted(core, 0.0))])
        except NotImplementedError:
            has_fun = False
    neg = finite < -1e-12 * max(abs(peak), 1e-300)
    monotone = not bool(np.any(neg))
    decreasing_at = None
    if not monotone:
        decreasing_at = _first_descent(grad, grid, neg, -1e-12 * max(abs(peak), 1e-300), bp)
    if has_fun and monotone:
        d = np.diff(gv)
        down = d < -1e-12 * max(1.0, float(np.max(np.abs(gv))))
        if np.any(down):
            monotone = False
            idx = np.nonzero(down)[0]
            decreasing_at = clean(float(core[idx[np.argmin(np.abs(core[idx]))]]))

    return Properties(
        surrogate=name,
        params=dict(params or {}),
        peak_value=peak,
        peak_x=clean(x_peak),
        fwhm=float(fwhm),
        half_max_interval=(float(lo), float(hi)),
        compact=compact,
        support=support,
        left=left,
        right=right,
        area_numerical=area,
        area_closed=closed_area,
        symmetric=symmetric,
        g0=g0,
        monotone=monotone,
        decreasing_at=decreasing_at,
        has_fun=bool(has_fun),
        notes=notes,
        plateau=plateau,
        plateau_closed=plateau_closed,
    )


def _snap(x: float, bp) -> float:
    """A bisected crossing at a jump of g' is the jump itself: snap it to the breakpoint."""
    for b in bp:
        if abs(x - b) <= 1e-9 * (1.0 + abs(b)):
            return float(b)
    return clean(x)


def _plateau(grad, grid, vals, i_peak: int, peak: float, bp):
    """The interval on which g' equals its peak exactly, or None for a single point.

    A plateau is at least three consecutive grid points carrying exactly the peak value
    (a smooth maximum never does at this spacing). Each end is refined by bisection
    between the last point on the plateau and the first off it, then rounded (and
    snapped to a breakpoint); an end that reaches the grid's end is infinite. Whether an
    end belongs to the plateau is read from g' at the reported end.
    """
    import numpy as np

    off = vals != peak
    left_off = np.nonzero(off[:i_peak][::-1])[0]  # the plateau's extent on each side of the peak
    right_off = np.nonzero(off[i_peak + 1:])[0]
    lo = i_peak - int(left_off[0]) if left_off.size else 0
    hi = i_peak + int(right_off[0]) if right_off.size else len(grid) - 1
    if hi - lo < 2:
        return None, None

    def edge(i_in: int, i_out: int) -> float:
        a, _ = bisect(grad, float(grid[i_in]), float(grid[i_out]), lambda v: v == peak)
        return _snap(a, bp)

    left = -math.inf if lo == 0 else edge(lo, lo - 1)
    right = math.inf if hi == len(grid) - 1 else edge(hi, hi + 1)
    ends = np.array([v for v in (left, right) if math.isfinite(v)])
    at = dict(zip(ends.tolist(), grad(ends).tolist())) if ends.size else {}
    closed = tuple(bool(not math.isfinite(v) or at[v] == peak) for v in (left, right))
    return (left, right), closed


def _first_descent(grad, grid, neg, threshold: float, bp) -> float:
    """Where g starts to decrease (g' < 0), nearest to 0: the zero crossing of g' that
    opens the region of negative g' closest to the threshold (ties: the positive side)."""
    import numpy as np

    idx = np.nonzero(neg)[0]
    xs = grid[idx]
    pos, negs = idx[xs >= 0], idx[xs < 0]
    i = int(pos[0]) if pos.size else int(negs[-1])
    if pos.size and negs.size and -grid[negs[-1]] < grid[pos[0]] * (1 - 1e-9):
        i = int(negs[-1])
    # walk towards 0 to the boundary of this negative region, then bisect the crossing
    step = -1 if grid[i] > 0 else 1
    j = i + step
    if not 0 <= j < len(grid) or neg[j]:
        return clean(float(grid[i]))
    # a: not decreasing, b: decreasing
    a, b = bisect(grad, float(grid[j]), float(grid[i]), lambda v: ~(v < threshold))
    return _snap(0.5 * (a + b), bp)


#: Levels of the bisection tree :func:`bisect` evaluates in one call (2**10 - 1 points,
#: within the padded length a single point runs at).
_DEPTH = 10


def bisect(grad, a: float, b: float, stays, steps: int = 60) -> tuple[float, float]:
    """The bisection of ``[a, b]`` (either order) for the edge of ``stays``, exactly::

        for _ in range(steps):
            m = 0.5 * (a + b)
            if m in (a, b): break
            if stays(g'(m)): a = m
            else: b = m

    but with :data:`_DEPTH` steps a call: every midpoint those steps can visit (the
    complete tree, 1023 points, each computed by the same ``0.5 * (a + b)``) is evaluated
    at once, then the loop above walks the tree. Same midpoints, same g' values (the
    kernel is elementwise), hence the same ``(a, b)`` to the bit as one call per step
    (which cost about 40 dispatched calls a bisection). ``stays``: NumPy values -> bools.
    """
    import numpy as np

    done = 0
    while done < steps:
        # the tree, level by level: intervals (lo[k], hi[k]) and their midpoints
        lo, hi = np.array([a]), np.array([b])
        levels = []
        for _ in range(min(_DEPTH, steps - done)):
            mid = 0.5 * (lo + hi)
            levels.append(mid)
            lo, hi = np.repeat(lo, 2), np.repeat(hi, 2)
            lo[1::2] = mid  # child 2k+1: a = m (stays); child 2k: b = m
            hi[0::2] = mid
        ok = stays(grad(np.concatenate(levels)))
        k, start = 0, 0
        for mid in levels:
            m = float(mid[k])
            if m in (a, b):
                return a, b
            if ok[start + k]:
                a, k = m, 2 * k + 1
            else:
                b, k = m, 2 * k
            start += len(mid)
            done += 1
    return a, b
