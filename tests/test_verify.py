"""verify: planted bugs are caught and located; correct (also kinked) surrogates pass; every
built-in passes; the sweep config covers every built-in; JSON schema; the CLI's exit codes
and every error path; assert_surrogate."""
import json
import math
import os
import textwrap

import jax
import jax.numpy as jnp
import pytest

from surrogate_cli import Surrogate, verify
from surrogate_cli.analysis.verify import CHECKS, load_sweep_config
from surrogate_cli.cli import main
from surrogate_cli.errors import BadInput
from surrogate_cli.catalog import REGISTRY, names
from surrogate_cli.testing import assert_surrogate
from cli_helpers import run


# -- synthetic surrogates: a correct reference and planted bugs -----------------------------


def _tanh_f(x, a):
    return 0.5 * jnp.tanh(a * x) + 0.5


def _tanh_g(x, a):
    return 0.5 * a * (1 - jnp.tanh(a * x) ** 2)


class Tanh(Surrogate):
    def __init__(self, alpha=2.0):
        super().__init__()
        self.alpha = alpha

    def surrogate_fun(self, x):
        return _tanh_f(x, self.alpha)

    def surrogate_grad(self, x):
        return _tanh_g(x, self.alpha)


class Factor(Tanh):
    def surrogate_grad(self, x):
        return 1.1 * _tanh_g(x, self.alpha)


class Bump(Tanh):
    """Wrong by ``rel`` only on |x - centre| < 0.01 (a 0.02-wide interval)."""

    def __init__(self, alpha=2.0, centre=0.3, rel=0.05):
        super().__init__(alpha)
        self.centre = centre
        self.rel = rel

    def surrogate_grad(self, x):
        g = _tanh_g(x, self.alpha)
        return jnp.where(jnp.abs(x - self.centre) < 0.01, g * (1 + self.rel), g)


class SignLeft(Tanh):
    def surrogate_grad(self, x):
        g = _tanh_g(x, self.alpha)
        return jnp.where(x < 0, -g, g)


class NanAt(Tanh):
    def surrogate_grad(self, x):
        return jnp.where(x == 0.37, jnp.nan, _tanh_g(x, self.alpha))


class NotJittable(Tanh):
    def surrogate_grad(self, x):
        if x > 0:  # Python control flow on an array value
            return _tanh_g(x, self.alpha)
        return _tanh_g(x, self.alpha)


class TriangularSurrogate(Surrogate):
    """Verbatim from the upstream tutorial: g' peaks at alpha, but d/dx g = alpha/2."""

    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = alpha

    def surrogate_fun(self, x):
        return jnp.clip(0.5 + x * self.alpha / 2, 0.0, 1.0)

    def surrogate_grad(self, x):
        return jnp.maximum(0.0, self.alpha * (1.0 - jnp.abs(x * self.alpha)))


# correct surrogates with kinks


class Asymmetric(Surrogate):
    """The tutorial's asymmetric sigmoid: slopes alpha_neg/4 and alpha_pos/4 meet at 0 (a kink)."""

    def __init__(self, alpha_pos=4.0, alpha_neg=2.0):
        super().__init__()
        self.alpha_pos = alpha_pos
        self.alpha_neg = alpha_neg

    def surrogate_fun(self, x):
        a = jnp.where(x >= 0, self.alpha_pos, self.alpha_neg)
        return 1.0 / (1.0 + jnp.exp(-a * x))

    def surrogate_grad(self, x):
        a = jnp.where(x >= 0, self.alpha_pos, self.alpha_neg)
        s = self.surrogate_fun(x)
        return a * s * (1.0 - s)


class Ramp(Surrogate):
    """Piecewise linear g with slopes 0.05 | 0.4 | 0.1 and kinks at -1.25 and 1.25 (off the
    0.001 grid: 1.25 is on it, so use a shifted window)."""

    def surrogate_fun(self, x):
        lo, hi = -1.2345, 1.1111
        mid = 0.5 + 0.4 * x
        return jnp.where(x < lo, 0.5 + 0.4 * lo + 0.05 * (x - lo),
                         jnp.where(x > hi, 0.5 + 0.4 * hi + 0.1 * (x - hi), mid))

    def surrogate_grad(self, x):
        return jnp.where(x < -1.2345, 0.05, jnp.where(x > 1.1111, 0.1, 0.4))


class Triangle(Surrogate):
    """A correct triangle: g' = max(0, a - a^2|x|), g piecewise quadratic."""

    def __init__(self, alpha=1.3):
        super().__init__()
        self.alpha = alpha

    def surrogate_fun(self, x):
        a = self.alpha
        xc = jnp.clip(x, -1 / a, 1 / a)
        return 0.5 + a * xc - 0.5 * a * a * xc * jnp.abs(xc)

    def surrogate_grad(self, x):
        return jnp.maximum(0.0, self.alpha - self.alpha ** 2 * jnp.abs(x))


class DuckSigmoid:
    """Not a Surrogate subclass: only the two methods (a class from another library)."""

    def surrogate_fun(self, x):
        return jax.nn.sigmoid(3.0 * x)

    def surrogate_grad(self, x):
        s = jax.nn.sigmoid(3.0 * x)
        return 3.0 * s * (1.0 - s)


class Sparse(Tanh):
    """Correct derivative, but the peak is off the threshold and g(0) != 0.5 (shape warnings)."""

    def surrogate_fun(self, x):
        return _tanh_f(x - 0.3, self.alpha)

    def surrogate_grad(self, x):
        return _tanh_g(x - 0.3, self.alpha)


class Raises(Tanh):
    def surrogate_grad(self, x):
        raise ValueError("boom")


class WrongShape(Tanh):
    def surrogate_grad(self, x):
        return jnp.sum(_tanh_g(x, self.alpha))


class IntOut(Tanh):
    def surrogate_grad(self, x):
        return (x > 0).astype(jnp.int32)


PLANTED = {
    "factor": Factor,
    "bump_0.3": Bump(centre=0.3, rel=0.05),
    "bump_-1.2": Bump(centre=-1.2, rel=0.07),
    "bump_2.2_small": Bump(alpha=0.7, centre=2.2, rel=0.05),
    "bump_23.7_wide": Bump(alpha=0.05, centre=23.7, rel=0.05),  # a wide surrogate, far out
    "sign_left": SignLeft,
    "nan_at_0.37": NanAt,
    "tutorial": TriangularSurrogate,
}
CORRECT = {"tanh": Tanh, "asymmetric": Asymmetric, "ramp": Ramp(), "triangle": Triangle, "duck": DuckSigmoid()}


@pytest.fixture(scope="module")
def planted():
    report = verify(list(PLANTED.values()), defaults_only=True)
    return dict(zip(PLANTED, report.surrogates))


@pytest.fixture(scope="module")
def correct():
    report = verify(list(CORRECT.values()), defaults_only=True)
    return dict(zip(CORRECT, report.surrogates))


def _bad(rep, check="derivative"):
    c = rep.check(check)
    assert c.status == "fail", (check, c)
    return c


def test_constant_factor_is_caught(planted):
    c = _bad(planted["factor"])
    assert c.max_rel_error == pytest.approx(0.1, rel=1e-3)
    assert _bad(planted["factor"], "area").max_rel_error > 0.05


@pytest.mark.parametrize("key, centre", [("bump_0.3", 0.3), ("bump_-1.2", -1.2), ("bump_2.2_small", 2.2),
                                         ("bump_23.7_wide", 23.7)])
def test_narrow_bump_is_caught_and_located(planted, key, centre):
    c = _bad(planted[key])
    assert abs(c.worst_x - centre) <= 0.0101, c
    assert 0.04 < c.max_rel_error < 0.08
    assert f"{centre - 0.01:.2f}"[:4] in c.detail or "points in [" in c.detail


def test_sign_error_on_one_side_is_caught_on_that_side(planted):
    c = _bad(planted["sign_left"])
    assert c.worst_x < 0
    assert c.max_rel_error == pytest.approx(2.0, rel=1e-3)
    # a kink exclusion must not hide it: the report lists no kink for a smooth g
    assert planted["sign_left"].kinks == []


def test_nan_at_one_point_is_caught_and_located(planted):
    rep = planted["nan_at_0.37"]
    c = _bad(rep)
    assert c.worst_x == 0.37 and math.isinf(c.max_abs_error)
    assert "nan" in c.detail
    assert rep.check("spike").status == "pass"  # the spike passes g's nan through faithfully


def test_tutorial_triangular_surrogate_is_caught(planted):
    rep = planted["tutorial"]
    c = _bad(rep)
    # d/dx clip(0.5 + x/2) = 1/2 on (-1, 1) while g' = 1 - |x|: wrong by 1/2 at 0 and near +-1
    assert c.max_abs_error == pytest.approx(0.5, abs=1e-3)
    assert -1.0 < c.worst_x < 1.0
    assert rep.kinks == pytest.approx([-1.0, 1.0], abs=1e-9)  # g = clip(...) bends at +-1/alpha


def test_autodiff_defined_by_the_gradient_itself_is_not_trusted():
    """A surrogate_fun whose custom_jvp is the (wrong) gradient: autodiff agrees with it, the
    finite differences of the values do not."""

    @jax.custom_jvp
    def fun(x):
        return jnp.clip(0.5 + x / 2, 0.0, 1.0)

    @fun.defjvp
    def _jvp(primals, tangents):
        return fun(primals[0]), jnp.maximum(0.0, 1.0 - jnp.abs(primals[0])) * tangents[0]

    class Circular(Surrogate):
        def surrogate_fun(self, x):
            return fun(x)

        def surrogate_grad(self, x):
            return jnp.maximum(0.0, 1.0 - jnp.abs(x))

    rep = verify(Circular).surrogates[0]
    c = _bad(rep)
    assert "custom_jvp" in c.detail and -1 < c.worst_x < 1
    assert rep.check("area").status == "fail"


def test_non_jittable_method_fails_jit_with_an_explanation():
    rep = verify(NotJittable).surrogates[0]
    jit = rep.check("jit")
    assert jit.status == "fail"
    assert "jnp.where" in jit.detail and "control flow" in jit.detail
    assert rep.status == "fail"
    # the other checks are not crashes: skipped with the reason, or failed with a message
    for c in rep.checks:
        assert c.status in ("skip", "fail") and c.detail


@pytest.mark.parametrize("cls, text", [(Raises, "ValueError: boom"), (WrongShape, "shape ()"),
                                       (IntOut, "int32")])
def test_broken_methods_fail_the_check_with_the_message(cls, text):
    rep = verify(cls).surrogates[0]
    assert rep.status == "fail"
    assert text in rep.check("derivative").detail


@pytest.mark.parametrize("key", list(CORRECT))
def test_correct_surrogates_pass(correct, key):
    rep = correct[key]
    assert rep.status == "pass", [(c.name, c.status, c.detail) for c in rep.checks]
    assert rep.check("derivative").max_rel_error < 1e-6


def test_kinks_are_found_without_breakpoints(correct):
    assert correct["asymmetric"].kinks == [0.0]
    assert correct["ramp"].kinks == pytest.approx([-1.2345, 1.1111], abs=1e-6)
    assert correct["tanh"].kinks == []
    assert correct["triangle"].kinks == []  # g itself is C1: its derivative g' only has corners


def test_peak_as_a_one_sided_limit_at_zero_is_a_peak_at_the_threshold():
    rep = verify(Asymmetric(alpha_pos=2.0, alpha_neg=4.0)).surrogates[0]  # g'(0-) = 1 > g'(0) = 0.5
    shape = rep.check("shape")
    assert rep.status == "pass" and shape.status == "pass" and "one-sided limit" in shape.detail
    # a plateau as high as the limit is no peak at 0: leaky_relu with alpha > beta needs its exception
    rep = verify("leaky_relu", params={"alpha": 2.0, "beta": 1.0}).surrogates[0]
    assert "peak_at_zero exempt by design" in rep.check("shape").detail
    rep = verify("leaky_relu", params={"alpha": 2.0, "beta": 1.0}, strict=True).surrogates[0]
    assert rep.status == "pass"


def test_shape_warnings_and_strict():
    rep = verify(Sparse)
    shape = rep.surrogates[0].check("shape")
    assert shape.status == "warn" and rep.ok
    assert "peak_at_zero" in shape.detail and "fun_half_at_zero" in shape.detail
    strict = verify(Sparse, strict=True)
    assert not strict.ok and strict.surrogates[0].check("shape").status == "fail"


# -- built-ins -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def builtins_report():
    return verify(names())


def test_every_builtin_passes(builtins_report):
    got = [s.name for s in builtins_report.surrogates]
    assert got == list(REGISTRY)
    for s in builtins_report.surrogates:
        assert s.status == "pass", (s.name, [(c.name, c.status, c.detail) for c in s.checks])
        rec = REGISTRY[s.name]
        want = {"derivative": "pass" if rec.has_fun else "skip"}
        assert s.check("derivative").status == want["derivative"]
        for c in ("area", "spike", "stability", "jit", "shape"):
            assert s.check(c).status == "pass", (s.name, c, s.check(c).detail)


def test_builtin_exceptions_are_explained(builtins_report):
    exempted = set()
    for s in builtins_report.surrogates:
        detail = s.check("shape").detail
        for check, why in REGISTRY[s.name].exceptions.items():
            if f"{check} exempt by design" in detail:
                assert why in detail
                exempted.add((s.name, check))
        assert "exempt by design" not in detail or REGISTRY[s.name].exceptions
    # g(0) = 0, not 0.5, for these three by their formulas: green only thanks to the exception
    for name in ("nonzero_sign_log", "leaky_relu", "log_tailed_relu"):
        assert (name, "fun_half_at_zero") in exempted


def test_builtin_kinks_match_the_formulas(builtins_report):
    by = {s.name: s for s in builtins_report.surrogates}
    # one-sided slopes of g differ: LeakyRelu 0.1 | 1 at 0, PiecewiseLeakyRelu c | 1/(2w) at +-w,
    # LogTailedRelu 0 | 1 at 0 (at x = 1 both sides have slope 1: no kink)
    assert by["leaky_relu"].kinks == [0.0]
    assert by["piecewise_leaky_relu"].kinks == [-1.0, 1.0]
    assert by["log_tailed_relu"].kinks == [0.0]
    for name in ("sigmoid", "piecewise_quadratic", "piecewise_exp", "erf", "s2nn"):
        assert by[name].kinks == [], name


def test_sweep_config_covers_every_builtin_with_the_edge_cases():
    grid = load_sweep_config()
    assert list(grid) == list(REGISTRY)
    for name, sets in grid.items():
        rec = REGISTRY[name]
        for p in rec.params:
            vals = {s[p.name] for s in sets}
            assert len(vals) >= 3 or (name == "s2nn" and p.name == "epsilon"), (name, p.name, vals)
    assert any(s["alpha"] == 1.0 for s in grid["q_pseudo_spike"])
    assert any(s["alpha"] / 4 > s["beta"] for s in grid["s2nn"])
    assert any(s["alpha"] / 4 < s["beta"] for s in grid["s2nn"])
    assert max(s["alpha"] for s in grid["inv_square_grad"]) >= 1e4
    assert max(s["n"] for s in grid["squarewave_fourier_series"]) >= 64


def test_edge_cases_of_the_sweep_pass():
    sets = [("q_pseudo_spike", {"alpha": 1.0}), ("s2nn", {"alpha": 8.0, "beta": 0.5}),
            ("inv_square_grad", {"alpha": 1e4}), ("squarewave_fourier_series", {"n": 64, "t_period": 8.0})]
    for name, params in sets:
        rep = verify(name, params=params)
        assert rep.ok and rep.surrogates[0].status == "pass", (name, rep.surrogates[0].checks)


def test_sweep_config_errors_name_file_and_line(tmp_path):
    bad = {
        "unknown surrogate": ("surrogates:\n  sigmoidd: {}\n", ":2:", "sigmoid"),
        "unknown parameter": ("surrogates:\n  sigmoid:\n    grid: {alpah: [1]}\n", ":3:", "alpha"),
        "out of range": ("surrogates:\n  sigmoid:\n    grid:\n      alpha: [1, -2]\n", ":4:", "out of range"),
        "broken YAML": ("surrogates:\n  sigmoid: {grid: [1, 2\n", ":", "YAML"),
        "unknown key": ("surrogates:\n  sigmoid:\n    gird: {alpha: [1]}\n", ":3:", "did you mean 'grid'"),
    }
    for what, (text, line, word) in bad.items():
        path = tmp_path / "v.yaml"
        path.write_text(text)
        with pytest.raises(BadInput) as exc:
            load_sweep_config(str(path))
        msg = str(exc.value)
        assert f"v.yaml{line}" in msg and word in msg, (what, msg)


def test_a_builtin_the_sweep_config_does_not_name_gets_the_default_grid(tmp_path):
    from surrogate_cli.analysis.verify.config import DEFAULT_FACTORS

    path = tmp_path / "v.yaml"
    path.write_text("surrogates:\n  sigmoid:\n    grid: {alpha: [1, 2]}\n")
    sets = load_sweep_config(str(path))
    assert list(sets) == list(REGISTRY) and sets["sigmoid"] == [{"alpha": 1.0}, {"alpha": 2.0}]
    rec = REGISTRY["erf"]
    assert sets["erf"] == [{"alpha": rec.defaults["alpha"] * f} for f in DEFAULT_FACTORS]


# -- JSON, API -------------------------------------------------------------------------------


def test_report_json_schema(planted):
    from surrogate_cli.analysis.verify.report import RULES, VerifyReport, summary

    reps = [planted["nan_at_0.37"], planted["bump_0.3"]]
    report = VerifyReport(reps, summary(reps, False, 1e-6, 1e-8))
    data = json.loads(report.to_json())
    assert set(data) == {"surrogates", "summary"}
    for s in data["surrogates"]:
        assert set(s) == {"name", "params", "status", "checks", "kinks"}
        assert [c["name"] for c in s["checks"]] == list(CHECKS)
        for c in s["checks"]:
            assert set(c) == {"name", "status", "rule", "max_abs_error", "max_rel_error", "worst_x", "detail"}
            assert c["status"] in ("pass", "fail", "warn", "skip")
            assert (c["rule"] is None) == (c["status"] in ("pass", "skip"))  # every fail or warn names its rule
            assert c["rule"] is None or RULES[c["rule"]][0] == c["status"]
            for k in ("max_abs_error", "max_rel_error", "worst_x"):
                assert c[k] is None or (isinstance(c[k], float) and math.isfinite(c[k]))
    nan_check = data["surrogates"][0]["checks"][0]
    assert nan_check["max_abs_error"] is None and nan_check["worst_x"] == 0.37 and "nan" in nan_check["detail"]
    assert nan_check["rule"] == "non-finite"
    assert data["summary"]["fail"] == 2 and data["summary"]["ok"] is False


def test_assert_surrogate():
    report = assert_surrogate(Tanh(alpha=3.0))
    assert report.ok
    with pytest.raises(AssertionError) as exc:
        assert_surrogate(Bump, params={"centre": 0.3})
    text = str(exc.value)
    assert "deriv" in text and "Bump" in text and "FAIL" in text and "0.29" in text


# -- CLI -------------------------------------------------------------------------------------

USER = textwrap.dedent(
    """
    import jax.numpy as jnp
    from surrogate_cli import Surrogate

    class Good(Surrogate):
        def __init__(self, alpha=2.0):
            super().__init__()
            self.alpha = alpha

        def surrogate_fun(self, x):
            return 0.5 * jnp.tanh(self.alpha * x) + 0.5

        def surrogate_grad(self, x):
            return 0.5 * self.alpha * (1 - jnp.tanh(self.alpha * x) ** 2)

    class Bad(Good):
        def surrogate_grad(self, x):
            return 2.0 * super().surrogate_grad(x)

    class NotOne:
        pass
    """
)


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.py").write_text(USER)
    (tmp_path / "empty.py").write_text("X = 1\n")
    (tmp_path / "broken.py").write_text("raise RuntimeError('kaput')\n")
    return tmp_path


def test_cli_pass_fail_and_json(cwd, capsys):
    code, out, err = run(["verify", "mine.py:Good", "sigmoid", "--json", "r.json"], capsys)
    assert code == 0, out + err
    assert "Good" in out and "sigmoid" in out and "OK:" in out
    data = json.loads((cwd / "r.json").read_text())
    assert [s["name"] for s in data["surrogates"]] == ["Good"] * 3 + ["sigmoid"]  # the automatic sweep
    assert [s["params"]["alpha"] for s in data["surrogates"][:3]] == [2.0, 1.0, 4.0]
    assert data["summary"]["ok"] is True
    code, out, err = run(["verify", "mine.py", "--param", "alpha=3"], capsys)  # every class in the file
    assert code == 1
    assert "Good" in out and "Bad" in out and "FAILED" in out and "alpha=3" in out


@pytest.mark.parametrize(
    "argv, words",
    [
        (["verify"], ["no surrogate to verify", "--all"]),
        (["verify", "--sweep"], ["--sweep needs surrogates", "--all --sweep"]),
        (["verify", "sigmoid", "--rtol", "nan"], ["--rtol", "positive"]),
        (["verify", "sigmoid", "--json", "mine.py/r.json"], ["is a file, not a folder"]),
        (["verify", "sigmiod"], ["unknown surrogate 'sigmiod'", "did you mean 'sigmoid'"]),
        (["verify", "mine.py:Good", "--sweep", "--param", "alpha=2"], ["--sweep takes its parameters"]),
        (["verify", "sigmoid", "--param", "alpha"], ["not NAME=VALUES"]),
        (["verify", "sigmoid", "--param", "alpha=abc"], ["not a number"]),
        (["verify", "sigmoid", "--param", "alpah=2"], ["no parameter 'alpah'", "did you mean 'alpha'"]),
        (["verify", "sigmoid", "--param", "alpha=-1"], ["out of range", "alpha > 0"]),
        (["verify", "sigmoid", "--param", "alpha=1,x"], ["not a number"]),
        (["verify", "--all", "--param", "alpha=2"], ["--param applies to named targets"]),
        (["verify", "nope.py"], ["does not exist"]),
        (["verify", "nope.py:Good"], ["does not exist"]),
        (["verify", "broken.py"], ["failed to import", "kaput"]),
        (["verify", "empty.py"], ["defines no surrogate classes"]),
        (["verify", "mine.py:Goood"], ["has no class 'Goood'", "did you mean 'Good'"]),
        (["verify", "mine.py:NotOne"], ["not a surrogate"]),
        (["verify", "sigmoid", "--rtol", "0"], ["--rtol", "positive"]),
        (["verify", "sigmoid", "--atol", "-1e-3"], ["--atol", "positive"]),
        (["verify", "sigmoid", "--json", "no/such/dir/r.json"], ["does not exist"]),
        (["verify", "sigmoid", "--json=r.txt"], ["unknown output extension"]),
        (["verify", "--all", "--sweep", "--config", "missing.yaml"], ["not found"]),
    ],
)
def test_cli_usage_errors(cwd, capsys, argv, words):
    code, out, err = run(argv, capsys)
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), err
    for w in words:
        assert w in err, (w, err)
    assert not list(cwd.glob("*.json"))


def test_cli_sweep_of_a_named_builtin(cwd, capsys):
    code, out, err = run(["verify", "sigmoid", "--sweep", "--json", "s.json"], capsys)
    assert code == 0, out + err
    data = json.loads((cwd / "s.json").read_text())
    alphas = [s["params"]["alpha"] for s in data["surrogates"]]
    assert alphas == [s["alpha"] for s in load_sweep_config()["sigmoid"]] and len(alphas) > 3


def test_verify_help_does_not_import_jax():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from surrogate_cli.cli import main\n"
        "try:\n"
        "    main(['verify', '--help'])\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "sys.stderr.write('HEAVY:' + ','.join(m for m in ('jax', 'matplotlib') if m in sys.modules))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stderr.strip().endswith("HEAVY:"), res.stderr


def test_cli_unwritable_json_leaves_no_file(cwd, refusing_dir, capsys):
    code, _, err = run(["verify", "sigmoid", "--json", "ro/r.json"], capsys)
    assert code == 2 and "not writable" in err and err.count("\n") == 1
    assert os.listdir(refusing_dir) == []


def test_cli_all_exits_0_and_strict_exits_1(cwd, capsys):
    code, out, err = run(["verify", "--all"], capsys)
    assert code == 0, out + err
    for name in REGISTRY:
        assert name in out
    assert f"{len(REGISTRY)} pass" in out and "exempt" in out
    (cwd / "sparse.py").write_text(USER + textwrap.dedent(
        """
        class Shifted(Good):
            def surrogate_fun(self, x):
                return super().surrogate_fun(x - 0.3)

            def surrogate_grad(self, x):
                return super().surrogate_grad(x - 0.3)
        """))
    code, out, _ = run(["verify", "sparse.py:Shifted"], capsys)
    assert code == 0 and "warn" in out
    code, out, _ = run(["verify", "sparse.py:Shifted", "--strict"], capsys)
    assert code == 1


def test_sweep_config_is_found_from_any_folder_and_ships_with_the_package(tmp_path, monkeypatch):
    import tomllib

    from surrogate_cli.analysis.verify import default_config_path

    monkeypatch.chdir(tmp_path)  # no configs/ here
    assert os.path.isfile(default_config_path())
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, "pyproject.toml"), "rb") as fh:
        tool = tomllib.load(fh)["tool"]["setuptools"]
    assert tool["package-dir"]["surrogate_cli.configs"] == "configs"
    assert "surrogate_cli.configs" in tool["packages"]
    assert tool["package-data"]["surrogate_cli.configs"] == ["*.yaml"]


def test_cli_missing_class_lists_the_classes_the_file_defines(cwd, capsys):
    code, _, err = run(["verify", "mine.py:Goood"], capsys)
    assert code == 2
    assert err.rstrip().endswith("it defines: Good, Bad, NotOne")  # not the imported Surrogate
