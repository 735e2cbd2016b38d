"""Sweeps: parsing, grid/zip expansion, validation from the registry, evaluation, user targets."""
import math
import textwrap

import numpy as np
import pytest

from surrogate_cli.library import make_builtin
from surrogate_cli.errors import BadInput
from surrogate_cli.catalog import REGISTRY
from surrogate_cli.cli.parsing import parse_range, parse_spec, parse_values
from surrogate_cli.evaluation import MAX_POINTS, evaluate, expand, resolve
from user_surrogates import TANH_SOURCE


# -- parsing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1,2,4", [1.0, 2.0, 4.0]),
        (" -1.5 , 2e-3 ", [-1.5, 0.002]),
        ("0:1:5", [0.0, 0.25, 0.5, 0.75, 1.0]),
        ("-2:2:3", [-2.0, 0.0, 2.0]),
        ("3:3:1", [3.0]),
        ("log:0.01:100:5", [0.01, 0.1, 1.0, 10.0, 100.0]),
        ("LOG:1:8:4", [1.0, 2.0, 4.0, 8.0]),
    ],
)
def test_parse_values(text, expected):
    got = parse_values(text, "alpha")
    assert len(got) == len(expected)
    np.testing.assert_allclose(got, expected, rtol=1e-14, atol=1e-15)


def test_ranges_hit_their_end_points_exactly():
    assert parse_values("0.1:0.7:7", "a")[-1] == 0.7
    assert parse_values("log:0.3:7.7:9", "a")[-1] == 7.7


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "empty list"),
        ("   ", "empty list"),
        ("1,,2", "empty item"),
        ("1,", "empty item"),
        ("abc", "'abc' is not a number"),
        ("1,x", "'x' is not a number"),
        ("nan", "not finite"),
        ("1,inf", "not finite"),
        ("-inf", "not finite"),
        ("1:2", "not a range"),
        ("1:2:x", "not a whole number"),
        ("1:2:0", "at least 1"),
        ("1:2:1.5", "not a whole number"),
        ("log:0:1:3", "positive start and stop"),
        ("log:-1:1:3", "positive start and stop"),
        ("log:1:2", "not a log range"),
        ("1:2:100000", "too large"),
    ],
)
def test_parse_values_errors(text, fragment):
    with pytest.raises(BadInput, match=None) as err:
        parse_values(text, "alpha")
    assert fragment in str(err.value)
    assert "--alpha" in str(err.value)


@pytest.mark.parametrize(
    "text, fragment",
    [("2,-2", "reversed"), ("1,1", "empty"), ("1", "not an interval"), ("a,1", "not a number"),
     ("0,nan", "not finite"), ("1,2,3", "not an interval")],
)
def test_parse_range_errors(text, fragment):
    with pytest.raises(BadInput) as err:
        parse_range(text, (-1.0, 1.0))
    assert fragment in str(err.value)


def test_parse_range_default_and_given():
    assert parse_range(None, (-2, 2)) == (-2.0, 2.0)
    assert parse_range("-3,0.5", (-2, 2)) == (-3.0, 0.5)


def test_parse_spec():
    assert parse_spec("sigmoid") == ("sigmoid", {})
    assert parse_spec("sigmoid:alpha=2,beta=1") == ("sigmoid", {"alpha": 2.0, "beta": 1.0})
    assert parse_spec("dir/f.py:Cls") == ("dir/f.py:Cls", {})
    assert parse_spec("dir/f.py:Cls:k=3") == ("dir/f.py:Cls", {"k": 3.0})
    assert parse_spec("pkg.mod:Cls") == ("pkg.mod:Cls", {})
    with pytest.raises(BadInput, match="given twice"):
        parse_spec("sigmoid:alpha=1,alpha=2")
    with pytest.raises(BadInput, match="not a number"):
        parse_spec("sigmoid:alpha=x")
    with pytest.raises(BadInput, match="not NAME=VALUE"):
        parse_spec("sigmoid:alpha=1,beta")


# -- expansion ---------------------------------------------------------------------------


def test_grid_is_cartesian_first_parameter_slowest():
    t = resolve("piecewise_leaky_relu")
    sets = expand(t, {"w": [1.0, 2.0], "c": [0.0, 0.1, 0.2]})
    assert len(sets) == 6
    # declared order is (c, w): c varies slowest whatever the order given
    assert [(s["c"], s["w"]) for s in sets] == [
        (0.0, 1.0), (0.0, 2.0), (0.1, 1.0), (0.1, 2.0), (0.2, 1.0), (0.2, 2.0)
    ]


def test_zip_pairs_and_defaults_fill_in():
    t = resolve("s2nn")
    sets = expand(t, {"alpha": [1.0, 2.0], "beta": [3.0, 4.0]}, mode="zip")
    eps = REGISTRY["s2nn"].defaults["epsilon"]
    assert sets == [
        {"alpha": 1.0, "beta": 3.0, "epsilon": eps},
        {"alpha": 2.0, "beta": 4.0, "epsilon": eps},
    ]


def test_zip_unequal_lengths():
    t = resolve("s2nn")
    with pytest.raises(BadInput, match="equal length"):
        expand(t, {"alpha": [1.0, 2.0], "beta": [1.0]}, mode="zip")


def test_no_sweep_is_the_defaults():
    for rec in REGISTRY.values():
        assert expand(resolve(rec.name), {}) == [rec.defaults]


def test_unknown_parameter_lists_the_ones_it_has():
    with pytest.raises(BadInput) as err:
        expand(resolve("sigmoid"), {"beta": [1.0]})
    assert "no parameter 'beta'" in str(err.value) and "alpha" in str(err.value)


@pytest.mark.parametrize("name", list(REGISTRY))
def test_validation_comes_from_the_registry(name):
    """Every parameter: a value just outside its range is refused with the registry's text."""
    rec = REGISTRY[name]
    t = resolve(name)
    for p in rec.params:
        if p.low is None:
            continue
        bad = p.low if p.low_open else p.low - 1.0
        with pytest.raises(BadInput) as err:
            expand(t, {p.name: [p.default, bad]})
        assert p.range_text in str(err.value)
        if p.kind == "int":
            with pytest.raises(BadInput, match="not an integer"):
                expand(t, {p.name: [p.default + 0.5]})


def test_integer_parameters_become_ints():
    sets = expand(resolve("squarewave_fourier_series"), {"n": parse_values("1:3:3", "n")})
    assert [s["n"] for s in sets] == [1, 2, 3]
    assert all(type(s["n"]) is int for s in sets)


# -- evaluation --------------------------------------------------------------------------


def _sigmoid(a, x):
    return 1.0 / (1.0 + np.exp(-a * x))


def test_evaluate_sigmoid_matches_closed_form():
    t = resolve("sigmoid")
    curves = evaluate(t, expand(t, {"alpha": [1.0, 2.0, 4.0]}), (-2.0, 2.0), 101)
    assert [c.params["alpha"] for c in curves] == [1.0, 2.0, 4.0]
    for c in curves:
        a = c.params["alpha"]
        assert c.x.dtype == np.float64 and c.x[0] == -2.0 and c.x[-1] == 2.0 and len(c.x) == 101
        s = _sigmoid(a, c.x)
        np.testing.assert_array_equal(c.spike, (c.x >= 0).astype(float))
        np.testing.assert_allclose(c.function, s, rtol=1e-13)
        np.testing.assert_allclose(c.gradient, a * s * (1 - s), rtol=1e-12, atol=1e-300)
        assert c.swept == ("alpha",) and not c.integrated


@pytest.mark.parametrize("name", [r.name for r in REGISTRY.values() if r.has_fun])
def test_gradient_is_the_derivative_of_the_function(name):
    """Independent check: central differences of g against the spike's gradient, away from breakpoints."""
    rec = REGISTRY[name]
    t = resolve(name)
    (c,) = evaluate(t, [rec.defaults], rec.x_range, 401)
    h = 1e-6
    xs = c.x
    bps = rec.breakpoints(**rec.defaults) if rec.breakpoints else []
    keep = np.all([np.abs(xs - b) > 1e-3 for b in bps], axis=0) if bps else np.ones_like(xs, bool)
    obj = make_builtin(rec)
    import jax.numpy as jnp

    fd = (np.asarray(obj.surrogate_fun(jnp.asarray(xs + h))) - np.asarray(obj.surrogate_fun(jnp.asarray(xs - h)))) / (2 * h)
    np.testing.assert_allclose(c.gradient[keep], fd[keep], rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", [r.name for r in REGISTRY.values() if not r.has_fun])
def test_gradient_only_function_is_integrated_and_anchored(name):
    rec = REGISTRY[name]
    t = resolve(name)
    (c,) = evaluate(t, [rec.defaults], (-3.0, 2.0), 5001)
    assert c.integrated and not c.has_fun
    # g(0) = 0.5 at the anchor (interpolated), and g' = dg/dx (trapezoid => central differences)
    assert abs(np.interp(0.0, c.x, c.function) - 0.5) < 1e-5
    mid = np.diff(c.function) / np.diff(c.x)
    avg = 0.5 * (c.gradient[1:] + c.gradient[:-1])
    np.testing.assert_allclose(mid, avg, rtol=1e-9, atol=1e-12)


def test_grid_not_containing_zero_is_anchored_too():
    t = resolve("gaussian_grad")
    (c,) = evaluate(t, [{"sigma": 1.0, "alpha": 1.0}], (0.5, 3.0), 2001)
    # exact: 0.5 + (Phi(x) - 0.5) for a unit-area standard Gaussian
    exact = 0.5 * (1 + np.vectorize(math.erf)(c.x / math.sqrt(2)))
    np.testing.assert_allclose(c.function, exact, rtol=1e-6)


def test_points_cap():
    t = resolve("sigmoid")
    with pytest.raises(BadInput, match="at least 2"):
        evaluate(t, [{"alpha": 1.0}], (-1, 1), 1)
    with pytest.raises(BadInput, match="too many"):
        evaluate(t, [{"alpha": 1.0}], (-1, 1), MAX_POINTS + 1)


# -- user targets -------------------------------------------------------------------------

USER = TANH_SOURCE + textwrap.dedent(
    """

    class TanhK(Tanh):                   # an integer parameter, and other defaults
        def __init__(self, alpha=2.0, k=3):
            super().__init__(alpha)
            self.k = k

    class GradOnly:                      # not a Surrogate subclass
        def __init__(self, width=1.0):
            self.width = width

        def surrogate_grad(self, x):
            return jnp.where(jnp.abs(x) < self.width, 0.5 / self.width, 0.0)

    class Needs:
        def __init__(self, beta):
            self.beta = beta

        def surrogate_grad(self, x):
            return self.beta * jnp.exp(-jnp.abs(x))

    class Broken(Surrogate):
        def __init__(self, alpha=1.0):
            super().__init__()
            if alpha > 5:
                raise ValueError("alpha too big")
            self.alpha = alpha

        def surrogate_grad(self, x):
            return x * self.alpha

    class NotOne:
        pass
    """
)


@pytest.fixture
def user_file(tmp_path):
    p = tmp_path / "mine.py"
    p.write_text(USER)
    return str(p)


def test_user_subclass_params_from_signature(user_file):
    t = resolve(f"{user_file}:TanhK")
    assert t.name == "TanhK" and t.record is None
    assert t.param_names == ("alpha", "k") and t.defaults == {"alpha": 2.0, "k": 3}
    assert t.has_fun
    curves = evaluate(t, expand(t, {"alpha": [1.0, 4.0]}), (-1.0, 1.0), 51)
    for c in curves:
        a = c.params["alpha"]
        th = np.tanh(a * c.x)
        np.testing.assert_allclose(c.function, 0.5 * th + 0.5, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(c.gradient, 0.5 * a * (1 - th**2), rtol=1e-12)
        assert c.params["k"] == 3


def test_user_plain_object_gradient_only(user_file):
    t = resolve(f"{user_file}:GradOnly")
    assert not t.has_fun
    (c,) = evaluate(t, expand(t, {"width": [0.5]}), (-2.0, 2.0), 4001)
    np.testing.assert_array_equal(c.gradient, np.where(np.abs(c.x) < 0.5, 1.0, 0.0))
    assert c.integrated
    np.testing.assert_allclose(c.function[[0, -1]], [0.0, 1.0], atol=1e-3)


def test_user_errors(user_file, tmp_path):
    with pytest.raises(BadInput, match="needs parameter beta"):
        expand(resolve(f"{user_file}:Needs"), {})
    assert expand(resolve(f"{user_file}:Needs"), {"beta": [2.0]}) == [{"beta": 2.0}]
    with pytest.raises(BadInput, match="no parameter 'gamma'.*alpha, k"):
        expand(resolve(f"{user_file}:TanhK"), {"gamma": [1.0]})
    with pytest.raises(BadInput, match="alpha too big"):
        evaluate(resolve(f"{user_file}:Broken"), [{"alpha": 6.0}], (-1, 1), 11)
    with pytest.raises(BadInput, match="no surrogate_grad"):
        resolve(f"{user_file}:NotOne")
    with pytest.raises(BadInput, match="no class 'Tanhh'.*did you mean 'Tanh'"):
        resolve(f"{user_file}:Tanhh")
    with pytest.raises(BadInput, match="does not exist"):
        resolve(f"{tmp_path}/nope.py:Tanh")
    bad = tmp_path / "bad.py"
    bad.write_text("import no_such_module_xyz\n")
    with pytest.raises(BadInput, match="failed to import"):
        resolve(f"{bad}:X")
    with pytest.raises(BadInput, match="unknown surrogate 'sigmiod'.*did you mean 'sigmoid'"):
        resolve("sigmiod")


def test_builtin_class_by_module_path_uses_the_registry():
    t = resolve("surrogate_cli.library.surrogates:Sigmoid")
    assert t.record is REGISTRY["sigmoid"]
    with pytest.raises(BadInput, match="out of range"):
        expand(t, {"alpha": [-1.0]})


# -- the one-call Python API (curves, plot, properties_of) -----------------------------------


def test_curves_api_grid_zip_and_closed_form():
    import surrogate_cli

    cs = surrogate_cli.curves("S2NN", alpha=[2, 8], beta=(1, 0.5), zip=True, x_range=(-1, 1), points=201)
    assert [(c.params["alpha"], c.params["beta"]) for c in cs] == [(2, 1), (8, 0.5)]
    x = cs[1].x
    s = 1 / (1 + np.exp(-8 * x))
    want = np.where(x < 0, 8 * s * (1 - s), 0.5 / (np.maximum(x, 0) + 1))
    np.testing.assert_allclose(cs[1].gradient, want, rtol=1e-12, atol=1e-15)
    grid = surrogate_cli.curves("s2nn", alpha=[2, 8], beta=(1, 0.5), points=11)
    assert len(grid) == 4
    one = surrogate_cli.curves("sigmoid", alpha=2.0, points=11)
    assert len(one) == 1 and one[0].params == {"alpha": 2.0}
    with pytest.raises(ValueError, match="alpha > 0"):
        surrogate_cli.curves("sigmoid", alpha=[1, 0])


def test_plot_api_returns_a_figure_with_the_panels():
    import surrogate_cli

    fig = surrogate_cli.plot("arctan", alpha=[1, 2], panels=("gradient",))
    from matplotlib.figure import Figure

    assert isinstance(fig, Figure)  # a Figure (subclassed only to show itself in notebooks)
    axes = [ax for ax in fig.axes if ax.get_lines()]
    assert len(axes) == 1 and len(axes[0].get_lines()) == 2 + 1  # two curves + the x = 0 guide


def test_properties_of_accepts_a_name():
    import surrogate_cli

    p = surrogate_cli.properties_of("sigmoid", {"alpha": 2.0})
    assert p.peak_value == pytest.approx(0.5, rel=1e-9) and p.peak_x == pytest.approx(0.0, abs=1e-9)


def test_overlapping_curves_stay_visible():
    """LeakyRelu's (0.1, 1) shares every segment with others: one line width for all, and a
    curve lying on an earlier one is dashed there (its colour in its own slot of the dash)."""
    import numpy as np

    import surrogate_cli

    fig = surrogate_cli.plot("leaky_relu", alpha=[0, 0.1, 0.3, 0.1], beta=[1, 1, 1, 0.5], zip=True,
                             panels=("gradient",))
    lines = [ln for ln in fig.axes[0].get_lines() if np.size(ln.get_xdata()) > 2]
    assert {ln.get_linewidth() for ln in lines} == {lines[0].get_linewidth()}
    dashed = [ln for ln in lines if ln.get_label() == "_overlap"]
    assert len(dashed) == 3  # every curve after the first lies partly on an earlier one
    # (0.1, 1) and (0.3, 1) both lie on (0, 1) for x >= 0: different slots of the dash there
    # (matplotlib has no public getter for a dash pattern: its private one)
    offsets = [ln._unscaled_dash_pattern[0] for ln in dashed]
    assert offsets[0] != offsets[1]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert not any("same curve" in t for t in legend)  # none is hidden entirely
