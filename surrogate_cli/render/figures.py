"""Curves -> matplotlib figures, and deterministic figure files.

The two public entry points, shared by ``surrogate plot``/``compare`` and the gallery::

    fig = plot_curves(curves, panels=("spike", "function", "gradient"), log=False)
    save_figure(fig, "sigmoid.png", dpi=110)

:func:`plot_curves` draws one panel per requested view (the forward spike, ``g`` and
``g'``), one line per :class:`~surrogate_cli.sweep.Curve`, with the formulas of the
surrogate (from the registry, as mathtext) in the title and the parameters in the
legend (``α = 2``). More than :data:`MAX_LEGEND` curves get a sequential colormap and a
colorbar instead of a legend. A gradient-only surrogate's ``g`` is the numerical
antiderivative of its gradient: drawn dashed and labelled as integrated.

:func:`save_figure` writes atomically (via :mod:`surrogate_cli.export`) with fixed
metadata (no dates, no software version, a fixed SVG hash salt), so the same curves give
the same bytes. Figures are built with :class:`matplotlib.figure.Figure` directly (no
pyplot state), so this module is safe in scripts, notebooks and worker processes.
"""
from __future__ import annotations

import math
import os
from typing import Any, Sequence

from ..errors import BadInput
from .labels import curve_label, formula_lines, param_tex, params_label

__all__ = [
    "PANELS",
    "MAX_LEGEND",
    "plot",
    "plot_curves",
    "save_figure",
    "freeze_layout",
    "figure_bytes",
    "new_figure",
    "save_all",
]

#: The panels, in drawing order.
PANELS = ("spike", "function", "gradient")
#: Up to this many curves get a legend; more get a colormap and a colorbar.
MAX_LEGEND = 6

_PANEL_YLABEL = {"spike": "$H(x)$", "function": "$g(x)$", "gradient": "$g'(x)$"}
_PANEL_TITLE = {
    "spike": "forward: spike $H(x)$",
    "function": "surrogate $g(x)$",
    "gradient": "backward: gradient $g'(x)$",
}


def new_figure(figsize):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _fit_text(fig, text_obj, max_width_px: float, min_size: float = 6.0) -> None:
    """Shrink a text's font until it fits ``max_width_px`` (deterministic)."""
    renderer = fig.canvas.get_renderer()
    size = text_obj.get_fontsize()
    while size > min_size:
        width = text_obj.get_window_extent(renderer).width
        if width <= max_width_px:
            return
        size = max(min_size, size * max(0.6, max_width_px / width) - 0.25)
        text_obj.set_fontsize(size)


def _widths(n: int) -> list[float]:
    """Line widths, thickest first: a curve drawn over an identical earlier one leaves
    that one's colour showing as a border (piecewise surrogates often share segments).
    Colormap plots (many curves) keep one width."""
    if n > MAX_LEGEND or n == 1:
        return [1.6] * n
    step = min(0.55, 1.8 / (n - 1))  # at most 3.2 points for the first
    return [1.4 + step * (n - 1 - i) for i in range(n)]


def _colors(curves: Sequence[Any], swept: Sequence[str]):
    """Per-curve colours and, for many curves, the ScalarMappable for a colorbar."""
    import matplotlib
    import numpy as np
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import BoundaryNorm, LogNorm, Normalize

    n = len(curves)
    if n <= MAX_LEGEND:
        cycle = matplotlib.colormaps["tab10"]
        return [cycle(i % 10) for i in range(n)], None, None
    cmap = matplotlib.colormaps["viridis"]
    same_surrogate = len({c.surrogate for c in curves}) == 1
    if same_surrogate and len(swept) == 1:
        name = swept[0]
        vals = np.array([float(c.params[name]) for c in curves])
        lo, hi = float(vals.min()), float(vals.max())
        if lo > 0 and hi / lo >= 10:
            norm = LogNorm(lo, hi)
        else:
            norm = Normalize(lo, hi if hi > lo else lo + 1)
        colors = [cmap(norm(v)) for v in vals]
        sm = ScalarMappable(norm=norm, cmap=cmap)
        return colors, sm, param_tex(name)
    norm = BoundaryNorm(np.arange(n + 1) + 0.5, cmap.N)
    colors = [cmap(norm(i + 1)) for i in range(n)]
    sm = ScalarMappable(norm=norm, cmap=cmap)
    label = "curve (" + ", ".join(param_tex(s) for s in swept) + ")" if swept and same_surrogate else "curve"
    return colors, sm, label


def plot_curves(
    curves: Sequence[Any],
    panels: Sequence[str] = PANELS,
    log: bool = False,
    title: str | None = None,
    formulas: Sequence[str] | None = None,
    figsize: tuple[float, float] | None = None,
    figure: Any = None,
    gradient_label: str | None = None,
    with_names: bool | None = None,
):
    """Draw ``curves`` into a new :class:`~matplotlib.figure.Figure` and return it.

    Args:
        curves: :class:`~surrogate_cli.sweep.Curve` objects (one surrogate or several).
        panels: any subset of ``("spike", "function", "gradient")``, drawn in that order.
        log: log-scale gradient axis (symlog when the gradient goes negative).
        title: first title line; default: the surrogate's name and class (one surrogate)
            or the names compared.
        formulas: mathtext lines under the title; default: the registry's formulas of
            ``g`` and ``g'`` when all curves come from one built-in; ``[]`` for none.
        figsize: inches; default 4.2 wide per panel.
        figure: draw into this (empty) figure instead, e.g. one from ``pyplot.figure``.
        gradient_label: y label of the gradient panel (e.g. ``"g'(x) / peak"``).
        with_names: prefix legend entries with the surrogate's name (default: when
            the curves come from more than one surrogate).
    """
    from ..evaluation import swept_names

    if not curves:
        raise BadInput("nothing to plot", "give at least one parameter set")
    panels = [p for p in PANELS if p in set(panels)]
    if not panels:
        raise BadInput("no panels to draw", "use --panels with any of spike,function,gradient")
    names = list(dict.fromkeys(c.surrogate for c in curves))
    one = len(names) == 1
    if with_names is None:
        with_names = not one
    swept = swept_names([c.params for c in curves]) if one else ()
    record = curves[0].record if one else None

    if title is None:
        if one:
            title = names[0] if record is None else f"{record.name}  ({record.class_name})"
            if len(curves) == 1 and curves[0].params:
                title += ":  " + params_label(curves[0].params)
            elif len(curves) > MAX_LEGEND:  # no legend title to hold the fixed parameters
                fixed_now = {k: v for k, v in curves[0].params.items() if k not in swept}
                if fixed_now:
                    title += ":  " + params_label(fixed_now)
        else:
            title = "compare: " + ", ".join(names)
    if formulas is None:
        formulas = formula_lines(record) if one else []
    if figsize is None:
        figsize = (max(4.2 * len(panels), 6.0) + (0.9 if len(curves) > MAX_LEGEND else 0.0), 3.9)

    fig = figure if figure is not None else new_figure(figsize)
    if figure is not None:
        fig.set_layout_engine("constrained")
        fig.set_size_inches(figsize)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    colors, mappable, cbar_label = _colors(curves, swept)
    widths = _widths(len(curves))

    # Legend entries: the swept parameters (one surrogate) or names (+ parameters) to compare.
    fixed = {}
    if one and len(curves) > 1:
        fixed = {k: v for k, v in curves[0].params.items() if k not in swept}
    labels = []
    for c in curves:
        if one and len(curves) > 1:
            labels.append(curve_label(c, swept))
        else:
            labels.append(curve_label(c, None, with_name=with_names))

    spikes_equal = all(
        c.spike.shape == curves[0].spike.shape and (c.spike == curves[0].spike).all() and
        (c.x == curves[0].x).all() for c in curves
    )
    for ax, panel in zip(axes, panels):
        if panel == "spike":
            if spikes_equal:
                ax.plot(curves[0].x, curves[0].spike, color="0.15", lw=1.8, label="_spike")
            else:
                for c, col, lw in zip(curves, colors, widths):
                    ax.plot(c.x, c.spike, color=col, lw=lw)
            ax.set_ylim(-0.08, 1.08)
        elif panel == "function":
            any_integrated = False
            for c, col, lab, lw in zip(curves, colors, labels, widths):
                if c.function is None:
                    continue
                style = "--" if c.integrated else "-"
                any_integrated |= c.integrated
                ax.plot(c.x, c.function, style, color=col, lw=lw, label=lab)
            if any_integrated:
                ax.text(
                    0.03, 0.97, "dashed: integrated from $g'$,\nanchored at $g(0) = 0.5$",
                    transform=ax.transAxes, va="top", ha="left", fontsize=8, color="0.3",
                )
        else:
            peak = 0.0
            negative = False
            for c, col, lab, lw in zip(curves, colors, labels, widths):
                ax.plot(c.x, c.gradient, color=col, lw=lw, label=lab)
                if c.gradient.size:
                    peak = max(peak, float(abs(c.gradient).max()))
                    negative |= bool((c.gradient < 0).any())
            if log and peak > 0:
                _log_axis(ax, curves, peak, negative)
        ax.set_title(_PANEL_TITLE[panel], fontsize=10)
        ax.set_xlabel("$x$")
        ylabel = _PANEL_YLABEL[panel]
        if panel == "gradient" and gradient_label:
            ylabel = gradient_label
        ax.set_ylabel(ylabel)
        ax.grid(True, color="0.9", lw=0.6)
        ax.axvline(0.0, color="0.75", lw=0.6, zorder=0)
        ax.set_xlim(float(curves[0].x[0]), float(curves[0].x[-1]))

    if mappable is not None:
        cbar = fig.colorbar(mappable, ax=list(axes), fraction=0.04, pad=0.01, aspect=30)
        if cbar_label.startswith("curve") and len(curves) <= 24:
            # one tick per curve, labelled like a legend entry (names, parameters)
            cbar.set_ticks(range(1, len(curves) + 1), labels=labels)
            cbar.ax.tick_params(labelsize=8)
            cbar.ax.invert_yaxis()
        else:
            cbar.set_label(cbar_label)
    elif len(curves) > 1 or not one:
        handles, labs = axes[-1].get_legend_handles_labels()
        if not handles:
            for ax in axes:
                handles, labs = ax.get_legend_handles_labels()
                if handles:
                    break
        if handles:
            legend_title = params_label(fixed) if fixed else None
            fig.legend(
                handles, labs, loc="outside right center", fontsize=9, title=legend_title,
                title_fontsize=9, frameon=False,
            )

    lines = [title] + [f for f in formulas if f]
    sup = fig.suptitle("\n".join(lines), fontsize=11, linespacing=1.6)
    width_px = fig.get_figwidth() * fig.dpi * 0.97
    _fit_text(fig, sup, width_px)
    return fig


def plot(
    name: str,
    *,
    panels: Sequence[str] = PANELS,
    log: bool = False,
    x_range: tuple[float, float] | None = None,
    points: int = 1000,
    zip: bool = False,  # noqa: A002 - mirrors the CLI option --zip
    **values: Any,
):
    """``surrogate plot`` as a function: a :class:`~matplotlib.figure.Figure` of one surrogate.

    ``values`` is the sweep, as in :func:`surrogate_cli.sweep.curves`::

        fig = plot("sigmoid", alpha=[1, 2, 4])
        fig.savefig("sigmoid.png")        # or display it in a notebook cell
    """
    from ..evaluation import curves

    return plot_curves(curves(name, x_range=x_range, points=points, zip=zip, **values),
                       panels=panels, log=log)


def _log_axis(ax, curves, peak: float, negative: bool) -> None:
    import numpy as np

    floor = peak * 1e-12
    if negative:
        top = math.floor(math.log10(peak)) + 1
        low = top - 4
        ax.set_yscale("symlog", linthresh=10.0**low, linscale=0.6)
        neg = max((float(-c.gradient.min()) for c in curves if c.gradient.size), default=0.0)
        ticks = [0.0] + [10.0**k for k in range(low, top + 1, 2)]
        if neg > 0:
            ticks += [-(10.0**k) for k in range(low, min(top, math.floor(math.log10(neg)) + 1) + 1, 2)]
        ticks = sorted(ticks)
        ax.set_yticks(ticks, [_tick_tex(t) for t in ticks])
        ax.yaxis.set_minor_locator(_NullLocator())
        return
    ax.set_yscale("log")
    positives = [c.gradient[c.gradient > 0] for c in curves]
    lo = min((float(p.min()) for p in positives if p.size), default=floor)
    ax.set_ylim(max(lo, floor) / 2.0, peak * 2.0)
    del np


def _tick_tex(t: float) -> str:
    if t == 0:
        return "$0$"
    k = round(math.log10(abs(t)))
    return f"${'-' if t < 0 else ''}10^{{{k}}}$"


def _NullLocator():
    from matplotlib.ticker import NullLocator

    return NullLocator()


def _metadata(fmt: str) -> dict:
    if fmt == "png":
        return {"Software": None}
    if fmt == "svg":
        return {"Date": None, "Creator": None}
    if fmt == "pdf":
        return {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None}
    return {}


def figure_bytes(fig, fmt: str = "png", dpi: float | None = None) -> bytes:
    """The figure rendered to bytes with reproducible metadata."""
    import io

    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "surrogate", "svg.fonttype": "path", "pdf.fonttype": 42}):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=_metadata(fmt))
    return buf.getvalue()


def freeze_layout(fig) -> None:
    """Run the layout engine once and keep its result.

    A figure saved in several formats is otherwise laid out again on every save;
    constrained layout measures every text and is the larger part of the cost.
    """
    fig.draw_without_rendering()
    fig.set_layout_engine("none")


def save_figure(fig, path: str | os.PathLike, dpi: float | None = None, fmt: str | None = None) -> str:
    """Write ``fig`` to ``path`` atomically; the format follows the extension.

    The bytes are reproducible (fixed metadata and SVG ids). Returns the path. Raises
    :class:`BadInput` for an unknown extension or an unwritable destination; on any
    failure nothing is left at ``path``.
    """
    from .files import FIGURE_FORMATS, atomic_write

    path = os.fspath(path)
    if fmt is None:
        ext = os.path.splitext(path)[1].lower()
        fmt = FIGURE_FORMATS.get(ext)
        if fmt is None:
            raise BadInput(
                f"unknown figure extension '{ext or path}'", f"use one of {', '.join(FIGURE_FORMATS)}"
            )
    data = figure_bytes(fig, fmt, dpi)
    atomic_write(path, data)
    return path


def save_all(fig, stem: str, formats: Sequence[str], dpi: float | None = None) -> list[str]:
    """Write ``fig`` as ``stem.FMT`` for each format (laid out once); returns the paths.

    The layout is frozen even for one format, so each file's bytes do not depend on
    which other formats were drawn with it."""
    freeze_layout(fig)
    return [save_figure(fig, f"{stem}.{fmt}", dpi=dpi) for fmt in formats]
