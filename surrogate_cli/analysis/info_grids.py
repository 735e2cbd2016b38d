"""The points ``info``'s :func:`~.metrics.properties` evaluates ``g'`` at, as functions of
the half-width and the breakpoints only (cached: a run over many parameter sets builds
them once per set of breakpoints), and the lookups of other points in them."""
from __future__ import annotations

import functools
import math

from .tails import DECADES, area_pieces

__all__ = ["info_grids", "area_lookups", "known"]


@functools.lru_cache(maxsize=32)
def info_grids(S: float, extra: tuple):
    """The points :func:`~.metrics.properties` evaluates, a function of the half-width and the
    breakpoints only (so a run over many parameter sets of a smooth surrogate builds them
    once): ``(core, far, grid, at_core, at_far)``, with ``grid[at_core] == core`` and
    ``grid[at_far] == far``. Read-only arrays.

    ``core`` is ``np.unique`` of the linspace and ``extra``, ``grid`` that of ``-far``,
    ``core`` and ``far``: the breakpoints are merged into the grids without them (built
    once per half-width), which gives the same arrays without sorting 240,000 points per
    set of breakpoints (a zero with its sign bit set goes the long way)."""
    import numpy as np

    lin, far, base, at_lin, at_far_base, signed = _base_grids(S)
    e = np.asarray(extra, dtype=np.float64)
    if signed or np.any((e == 0) & np.signbit(e)):
        core = np.unique(np.concatenate([lin, e]))
        grid = np.unique(np.concatenate([-far[::-1], core, far]))
        at_core = np.searchsorted(grid, core)
        at_far = np.searchsorted(grid, far)
    else:
        # the new values go before the given positions: an old point at i moves up by
        # the number inserted at or before i
        pos_c, new_c = _new_points(lin, e)
        pos_g, new_g = _new_points(base, e)
        core = _insert(lin, pos_c, new_c)
        grid = _insert(base, pos_g, new_g)
        at_lin_now = at_lin + np.searchsorted(pos_g, at_lin, side="right")
        at_core = _insert(at_lin_now, pos_c, np.searchsorted(grid, new_c))
        at_far = at_far_base + np.searchsorted(pos_g, at_far_base, side="right")
    for a in (core, far, grid, at_core, at_far):
        a.flags.writeable = False
    return core, far, grid, at_core, at_far


@functools.lru_cache(maxsize=8)
def _base_grids(S: float):
    """``info_grids`` without breakpoints, for half-width ``S``: the linspace, ``far``, their
    union (sorted, distinct), where the linspace and ``far`` sit in it, and whether a -0.0
    is among them (never, in practice: then ``info_grids`` sorts)."""
    import numpy as np

    lin = np.unique(np.linspace(-S, S, 200001))
    far = np.logspace(math.log10(S), math.log10(S) + DECADES + 1, 20001)
    base = np.unique(np.concatenate([-far[::-1], lin, far]))
    out = (lin, far, base, np.searchsorted(base, lin), np.searchsorted(base, far))
    for a in out:
        a.flags.writeable = False
    return (*out, bool(np.any(np.signbit(base[base == 0]))))


def _insert(a, pos, values):
    """``np.insert(a, pos, values)`` for a few sorted positions, by slices (one copy)."""
    import numpy as np

    pieces, prev = [], 0
    for p, v in zip(pos.tolist(), values):
        pieces += [a[prev:p], np.asarray([v], dtype=a.dtype)]
        prev = p
    pieces.append(a[prev:])
    return np.concatenate(pieces)


def _new_points(sorted_unique, extra):
    """The values of ``extra`` not in ``sorted_unique`` (sorted, distinct, no -0.0), and
    where ``np.insert`` puts them: ``np.insert(sorted_unique, *_new_points(...))`` is
    ``np.unique`` of both."""
    import numpy as np

    e = np.unique(extra)
    at = np.searchsorted(sorted_unique, e)
    present = (at < len(sorted_unique)) & (sorted_unique[np.minimum(at, len(sorted_unique) - 1)] == e)
    return at[~present], e[~present]


@functools.lru_cache(maxsize=32)
def area_lookups(S: float, extra: tuple, bp: tuple):
    """Where the other points :func:`~.metrics.properties` needs g' at sit in ``grid`` (of
    :func:`info_grids`): ``(area_x, area_at, neg_far_at)`` for the Simpson pieces of the core
    area (:func:`~.tails.area_pieces`, end to end) and for ``-far``; an index is -1 where the
    point is not a grid point (the sign of a zero included)."""
    import numpy as np

    _, far, grid, _, _ = info_grids(S, extra)

    def where(x):
        at = np.minimum(np.searchsorted(grid, x), len(grid) - 1)
        hit = (grid[at] == x) & (np.signbit(grid[at]) == np.signbit(x))
        return np.where(hit, at, -1)

    pieces = area_pieces(S, list(bp))
    area_x = np.concatenate(pieces)
    # pieces nudged off inner breakpoints are not grid points
    area_at = where(area_x) if len(pieces) == 1 else np.full(len(area_x), -1)
    out = (area_x, area_at, where(-far))
    for a in out:
        a.flags.writeable = False
    return out


def known(grad, vals, x, at, missing=None):
    """g' at ``x``: ``vals[at]`` where ``at`` names the grid point ``x`` is, evaluated where
    ``at`` is -1 (the same numbers: the kernel is elementwise), or taken from ``missing``
    (g' at those points, in order) when the caller has them."""
    import numpy as np

    hit = at >= 0
    if hit.all():
        return vals[at]
    out = np.empty(x.shape)
    out[hit] = vals[at[hit]]
    out[~hit] = grad(x[~hit]) if missing is None else missing
    return out
