"""``g'`` at many parameter sets at once, Gaussian expectations by panel quadrature, and
the interval where ``g'`` is active (its FWHM, or its support where it is compact)."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from .membrane import Membrane, normal_cdf

__all__ = ["GradEvaluator", "grad_evaluator", "moments", "active_intervals", "active_fraction"]

_SPAN = 12.0  # Gaussian quadrature covers mean +- 12 std (mass outside < 1e-32)
_GL_NODES = 8
_QUAD_RTOL = 1e-11
_MAX_SPLIT = 32


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
    #: ``(i0, i1) -> X -> g'`` for the sets ``i0:i1`` alone (None: only all of them at once)
    rows: Callable[[int, int], Callable[[Any], Any]] | None = None

    def __call__(self, X):
        return self.call(X)


def grad_evaluator(target, sets: Sequence[Mapping[str, Any]]) -> GradEvaluator:
    """A :class:`GradEvaluator` for a resolved target (``evaluation.Target``) and full parameter sets:
    the package's one evaluator (:func:`~surrogate_cli.evaluation.grad_values`) bound to
    ``sets``, with the catalog's breakpoints of each set (none for a user surrogate)."""
    import numpy as np

    from ...evaluation import grad_values

    sets = [dict(s) for s in sets]
    rec = target.record
    P = len(sets)
    bpa = np.zeros((P, 0))
    if rec is not None and rec.breakpoints is not None and P:
        bps = [[float(v) for v in rec.breakpoints(**s)] for s in sets]
        bpa = np.asarray(bps, dtype=np.float64).reshape(P, len(bps[0]))
    return GradEvaluator(target.name, sets, lambda X: grad_values(target, sets, X), bpa,
                         rows=lambda i0, i1: (lambda X: grad_values(target, sets[i0:i1], X)))


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
    """Gauss--Legendre nodes ``X`` and weights ``W`` (Gaussian density included), (P, n).

    Rows with the same edges, mean and std (bit for bit: many parameter sets at one
    membrane, whose breakpoints do not move) are computed once and copied: the same
    numbers, each row's arithmetic being its own."""
    import numpy as np

    keys = np.ascontiguousarray(np.column_stack([edges, mean, std]))
    rows = keys.view(np.dtype((np.void, keys.dtype.itemsize * keys.shape[1]))).reshape(-1)
    _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    if len(first) < len(rows):
        X, W = _nodes_rows(edges[first], split, mean[first], std[first])
        inverse = inverse.reshape(-1)
        return X[inverse], W[inverse]
    return _nodes_rows(edges, split, mean, std)


def _nodes_rows(edges, split: int, mean, std):
    import numpy as np

    t, wt = _legendre(_GL_NODES)
    P = edges.shape[0]
    a, b = edges[:, :-1], edges[:, 1:]
    step = (b - a) / split
    starts = a[:, :, None] + step[:, :, None] * np.arange(split)[None, None, :]  # (P, K, split)
    half = np.broadcast_to((0.5 * step)[:, :, None], starts.shape)
    X = (starts + half)[..., None] + half[..., None] * t  # (P, K, split, n)
    W = half[..., None] * wt
    X = X.reshape(P, -1)
    W = W.reshape(P, -1)
    z = X - mean[:, None]
    z *= 1.0 / std[:, None]
    np.square(z, out=z)
    z *= -0.5
    np.exp(z, out=z)
    W *= z
    W *= (1.0 / (math.sqrt(2.0 * math.pi) * std))[:, None]
    return X, W


#: Quadrature nodes per block of rows :func:`moments` evaluates at once (16 MB arrays, which
#: the allocator reuses: one pass over all rows at once allocated, and page-faulted, 100s of MB)
_BLOCK = 1 << 21


def _weighted(grad: GradEvaluator, edges, split: int, means, stds):
    """``(sum W g', sum W g'^2)`` per row over the nodes of ``split`` (:func:`_nodes`), in
    blocks of rows (each row's numbers its own: the same whatever the blocks)."""
    import numpy as np

    P = edges.shape[0]
    per_row = (edges.shape[1] - 1) * split * _GL_NODES
    step = P if grad.rows is None else max(1, _BLOCK // max(per_row, 1))
    e1, e2 = np.empty(P), np.empty(P)
    for i0 in range(0, P, step):
        i1 = min(P, i0 + step)
        X, W = _nodes(edges[i0:i1], split, means[i0:i1], stds[i0:i1])
        G = grad(X) if (i0, i1) == (0, P) else grad.rows(i0, i1)(X)
        e1[i0:i1] = np.einsum("ij,ij->i", W, G)
        e2[i0:i1] = np.einsum("ij,ij,ij->i", W, G, G)
    return e1, e2


def moments(grad: GradEvaluator, means, stds, samples=None, adaptive: bool = True):
    """``E[g']``, ``E[g'^2]`` and a quadrature error estimate of ``E[g'^2]``, each shape (P,).

    Gaussian ``u ~ N(means, stds^2)`` per set (``std == 0``: a point mass), or, with
    ``samples`` (1-D), the empirical mean for every set. ``adaptive``: halve the panels
    until two estimates agree to 1e-11 (else one pass with every panel halved once, for
    figures; the error estimate is then nan).
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
        split = 1 if adaptive else 2
        while True:
            cur = _weighted(grad, edges, split, means, s_safe)
            if not adaptive:
                err[live] = np.nan
                break
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


