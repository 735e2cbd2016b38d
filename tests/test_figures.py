"""Figures worth putting in a paper: colorbar scales, distinguishable colours, rounded
values, overlapping curves, notes that apply, formulas in the parameters' names, compare
with a sweep, the overview sheet, and silent PDF output."""
import colorsys
import os
import re

import numpy as np
import pytest

import surrogate_cli
from surrogate_cli.catalog import REGISTRY
from surrogate_cli.cli import main
from surrogate_cli.cli.parsing import parse_values
from surrogate_cli.render.figures import plot_curves
from surrogate_cli.render.labels import param_symbols

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _fig(name, panels=("gradient",), points=101, **sweep):
    values = {k: parse_values(v) if isinstance(v, str) else v for k, v in sweep.items()}
    return plot_curves(surrogate_cli.curves(name, points=points, **values), panels=panels)


def _colorbar_axis(fig):
    return next(ax for ax in fig.axes if hasattr(ax, "_colorbar"))


def _lines(ax):
    return [ln for ln in ax.get_lines() if not ln.get_label().startswith("_") and np.size(ln.get_xdata()) > 2]


@pytest.mark.parametrize("sweep, scale", [
    ("0.2:2:10", "linear"),            # ratio 10, but evenly spaced: linear
    ("log:0.2:20:8", "log"),
    ("1,2,3,4,5,6,7", "linear"),
    ("0.1,0.3,1,3,10,30,100", "log"),  # a list: by its spacing
])
def test_colorbar_scale_follows_the_sweep(sweep, scale):
    fig = _fig("gaussian_grad", sigma=sweep)
    assert _colorbar_axis(fig).get_yscale() == scale


def test_colours_stay_distinguishable():
    fig = _fig("sigmoid", alpha="0.1:10:8")
    cols = [np.array(ln.get_color()[:3]) for ln in _lines(fig.axes[0])]
    assert len(cols) == 8
    dist = min(np.linalg.norm(a - b) for i, a in enumerate(cols) for b in cols[i + 1:])
    assert dist > 0.06
    assert max(c.sum() for c in cols) < 2.4  # no pale yellow that vanishes on white


def test_colorbar_and_legend_values_are_rounded_for_people():
    fig = _fig("inv_square_grad", alpha="log:10:1000:7")  # 10^(1 + k/3): 21.5443..., 46.4158...
    labels = [t.get_text() for t in _colorbar_axis(fig).get_yticklabels()]
    assert labels == ["10", "21.5", "46.4", "100", "215", "464", "1000"]
    fig = _fig("sigmoid", alpha="0.2:0.6:3")
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["$\\alpha$ = 0.2", "$\\alpha$ = 0.4", "$\\alpha$ = 0.6"]
    fig = _fig("sigmoid", alpha=[1.0001, 1.0002])  # more digits only where needed to tell them apart
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["$\\alpha$ = 1.0001", "$\\alpha$ = 1.0002"]


def test_overlapping_curves_keep_one_width_and_show_by_dashes():
    fig = _fig("piecewise_leaky_relu", c=[0.01, 0.05, 0.1], w=[1.0, 2.0], points=201)
    lines = [ln for ln in fig.axes[0].get_lines() if np.size(ln.get_xdata()) > 2]  # not the axvline at 0
    assert len({ln.get_linewidth() for ln in lines}) == 1
    dashed = [ln for ln in lines if ln.get_label() == "_overlap"]
    assert dashed and all(ln.get_linestyle() not in ("-", "solid") for ln in dashed)


def test_a_curve_hidden_under_another_is_said_so():
    cs = surrogate_cli.curves("sigmoid", alpha=[1.0, 2.0], points=51)
    twin = surrogate_cli.curves("sigmoid", alpha=[1.0], points=51)[0]
    twin.params = {"alpha": 1.5}  # a different label, the same curve as alpha = 1
    fig = plot_curves([*cs, twin], panels=("function", "gradient"))
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[2] == "$\\alpha$ = 1.5 (same curve as $\\alpha$ = 1; dashed)"
    assert legend[:2] == ["$\\alpha$ = 1", "$\\alpha$ = 2"]


def test_notes_only_when_they_apply():
    def title(**kw):
        return _fig("relu_grad", **kw)._suptitle.get_text()

    assert "integrates" not in title(panels=("gradient",))
    assert "gradient only (no $g$)" in title(panels=("gradient",))
    assert "the $g$ panel integrates $g'$" in title(panels=("function", "gradient"))


@pytest.mark.parametrize("name", list(REGISTRY))
def test_formulas_use_the_parameters_own_names(name):
    rec = REGISTRY[name]
    tex = (rec.fun_tex or "") + " " + rec.grad_tex
    for p in rec.params:
        sym = param_symbols(p.name)
        pattern = re.escape(sym) + r"(?![A-Za-z])" if sym.startswith("\\") else r"(?<![A-Za-z\\])" + re.escape(sym) + r"(?![A-Za-z])"
        assert re.search(pattern, tex), (name, p.name, sym)


def test_compare_with_a_sweep_groups_by_surrogate(tmp_path, monkeypatch, capsys):
    from surrogate_cli.cli.compare import run_compare
    from surrogate_cli.cli.figure_job import Request

    captured = {}
    import surrogate_cli.render.figures as figures

    real = figures.save_figure
    monkeypatch.setattr(figures, "save_figure", lambda fig, path, **kw: captured.setdefault("fig", fig) and path)
    monkeypatch.chdir(tmp_path)
    run_compare(["sigmoid", "erf", "slayer_grad"], Request(sweep={"alpha": "1,2,4"}, points=51,
                                                          panels="gradient", output="c.png"))
    fig = captured["fig"]
    lines = _lines(fig.axes[0])
    hues = [colorsys.rgb_to_hsv(*ln.get_color()[:3])[0] for ln in lines]
    groups = [hues[0:3], hues[3:6], hues[6:9]]
    for g in groups:  # one hue per surrogate, shades within
        assert max(g) - min(g) < 0.02
    assert min(abs(a[0] - b[0]) for i, a in enumerate(groups) for b in groups[i + 1:]) > 0.05
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[0] == "sigmoid" and legend[4] == "erf" and legend[8] == "slayer_grad"
    assert legend[1].strip() == "$\\alpha$ = 1"
    del real


def test_overview_panels_say_their_values_keep_margins_and_stay_inside():
    from surrogate_cli.gallery.config import load_config
    from surrogate_cli.gallery.draw import OVERVIEW_TITLE, entry_curves
    from surrogate_cli.render.overview import OverviewPanel, overview_figure

    import dataclasses

    config = dataclasses.replace(load_config(os.path.join(ROOT, "configs", "gallery.yaml")), points=201)
    panels = [OverviewPanel(REGISTRY[e.name].class_name, entry_curves(config, e, with_function=False),
                            e.x_range, e.log) for e in config.entries]
    fig = overview_figure(panels, config.overview_columns, config.overview_figsize, OVERVIEW_TITLE)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    W, H = fig.bbox.width, fig.bbox.height
    for ax, panel in zip(fig.axes, panels):
        if len(panel.curves) > 1:
            leg = ax.get_legend()
            assert leg is not None and len(leg.get_texts()) == len(panel.curves), panel.title
        lo = min(float(c.gradient.min()) for c in panel.curves)
        if not panel.log:
            assert ax.get_ylim()[0] < min(lo, 0.0), panel.title  # zero is off the axis line
        (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
        shown = [t for t in ax.get_xticklabels() if x0 <= t.get_position()[0] <= x1]
        shown += [t for t in ax.get_yticklabels() if y0 <= t.get_position()[1] <= y1]
        for t in shown:  # the tick labels drawn (matplotlib also keeps some outside the view)
            if not t.get_visible() or not t.get_text():
                continue
            bb = t.get_window_extent(renderer)
            assert bb.x0 >= 5 and bb.y0 >= 5 and bb.x1 <= W - 5 and bb.y1 <= H - 5, (panel.title, t.get_text())


def test_pdf_output_prints_nothing_on_stderr(tmp_path, monkeypatch, capfd):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["plot", "multi_gaussian_grad", "--points", "51", "-o", "m.pdf"])
    out, err = capfd.readouterr()
    assert exc.value.code == 0 and out == "" and err == "wrote m.pdf\n"  # and nothing from matplotlib
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")
