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
from ..formatting import fmt
from .labels import curve_label, formula_lines, param_tex, params_label, value_texts

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
#: Up to this many curves get a legend; more get a colormap and a colorbar.
MAX_LEGEND = 6

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
LINE_WIDTH = 1.8
#: Up to this many curves, overlaps are looked for (and drawn dashed).
MAX_OVERLAP_CHECK = 60
#: Length of one dash of an overlapping curve, in line widths.
_DASH = 2.5


def _overlaps(ys: Sequence[Any], min_run: int):
    """Where each curve lies on an earlier one (drawn before it, so underneath).

    Returns ``(masks, slots, under, groups)``: per curve the points where it coincides
    with an earlier curve (runs of at least ``min_run`` points), how many earlier curves
    it shares points with (its dash slot), the first earlier curve it coincides with
    everywhere (or None), and the largest number of curves sharing points.
    """
    import numpy as np

    scale = max((float(np.nanmax(np.abs(y))) for y in ys if y is not None and y.size and np.isfinite(y).any()),
                default=1.0) or 1.0
    tol = 1e-7 * scale
    n = len(ys)
    masks = [None] * n
    slots = [0] * n
    under: list = [None] * n
    if n > MAX_OVERLAP_CHECK:  # a colormap of many curves: dashes would be noise (and pairs cost n^2)
        return [None if y is None else np.zeros(np.shape(y), bool) for y in ys], slots, under, 1
    for j in range(n):
        if ys[j] is None:
            continue
        mask = np.zeros(ys[j].shape, bool)
        for i in range(j):
            if ys[i] is None or ys[i].shape != ys[j].shape:
                continue
            with np.errstate(invalid="ignore"):
                same = np.abs(ys[j] - ys[i]) <= tol
            same = _long_runs(same, min_run)
            if same.any():
                mask |= same
                slots[j] += 1
                if under[j] is None and same.all():
                    under[j] = i
        masks[j] = mask
    return masks, slots, under, 1 + max(slots, default=0)


def _long_runs(mask, min_run: int):
    """``mask`` without its runs of True shorter than ``min_run`` (crossings are not overlaps)."""
    import numpy as np

    out = mask.copy()
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    for a, b in zip(edges[::2], edges[1::2]):
        if b - a < min_run:
            out[a:b] = False
    return out


def draw_lines(ax, xs, ys, colors, labels, base: str = "-") -> None:
    """One line per curve, all the same width, later curves on top. Where a curve lies on
    an earlier one, it is drawn dashed, each overlapping curve in its own slot of the dash
    period, so every colour shows in turn along a shared stretch."""
    import numpy as np

    n = len(ys)
    min_run = max(3, (len(xs[0]) if n else 0) // 100)
    masks, slots, _, group = _overlaps(ys, min_run)
    period = group * _DASH
    for j, (x, y, col, lab) in enumerate(zip(xs, ys, colors, labels)):
        if y is None:
            continue
        mask = masks[j]
        if mask is None or not mask.any():
            ax.plot(x, y, base, color=col, lw=LINE_WIDTH, label=lab, zorder=2 + j * 1e-3)
            continue
        # solid where alone, reaching one point into each shared stretch (so the line stays
        # joined); dashed exactly on the shared points, so the dashes of all the curves on a
        # stretch start at the same point and keep their slots along it
        inner = mask.copy()
        inner[1:] &= mask[:-1]
        inner[:-1] &= mask[1:]
        solid = np.where(inner, np.nan, y)
        shared = np.where(mask, y, np.nan)
        offset = ((group - slots[j]) * _DASH) % period
        style = (offset, (_DASH, period - _DASH)) if base == "-" else (offset, (_DASH * 0.6, period - _DASH * 0.6))
        ax.plot(x, solid, base, color=col, lw=LINE_WIDTH, label=lab, zorder=2 + j * 1e-3)
        ax.plot(x, shared, linestyle=style, color=col, lw=LINE_WIDTH, label="_overlap", zorder=2 + j * 1e-3)


def _log_spaced(values) -> bool:
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


def _colors(curves: Sequence[Any], swept: Sequence[str], texts: dict):
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
        return _compare_colors(curves, names), None, None, None
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
            norm = LogNorm(lo, hi) if _log_spaced(vals) else Normalize(lo, hi)
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


def _compare_colors(curves: Sequence[Any], names: Sequence[str]):
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
    colors, mappable, cbar_label, cbar_ticks = _colors(curves, swept, texts)

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
            per_panel.append(_overlaps(ys, 1)[2])
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

    ``values`` is the sweep, as in :func:`surrogate_cli.sweep.curves`::

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
    with matplotlib.rc_context({"svg.hashsalt": "surrogate", "svg.fonttype": "path", "pdf.fonttype": 42}), \
            _quiet_font_timestamps():
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=_metadata(fmt))
    return buf.getvalue()


class _FontTimestampFilter:
    """Drops fontTools' "'created' timestamp seems very low" warning, and nothing else.

    The PDF's own metadata carries no dates (:func:`_metadata`). The warning comes from
    the fonts matplotlib ships: its Computer Modern files (``cmr10.ttf``, ``cmmi10.ttf``,
    ``cmsy10.ttf``, used for mathtext) have ``created``/``modified`` = 2082840000 in
    their ``head`` table, 80 minutes before the font epoch's 1970, and fontTools logs it
    each time matplotlib loads one of them to embed a subset. The embedded subset is
    correct either way; there is nothing for a user to act on.
    """

    def filter(self, record) -> bool:
        return "timestamp seems very low" not in record.getMessage()


class _quiet_font_timestamps:
    _LOGGER = "fontTools.ttLib.tables._h_e_a_d"

    def __enter__(self):
        import logging

        self._filter = _FontTimestampFilter()
        logging.getLogger(self._LOGGER).addFilter(self._filter)
        return self

    def __exit__(self, *exc):
        import logging

        logging.getLogger(self._LOGGER).removeFilter(self._filter)
        return False


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
