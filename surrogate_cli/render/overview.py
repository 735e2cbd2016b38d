"""The overview sheet: every surrogate's gradient as one small panel of a grid."""
from __future__ import annotations

import math
from typing import Sequence

__all__ = ["OverviewPanel", "overview_figure"]


class OverviewPanel:
    """One panel: a title, the curves drawn in it (their gradients), the x range, log scale."""

    def __init__(self, title: str, curves: Sequence, x_range: tuple[float, float], log: bool = False):
        self.title, self.curves, self.x_range, self.log = title, list(curves), x_range, log


def overview_figure(panels: Sequence[OverviewPanel], columns: int, figsize: tuple[float, float], title: str):
    """A matplotlib Figure (no pyplot state) with one panel per entry, dark to light per curve.

    Each panel carries a compact legend of its parameter values (what differs between its
    curves), the y axis keeps a margin below 0 and above the peak (so zero-valued parts
    stay visible off the axis line), and the layout keeps a padding around the sheet so no
    tick label touches the image edge.
    """
    import matplotlib
    import numpy as np

    from ..evaluation import swept_names
    from .figures import new_figure
    from .lines import draw_lines
    from .labels import curve_label, value_texts

    rows = math.ceil(len(panels) / columns)
    fig = new_figure(figsize)
    fig.get_layout_engine().set(w_pad=0.2, h_pad=0.12)
    axes = fig.subplots(rows, columns, squeeze=False)
    cmap = matplotlib.colormaps["viridis"]
    for ax, panel in zip(axes.flat, panels):
        n = len(panel.curves)
        colors = [cmap(0.85 * i / max(n - 1, 1)) for i in range(n)]
        sets = [c.params for c in panel.curves]
        swept = swept_names(sets)
        texts = value_texts(sets)
        labels = [curve_label(c, swept, texts=texts) for c in panel.curves] if swept else ["_"] * n
        draw_lines(ax, [c.x for c in panel.curves], [c.gradient for c in panel.curves], colors, labels)
        ax.set_title(panel.title, fontsize=10)
        ax.axhline(0.0, color="0.7", lw=0.6, zorder=1)
        ax.axvline(0.0, color="0.8", lw=0.6, zorder=1)
        ax.grid(True, color="0.92", lw=0.5)
        ax.tick_params(labelsize=8)
        ax.set_xlim(*panel.x_range)
        if panel.log:
            ax.set_yscale("log")
        else:
            lo = min(float(np.nanmin(c.gradient)) for c in panel.curves)
            hi = max(float(np.nanmax(c.gradient)) for c in panel.curves)
            pad = 0.06 * ((hi - min(lo, 0.0)) or 1.0)
            ax.set_ylim(min(lo, 0.0) - pad, hi + pad)
        if swept:
            ax.legend(fontsize=6.5, handlelength=1.2, handletextpad=0.4, labelspacing=0.2, borderpad=0.3,
                      framealpha=0.85, loc="best")
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    fig.suptitle(title, fontsize=12)
    return fig
