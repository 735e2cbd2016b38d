"""Python and Jupyter: figures display themselves (PNG, SVG) without pyplot; compare() in Python."""
import sys

import numpy as np
import pytest

import surrogate_cli

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def fig():
    return surrogate_cli.plot("sigmoid", alpha=[1, 2], points=51)


def test_figures_have_png_and_svg_representations(fig):
    png = fig._repr_png_()
    assert png.startswith(PNG) and len(png) > 1000
    svg = fig._repr_svg_()
    assert isinstance(svg, str) and "<svg" in svg


def test_no_pyplot_state():
    before = sys.modules.get("matplotlib.pyplot")
    nums = before.get_fignums() if before else []
    surrogate_cli.plot("erf", points=21)
    surrogate_cli.compare("erf", "sigmoid", points=21)
    after = sys.modules.get("matplotlib.pyplot")
    assert (after.get_fignums() if after else []) == nums


def test_an_ipython_display_hook_gets_an_image(fig):
    """What a notebook does with a cell's value: IPython's display formatter, when IPython is
    installed (it is not a dependency); otherwise the same protocol it uses, by hand."""
    try:
        from IPython.core.formatters import DisplayFormatter
    except ImportError:
        data = {}
        for mime, method in (("image/png", "_repr_png_"), ("image/svg+xml", "_repr_svg_")):
            data[mime] = getattr(fig, method)()
    else:
        data, _ = DisplayFormatter().format(fig)
    assert data["image/png"][:8] == PNG
    assert "<svg" in data["image/svg+xml"]


def test_compare_in_python_takes_the_command_options():
    f = surrogate_cli.compare("erf", ("gaussian_grad", {"alpha": 2.0}), sigma=[0.3, 0.6], normalize="peak",
                              panels=("gradient",), points=41, x_range=(-2, 2))
    ax = f.axes[0]
    lines = [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]
    assert len(lines) == 3  # erf (no sigma: its defaults), gaussian_grad at alpha 2 and sigma 0.3, 0.6
    for ln in lines:
        assert np.max(np.abs(ln.get_ydata())) == pytest.approx(1.0)
    assert ax.get_ylabel() == "$g'(x)$ / peak" and f._repr_png_().startswith(PNG)
    legend = [t.get_text() for t in f.legends[0].get_texts()]
    assert legend[0] == "erf" and legend[2] == "gaussian_grad"


def test_compare_errors_speak_python():
    with pytest.raises(surrogate_cli.BadInput, match="beta: none of the compared surrogates"):
        surrogate_cli.compare("erf", beta=[1])
    with pytest.raises(surrogate_cli.BadInput, match="normalize: unknown mode 'areas'"):
        surrogate_cli.compare("erf", normalize="areas")
