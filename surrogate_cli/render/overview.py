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
    """A matplotlib Figure (no pyplot state) with one panel per entry, dark to light per curve."""
    import matplotlib
    import numpy as np

    from .figures import new_figure

    rows = math.ceil(len(panels) / columns)
    fig = new_figure(figsize)
    axes = fig.subplots(rows, columns, squeeze=False)
    cmap = matplotlib.colormaps["viridis"]
    for ax, panel in zip(axes.flat, panels):
        n = len(panel.curves)
        for i, c in enumerate(panel.curves):
            ax.plot(c.x, c.gradient, color=cmap(0.85 * i / max(n - 1, 1)), lw=1.3)
        ax.set_title(panel.title, fontsize=10)
        ax.axhline(0.0, color="0.7", lw=0.6)
        ax.axvline(0.0, color="0.8", lw=0.6)
        ax.grid(True, color="0.92", lw=0.5)
        ax.tick_params(labelsize=8)
        ax.set_xlim(*panel.x_range)
        if panel.log:
            ax.set_yscale("log")
        lo = min(float(np.min(c.gradient)) for c in panel.curves)
        if lo >= 0 and not panel.log:
            ax.set_ylim(bottom=0.0)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    fig.suptitle(title, fontsize=12)
    return fig
