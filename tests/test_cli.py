"""The CLI end to end: list, info, plot, compare; CSV against closed forms; every error path."""
import csv
import io
import json
import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from surrogate_cli.cli.options import option_spelling
from surrogate_cli.cli import main
from surrogate_cli.catalog import REGISTRY
from cli_helpers import run
from user_surrogates import TANH_SOURCE


USER = TANH_SOURCE + textwrap.dedent(
    """

    class Box:
        def __init__(self, half=1.0):
            self.half = half

        def surrogate_grad(self, x):
            return jnp.where(jnp.abs(x) <= self.half, 0.5 / self.half, 0.0)

    class Empty:
        pass
    """
)


@pytest.fixture
def user(cwd):
    (cwd / "mine.py").write_text(USER)
    (cwd / "broken.py").write_text("import math\nraise RuntimeError('kaput')\n")
    return "mine.py"


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


# -- list / help -------------------------------------------------------------------------


def test_list_json_covers_the_registry(capsys):
    code, out, _ = run(["list", "--json"], capsys)
    assert code == 0
    rows = json.loads(out)
    assert [r["name"] for r in rows] == list(REGISTRY)


def test_list_table(capsys):
    code, out, _ = run(["list"], capsys)
    assert code == 0
    for rec in REGISTRY.values():
        assert rec.class_name in out


@pytest.mark.parametrize("argv", [["--help"], ["list", "--help"]])
def test_help_imports_neither_jax_nor_matplotlib(argv):
    code = (
        "import sys\n"
        "from surrogate_cli.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "bad = [m for m in ('jax', 'jaxlib', 'matplotlib') if m in sys.modules]\n"
        "sys.stderr.write('HEAVY:' + ','.join(bad))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stderr.strip().endswith("HEAVY:"), res.stderr


def test_plot_help_lists_every_registry_parameter(capsys):
    code, out, _ = run(["plot", "--help"], capsys)
    assert code == 0
    for rec in REGISTRY.values():
        for p in rec.params:
            assert option_spelling(p.name) in out


# -- CSV against closed forms --------------------------------------------------------------


def _sig(a, x):
    return 1.0 / (1.0 + np.exp(-a * x))


def test_plot_csv_plain_sweep(cwd, capsys):
    code, out, err = run(["plot", "sigmoid", "--alpha", "1,2,4", "--points", "201", "--csv", "-"], capsys)
    assert code == 0, err
    rows = read_csv(out)
    assert list(rows[0]) == ["surrogate", "alpha", "x", "spike", "function", "gradient"]
    assert len(rows) == 3 * 201
    for a in (1.0, 2.0, 4.0):
        sub = [r for r in rows if float(r["alpha"]) == a]
        x = np.array([float(r["x"]) for r in sub])
        np.testing.assert_allclose(x, np.linspace(-2, 2, 201), rtol=0, atol=0)  # the registry range
        s = _sig(a, x)
        np.testing.assert_array_equal([float(r["spike"]) for r in sub], (x >= 0).astype(float))
        np.testing.assert_allclose([float(r["function"]) for r in sub], s, rtol=1e-13)
        np.testing.assert_allclose([float(r["gradient"]) for r in sub], a * s * (1 - s), rtol=1e-12)
    # the figure still goes to NAME.png, its path reported on stderr (stdout is the CSV)
    assert (cwd / "sigmoid.png").exists() and "sigmoid.png" in err


def test_plot_csv_zip_sweep(cwd, capsys):
    code, out, err = run(
        ["plot", "s2nn", "--alpha", "2,8", "--beta", "0.5,2", "--zip", "--range=-2,3", "--points", "101",
         "--csv", "s.csv", "-o", "s.svg"], capsys)
    assert code == 0, err
    assert out == "" and err.splitlines() == ["wrote s.svg", "wrote s.csv"]
    rows = read_csv((cwd / "s.csv").read_text())
    assert list(rows[0]) == ["surrogate", "alpha", "beta", "epsilon", "x", "spike", "function", "gradient"]
    pairs = sorted({(float(r["alpha"]), float(r["beta"])) for r in rows})
    assert pairs == [(2.0, 0.5), (8.0, 2.0)]
    for a, b in pairs:
        sub = [r for r in rows if (float(r["alpha"]), float(r["beta"])) == (a, b)]
        x = np.array([float(r["x"]) for r in sub])
        eps = float(sub[0]["epsilon"])
        assert eps == 1e-8 and x[0] == -2.0 and x[-1] == 3.0
        s = _sig(a, x)
        g = np.where(x < 0, s, b * np.log(np.maximum(x, 0) + 1 + eps) + 0.5)
        dg = np.where(x < 0, a * s * (1 - s), b / (np.maximum(x, 0) + 1))
        np.testing.assert_allclose([float(r["function"]) for r in sub], g, rtol=1e-12)
        np.testing.assert_allclose([float(r["gradient"]) for r in sub], dg, rtol=1e-12)


def test_plot_csv_grid_sweep_with_param_option(cwd, capsys):
    code, out, err = run(
        ["plot", "piecewise_leaky_relu", "--c", "0,0.05", "--param", "w=0.5:2:2", "--points", "61",
         "--csv", "-", "-o", "p.pdf"], capsys)
    assert code == 0, err
    rows = read_csv(out)
    combos = list(dict.fromkeys((float(r["c"]), float(r["w"])) for r in rows))
    assert combos == [(0.0, 0.5), (0.0, 2.0), (0.05, 0.5), (0.05, 2.0)]
    for c, w in combos:
        sub = [r for r in rows if (float(r["c"]), float(r["w"])) == (c, w)]
        x = np.array([float(r["x"]) for r in sub])
        g = np.where(x < -w, c * x + c * w, np.where(x > w, c * x - c * w + 1, x / (2 * w) + 0.5))
        dg = np.where(np.abs(x) > w, c, 1 / (2 * w))
        np.testing.assert_allclose([float(r["function"]) for r in sub], g, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose([float(r["gradient"]) for r in sub], dg, rtol=1e-12)
    assert (cwd / "p.pdf").read_bytes().startswith(b"%PDF")


def test_gradient_only_csv_has_empty_function(cwd, capsys):
    code, out, _ = run(["plot", "relu_grad", "--width", "0.5", "--points", "11", "--csv", "-", "-o", "r.png"], capsys)
    assert code == 0
    rows = read_csv(out)
    assert all(r["function"] == "" for r in rows)
    x = np.array([float(r["x"]) for r in rows])
    np.testing.assert_allclose([float(r["gradient"]) for r in rows], np.maximum(0, 0.3 * (0.5 - np.abs(x))))


# -- figures -------------------------------------------------------------------------------


def test_plot_default_file_is_name_png(cwd, capsys):
    code, out, err = run(["plot", "Sigmoid", "--alpha", "1,2,4", "--points", "50"], capsys)
    assert code == 0
    assert out == "" and err == "wrote sigmoid.png\n"
    data = (cwd / "sigmoid.png").read_bytes()
    assert data.startswith(b"\x89PNG")
    assert [p for p in os.listdir(cwd) if p.endswith(".tmp")] == []


def test_plot_png_size_follows_dpi(cwd, capsys):
    from matplotlib.image import imread

    assert run(["plot", "erf", "-o", "a.png", "--dpi", "50", "--points", "50", "--panels", "gradient",
                "--log"], capsys)[0] == 0
    assert run(["plot", "erf", "-o", "b.png", "--dpi", "100", "--points", "50", "--panels", "gradient",
                "--log"], capsys)[0] == 0
    a, b = imread(cwd / "a.png"), imread(cwd / "b.png")
    assert b.shape[0] == pytest.approx(2 * a.shape[0], abs=2) and b.shape[1] == pytest.approx(2 * a.shape[1], abs=2)


def test_plot_user_surrogates(user, cwd, capsys):
    code, out, err = run(["plot", f"{user}:Tanh", "--param", "alpha=1,3", "--points", "21", "--csv", "-",
                          "-o", "t.png"], capsys)
    assert code == 0, err
    rows = read_csv(out)
    assert {r["surrogate"] for r in rows} == {"Tanh"} and {r["alpha"] for r in rows} == {"1.0", "3.0"}
    for r in rows:
        a, x = float(r["alpha"]), float(r["x"])
        assert float(r["gradient"]) == pytest.approx(0.5 * a * (1 - math.tanh(a * x) ** 2), rel=1e-12)
    code, out, err = run(["plot", f"{user}:Box", "-o", "box.svg", "--points", "21"], capsys)
    assert code == 0, err and (cwd / "box.svg").exists()


def test_compare_with_inline_params_and_normalize(cwd, capsys):
    code, out, err = run(
        ["compare", "sigmoid:alpha=2", "arctan", "gaussian_grad:sigma=0.3", "--normalize", "peak",
         "--points", "101", "--csv", "-", "-o", "c.png"], capsys)
    assert code == 0, err
    rows = read_csv(out)
    assert list(rows[0]) == ["surrogate", "alpha", "sigma", "normalize", "x", "spike", "function", "gradient"]
    assert {r["normalize"] for r in rows} == {"peak"}
    for name in ("sigmoid", "arctan", "gaussian_grad"):
        g = [float(r["gradient"]) for r in rows if r["surrogate"] == name]
        assert max(g) == pytest.approx(1.0, rel=1e-12)
    x = [float(r["x"]) for r in rows if r["surrogate"] == "sigmoid"]
    assert (x[0], x[-1]) == (-4.0, 4.0)  # the union of the default ranges
    assert {r["alpha"] for r in rows if r["surrogate"] == "sigmoid"} == {"2.0"}
    assert (cwd / "c.png").exists()


def test_compare_area_normalization_and_shared_sweep(cwd, capsys):
    code, out, err = run(["compare", "sigmoid", "erf", "--alpha", "1,2", "--normalize", "area",
                          "--range=-8,8", "--points", "2001", "--csv", "-", "-o", "c.svg"], capsys)
    assert code == 0, err
    rows = read_csv(out)
    for name in ("sigmoid", "erf"):
        for a in ("1.0", "2.0"):
            sub = [r for r in rows if r["surrogate"] == name and r["alpha"] == a]
            x = np.array([float(r["x"]) for r in sub])
            g = np.array([float(r["gradient"]) for r in sub])
            # divided by the whole-line area (1): what lies in [-8, 8] is 1 minus the tails beyond
            al = float(a)
            inside = 1 - 2 / (1 + math.exp(8 * al)) if name == "sigmoid" else math.erf(8 * al)
            assert np.sum(0.5 * (g[1:] + g[:-1]) * np.diff(x)) == pytest.approx(inside, rel=1e-5)
            assert {r["normalize"] for r in sub} == {"area"}


def test_info_text_and_json(capsys):
    code, out, _ = run(["info", "piecewise_quadratic", "--alpha", "2"], capsys)
    assert code == 0
    for text in ("PiecewiseQuadratic", "alpha > 0", "Esser", "compact: [-0.5, 0.5]", "g(0)"):
        assert text in out
    code, out, _ = run(["info", "gaussian_grad", "--sigma", "0.5", "--json"], capsys)
    data = json.loads(out)
    assert data["properties"]["area_closed_form"] == 0.5
    assert data["properties"]["fwhm"] == pytest.approx(2 * math.sqrt(2 * math.log(2)) * 0.5, rel=1e-9)
    assert data["g"] is None and data["has_fun"] is False


def test_info_user_surrogate(user, capsys):
    code, out, err = run(["info", f"{user}:Tanh", "--param", "alpha=2", "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["builtin"] is False and data["properties"]["peak_value"] == pytest.approx(1.0)


# -- every error path: one line on stderr, exit 2, no traceback, no file --------------------

ERRORS = [
    (["plot", "sigmod"], "did you mean 'sigmoid'"),
    (["compare", "sigmoid", "arctn"], "did you mean 'arctan'"),
    (["info", "relu-gard"], "did you mean 'relu_grad'"),
    (["plot", "sigmoid", "--beta", "2"], "its parameters are: alpha"),
    (["plot", "s2nn", "--param", "gamma=1"], "its parameters are: alpha, beta, epsilon"),
    (["info", "sigmoid", "--sigma", "1"], "no parameter 'sigma'"),
    (["compare", "sigmoid", "erf", "--width", "1"], "--width: none of the compared surrogates has this parameter"),
    (["compare", "sigmoid:beta=1"], "no parameter 'beta'"),
    (["plot", "sigmoid", "--alpha", "abc"], "'abc' is not a number"),
    (["plot", "sigmoid", "--alpha", "1,two"], "'two' is not a number"),
    (["compare", "sigmoid:alpha=x"], "'x' is not a number"),
    (["plot", "sigmoid", "--alpha", "nan"], "not finite"),
    (["plot", "sigmoid", "--alpha", "inf"], "not finite"),
    (["plot", "sigmoid", "--range=-inf,1"], "not finite"),
    (["plot", "gaussian_grad", "--sigma", "0"], "sigma > 0"),
    (["plot", "squarewave_fourier_series", "--n", "2.5"], "not an integer"),
    (["plot", "squarewave_fourier_series", "--n", "0"], "n >= 1"),
    (["plot", "relu_grad", "--width=-1"], "width > 0"),
    (["plot", "leaky_relu", "--alpha=-0.5"], "alpha >= 0"),
    (["info", "sigmoid", "--alpha", "0"], "alpha > 0"),
    (["compare", "erf:alpha=-1"], "alpha > 0"),
    (["plot", "sigmoid", "--alpha="], "empty list"),
    (["plot", "sigmoid", "--alpha", "1,,2"], "empty item"),
    (["plot", "sigmoid", "--param", "alpha="], "empty list"),
    (["plot", "sigmoid", "--param", "alpha"], "not NAME=VALUES"),
    (["plot", "sigmoid", "--alpha", "1", "--param", "alpha=2"], "given twice"),
    (["info", "sigmoid", "--alpha", "1,2"], "info takes one value"),
    (["plot", "s2nn", "--alpha", "1,2", "--beta", "1,2,3", "--zip"], "equal length"),
    (["plot", "sigmoid", "--range", "2,-2"], "reversed"),
    (["plot", "sigmoid", "--range", "1,1"], "empty"),
    (["plot", "sigmoid", "--range", "1"], "not an interval"),
    (["plot", "sigmoid", "--points", "1"], "at least 2 points"),
    (["plot", "sigmoid", "--points", "0"], "at least 2 points"),
    (["plot", "sigmoid", "--points", "1000001"], "at most 1000000"),
    (["plot", "sigmoid", "--points", "many"], "--points"),
    (["plot", "sigmoid", "-o", "f.jpg"], "unknown output extension"),
    (["plot", "sigmoid", "-o", "f"], "unknown output extension"),
    (["plot", "sigmoid", "--csv", "f.txt"], "unknown output extension"),
    (["plot", "sigmoid", "-o", "missing/f.png"], "does not exist"),
    (["plot", "sigmoid", "--csv", "missing/f.csv"], "does not exist"),
    (["plot", "sigmoid", "-o", "mine.py/f.png"], "is a file, not a folder"),
    (["plot", "sigmoid", "--csv", "mine.py/f.csv"], "is a file, not a folder"),
    (["plot", "sigmoid", "--panels", "spike,grad"], "did you mean 'gradient'"),
    (["plot", "sigmoid", "--panels", ""], "no panel"),
    (["plot", "sigmoid", "--dpi", "0"], "--dpi"),
    (["compare", "sigmoid", "--normalize", "max"], "choose from none, peak, area"),
    (["plot", "sigmoid", "--alpha", "log:0:1:3"], "positive start and stop"),
    (["plot", "sigmoid", "--alpha", "1:2:0"], "at least 1"),
    (["plot", "nothere.py:Cls"], "does not exist"),
    (["plot", "broken.py:Cls"], "failed to import: RuntimeError: kaput"),
    (["plot", "mine.py:Nope"], "has no class 'Nope'"),
    (["plot", "mine.py:Empty"], "no surrogate_grad"),
    (["plot", "mine.py:Tanh", "--param", "beta=1"], "its parameters are: alpha"),
    (["plot", "mine.py:Tanh", "--alpha", "nan"], "not finite"),
    (["plot", "no_such_pkg_xyz.mod:Cls"], "not found"),
    (["plot", "sigmoid", "--show"], "--show"),
    (["plot", "sigmoid", "--bogus", "1"], "No such option"),
]


@pytest.mark.parametrize("argv, fragment", ERRORS, ids=[" ".join(a) for a, _ in ERRORS])
def test_error_paths(argv, fragment, user, cwd, capsys, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    before = sorted(os.listdir(cwd))
    code, out, err = run(argv, capsys)
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert fragment in err
    assert "Traceback" not in err
    assert sorted(os.listdir(cwd)) == before  # no output file, no temporary left behind


def test_unwritable_output_folder(cwd, refusing_dir, capsys):
    for argv in (["plot", "sigmoid", "-o", "ro/f.png"], ["plot", "sigmoid", "-o", "f.png", "--csv", "ro/f.csv"]):
        code, _, err = run(argv, capsys)
        assert code == 2 and "not writable" in err and err.count("\n") == 1
    assert os.listdir(refusing_dir) == [] and not (cwd / "f.png").exists()


def test_debug_shows_the_traceback(cwd, capsys):
    from surrogate_cli.errors import BadInput

    with pytest.raises(BadInput):
        main(["--debug", "plot", "sigmod"])


def test_end_to_end_subprocess(tmp_path):
    exe = os.path.join(os.path.dirname(sys.executable), "surrogate")
    cmd = [exe] if os.path.exists(exe) else [sys.executable, "-m", "surrogate_cli"]
    res = subprocess.run(cmd + ["plot", "sigmoid", "--alpha", "1,2,4"], cwd=tmp_path, capture_output=True,
                         text=True, env={**os.environ, "MPLBACKEND": "Agg"})
    assert res.returncode == 0 and res.stdout == "" and res.stderr == "wrote sigmoid.png\n"
    assert (tmp_path / "sigmoid.png").read_bytes().startswith(b"\x89PNG")
    res = subprocess.run(cmd + ["plot", "sigmoid", "--sigma", "1"], cwd=tmp_path, capture_output=True, text=True)
    assert res.returncode == 2 and res.stderr.startswith("error: ") and "Traceback" not in res.stderr


def test_the_process_ends_with_the_commands_code_and_all_its_output(tmp_path):
    """The entry point ends the process with os._exit after the exit handlers: every byte
    written reaches the pipe (a CSV of 10**5 rows on stdout), and the code is the
    command's: 0, 2 for bad input, 1 for a failed check, 1 with the traceback of --debug."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": root}
    cmd = [sys.executable, "-m", "surrogate_cli"]

    def run_(*args):
        return subprocess.run(cmd + list(args), cwd=tmp_path, capture_output=True, text=True, env=env)

    res = run_("plot", "sigmoid", "--points", "100000", "--csv", "-", "--panels", "gradient")
    rows = res.stdout.splitlines()
    assert res.returncode == 0 and len(rows) == 1 + 100000 and rows[-1].count(",") == rows[0].count(","), res.stderr
    assert run_("plot", "sigmod").returncode == 2
    (tmp_path / "wrong.py").write_text(
        "import jax.numpy as jnp\n"
        "from surrogate_cli import Surrogate\n"
        "class Wrong(Surrogate):\n"
        "    def surrogate_fun(self, x):\n"
        "        return jnp.tanh(x)\n"
        "    def surrogate_grad(self, x):\n"
        "        return 2 * (1 - jnp.tanh(x) ** 2)\n")
    res = run_("verify", "wrong.py:Wrong")
    assert res.returncode == 1 and "Traceback" not in res.stderr, res.stderr
    res = run_("plot", "sigmoid", "--alpha", "-1", "--debug")
    assert res.returncode == 1 and "Traceback" in res.stderr
    # under a tracer (coverage, a debugger) the exit handlers registered before the CLI's
    # still run: they save what they measured
    script = ("import atexit, sys\n"
              "atexit.register(lambda: open('saved', 'w').write('yes'))\n"
              "if sys.argv[1] == 'traced':\n"
              "    sys.settrace(lambda *a: None)\n"
              "sys.argv = ['surrogate', 'list']\n"
              "from surrogate_cli.__main__ import main\n"
              "main()\n")
    for mode, saved in (("traced", True), ("plain", False)):
        res = subprocess.run([sys.executable, "-c", script, mode], cwd=tmp_path, capture_output=True, text=True,
                             env=env)
        assert res.returncode == 0 and "18 built-in surrogates" in res.stdout, res.stderr
        assert (tmp_path / "saved").exists() == saved, mode
        (tmp_path / "saved").unlink(missing_ok=True)
