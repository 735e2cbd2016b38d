r"""Gradient flow through a deep spiking stack: mean-field prediction (``surrogate flow``).

A deep stack whose forward pass is the Heaviside step and whose backward pass is the
surrogate gradient :math:`g'`: layer :math:`l` has membrane potentials (relative to the
threshold) :math:`u = W s + b - \theta`, weights :math:`W_{ij} \sim N(0, \sigma_w^2/n)`,
spikes :math:`s = H(u)`. In the wide limit :math:`u \sim N(b - \theta, \sigma_w^2 r)` with
the firing rate :math:`r = P(u \ge 0)` at its fixed point
:math:`r = \Phi((b - \theta)/(\sigma_w \sqrt{r}))`, and backpropagation multiplies the
squared gradient norm per layer by

.. math:: \chi = \sigma_w^2\, E_u[g'(u)^2],

so over :math:`L` layers by :math:`\chi^L` (vanishing for :math:`\chi < 1`, exploding for
:math:`\chi > 1`). The same arithmetic for a smooth forward :math:`\phi` (Poole et al.
2016; Schoenholz et al. 2017) is :func:`smooth_chi`.

Membrane statistics (:class:`Membrane`) come in three kinds: a Gaussian (``v_mean``,
``v_std``; the stack that has it as its fixed point has :math:`\sigma_w^2 = s^2/\Phi(m/s)`),
a network (``sigma_w``, ``bias``, ``theta``; the fixed point is solved), or an empirical
sample (a file of membrane potentials minus threshold). Expectations over a Gaussian are
deterministic Gauss--Legendre quadrature on panels whose edges include the catalog's
breakpoints (kinks, jumps, support edges), the threshold with a geometric ladder of
panels around it (sharp surrogates), and a grid in units of the standard deviation;
each panel is halved until two successive estimates agree. Expectations over a sample
are its means. Everything here is float64 NumPy around the package's own
``surrogate_grad`` evaluated under a scoped ``jax.enable_x64``. Nothing prints.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from ..errors import BadInput

__all__ = [
    "Membrane",
    "gaussian_membrane",
    "network_membrane",
    "empirical_membrane",
    "load_membrane",
    "GradEvaluator",
    "grad_evaluator",
    "moments",
    "active_intervals",
    "Solve",
    "solve_root",
    "smooth_chi",
    "FlowRow",
    "FlowResult",
    "flow_rows",
    "chi_grid",
    "normal_cdf",
]

_SPAN = 12.0  # Gaussian quadrature covers mean +- 12 std (mass outside < 1e-32)
_GL_NODES = 8
_QUAD_RTOL = 1e-11
_MAX_SPLIT = 32


def normal_cdf(z):
    """The standard normal CDF, elementwise, float64 (``z`` may be +-inf)."""
    import numpy as np

    z = np.asarray(z, dtype=np.float64)
    return 0.5 * np.vectorize(math.erfc, otypes=[np.float64])(-z / math.sqrt(2.0))


# -- membrane statistics ---------------------------------------------------------------------


@dataclass(frozen=True)
class Membrane:
    """The distribution of membrane potential minus threshold, ``u = v - theta``.

    ``kind`` is ``gaussian``, ``network`` (a Gaussian at the solved fixed point) or
    ``empirical`` (``samples``). ``rate`` is ``P(u >= 0)``, the firing rate.
    ``sigma_w`` is the weight scale the chi formula uses: given, solved (network) or
    implied by the fixed point ``sigma_w^2 = std^2 / rate`` (Gaussian, empirical).
    ``std == 0`` is a point mass (a silent network).
    """

    kind: str
    mean: float
    std: float
    rate: float
    sigma_w: float
    sigma_w_given: bool = False
    bias: float | None = None
    theta: float | None = None
    source: str | None = None
    samples: Any = field(default=None, repr=False, compare=False)
    notes: tuple[str, ...] = ()

    @property
    def is_gaussian(self) -> bool:
        return self.kind != "empirical"

    def as_dict(self) -> dict:
        out = {
            "kind": self.kind, "v_mean": self.mean, "v_std": self.std, "rate": self.rate,
            "sigma_w": self.sigma_w, "sigma_w_given": self.sigma_w_given,
        }
        if self.kind == "network":
            out.update(bias=self.bias, theta=self.theta)
        if self.kind == "empirical":
            out.update(source=self.source, samples=int(len(self.samples)))
        out["notes"] = list(self.notes)
        return out


def _positive(name: str, value: Any, allow_zero: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise BadInput(f"{name}={value!r} is not a number", f"give {name} as a finite number") from None
    if not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise BadInput(f"{name}={value!r} must be a finite number {bound}", f"give {name} {bound}")
    return v


def _finite(name: str, value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise BadInput(f"{name}={value!r} is not a number", f"give {name} as a finite number") from None
    if not math.isfinite(v):
        raise BadInput(f"{name}={value!r} is not finite", f"give {name} as a finite number")
    return v


def gaussian_membrane(v_mean: float = 0.0, v_std: float = 1.0, sigma_w: float | None = None) -> Membrane:
    """``u ~ N(v_mean, v_std^2)``; ``sigma_w`` defaults to the fixed point's ``v_std/sqrt(rate)``."""
    m = _finite("v_mean", v_mean)
    s = _positive("v_std", v_std)
    rate = float(normal_cdf(m / s))
    given = sigma_w is not None
    if given:
        sw = _positive("sigma_w", sigma_w)
    elif rate <= 0.0:
        raise BadInput(
            f"v_mean={m:g}, v_std={s:g}: no membrane value reaches the threshold (rate 0), "
            "so no weight scale is implied",
            "give sigma_w=, or a v_mean closer to 0",
        )
    else:
        sw = s / math.sqrt(rate)
    return Membrane("gaussian", m, s, rate, sw, given)


def network_membrane(sigma_w: float, bias: float = 0.0, theta: float = 0.0) -> Membrane:
    """The fixed point of the Heaviside stack: solve ``r = Phi((bias - theta)/(sigma_w sqrt r))``.

    The largest root in ``(0, 1]`` is the stable state reached from an active input; with
    none the network falls silent (``r = 0``, ``u = bias - theta`` exactly).
    """
    sw = _positive("sigma_w", sigma_w)
    b = _finite("bias", bias)
    th = _finite("theta", theta)
    m = b - th

    def h(r: float) -> float:
        return 0.5 * math.erfc(-m / (sw * math.sqrt(r)) / math.sqrt(2.0)) - r

    notes: tuple[str, ...] = ()
    if h(1.0) >= 0.0:
        r = 1.0
    else:
        grid = [10.0 ** (-k / 10.0) for k in range(0, 301)]
        hi, lo = None, None
        for a, c in zip(grid[:-1], grid[1:]):
            if h(c) >= 0.0:
                hi, lo = a, c
                break
        if hi is None:
            r = 0.0
            notes = ("the network falls silent: no fixed point with rate > 0, so u = bias - theta exactly",)
        else:
            for _ in range(200):
                mid = math.sqrt(lo * hi)
                if h(mid) >= 0.0:
                    lo = mid
                else:
                    hi = mid
                if hi - lo <= 1e-15 * hi:
                    break
            r = 0.5 * (lo + hi)
    std = sw * math.sqrt(r)
    return Membrane("network", m, std, r, sw, True, bias=b, theta=th, notes=notes)


def load_membrane(path: str):
    """Membrane potentials minus threshold from ``.npy``, ``.npz`` or CSV, as float64 1-D.

    ``path`` may end in ``:NAME`` to pick an array of an ``.npz`` or a CSV column by name.
    Otherwise an ``.npz`` must hold one array, and a CSV gives its first numeric column.
    """
    import os

    import numpy as np

    key = None
    base = path
    if not os.path.exists(path) and ":" in path:
        base, _, key = path.rpartition(":")
    if not os.path.exists(base):
        raise BadInput(f"membrane file '{base}' does not exist", "check the path")
    if os.path.isdir(base):
        raise BadInput(f"membrane file '{base}' is a folder", "give a .npy, .npz or .csv file")
    ext = os.path.splitext(base)[1].lower()
    try:
        if ext == ".npy":
            arr = np.load(base, allow_pickle=False)
        elif ext == ".npz":
            with np.load(base, allow_pickle=False) as z:
                names = list(z.files)
                if key is None:
                    if len(names) != 1:
                        raise BadInput(
                            f"membrane file '{base}' holds {len(names)} arrays ({', '.join(names) or 'none'})",
                            f"pick one: '{base}:NAME'",
                        )
                    key = names[0]
                if key not in names:
                    raise BadInput(f"membrane file '{base}' has no array '{key}'",
                                   f"it holds: {', '.join(names) or 'nothing'}")
                arr = z[key]
        elif ext in (".csv", ".txt"):
            arr = _csv_column(base, key)
        else:
            raise BadInput(f"membrane file '{base}': unknown extension '{ext or 'none'}'",
                           "give a .npy, .npz or .csv file")
    except BadInput:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable file is bad input
        raise BadInput(f"membrane file '{base}' cannot be read: {type(exc).__name__}: {exc}",
                       "give a .npy, .npz or .csv file of numbers") from exc
    if arr.dtype.kind not in "iuf":
        raise BadInput(f"membrane file '{base}' holds no numbers (dtype {arr.dtype})",
                       "save the membrane potentials as a float array")
    arr = np.asarray(arr, dtype=np.float64).reshape(-1)
    if arr.size == 0:
        raise BadInput(f"membrane file '{base}' is empty", "record some membrane potentials first")
    bad = int(np.count_nonzero(~np.isfinite(arr)))
    if bad:
        raise BadInput(f"membrane file '{base}' has {bad} non-finite value(s) (nan or inf)",
                       "drop or fix them before the analysis")
    return arr


def _csv_column(path: str, key: str | None):
    import csv

    import numpy as np

    with open(path, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.reader(fh) if any(c.strip() for c in r)]
    if not rows:
        raise BadInput(f"membrane file '{path}' is empty", "record some membrane potentials first")

    def number(text: str):
        try:
            return float(text)
        except ValueError:
            return None

    header = None if all(number(c) is not None for c in rows[0]) else [c.strip() for c in rows[0]]
    body = rows if header is None else rows[1:]
    ncol = max(len(r) for r in rows)
    if key is not None:
        if header is None or key not in header:
            have = ", ".join(header) if header else "no header"
            raise BadInput(f"membrane file '{path}' has no column '{key}'", f"its columns: {have}")
        cols = [header.index(key)]
    else:
        cols = list(range(ncol))
    for j in cols:
        vals = [number(r[j]) if j < len(r) else None for r in body]
        if body and all(v is not None for v in vals):
            return np.asarray(vals, dtype=np.float64)
    if not body:
        raise BadInput(f"membrane file '{path}' has a header but no rows", "record some membrane potentials")
    what = f"column '{key}' is not numeric" if key is not None else "has no numeric column"
    raise BadInput(f"membrane file '{path}' {what}", "give a CSV column of numbers (membrane minus threshold)")


def empirical_membrane(samples, sigma_w: float | None = None, source: str | None = None) -> Membrane:
    """The empirical distribution of ``samples`` (array, or a path for :func:`load_membrane`)."""
    import numpy as np

    if isinstance(samples, str):
        source = source or samples
        arr = load_membrane(samples)
    else:
        arr = np.asarray(samples, dtype=np.float64).reshape(-1)
        if arr.size == 0:
            raise BadInput("membrane=: empty array", "give at least one membrane value")
        if not np.all(np.isfinite(arr)):
            raise BadInput("membrane=: non-finite values (nan or inf)", "drop or fix them first")
    m = float(arr.mean())
    s = float(arr.std())
    rate = float(np.mean(arr >= 0.0))
    given = sigma_w is not None
    if given:
        sw = _positive("sigma_w", sigma_w)
    elif rate == 0.0 or s == 0.0:
        raise BadInput(
            "the membrane sample " + ("never reaches the threshold (rate 0)" if rate == 0.0 else "has zero spread")
            + ", so no weight scale is implied",
            "give sigma_w=",
        )
    else:
        sw = s / math.sqrt(rate)
    return Membrane("empirical", m, s, rate, sw, given, source=source, samples=arr)


# -- evaluating g' for many parameter sets at once ------------------------------------------


@dataclass
class GradEvaluator:
    """``g'`` of one target at ``P`` parameter sets: ``evaluator(X)`` with ``X`` of shape (P, M).

    Built-ins broadcast their parameters (shape (P, 1)) through ``surrogate_grad``: one
    call evaluates every set. User surrogates are evaluated set by set with ``jax.grad``
    through their spike. ``breakpoints`` is (P, k) (k may be 0).
    """

    name: str
    sets: list[dict]
    call: Callable[[Any], Any]
    breakpoints: Any

    def __call__(self, X):
        return self.call(X)


_CHUNK = 1 << 14  # eager evaluation in chunks of one fixed shape: each op compiles once
_JIT_CHUNK = 1 << 18  # large inputs: a jitted kernel per surrogate, chunks of one shape


_KERNELS: dict = {}


def _kernel(record, static: tuple):
    """A jitted ``(x, params) -> g'(x)`` for one built-in (for large flat inputs)."""
    import jax

    key = (record.name, static)
    fn = _KERNELS.get(key)
    if fn is None:
        def grad_of(x, params):
            return _instance(record, static, params).surrogate_grad(x)

        fn = _KERNELS[key] = jax.jit(grad_of)
    return fn


def _instance(record, static: tuple, params: Mapping[str, Any]):
    """The built-in with per-point parameter arrays, values already validated per set
    (as the package's own jitted spike builds it: no per-element re-validation)."""
    obj = object.__new__(record.cls)
    for name, value in (*static, *params.items()):
        setattr(obj, name, value)
    return obj


def grad_evaluator(target, sets: Sequence[Mapping[str, Any]]) -> GradEvaluator:
    """A :class:`GradEvaluator` for a resolved target (``sweep.Target``) and full parameter sets.

    Built-ins evaluate ``surrogate_grad`` on the flattened points with per-point parameter
    arrays, padded to a power-of-two length, so a few array shapes serve every call (JAX
    compiles each operation once per shape, shared by all surrogates).
    """
    import numpy as np

    sets = [dict(s) for s in sets]
    rec = target.record
    P = len(sets)
    if rec is not None:
        if rec.breakpoints is not None and P:
            bps = [[float(v) for v in rec.breakpoints(**s)] for s in sets]
            bpa = np.asarray(bps, dtype=np.float64).reshape(P, len(bps[0]))
        else:
            bpa = np.zeros((P, 0))
        ints = [p.name for p in rec.params if p.kind == "int"]
        floats = [p.name for p in rec.params if p.kind != "int"]
        groups: dict[tuple, list[int]] = {}
        for i, s in enumerate(sets):
            groups.setdefault(tuple((k, int(s[k])) for k in ints), []).append(i)
        table = {k: np.asarray([s[k] for s in sets], dtype=np.float64) for k in floats}

        def call(X):
            import jax
            import jax.numpy as jnp

            X = np.asarray(X, dtype=np.float64)
            out = np.empty_like(X)
            M = X.shape[1]
            with jax.enable_x64(True):
                for static, rows in groups.items():
                    rows_a = np.asarray(rows)
                    n = len(rows) * M
                    chunk = _JIT_CHUNK if n >= 4 * _JIT_CHUNK else _CHUNK
                    size = -(-n // chunk) * chunk
                    x = np.zeros(size)
                    x[:n] = X[rows_a].reshape(-1)
                    params = {}
                    for k, col in table.items():
                        v = np.full(size, col[rows_a[0]])
                        v[:n] = np.repeat(col[rows_a], M)
                        params[k] = v
                    g = np.empty(size)
                    for c0 in range(0, size, chunk):
                        part = slice(c0, c0 + chunk)
                        if chunk == _JIT_CHUNK:
                            gc = _kernel(rec, static)(jnp.asarray(x[part]),
                                                      {k: jnp.asarray(v[part]) for k, v in params.items()})
                        else:
                            gc = _instance(rec, static, {k: v[part] for k, v in params.items()}).surrogate_grad(
                                x[part])
                        g[part] = np.broadcast_to(np.asarray(gc, dtype=np.float64), (chunk,))
                    out[rows_a] = g[:n].reshape(len(rows), M)
            return out

        return GradEvaluator(target.name, sets, call, bpa)

    from .metrics import grad_function

    fns = [grad_function(target.make(**s)) for s in sets]

    def call_user(X):
        X = np.asarray(X, dtype=np.float64)
        out = np.empty_like(X)
        for i, fn in enumerate(fns):
            out[i] = fn(X[i].reshape(-1)).reshape(X[i].shape)
        return out

    return GradEvaluator(target.name, sets, call_user, np.zeros((P, 0)))


# -- quadrature --------------------------------------------------------------------------------


def _panel_edges(mean, std, bps):
    """Sorted panel edges (P, K) on [mean - 12 std, mean + 12 std]."""
    import numpy as np

    P = mean.shape[0]
    lo = mean - _SPAN * std
    hi = mean + _SPAN * std
    ladder = 10.0 ** np.linspace(-6.0, math.log10(2 * _SPAN), 22)  # around the threshold
    cols = [
        lo[:, None], hi[:, None], np.zeros((P, 1)),
        std[:, None] * ladder[None, :], -std[:, None] * ladder[None, :],
        mean[:, None] + std[:, None] * np.linspace(-_SPAN, _SPAN, 25)[None, :],
        np.asarray(bps, dtype=np.float64).reshape(P, -1),
    ]
    edges = np.concatenate(cols, axis=1)
    edges = np.clip(edges, lo[:, None], hi[:, None])
    return np.sort(edges, axis=1)


@functools.lru_cache(maxsize=4)
def _legendre(n: int):
    import numpy as np

    return np.polynomial.legendre.leggauss(n)


def _nodes(edges, split: int, mean, std):
    import numpy as np

    t, wt = _legendre(_GL_NODES)
    a, b = edges[:, :-1], edges[:, 1:]
    j = np.arange(split)
    aa = a[:, :, None] + (b - a)[:, :, None] * (j / split)[None, None, :]
    bb = a[:, :, None] + (b - a)[:, :, None] * ((j + 1) / split)[None, None, :]
    half = 0.5 * (bb - aa)
    mid = 0.5 * (bb + aa)
    X = (mid[..., None] + half[..., None] * t).reshape(edges.shape[0], -1)
    W = (half[..., None] * wt).reshape(edges.shape[0], -1)
    z = (X - mean[:, None]) / std[:, None]
    W = W * np.exp(-0.5 * z * z) / (math.sqrt(2.0 * math.pi) * std[:, None])
    return X, W


def moments(grad: GradEvaluator, means, stds, sigma_ws=None, samples=None):
    """``E[g']``, ``E[g'^2]`` and a quadrature error estimate of ``E[g'^2]``, each shape (P,).

    Gaussian ``u ~ N(means, stds^2)`` per set (``std == 0``: a point mass), or, with
    ``samples`` (1-D), the empirical mean for every set.
    """
    import numpy as np

    P = len(grad.sets)
    if samples is not None:
        X = np.broadcast_to(np.asarray(samples, dtype=np.float64), (P, len(samples)))
        G = grad(X)
        return G.mean(axis=1), (G * G).mean(axis=1), np.zeros(P)
    means = np.broadcast_to(np.asarray(means, dtype=np.float64), (P,)).copy()
    stds = np.broadcast_to(np.asarray(stds, dtype=np.float64), (P,)).copy()
    e1 = np.empty(P)
    e2 = np.empty(P)
    err = np.zeros(P)
    point = stds == 0.0
    if point.any():
        G = grad(np.where(point, means, 0.0)[:, None])[:, 0]
        e1[point], e2[point] = G[point], G[point] ** 2
    live = ~point
    if live.any():
        s_safe = np.where(live, stds, 1.0)
        edges = _panel_edges(means, s_safe, grad.breakpoints)
        prev = None
        split = 1
        while True:
            X, W = _nodes(edges, split, means, s_safe)
            G = grad(X)
            cur = (np.sum(W * G, axis=1), np.sum(W * G * G, axis=1))
            if prev is not None:
                diff = np.abs(cur[1] - prev[1])
                scale = np.maximum(np.abs(cur[1]), 1e-300)
                ok = (diff <= _QUAD_RTOL * scale) | ~live
                if ok.all() or split >= _MAX_SPLIT:
                    err[live] = diff[live]
                    break
            prev = cur
            split *= 2
        e1[live], e2[live] = cur[0][live], cur[1][live]
    return e1, e2, err


# -- where g' is active ---------------------------------------------------------------------------


def active_intervals(grad: GradEvaluator):
    """Per set, the interval where ``g'`` is active: its FWHM interval around the peak, or
    on a side where ``g'`` is exactly zero beyond a catalog breakpoint, that support edge.

    Returns (lo, hi) arrays of shape (P,) (``-inf``/``inf`` where ``g'`` never halves).
    """
    import numpy as np

    P = len(grad.sets)
    ladder = 10.0 ** np.linspace(-9.0, 6.0, 151)
    bps = np.asarray(grad.breakpoints, dtype=np.float64).reshape(P, -1)
    tiny = 1e-12 * (1.0 + np.abs(bps))
    X = np.concatenate([np.broadcast_to(np.concatenate([-ladder[::-1], [0.0], ladder]), (P, 303)),
                        bps - tiny, bps + tiny], axis=1)
    X = np.sort(X, axis=1)
    G = grad(X)
    top = G.max(axis=1, keepdims=True)
    # the peak nearest the threshold (a periodic g' has many equal peaks)
    ipk = np.argmin(np.where(G >= top - 1e-9 * np.abs(top), np.abs(X), np.inf), axis=1)
    rows = np.arange(P)
    peak = G[rows, ipk]
    half = 0.5 * peak
    lo_out = np.full(P, -np.inf)
    hi_out = np.full(P, np.inf)
    inside, outside, sides = [], [], []
    for i in range(P):
        for side in (1, -1):
            idx = np.arange(ipk[i] + 1, X.shape[1]) if side > 0 else np.arange(ipk[i] - 1, -1, -1)
            g = G[i, idx]
            # compact side: g' is exactly 0 from a breakpoint outward
            edge = None
            for b in sorted(bps[i], key=lambda v: side * v):
                if side * (b - X[i, ipk[i]]) < 0:
                    continue
                beyond = side * (X[i, idx] - b) > 0
                if beyond.any() and np.all(g[beyond] == 0.0):
                    edge = b
                    break
            if edge is not None:
                (hi_out if side > 0 else lo_out)[i] = edge
                continue
            below = np.nonzero(g < half[i])[0]
            if below.size == 0:
                continue
            k = below[0]
            a = X[i, ipk[i]] if k == 0 else X[i, idx[k - 1]]
            inside.append(a)
            outside.append(X[i, idx[k]])
            sides.append((i, side))
    if sides:
        a = np.asarray(inside)
        b = np.asarray(outside)
        which = np.asarray([i for i, _ in sides])
        hv = half[which]
        cols = np.asarray([0 if s > 0 else 1 for _, s in sides])
        K = 15  # interior points per side per round: the bracket shrinks 16-fold
        frac = np.arange(1, K + 1) / (K + 1)
        for _ in range(16):
            pts = a[:, None] + (b - a)[:, None] * frac[None, :]
            M = np.zeros((P, 2 * K))
            M[which[:, None], cols[:, None] * K + np.arange(K)[None, :]] = pts
            gm = grad(M)[which[:, None], cols[:, None] * K + np.arange(K)[None, :]]
            low = gm < hv[:, None]
            first = np.where(low.any(axis=1), np.argmax(low, axis=1), K)
            a_new = np.where(first > 0, pts[np.arange(len(a)), np.maximum(first - 1, 0)], a)
            b_new = np.where(first < K, pts[np.arange(len(a)), np.minimum(first, K - 1)], b)
            a, b = a_new, b_new
        for j, (i, side) in enumerate(sides):
            (hi_out if side > 0 else lo_out)[i] = 0.5 * (a[j] + b[j])
    return lo_out, hi_out


def active_fraction(membrane: Membrane, lo, hi):
    """``P(lo <= u <= hi)`` under the membrane distribution, elementwise."""
    import numpy as np

    lo = np.asarray(lo, dtype=np.float64)
    hi = np.asarray(hi, dtype=np.float64)
    if membrane.kind == "empirical":
        u = membrane.samples
        return np.asarray([np.mean((u >= a) & (u <= b)) for a, b in zip(lo, hi)])
    if membrane.std == 0.0:
        return ((lo <= membrane.mean) & (membrane.mean <= hi)).astype(np.float64)
    m, s = membrane.mean, membrane.std
    return normal_cdf((hi - m) / s) - normal_cdf((lo - m) / s)


# -- root finding ----------------------------------------------------------------------------------


@dataclass
class Solve:
    """The parameter value that gives ``chi = 1``, or why there is none.

    ``value`` is the root nearest (in log) to the current value; ``roots`` all roots
    found on the scanned interval ``scanned``; ``reachable`` the (min, max) of chi there.
    """

    param: str
    value: float | None
    chi_at: float | None
    roots: tuple[float, ...]
    reachable: tuple[float, float]
    scanned: tuple[float, float]
    note: str = ""

    def as_dict(self) -> dict:
        return {"param": self.param, "value": self.value, "chi_at_value": self.chi_at, "roots": list(self.roots),
                "reachable": list(self.reachable), "scanned": list(self.scanned), "note": self.note}


def solve_root(fn: Callable[[Any], Any], lo: float, hi: float, *, current: float | None = None,
               points: int = 49, target: float = 1.0, param: str = "p", rtol: float = 1e-15) -> Solve:
    """Every ``p`` in ``[lo, hi]`` (``0 < lo < hi``) with ``fn(p) = target``, by a log-spaced scan
    then bisection in log p (float64) to ``rtol``. ``fn`` maps a 1-D array to a 1-D array.
    """
    import numpy as np

    grid = np.exp(np.linspace(math.log(lo), math.log(hi), points))
    vals = np.asarray(fn(grid), dtype=np.float64)
    finite = np.isfinite(vals)
    reach = (float(vals[finite].min()), float(vals[finite].max())) if finite.any() else (math.nan, math.nan)
    d = vals - target
    roots = []
    for k in range(points - 1):
        if not (finite[k] and finite[k + 1]):
            continue
        if d[k] == 0.0:
            roots.append(float(grid[k]))
            continue
        if d[k] * d[k + 1] < 0.0:
            a, b, fa = math.log(grid[k]), math.log(grid[k + 1]), d[k]
            for _ in range(40):  # each round: 15 interior points at once, bracket / 16
                inner = np.linspace(a, b, 17)[1:-1]
                fi = np.asarray(fn(np.exp(inner)), dtype=np.float64) - target
                same = (fi < 0.0) == (fa < 0.0)
                zero = fi == 0.0
                if zero.any():
                    a = b = float(inner[np.argmax(zero)])
                    break
                j = int(np.argmin(same)) if not same.all() else len(inner)
                # fa's sign holds on [a, inner[j-1]], flips by inner[j]
                new_a = a if j == 0 else float(inner[j - 1])
                new_b = b if j == len(inner) else float(inner[j])
                if j > 0:
                    fa = float(fi[j - 1])
                a, b = new_a, new_b
                if b - a <= rtol * max(1.0, abs(a)):
                    break
            roots.append(math.exp(0.5 * (a + b)))
    if finite[-1] and d[-1] == 0.0:
        roots.append(float(grid[-1]))
    if not roots:
        return Solve(param, None, None, (), reach, (lo, hi),
                     f"chi stays in [{reach[0]:.4g}, {reach[1]:.4g}] for {param} in [{lo:.4g}, {hi:.4g}]")
    ref = current if current and current > 0 else math.sqrt(lo * hi)
    best = min(roots, key=lambda r: abs(math.log(r / ref)))
    chi_at = float(fn(np.asarray([best]))[0])
    note = "" if len(roots) == 1 else f"{len(roots)} roots; the one nearest the current value is shown"
    return Solve(param, best, chi_at, tuple(roots), reach, (lo, hi), note)


# -- smooth forward (the classic mean-field of Poole et al. 2016) --------------------------------


def smooth_chi(forward: Callable, backward: Callable, sigma_w: float, bias: float = 0.0,
               sigma_b: float = 0.0, nodes: int = 101) -> tuple[float, float]:
    r"""``(q*, chi)`` for a smooth forward ``phi`` with derivative ``backward``.

    Pre-activations ``h ~ N(bias, q)``, ``q`` at its largest fixed point of
    ``q = sigma_w^2 E[phi(h)^2] + sigma_b^2`` (0 when the only fixed point is 0), and
    ``chi = sigma_w^2 E[backward(h)^2]`` (Poole et al. 2016, eq. 3 and chi_1; Schoenholz et
    al. 2017). Gauss--Hermite quadrature (``nodes``) in float64; NumPy callables.
    """
    import numpy as np

    sw = _positive("sigma_w", sigma_w)
    sb = _positive("sigma_b", sigma_b, allow_zero=True)
    b = _finite("bias", bias)
    z, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / math.sqrt(2.0 * math.pi)

    def expect(f, q):
        return float(np.sum(w * np.asarray(f(b + math.sqrt(q) * z), dtype=np.float64)))

    def F(q):
        return sw * sw * expect(lambda h: forward(h) ** 2, q) + sb * sb - q

    qmax = 1e8
    q = 0.0
    if F(qmax) < 0.0:
        grid = [qmax * 10.0 ** (-k / 8.0) for k in range(0, 8 * 30)]
        for a, c in zip(grid[:-1], grid[1:]):
            if F(c) >= 0.0:
                lo, hi = c, a
                for _ in range(200):
                    mid = math.sqrt(lo * hi)
                    if F(mid) >= 0.0:
                        lo = mid
                    else:
                        hi = mid
                    if hi - lo <= 1e-16 * hi:
                        break
                q = 0.5 * (lo + hi)
                break
    else:
        raise BadInput(f"sigma_w={sw:g}: the variance diverges (no fixed point below {qmax:g})",
                       "use a bounded forward or a smaller sigma_w")
    chi = sw * sw * expect(lambda h: backward(h) ** 2, q)
    return q, chi


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

    ``solve``: a parameter name, None for the catalog's default (:data:`SOLVE_PARAM`, or
    the first float parameter of a user surrogate), or False for no solving.
    """
    import numpy as np

    from ..flow_catalog import SOLVE_PARAM

    grad = grad_evaluator(target, sets)
    samples = membrane.samples if membrane.kind == "empirical" else None
    e1, e2, err = moments(grad, membrane.mean, membrane.std, samples=samples)
    lo, hi = active_intervals(grad)
    frac = active_fraction(membrane, lo, hi)
    sw2 = membrane.sigma_w ** 2
    pname = None
    if solve is not False:
        pname = solve if isinstance(solve, str) else SOLVE_PARAM.get(target.name)
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
    ``mean``; ``sigma_w`` fixed if given, else the fixed point's ``std/sqrt(Phi(mean/std))``."""
    import numpy as np

    values = np.asarray(values, dtype=np.float64)
    stds = np.asarray(stds, dtype=np.float64)
    sets = [target.validate({**base, param: float(v)}) for v in values]
    all_sets = [s for _ in stds for s in sets]
    grad = grad_evaluator(target, all_sets)
    S = np.repeat(stds, len(values))
    e2 = moments(grad, np.full(S.shape, float(mean)), S)[1]
    if sigma_w is None:
        sw2 = S * S / np.maximum(normal_cdf(mean / S), 1e-300)
    else:
        sw2 = np.full(S.shape, float(sigma_w) ** 2)
    return (sw2 * e2).reshape(len(stds), len(values))
