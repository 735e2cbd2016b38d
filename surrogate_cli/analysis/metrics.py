r"""Curve properties of a surrogate gradient, for ``surrogate info``.

:func:`properties` evaluates ``g'`` (the gradient the spike backpropagates, in float64)
on a dense grid around the threshold plus log-spaced points out to :math:`10^6` times
the plotting half-width, and reports:

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

__all__ = ["Tail", "Properties", "properties", "properties_of", "grad_function"]

_DECADES = 6.0  # how far out the tails are followed, in decades beyond the half-width
_REL_NOISE = 1e-12  # gradient values below this fraction of the peak are not trusted in tails


@dataclass
class Tail:
    """One side of the gradient far from the threshold."""

    side: str  # "left" or "right"
    kind: str  # compact | exponential | gaussian | power law | constant | oscillating | decaying
    boundary: float | None = None  # compact: where g' becomes exactly zero
    exponent: float | None = None  # power law: g' ~ |x|^-exponent
    rate: float | None = None  # exponential: g' ~ exp(-rate |x|)
    value: float | None = None  # constant: the limiting value

    def describe(self) -> str:
        if self.kind == "compact":
            return f"zero beyond x = {_g(self.boundary)}"
        if self.kind == "exponential":
            return f"exponential, ~ exp(-{_g(self.rate)}|x|)"
        if self.kind == "gaussian":
            return "faster than exponential (Gaussian)"
        if self.kind == "power law":
            return f"power law, ~ |x|^-{_g(self.exponent)}"
        if self.kind == "constant":
            return f"constant, g' -> {_g(self.value)}"
        if self.kind == "oscillating":
            return "oscillating, does not decay (periodic)"
        return "decaying (unclassified)"


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
            return f"{_g(self.peak_value)} at x = {_g(self.peak_x)}"
        (a, b), (ca, cb) = self.plateau, self.plateau_closed or (True, True)
        if math.isinf(b) and not math.isinf(a):
            where = f"x {'>=' if ca else '>'} {_g(a)}"
        elif math.isinf(a) and not math.isinf(b):
            where = f"x {'<=' if cb else '<'} {_g(b)}"
        else:
            where = f"{'[' if ca else '('}{_g(a)}, {_g(b)}{']' if cb else ')'}"
        return f"{_g(self.peak_value)} on {where} (a plateau)"

    @property
    def support_text(self) -> str:
        if self.compact and self.support is not None:
            return f"compact: [{_g(self.support[0])}, {_g(self.support[1])}]"
        if (self.left.kind, self.left.exponent, self.left.rate, self.left.value) == (
            self.right.kind, self.right.exponent, self.right.rate, self.right.value,
        ):
            return f"unbounded; both tails {self.right.describe()}"
        return f"unbounded; left tail {self.left.describe()}; right tail {self.right.describe()}"

    def as_dict(self) -> dict:
        d = asdict(self)
        d["support_text"] = self.support_text
        return d


def _g(v: float | None) -> str:
    if v is None:
        return "-"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:.6g}"


def _round_sig(v: float, digits: int = 4) -> float:
    if v == 0 or not math.isfinite(v):
        return v
    return round(v, digits - 1 - int(math.floor(math.log10(abs(v)))))


def grad_function(surrogate: Any) -> Callable:
    """``x (ndarray) -> g'(x)`` as float64 NumPy: ``jax.grad`` through the spike.

    Jitted, with inputs padded to power-of-two lengths so a handful of compilations
    serve every grid; falls back to eager evaluation if the surrogate does not trace.
    """
    import jax
    import jax.numpy as jnp
    import numpy as np

    from ..evaluation import spike_of

    spike = spike_of(surrogate)

    def eager(xj):
        return jax.grad(lambda v: jnp.sum(spike(v)))(xj)

    jitted = jax.jit(eager)
    state = {"jit": True}

    def grad(x):
        x = np.asarray(x, dtype=np.float64)
        n = x.shape[0]
        size = max(1024, 1 << (n - 1).bit_length())
        padded = np.zeros(size)
        padded[:n] = x
        with jax.enable_x64(True):
            xj = jnp.asarray(padded)
            if state["jit"]:
                try:
                    return np.asarray(jitted(xj), dtype=np.float64)[:n]
                except Exception:  # noqa: BLE001 - not traceable: evaluate eagerly
                    state["jit"] = False
            return np.asarray(eager(xj), dtype=np.float64)[:n]

    return grad


def _fun_function(surrogate: Any) -> Callable:
    import jax
    import jax.numpy as jnp
    import numpy as np

    def fun(x):
        with jax.enable_x64(True):
            out = surrogate.surrogate_fun(jnp.asarray(np.asarray(x, dtype=np.float64)))
            return np.broadcast_to(np.asarray(out, dtype=np.float64), np.shape(x))

    return fun


def properties_of(target: Any, params: Mapping[str, Any] | None = None) -> Properties:
    """:func:`properties` of a surrogate at ``params`` (defaults for the rest).

    ``target`` is a :class:`~surrogate_cli.evaluation.Target` or any name ``resolve`` takes
    (``"sigmoid"``, ``"file.py:Class"``).
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
    return properties(
        obj, name=target.name, params=full, scale=scale, breakpoints=bps,
        closed_area=closed, has_fun=target.has_fun,
    )


def properties(
    surrogate: Any,
    name: str | None = None,
    params: Mapping[str, Any] | None = None,
    scale: float = 3.0,
    breakpoints=(),
    closed_area: float | None = None,
    has_fun: bool | None = None,
) -> Properties:
    """Compute the :class:`Properties` of one surrogate object (see the module doc).

    ``scale`` is the half-width of the region of interest (the registry's plotting
    range); ``breakpoints`` are x values where ``g'`` may jump (added to the grid).
    """
    import numpy as np

    grad = grad_function(surrogate)
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
    core = np.unique(np.concatenate([np.linspace(-S, S, 200001), extra]))
    far = np.logspace(math.log10(S), math.log10(S) + _DECADES + 1, 20001)
    grid = np.unique(np.concatenate([-far[::-1], core, far]))
    vals = grad(grid)
    if not np.all(np.isfinite(vals)):
        bad = float(grid[~np.isfinite(vals)][0])
        notes = [f"g' is not finite at x = {bad:.6g}"]
    else:
        notes = []
    finite = np.where(np.isfinite(vals), vals, 0.0)

    # -- peak ------------------------------------------------------------------------
    in_core = np.abs(grid) <= S
    i_peak = int(np.argmax(np.where(in_core, finite, -np.inf)))
    if float(np.max(finite)) > finite[i_peak] * (1 + 1e-12) + 1e-300:
        i_peak = int(np.argmax(finite))
    peak = float(finite[i_peak])
    x_peak = float(grid[i_peak])
    plateau, plateau_closed = _plateau(grad, grid, finite, i_peak, peak, bp)
    if plateau is not None:
        a, b = plateau
        if a <= 0.0 <= b and float(grad(np.array([0.0]))[0]) == peak:
            x_peak = 0.0
        elif math.isfinite(a) and math.isfinite(b):
            x_peak = 0.5 * (a + b)
        else:
            x_peak = a if math.isfinite(a) else b

    # -- half maximum ------------------------------------------------------------------
    def crossing(direction: int) -> float:
        i = i_peak
        n = len(grid)
        half = peak / 2.0
        while 0 <= i + direction < n and finite[i + direction] >= half:
            i += direction
        if not 0 <= i + direction < n:
            return math.inf * direction
        a, b = grid[i], grid[i + direction]
        for _ in range(2):  # refine the crossing twice on 1001 points
            t = np.linspace(a, b, 1001)
            v = grad(t)
            j = int(np.argmax(v < half))  # first point below half (t runs from a to b)
            a, b = t[max(j - 1, 0)], t[j]
        return _snap(float(0.5 * (a + b)), bp)

    if peak > 0:
        lo, hi = crossing(-1), crossing(+1)
        fwhm = hi - lo
    else:
        lo, hi, fwhm = math.nan, math.nan, math.nan
        notes.append("the gradient has no positive peak")

    # -- tails -------------------------------------------------------------------------
    centre = 0.5 * (lo + hi) if (math.isfinite(lo) and math.isfinite(hi)) else x_peak
    left = _tail(grad, grid, finite, i_peak, peak, centre, -1, lo, S)
    right = _tail(grad, grid, finite, i_peak, peak, centre, +1, hi, S)
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
        area = _core_area(grad, S, bp)
        u = np.log(far)
        du = u[1] - u[0]
        w = _simpson_weights(len(u))
        for sign in (-1, 1):
            fv = finite[np.searchsorted(grid, sign * far)] if sign > 0 else grad(-far)
            area += float(np.sum(w * fv * far) * du / 3.0)
        for t, sign in ((left, -1), (right, 1)):
            if t.kind == "power law":  # the analytic remainder beyond the last grid point
                L = float(far[-1])
                vL = float(grad(np.array([sign * L]))[0])
                area += vL * L / (t.exponent - 1.0)
        area = float(area)

    # -- symmetry, g(0), monotonicity ---------------------------------------------------------
    sym_vals = grad(-core)
    core_vals = finite[np.searchsorted(grid, core)]
    tol = 1e-9 * max(abs(peak), 1e-300)
    symmetric = bool(np.all(np.abs(core_vals - sym_vals) <= tol))

    g0 = None
    if has_fun:
        try:
            g0 = float(_fun_function(surrogate)(np.array([0.0]))[0])
        except NotImplementedError:
            has_fun = False
    neg = finite < -1e-12 * max(abs(peak), 1e-300)
    monotone = not bool(np.any(neg))
    decreasing_at = None
    if not monotone:
        decreasing_at = _first_descent(grad, grid, neg, -1e-12 * max(abs(peak), 1e-300), bp)
    if has_fun and monotone:
        gv = _fun_function(surrogate)(core)
        d = np.diff(gv)
        down = d < -1e-12 * max(1.0, float(np.max(np.abs(gv))))
        if np.any(down):
            monotone = False
            idx = np.nonzero(down)[0]
            decreasing_at = _clean(float(core[idx[np.argmin(np.abs(core[idx]))]]))

    return Properties(
        surrogate=name,
        params=dict(params or {}),
        peak_value=peak,
        peak_x=_clean(x_peak),
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
    return _clean(x)


def _plateau(grad, grid, vals, i_peak: int, peak: float, bp):
    """The interval on which g' equals its peak exactly, or None for a single point.

    A plateau is at least three consecutive grid points carrying exactly the peak value
    (a smooth maximum never does at this spacing). Each end is refined by bisection
    between the last point on the plateau and the first off it, then rounded (and
    snapped to a breakpoint); an end that reaches the grid's end is infinite. Whether an
    end belongs to the plateau is read from g' at the reported end.
    """
    import numpy as np

    on = vals == peak
    lo = hi = i_peak
    while lo > 0 and on[lo - 1]:
        lo -= 1
    while hi < len(grid) - 1 and on[hi + 1]:
        hi += 1
    if hi - lo < 2:
        return None, None

    def edge(i_in: int, i_out: int) -> float:
        a, b = float(grid[i_in]), float(grid[i_out])
        for _ in range(60):
            m = 0.5 * (a + b)
            if m in (a, b):
                break
            if float(grad(np.array([m]))[0]) == peak:
                a = m
            else:
                b = m
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
        return _clean(float(grid[i]))
    a, b = float(grid[j]), float(grid[i])  # a: not decreasing, b: decreasing
    for _ in range(60):
        m = 0.5 * (a + b)
        if m in (a, b):
            break
        if float(grad(np.array([m]))[0]) < threshold:
            b = m
        else:
            a = m
    return _snap(0.5 * (a + b), bp)


def _simpson_weights(n: int):
    import numpy as np

    w = np.ones(n)
    w[1:-1:2], w[2:-1:2] = 4.0, 2.0
    return w


def _core_area(grad, S: float, bp) -> float:
    """Integral of g' over [-S, S]: composite Simpson on each piece between breakpoints."""
    import numpy as np

    inner = sorted({b for b in bp if -S < b < S})
    edges = [-S, *inner, S]
    total = 0.0
    for a, b in zip(edges[:-1], edges[1:]):
        n = 2 * max(50, int(100000 * (b - a) / (2 * S))) + 1
        ea = 1e-13 * (1.0 + abs(a)) if a in inner else 0.0
        eb = 1e-13 * (1.0 + abs(b)) if b in inner else 0.0
        t = np.linspace(a + ea, b - eb, n)
        v = grad(t)
        v = np.where(np.isfinite(v), v, 0.0)
        total += float(np.sum(_simpson_weights(n) * v) * (t[1] - t[0]) / 3.0)
    return total


def _tail(grad, grid, vals, i_peak, peak, centre, sign, half_x, S) -> Tail:
    """Classify one side of g' (sign -1: left, +1: right); ``centre``: middle of the bump."""
    x_peak = centre
    import numpy as np

    side = "left" if sign < 0 else "right"
    if sign > 0:
        xs, vs = grid[i_peak:], vals[i_peak:]
    else:
        xs, vs = grid[: i_peak + 1][::-1], vals[: i_peak + 1][::-1]
    scale_peak = max(abs(peak), 1e-300)

    # exactly zero from some point on?
    nz = np.nonzero(vs)[0]
    last = int(nz[-1]) if nz.size else -1
    if last < len(xs) - 1:
        if last < 0:
            boundary = float(xs[0])
        else:
            a, b = xs[last], xs[last + 1]
            for _ in range(3):  # the last non-zero point, refined three times
                t = np.linspace(a, b, 1001)
                v = grad(t)
                k = np.nonzero(v)[0]
                j = int(k[-1]) if k.size else 0
                a, b = t[j], t[min(j + 1, 1000)]
            boundary = float(b) if abs(float(grad(np.array([b]))[0])) == 0.0 else float(a)
        inside = boundary - 0.05 * (boundary - x_peak)
        if abs(float(grad(np.array([inside]))[0])) > 1e-10 * scale_peak or last < 0:
            return Tail(side, "compact", boundary=_clean(boundary))

    # follow the tail: from beyond the half-maximum point to where it drops into rounding noise
    hx = abs(half_x) if math.isfinite(half_x) else S
    x0 = max(min(2.0 * hx, S), 1e-3 * S, abs(x_peak) * 1.5)
    far = np.logspace(math.log10(x0), math.log10(S) + _DECADES, 2000)
    v = grad(sign * far)
    trusted = np.abs(v) > _REL_NOISE * scale_peak
    signs = np.sign(v[trusted])
    if signs.size and np.count_nonzero(np.diff(signs)) >= 3:
        return Tail(side, "oscillating")
    if not np.any(trusted):
        return Tail(side, "decaying")
    x1 = far[np.nonzero(trusted)[0][-1]]
    t = np.logspace(math.log10(x0), math.log10(x1), 401)
    a = np.abs(grad(sign * t))
    if np.any(a == 0):
        a, t = a[a > 0], t[a > 0]
    if a.size < 8:
        return Tail(side, "decaying")
    if np.max(a[-100:]) <= np.min(a[-100:]) * (1 + 1e-9):
        return Tail(side, "constant", value=_round_sig(float(v[trusted][-1]), 6))
    # slopes over [x1/4, x1/2] and [x1/2, x1]: far enough out that the shape near the
    # threshold no longer matters, and long enough to tell e^{-kx} from e^{-x^2}
    i3 = len(t) - 1
    i2 = int(np.searchsorted(t, t[-1] / 2.0))
    i1 = int(np.searchsorted(t, t[-1] / 4.0))
    if not 0 <= i1 < i2 < i3:
        i1, i2 = len(t) // 2, (3 * len(t)) // 4
    la = np.log(a)
    ll1 = (la[i2] - la[i1]) / math.log(t[i2] / t[i1])
    ll2 = (la[i3] - la[i2]) / math.log(t[i3] / t[i2])
    sl1 = (la[i2] - la[i1]) / (t[i2] - t[i1])
    sl2 = (la[i3] - la[i2]) / (t[i3] - t[i2])
    if ll2 < 0 and abs(ll2 - ll1) <= 0.02 * abs(ll2):
        return Tail(side, "power law", exponent=_round_sig(-ll2, 4))
    if sl2 < 0 and abs(sl2 - sl1) <= 0.05 * abs(sl2):
        return Tail(side, "exponential", rate=_round_sig(-sl2, 4))
    if sl2 < 0 and sl2 / sl1 > 1.05:
        return Tail(side, "gaussian")
    if ll2 < 0 and ll1 < 0:
        return Tail(side, "power law", exponent=_round_sig(-ll2, 4))
    return Tail(side, "decaying")


def _clean(v: float) -> float:
    """Round a bisected boundary to 10 significant digits (it is exact to ~1e-15 relative)."""
    if v == 0:
        return 0.0
    r = _round_sig(v, 10)
    return 0.0 if abs(r) < 1e-12 else r
