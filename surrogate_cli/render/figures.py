"""Curves -> matplotlib figures, and deterministic figure files.

The two public entry points, shared by ``surrogate plot``/``compare`` and the gallery::

    fig = plot_curves(curves, panels=("spike", "function", "gradient"), log=False)
    save_figure(fig, "sigmoid.png", dpi=110)

:func:`plot_curves` draws one panel per requested view (the forward spike, ``g`` and
``g'``), one line per :class:`~surrogate_cli.evaluation.Curve`, with the formulas of the
surrogate (from the registry, as mathtext) in the title and the parameters in the
legend (``α = 2``). More than :data:`MAX_LEGEND` curves get a sequential colormap and a
colorbar instead of a legend. A gradient-only surrogate's ``g`` is the numerical
antiderivative of its gradient: drawn dashed and labelled as integrated.

:func:`save_figure` (:mod:`.figure_files`, re-exported here) writes atomically with fixed
metadata (no dates, no software version, a fixed SVG hash salt), so the same curves give
the same bytes. Figures are built with :class:`matplotlib.figure.Figure` directly (no
pyplot state), so this module is safe in scripts, notebooks and worker processes.
"""
from __future__ import annotations

import math
import os
from typing import Any, Sequence

from ..errors import BadInput
from ..formatting import fmt
from .colors import MAX_LEGEND, curve_colors
from .figure_files import figure_bytes, freeze_layout, save_all, save_figure
from .labels import curve_label, formula_lines, param_tex, params_label, value_texts
from .lines import LINE_WIDTH, draw_lines, overlaps

__all__ = [
    "PANELS",
    "MAX_LEGEND",
    "plot",
    "compare",
    "plot_curves",
    "save_figure",
    "freeze_layout",
    "figure_bytes",
    "new_figure",
    "save_all",
]

#: The panels, in drawing order.
PANELS = ("spike", "function", "gradient")

_PANEL_YLABEL = {"spike": "$H(x)$", "function": "$g(x)$", "gradient": "$g'(x)$"}
_PANEL_TITLE = {
    "spike": "forward: spike $H(x)$",
    "function": "surrogate $g(x)$",
    "gradient": "backward: gradient $g'(x)$",
}


_FIGURE_CLASS = None


def _figure_class():
    """:class:`matplotlib.figure.Figure` that shows itself in notebooks (built once).

    A cell whose value is one of these figures displays it inline, as PNG and SVG,
    through IPython's ``_repr_png_``/``_repr_svg_`` protocol: no ``%matplotlib inline``
    and no pyplot state (scripts stay free of global figures).
    """
    global _FIGURE_CLASS
    if _FIGURE_CLASS is None:
        from matplotlib.figure import Figure

        class SurrogateFigure(Figure):
            def _repr_png_(self):
                return figure_bytes(self, "png")

            def _repr_svg_(self):
                return figure_bytes(self, "svg").decode("utf-8")

        SurrogateFigure.__module__ = __name__
        SurrogateFigure.__qualname__ = "SurrogateFigure"
        _FIGURE_CLASS = SurrogateFigure
    return _FIGURE_CLASS


def new_figure(figsize):
    """A figure without pyplot, on the Agg canvas, that displays itself in notebooks."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _figure_class()(figsize=figsize, layout="constrained")
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


#: Every curve is drawn this wide: a width that changes from curve to curve reads as emphasis.
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
        curves: :class:`~surrogate_cli.evaluation.Curve` objects (one surrogate or several).
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
    import numpy as np

    from ..evaluation import swept_names

    if not curves:
        raise BadInput("nothing to plot", "give at least one parameter set")
    panels = [p for p in PANELS if p in set(panels)]
    if not panels:
        raise BadInput("panels: no panel to draw", "give any of spike, function, gradient", subject="panels")
    names = list(dict.fromkeys(c.surrogate for c in curves))
    one = len(names) == 1
    if with_names is None:
        with_names = not one
    swept = swept_names([c.params for c in curves]) if one else ()
    record = curves[0].record if one else None

    texts = value_texts([c.params for c in curves])
    if title is None:
        if one:
            title = names[0] if record is None else f"{record.name}  ({record.class_name})"
            if len(curves) == 1 and curves[0].params:
                title += ":  " + params_label(curves[0].params, texts=texts)
            elif len(curves) > MAX_LEGEND:  # no legend title to hold the fixed parameters
                fixed_now = {k: v for k, v in curves[0].params.items() if k not in swept}
                if fixed_now:
                    title += ":  " + params_label(fixed_now, texts=texts)
        else:
            title = "compare: " + ", ".join(names)
    if formulas is None:
        formulas = formula_lines(record, panels) if one else []
    if figsize is None:
        figsize = (max(4.2 * len(panels), 6.0) + (0.9 if len(curves) > MAX_LEGEND else 0.0), 3.9)

    fig = figure if figure is not None else new_figure(figsize)
    if figure is not None:
        fig.set_layout_engine("constrained")
        fig.set_size_inches(figsize)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    colors, mappable, cbar_label, cbar_ticks = curve_colors(curves, swept, texts)

    # Legend entries: the swept parameters (one surrogate) or names (+ parameters) to compare.
    fixed = {}
    if one and len(curves) > 1:
        fixed = {k: v for k, v in curves[0].params.items() if k not in swept}
    grouped = not one and len(curves) > len(names)  # compare with a sweep: a legend grouped by surrogate
    labels = []
    for c in curves:
        if one and len(curves) > 1:
            labels.append(curve_label(c, swept, texts=texts))
        elif grouped:
            own = swept_names([d.params for d in curves if d.surrogate == c.surrogate])
            labels.append(curve_label(c, own, texts=texts) if own else "defaults")
        else:
            labels.append(curve_label(c, None, with_name=with_names, texts=texts))

    # a curve that lies entirely on an earlier one, in every value panel drawn, is said so
    value_panels = [p for p in panels if p in ("function", "gradient")]
    hidden = [None] * len(curves)
    if value_panels and len(curves) > 1:
        per_panel = []
        for panel in value_panels:
            ys = [c.gradient if panel == "gradient" else c.function for c in curves]
            per_panel.append(overlaps(ys, 1)[2])
        for j in range(len(curves)):
            firsts = {u[j] for u in per_panel}
            if len(firsts) == 1 and None not in firsts:
                hidden[j] = firsts.pop()
    legend_labels = [
        lab if hidden[j] is None else f"{lab} (same curve as {labels[hidden[j]]}; dashed)"
        for j, lab in enumerate(labels)
    ]

    spikes_equal = all(
        c.spike.shape == curves[0].spike.shape and (c.spike == curves[0].spike).all() and
        (c.x == curves[0].x).all() for c in curves
    )
    xs = [c.x for c in curves]
    for ax, panel in zip(axes, panels):
        if panel == "spike":
            if spikes_equal:
                ax.plot(curves[0].x, curves[0].spike, color="0.15", lw=LINE_WIDTH, label="_spike")
            else:
                draw_lines(ax, xs, [c.spike for c in curves], colors, ["_spike"] * len(curves))
            ax.set_ylim(-0.08, 1.08)
        elif panel == "function":
            plain = [c.function if (c.function is not None and not c.integrated) else None for c in curves]
            integ = [c.function if (c.function is not None and c.integrated) else None for c in curves]
            draw_lines(ax, xs, plain, colors, legend_labels)
            draw_lines(ax, xs, integ, colors, legend_labels, base="--")
            if any(y is not None for y in integ):
                ax.text(
                    0.03, 0.97, "dashed: integrated from $g'$,\nanchored at $g(0) = 0.5$",
                    transform=ax.transAxes, va="top", ha="left", fontsize=8, color="0.3",
                )
        else:
            draw_lines(ax, xs, [c.gradient for c in curves], colors, legend_labels)
            peak = 0.0
            negative = False
            for c in curves:
                if c.gradient.size:
                    peak = max(peak, float(np.nanmax(np.abs(c.gradient))) if np.isfinite(c.gradient).any() else 0.0)
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
            cbar.set_ticks(range(1, len(curves) + 1), labels=legend_labels)
            cbar.ax.tick_params(labelsize=8)
            cbar.ax.invert_yaxis()
        else:
            cbar.set_label(cbar_label)
            if cbar_ticks is not None:
                cbar.set_ticks(cbar_ticks[0], labels=cbar_ticks[1])
                cbar.ax.yaxis.set_minor_locator(_NullLocator())
            else:
                from matplotlib.ticker import FuncFormatter

                cbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt(v, 3)))
                cbar.ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
            cbar.ax.tick_params(labelsize=8)
    elif len(curves) > 1 or not one:
        handles, labs = _legend_entries(axes)
        if grouped:
            handles, labs = _grouped(handles, labs, curves, names)
        if handles:
            legend_title = params_label(fixed, texts=texts) if fixed else None
            fig.legend(
                handles, labs, loc="outside right center", fontsize=9, title=legend_title,
                title_fontsize=9, frameon=False,
            )

    lines = [title] + [f for f in formulas if f]
    sup = fig.suptitle("\n".join(lines), fontsize=11, linespacing=1.6)
    width_px = fig.get_figwidth() * fig.dpi * 0.97
    _fit_text(fig, sup, width_px)
    return fig


def _legend_entries(axes):
    for ax in [axes[-1], *axes]:
        handles, labs = ax.get_legend_handles_labels()
        if handles:
            return handles, labs
    return [], []


def _grouped(handles, labs, curves, names):
    """Legend entries grouped by surrogate: the surrogate's name, then its curves."""
    from matplotlib.lines import Line2D

    out_h, out_l = [], []
    by_label = list(zip(handles, labs))
    k = 0
    for name in names:
        out_h.append(Line2D([], [], linestyle="none"))
        out_l.append(name)
        for c in curves:
            if c.surrogate == name and k < len(by_label):
                h, lab = by_label[k]
                out_h.append(h)
                out_l.append("   " + lab)
                k += 1
    return out_h, out_l


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

    ``values`` is the sweep, as in :func:`surrogate_cli.evaluation.curves`::

        fig = plot("sigmoid", alpha=[1, 2, 4])
        fig.savefig("sigmoid.png")        # or display it in a notebook cell
    """
    from ..evaluation import curves

    return plot_curves(curves(name, x_range=x_range, points=points, zip=zip, **values),
                       panels=panels, log=log)


def compare(
    *names: Any,
    normalize: str = "none",
    panels: Sequence[str] = PANELS,
    log: bool = False,
    x_range: tuple[float, float] | None = None,
    points: int = 1000,
    zip: bool = False,  # noqa: A002 - mirrors the CLI option --zip
    **values: Any,
):
    """``surrogate compare`` as a function: several surrogates overlaid in one Figure.

    Each of ``names`` is a surrogate (any spelling, ``"file.py:Class"``) or a pair
    ``(name, {param: value})`` for its own fixed parameters. ``values`` is a sweep that
    applies to every surrogate having that parameter (as ``--alpha 1,2`` does);
    ``normalize`` is ``"none"``, ``"peak"`` or ``"area"`` (the area over the whole line)::

        fig = compare("sigmoid", "arctan", ("slayer_grad", {"alpha": 2}), normalize="peak")
        fig = compare("erf", "soft_sign", alpha=[1, 4], log=True)
    """
    from ..evaluation import compare_curves
    from ..evaluation.normalize import check_normalize

    norm = check_normalize(normalize)
    cs = compare_curves(names, x_range=x_range, points=points, zip=zip, normalize=norm, **values)
    label = None if norm == "none" else ("$g'(x)$ / peak" if norm == "peak" else "$g'(x)$ / area (whole line)")
    return plot_curves(cs, panels=panels, log=log, gradient_label=label, with_names=True)


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


