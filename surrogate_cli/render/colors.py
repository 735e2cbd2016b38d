"""Colours of curves: a qualitative cycle for a few, a colormap (linear or log by the
sweep's spacing) with a colorbar for many, one hue per surrogate in a comparison."""
from __future__ import annotations

from typing import Any, Sequence

from .labels import param_tex

__all__ = ["MAX_LEGEND", "curve_colors", "compare_colors", "log_spaced"]

#: Up to this many curves get a legend; more get a colormap and a colorbar.
MAX_LEGEND = 6


def log_spaced(values) -> bool:
    """Whether sorted positive ``values`` are more evenly spaced in log than in linear
    terms (a ``log:`` sweep, or a list like 1,10,100)."""
    import numpy as np

    v = np.unique(np.asarray(values, dtype=float))
    if v.size < 3 or v[0] <= 0:
        return bool(v.size == 2 and v[0] > 0 and v[1] / v[0] >= 10)
    lin, log = np.diff(v), np.diff(np.log(v))
    return float(np.std(log) / np.mean(log)) < float(np.std(lin) / np.mean(lin))


#: The part of viridis used for curves: its last, pale yellow tenth is hard to see on white.
_CMAP_SPAN = (0.0, 0.88)


def curve_colors(curves: Sequence[Any], swept: Sequence[str], texts: dict):
    """Per-curve colours and, for many curves of one surrogate, a colorbar.

    Returns ``(colors, mappable, label, ticks)``; ``ticks`` is ``(values, texts)`` for the
    colorbar. A single swept parameter gets a linear or a log colorbar by the spacing of
    its values (a ``log:`` sweep: log); values that would crowd one end of the scale fall
    back to one evenly spaced colour per value.
    """
    import matplotlib
    import numpy as np
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import BoundaryNorm, ListedColormap, LogNorm, Normalize

    n = len(curves)
    names = list(dict.fromkeys(c.surrogate for c in curves))
    if 1 < len(names) <= 10:  # one tab10 hue per surrogate; more surrogates: the colormap below
        return compare_colors(curves, names), None, None, None
    if n <= MAX_LEGEND:
        cycle = matplotlib.colormaps["tab10"]
        return [cycle(i % 10) for i in range(n)], None, None, None
    base = matplotlib.colormaps["viridis"]
    cmap = ListedColormap(base(np.linspace(*_CMAP_SPAN, 256)), name="viridis_span")
    if len(swept) == 1:
        name = swept[0]
        vals = np.array([float(c.params[name]) for c in curves])
        lo, hi = float(vals.min()), float(vals.max())
        if hi > lo:
            norm = LogNorm(lo, hi) if log_spaced(vals) else Normalize(lo, hi)
            pos = np.sort(np.unique(np.asarray(norm(np.unique(vals)))))
            if pos.size < 2 or float(np.min(np.diff(pos))) >= 0.35 / (pos.size - 1):
                colors = [cmap(norm(v)) for v in vals]
                distinct = list(dict.fromkeys(sorted(vals.tolist())))
                ticks = (distinct, [texts[name][v] for v in distinct]) if len(distinct) <= 12 else None
                return colors, ScalarMappable(norm=norm, cmap=cmap), param_tex(name), ticks
            # uneven values: one colour per distinct value, evenly spaced, labelled by value
            distinct = sorted(set(vals.tolist()))
            k = len(distinct)
            bnorm = BoundaryNorm(np.arange(k + 1) - 0.5, cmap.N)
            colors = [cmap(bnorm(distinct.index(v))) for v in vals]
            sm = ScalarMappable(norm=bnorm, cmap=cmap)
            ticks = (list(range(k)), [texts[name][v] for v in distinct]) if k <= 24 else None
            return colors, sm, param_tex(name), ticks
    norm = BoundaryNorm(np.arange(n + 1) + 0.5, cmap.N)
    colors = [cmap(norm(i + 1)) for i in range(n)]
    sm = ScalarMappable(norm=norm, cmap=cmap)
    label = "curve (" + ", ".join(param_tex(s) for s in swept) + ")" if swept else "curve"
    return colors, sm, label, None


def compare_colors(curves: Sequence[Any], names: Sequence[str]):
    """One hue per surrogate (tab10), shades of it per parameter set: dark to light."""
    import matplotlib
    import numpy as np
    from matplotlib.colors import to_rgb

    cycle = matplotlib.colormaps["tab10"]
    out = []
    for c in curves:
        i = names.index(c.surrogate)
        same = [d for d in curves if d.surrogate == c.surrogate]
        k, m = same.index(c), len(same)
        rgb = np.array(to_rgb(cycle(i % 10)))
        if m > 1:  # from 35 % darker to 45 % lighter than the hue
            t = -0.35 + 0.8 * k / (m - 1)
            rgb = rgb * (1 + t) if t < 0 else rgb + (1 - rgb) * t
        out.append((*np.clip(rgb, 0, 1), 1.0))
    return out
