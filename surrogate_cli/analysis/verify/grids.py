"""The points verify evaluates: the shared derivative grid with its finite-difference stencils
and quadrature panels (:func:`shared_grid`), a parameter set's breakpoints (:func:`make_patch`)
and the stability inputs of each dtype. NumPy, float64; each built once per process."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any, Sequence

__all__ = [
    "EPS", "FD_OFFSETS", "DTYPES", "Grid", "Patch", "shared_grid", "make_patch", "fd_step", "panel_nodes",
    "stability_inputs", "fun_extra_points", "fine_grid", "dtype_grid", "rounded_to", "FINE_STEP", "FINE_SPAN",
    "WIDE_STEP", "WIDE_SPAN", "resolution_points", "RESOLUTION_BITS",
]

#: float64 machine epsilon.
EPS = 2.220446049250313e-16


#: Finite-difference stencil offsets, in steps h.
FD_OFFSETS = (0.0, 1.0, -1.0, 0.5, -0.5, 0.25, -0.25)
#: The dtypes of the stability check.
DTYPES = ("float16", "bfloat16", "float32", "float64")


@functools.cache
def _points():
    """``(x, edges, pad)``: the multi-scale derivative grid shared by every surrogate (sorted,
    unique), the quadrature panel edges, and spare random points to pad x to a multiple of 8."""
    import numpy as np

    uniform = np.arange(-8000, 8001) / 1000.0
    wide = np.arange(-4000, 4001) / 100.0  # wide surrogates: a 0.02-wide fault out to |x| = 40
    fine = np.arange(-5000, 5001) / 20000.0
    logs = np.logspace(-6, 3, 1500)
    rng = np.random.default_rng(20240611)
    rnd = np.concatenate([rng.normal(0.0, 1.5, 600), rng.uniform(-8.0, 8.0, 400)])
    # "round" numbers a formula may single out (1/alpha for alpha = 3, 6, 7, 9, 12; pi/12)
    nice = [np.arange(-8 * q, 8 * q + 1) / q for q in (3, 6, 7, 9, 12)]
    nice.append(np.arange(-30, 31) * (np.pi / 12))
    x = np.unique(np.concatenate([uniform, wide, fine, logs, -logs, rnd, [0.0], *nice]))
    edges = np.unique(np.concatenate([np.arange(-1600, 1601) / 200.0, np.logspace(-6, 3, 361),
                                      -np.logspace(-6, 3, 361), [0.0]]))
    pad = rng.uniform(-8.0, 8.0, 64)
    return x, edges, pad


def fd_step(x):
    import numpy as np

    return 1e-3 * np.clip(np.abs(x), 1e-6, 1.0)


def panel_nodes(a, b):
    """4-point Gauss-Legendre nodes/weights on each panel [a, b] and on its two halves."""
    import numpy as np

    nodes, weights = np.polynomial.legendre.leggauss(4)
    mid, half = (a + b) / 2, (b - a) / 2
    q_full = mid[:, None] + half[:, None] * nodes[None, :]
    m1, m2, qh = (a + mid) / 2, (mid + b) / 2, half / 2
    q_half = np.concatenate([m1[:, None] + qh[:, None] * nodes, m2[:, None] + qh[:, None] * nodes], axis=1)
    w_full = half[:, None] * weights[None, :]
    w_half = np.concatenate([qh[:, None] * weights, qh[:, None] * weights], axis=1)
    return q_full, q_half, w_full, w_half


@dataclass
class Grid:
    """The grid every parameter set shares (arguments of the kernel, not batched)."""

    x: Any  # (N,) sorted derivative grid, N a multiple of 8
    h: Any  # (N,) finite-difference step
    xf: Any  # surrogate_fun points: the 7 stencil rows of N, then the E+1 panel edges
    xg: Any  # surrogate_grad points: x, then 4 + 8 quadrature nodes per panel
    edges: Any  # (E+1,)
    w_full: Any  # (E, 4)
    w_half: Any  # (E, 8)
    fine: Any = None  # (M,) the fine grid: surrogate_fun, its autodiff and surrogate_grad only
    dg: Any = None  # (K,) the dtype grid: surrogate_grad in float16, bfloat16, float32 vs float64
    dg_rounded: Any = None  # (3K,) dg rounded to float16, bfloat16, float32 (as float64)
    device: Any = field(default=None, repr=False)  # the kernel's shared arguments as JAX arrays

    def on_device(self) -> tuple:
        """``(xf, xg, x, fine, dg)`` as JAX arrays (converted on first use, then kept)."""
        if self.device is None:
            import jax.numpy as jnp

            self.device = tuple(jnp.asarray(a) for a in (self.xf, self.xg, self.x, self.fine, self.dg))
        return self.device


@functools.cache
def shared_grid() -> Grid:
    """The :class:`Grid` every surrogate and parameter set shares (built once per process)."""
    import numpy as np

    x, edges, spare = _points()
    pad = (-x.size) % 8
    if pad:
        x = np.sort(np.concatenate([x, spare[:pad]]))
    h = fd_step(x)
    xf = np.concatenate([x + o * h for o in FD_OFFSETS] + [edges])
    q_full, q_half, w_full, w_half = panel_nodes(edges[:-1], edges[1:])
    xg = np.concatenate([x, q_full.reshape(-1), q_half.reshape(-1)])
    dg = dtype_grid()
    rounded = np.concatenate([rounded_to(dg, d) for d in DTYPES[:3]])
    return Grid(x, h, xf, xg, edges, w_full, w_half, fine_grid(), dg, rounded)


#: The fine grid: every multiple of FINE_STEP on [-FINE_SPAN, FINE_SPAN] and of WIDE_STEP on
#: [-WIDE_SPAN, WIDE_SPAN]. The steps are a little under 0.0002 and 0.002 (and not round
#: numbers), so a fault of width 0.0002 in [-8, 8] or 0.002 out to |x| = 40 holds a grid point.
FINE_PER_UNIT, FINE_SPAN = 5400, 8.0
WIDE_PER_UNIT, WIDE_SPAN = 600, 40.0
FINE_STEP, WIDE_STEP = 1.0 / FINE_PER_UNIT, 1.0 / WIDE_PER_UNIT


@functools.cache
def fine_grid():
    """Where ``surrogate_grad`` is compared with the autodiff of ``surrogate_fun`` (no stencil)."""
    import numpy as np

    n_fine = int(round(FINE_SPAN * FINE_PER_UNIT))
    n_wide, n_in = int(round(WIDE_SPAN * WIDE_PER_UNIT)), int(round(FINE_SPAN * WIDE_PER_UNIT))
    wide = np.arange(n_in + 1, n_wide + 1) / WIDE_PER_UNIT  # divide: each x the nearest double
    return np.concatenate([-wide[::-1], np.arange(-n_fine, n_fine + 1) / FINE_PER_UNIT, wide])


@functools.cache
def dtype_grid():
    """Where ``surrogate_grad`` in float16, bfloat16 and float32 is compared with float64:
    every multiple of 0.002 on [-8, 8], of 0.05 on [-40, 40], 200 log-spaced |x| in [1e-6, 1e3]."""
    import numpy as np

    logs = np.logspace(-6, 3, 200)
    return np.unique(np.concatenate([np.arange(-4000, 4001) / 500.0, np.arange(-800, 801) / 20.0, logs, -logs]))


def rounded_to(x, dtype_name: str):
    """``x`` rounded to ``dtype_name`` (to nearest even), as float64."""
    import jax.numpy as jnp
    import numpy as np

    with np.errstate(all="ignore"):
        return np.asarray(np.asarray(x, dtype=np.float64).astype(jnp.dtype(dtype_name)), dtype=np.float64)


@dataclass
class Patch:
    """Per-parameter-set extra points: the breakpoints (with their stencils) and the two
    sub-panels that replace the base panel holding each breakpoint."""

    b: Any  # (n_bp,) breakpoints (padded with repeats)
    h: Any
    xf: Any  # 7 stencil rows of n_bp
    xg: Any  # b, then 2 sub-panels x (4 + 8) nodes per breakpoint
    split: Any  # (n_bp,) index of the base panel split at b, or -1
    sub_a: Any  # (n_bp, 2) sub-panel left edges
    sub_b: Any  # (n_bp, 2) right edges
    w_full: Any  # (n_bp * 2, 4)
    w_half: Any  # (n_bp * 2, 8)


def make_patch(breakpoints: Sequence[float], n_bp: int) -> Patch:
    import numpy as np

    base = shared_grid()
    bp = [float(v) for v in breakpoints if math.isfinite(float(v)) and abs(float(v)) < 1e3]
    bp = list(dict.fromkeys(bp))
    valid = len(bp)
    bp = (bp + [bp[0] if bp else 0.0] * n_bp)[:n_bp]
    b = np.asarray(bp, dtype=np.float64)
    h = fd_step(b)
    xf = np.concatenate([b + o * h for o in FD_OFFSETS])
    edges = base.edges
    split = np.full(n_bp, -1)
    sub_a = np.zeros((n_bp, 2))
    sub_b = np.zeros((n_bp, 2))
    used = set()
    for i, v in enumerate(b):
        k = int(np.searchsorted(edges, v, side="right")) - 1
        if i < valid and 0 <= k < edges.size - 1 and edges[k] < v < edges[k + 1] and k not in used:
            used.add(k)
            split[i] = k
            sub_a[i] = (edges[k], v)
            sub_b[i] = (v, edges[k + 1])
        else:  # on an edge already (or a repeat): two empty sub-panels
            sub_a[i] = (v, v)
            sub_b[i] = (v, v)
    q_full, q_half, w_full, w_half = panel_nodes(sub_a.reshape(-1), sub_b.reshape(-1))
    xg = np.concatenate([b, q_full.reshape(-1), q_half.reshape(-1)])
    return Patch(b, h, xf, xg, split, sub_a, sub_b, w_full, w_half)


@functools.cache
def stability_inputs(dtype_name: str):
    """Finite inputs of one dtype: 0, -0, tiny, subnormal, 1e-6 ... max, both signs (float64)."""
    import jax.numpy as jnp
    import numpy as np

    dt = jnp.dtype(dtype_name)
    fi = jnp.finfo(dt)
    mags = [float(fi.smallest_subnormal), float(fi.tiny), 1e-6, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.999, 1.0,
            1.001, 2.0, 3.0, 10.0, 100.0, 1e3, 1e4, 6e4, 1e6, 1e10, 1e20, 1e30, 1e38, 1e100, 1e300,
            float(fi.max) / 2, float(fi.max)]
    vals = []
    with np.errstate(all="ignore"):
        for m in mags:
            c = float(np.asarray(m, dtype=np.float64).astype(dt).astype(np.float64))
            if math.isfinite(c) and c <= float(fi.max) and c not in vals:
                vals += [c, -c]
    vals = [0.0, -0.0] + vals
    out = np.asarray(vals, dtype=np.float64)
    pad = (-out.size) % 8
    out = np.concatenate([out, np.linspace(-4, 4, pad)]) if pad else out
    return out


@functools.cache
def fun_extra_points():
    """Float64 points for the stability check's reference values of surrogate_fun: the float64
    inputs, the same divided by 1024, then the 16/32-bit inputs (as float64)."""
    import numpy as np

    s64 = stability_inputs("float64")
    return np.concatenate([s64, s64 / 1024.0] + [stability_inputs(d) for d in DTYPES[:3]])


#: The precision probe: each point x moved by x * 2**-k for these k (and k = 0: x itself).
RESOLUTION_BITS = tuple(range(4, 53))


@functools.cache
def resolution_points():
    """``(x, offsets, flat)``: 32 points (|x| log-spaced in [0.01, 6], both signs, none a float32
    number); for each, the actual offsets ``x * (1 + 2**-k) - x`` (0 first, then each k of
    RESOLUTION_BITS); and, flat, the points themselves row by row, then x rounded to bfloat16, to
    float16 and to float32. How far down the offsets surrogate_fun still follows its derivative,
    and whether it sees x rounded, measure the precision it computes in
    (:func:`.checks.derivative.measure_precision`)."""
    import numpy as np

    mags = np.logspace(-2, math.log10(6.0), 16)
    x = np.concatenate([-mags[::-1], mags])
    pts = x[:, None] * (1.0 + np.concatenate([[0.0], 2.0 ** -np.asarray(RESOLUTION_BITS, dtype=np.float64)]))[None, :]
    offsets = pts - x[:, None]
    rounded = [rounded_to(x, d) for d in ("bfloat16", "float16", "float32")]
    return x, offsets, np.concatenate([pts.reshape(-1), *rounded])
