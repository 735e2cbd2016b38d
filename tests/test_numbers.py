"""Numbers the user can trust: --normalize area over the whole line, normalized CSV marked,
and user surrogates whose gradient is nan or of the wrong shape drawn with one warning."""
import csv
import io
import math
import os
import textwrap

import numpy as np
import pytest

from surrogate_cli.catalog import REGISTRY
from cli_helpers import run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def _peak(rows, name):
    return max(float(r["gradient"]) for r in rows if r["surrogate"] == name)


def test_normalize_area_divides_by_the_whole_line(cwd, capsys):
    # odd point count on a symmetric range: x = 0 is sampled, so the drawn peak is g'(0)
    code, out, err = run(["compare", "sigmoid", "arctan", "erf", "gaussian_grad:sigma=0.3,alpha=2", "--range=-2,2",
                          "--points", "401", "--normalize", "area", "--panels", "gradient", "--csv", "-",
                          "-o", "n.png"], capsys)
    assert code == 0, err
    rows = _rows(out)
    assert set(r["normalize"] for r in rows) == {"area"}
    # unit area: the peak is g'(0) itself (sigmoid alpha/4 = 1, arctan alpha/2, erf alpha/sqrt(pi))
    assert _peak(rows, "sigmoid") == pytest.approx(1.0, rel=1e-12)
    assert _peak(rows, "arctan") == pytest.approx(0.5, rel=1e-12)
    assert _peak(rows, "erf") == pytest.approx(1 / math.sqrt(math.pi), rel=1e-12)
    # area alpha: the normal density of sd sigma at 0
    assert _peak(rows, "gaussian_grad") == pytest.approx(1 / (math.sqrt(2 * math.pi) * 0.3), rel=1e-12)


def test_normalize_peak_is_marked_and_none_has_no_column(cwd, capsys):
    code, out, _ = run(["compare", "sigmoid", "slayer_grad", "--points", "401", "--normalize", "peak",
                        "--csv", "-", "-o", "n.png"], capsys)
    rows = _rows(out)
    assert code == 0 and {r["normalize"] for r in rows} == {"peak"}
    assert _peak(rows, "slayer_grad") == 1.0
    code, out, _ = run(["compare", "sigmoid", "slayer_grad", "--points", "3", "--csv", "-", "-o", "n.png"], capsys)
    assert "normalize" not in out.splitlines()[0]


def test_normalize_area_of_a_user_surrogate_is_numerical_over_the_whole_line(cwd, capsys):
    # FastSigmoid (alpha=2): g' = 1/(1+2|x|)^2, area 1, power-law tails: the plotted range holds only 6/7 of it
    target = os.path.join(EXAMPLES, "other_lib", "surrogates.py") + ":FastSigmoid"
    code, out, err = run(["compare", target, "--range=-3,3", "--points", "601", "--normalize", "area",
                          "--panels", "gradient", "--csv", "-", "-o", "n.png"], capsys)
    assert code == 0, err
    assert _peak(_rows(out), "FastSigmoid") == pytest.approx(1.0, rel=1e-7)


@pytest.mark.parametrize("name", [n for n, r in REGISTRY.items() if r.closed_area() == math.inf][:2])
def test_infinite_area_is_one_clear_line(name, cwd, capsys):
    code, out, err = run(["compare", "sigmoid", name, "--normalize", "area"], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"error: --normalize: cannot divide {name} by its area over the whole line (infinite)")
    assert not os.listdir(cwd)


def test_normalize_help_says_what_area_means(capsys):
    code, out, _ = run(["compare", "--help"], capsys)
    text = " ".join(out.replace("│", " ").split())
    assert "whole real line, not the plotted range" in text


def test_whole_line_area_against_closed_forms():
    from surrogate_cli.evaluation.normalize import whole_line_area

    # 1/(1+|x|)^p has area 2/(p-1); 1/(1+|x|) diverges; exp(-x^2) has area sqrt(pi)
    for p in (2.0, 1.5):
        area, ok = whole_line_area(lambda x: (1 + np.abs(x)) ** -p)
        assert ok and area == pytest.approx(2 / (p - 1), rel=1e-6)
    assert not whole_line_area(lambda x: 1 / (1 + np.abs(x)))[1]
    area, ok = whole_line_area(lambda x: np.exp(-x * x))
    assert ok and area == pytest.approx(math.sqrt(math.pi), rel=1e-10)


BAD = textwrap.dedent(
    """
    import jax.numpy as jnp
    from surrogate_cli import Surrogate

    class NanGrad(Surrogate):
        def surrogate_grad(self, x):
            return jnp.where(x > 1, jnp.nan, jnp.exp(-x * x))

    class Scalar(Surrogate):
        def surrogate_grad(self, x):
            return jnp.asarray(0.5)

    class Column:
        def surrogate_grad(self, x):
            return jnp.exp(-x * x)[..., None]
    """
)


@pytest.mark.parametrize("cls, says", [
    ("NanGrad", "NanGrad: the gradient is nan at 333 of 1000 points (the first at x = 1.00601)"),
    ("Scalar", "Scalar: surrogate_grad returns a scalar for an input of shape"),
    ("Column", "Column: surrogate_grad returns shape ("),
])
def test_a_broken_user_gradient_plots_with_one_warning(cls, says, cwd, capsys):
    (cwd / "bad.py").write_text(BAD)
    code, out, err = run(["plot", f"bad.py:{cls}", "-o", "bad.png", "--csv", "bad.csv"], capsys)
    assert code == 0 and out == ""
    warning, *written = err.splitlines()
    assert written == ["wrote bad.png", "wrote bad.csv"] and warning.startswith(f"warning: {says}")
    assert warning.endswith(f"run 'surrogate verify bad.py:{cls}' for the full checklist")
    assert os.path.getsize("bad.png") > 0


def test_warnings_are_data_for_python(cwd):
    import surrogate_cli

    (cwd / "bad.py").write_text(BAD)
    cs = surrogate_cli.curves("bad.py:NanGrad", points=101, x_range=(-2, 2))
    assert len(cs[0].warnings) == 1 and "nan at" in cs[0].warnings[0]
    assert surrogate_cli.curves("sigmoid", points=11)[0].warnings == []
