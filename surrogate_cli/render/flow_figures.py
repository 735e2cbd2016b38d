"""Figures of ``surrogate flow``: the chi heatmap per surrogate, and chi against the parameter.

``heatmap_figure`` and ``gain_figure`` draw the dataclasses of
:mod:`surrogate_cli.analysis.flow.maps`; :func:`flow_figure` asks the analysis for the
panel's data, then draws it.
"""
from __future__ import annotations

from typing import Sequence

from ..errors import BadInput, did_you_mean
from ..formatting import fmt
from .flow_view import membrane_text

__all__ = ["FLOW_PANELS", "check_flow_panel", "flow_figure", "heatmap_figure", "gain_figure"]

#: the figures of ``flow``: the chi heatmap per surrogate, or chi against the parameter
FLOW_PANELS = ("heatmap", "gain")


def check_flow_panel(panels: str) -> str:
    """The figure kind, checked (any case)."""
    t = (panels or "").strip().lower()
    if t not in FLOW_PANELS:
        raise BadInput(f"panels: unknown panel '{panels}'",
                       f"{did_you_mean(t, FLOW_PANELS)}choose one of {', '.join(FLOW_PANELS)}", subject="panels")
    return t


def flow_figure(result, panels: str = "heatmap"):
    """The figure of a :class:`~surrogate_cli.analysis.flow.FlowResult`: ``heatmap`` (log10 chi
    over parameter and membrane std, per built-in) or ``gain`` (chi against the parameter)."""
    from ..analysis.flow import chi_curves, chi_maps

    if check_flow_panel(panels) == "heatmap":
        return heatmap_figure(chi_maps(result), result.membrane)
    return gain_figure(chi_curves(result), result.membrane)


def heatmap_figure(maps: Sequence, membrane):
    """``log10 chi`` over (parameter, membrane std), one panel per :class:`ChiMap`, one shared
    colour scale, the ``chi = 1`` contour and the operating point."""
    import numpy as np

    from .figures import new_figure

    n = max(1, len(maps))
    cols = min(3, n)
    rows = -(-n // cols)
    fig = new_figure((4.2 * cols, 3.6 * rows))
    with np.errstate(divide="ignore"):
        logs = [np.log10(m.chi) for m in maps]
    finite = [np.abs(z[np.isfinite(z)]) for z in logs]
    lim = min(6.0, max([1.0] + [float(f.max()) for f in finite if f.size]))
    mesh = None
    for k, (m, z) in enumerate(zip(maps, logs)):
        ax = fig.add_subplot(rows, cols, k + 1)
        mesh = ax.pcolormesh(m.values, m.stds, np.clip(z, -lim, lim), cmap="RdBu_r", vmin=-lim, vmax=lim,
                             shading="auto", rasterized=True)
        if np.nanmin(z) < 0 < np.nanmax(z):
            ax.contour(m.values, m.stds, z, levels=[0.0], colors="k", linewidths=1.2)
        ax.plot([m.current], [m.std], marker="o", color="gold", markeredgecolor="k", markersize=7,
                linestyle="none")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.minorticks_off()  # log-axis minor ticks are most of the layout time
        ax.set_xlabel(m.param)
        ax.set_ylabel("membrane std")
        ax.set_title(f"{m.surrogate}  (chi = {fmt(m.chi_current, 4)})", fontsize=9)
    if mesh is not None:
        fig.colorbar(mesh, ax=fig.axes, label="log10 chi", shrink=0.9)
    fixed = maps[0].sigma_w_fixed if maps else None
    sub = f"mean v - theta = {fmt(membrane.mean, 4)}; " + (
        f"sigma_w = {fmt(fixed, 4)} fixed" if fixed is not None else "sigma_w from the fixed point, std/sqrt(rate)")
    fig.suptitle(f"log10 chi per layer: black line chi = 1, dot = operating point\n{sub}", fontsize=9)
    return fig


def gain_figure(curves: Sequence, membrane):
    """``chi`` against each surrogate's parameter on one axis (:class:`ChiCurve`), chi = 1 dashed."""
    from .figures import new_figure

    fig = new_figure((6.4, 4.4))
    ax = fig.add_subplot(1, 1, 1)
    for c in curves:
        line, = ax.plot(c.values, c.chi, label=f"{c.surrogate} ({c.param})")
        ax.plot([c.current], [c.chi_current], marker="o", color=line.get_color(), linestyle="none")
    ax.axhline(1.0, color="k", linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("parameter value (each surrogate's own)")
    ax.set_ylabel("chi per layer")
    ax.set_title(membrane_text(membrane), fontsize=7)
    if curves:
        ax.legend(fontsize=8)
    return fig
