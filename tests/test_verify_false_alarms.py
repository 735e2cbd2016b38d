"""verify cries no wolf (issue 20): correct surrogates as researchers write them pass, with the
automatic sweep on. Each class's surrogate_grad is the exact derivative of its surrogate_fun:
boxes and one-sided boxes of unround widths (edges nowhere near a grid point), triangles,
truncated exponentials, smooth surrogates computed in float32 or bfloat16 inside, a
surrogate_fun that overflows only beyond 1e30, piecewise functions built from jnp.where. The
three reported false alarms among them are checked through the CLI (exit 0) with their wording.
Every built-in and every foreign surrogate, wrapped as a user class (no catalog breakpoints),
is in tests/test_verify_false_alarms_builtins.py and tests/test_verify_false_alarms_foreign.py."""
import json

import pytest

from surrogate_cli import verify
from cli_helpers import run

USER = '''
import jax
import jax.numpy as jnp
from surrogate_cli import Surrogate


class IssueBox(Surrogate):
    """g' = a/2 on |x| < 1/a: at a = 2.7 the edges are at +-0.37037..."""
    def __init__(self, alpha=2.7):
        super().__init__()
        self.alpha = alpha
    def surrogate_fun(self, x):
        return jnp.clip(0.5 + self.alpha * x / 2, 0.0, 1.0)
    def surrogate_grad(self, x):
        return jnp.where(jnp.abs(x) < 1 / self.alpha, self.alpha / 2, 0.0)


class IssueFloat32(Surrogate):
    """a sigmoid computed in float32 inside (mixed-precision habit)"""
    def __init__(self, alpha=4.0):
        super().__init__()
        self.alpha = alpha
    def surrogate_fun(self, x):
        return jax.nn.sigmoid(self.alpha * x.astype(jnp.float32)).astype(x.dtype)
    def surrogate_grad(self, x):
        s = jax.nn.sigmoid(self.alpha * x.astype(jnp.float32))
        return (self.alpha * s * (1 - s)).astype(x.dtype)


class IssueSignLog(Surrogate):
    """braintools 0.1.10's NonzeroSignLog: log(|alpha x| + 1) is inf at x = 3.4e38 for alpha = 2"""
    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = alpha
    def surrogate_fun(self, x):
        return jnp.where(x < 0, -1.0, 1.0) * jnp.log(jnp.abs(self.alpha * x) + 1)
    def surrogate_grad(self, x):
        return 1 / (1 / self.alpha + jnp.abs(x))


class Box(Surrogate):
    def __init__(self, width=0.37037):
        super().__init__()
        self.width = width
    def surrogate_fun(self, x):
        return jnp.clip(0.5 + x / (2 * self.width), 0.0, 1.0)
    def surrogate_grad(self, x):
        return jnp.where(jnp.abs(x) < self.width, 0.5 / self.width, 0.0)


class BoxNarrow(Box):
    def __init__(self, width=0.0263):
        super().__init__(width)


class BoxWide(Box):
    def __init__(self, width=18.3):
        super().__init__(width)


class OneSidedBox(Surrogate):
    def __init__(self, width=0.0731):
        super().__init__()
        self.width = width
    def surrogate_fun(self, x):
        return jnp.clip(x / self.width, 0.0, 1.0)
    def surrogate_grad(self, x):
        return jnp.where((x >= 0) & (x < self.width), 1 / self.width, 0.0)


class OneSidedBoxWide(OneSidedBox):
    def __init__(self, width=5.3):
        super().__init__(width)


class Triangle(Surrogate):
    def __init__(self, width=0.0419):
        super().__init__()
        self.width = width
    def surrogate_fun(self, x):
        u = jnp.clip(x / self.width, -1.0, 1.0)
        return 0.5 + u - u * jnp.abs(u) / 2
    def surrogate_grad(self, x):
        return jnp.maximum(0.0, 1 - jnp.abs(x) / self.width) / self.width


class TriangleWide(Triangle):
    def __init__(self, width=3.3):
        super().__init__(width)


class TruncatedExp(Surrogate):
    """a Laplace bump cut off at |x| = cut, renormalised"""
    def __init__(self, alpha=2.3, cut=1.37):
        super().__init__()
        self.alpha, self.cut = alpha, cut
    def surrogate_fun(self, x):
        z = 1 - jnp.exp(-self.alpha * self.cut)
        r = jnp.minimum(jnp.abs(x), self.cut)
        return 0.5 + jnp.where(x < 0, -1.0, 1.0) * (1 - jnp.exp(-self.alpha * r)) / (2 * z)
    def surrogate_grad(self, x):
        z = 1 - jnp.exp(-self.alpha * self.cut)
        return jnp.where(jnp.abs(x) < self.cut, self.alpha / (2 * z) * jnp.exp(-self.alpha * jnp.abs(x)), 0.0)


class TanhFloat32(Surrogate):
    def __init__(self, alpha=2.0):
        super().__init__()
        self.alpha = alpha
    def surrogate_fun(self, x):
        return (0.5 * jnp.tanh(self.alpha * x.astype(jnp.float32)) + 0.5).astype(x.dtype)
    def surrogate_grad(self, x):
        t = jnp.tanh(self.alpha * x.astype(jnp.float32))
        return (0.5 * self.alpha * (1 - t * t)).astype(x.dtype)


class SigmoidBfloat16(Surrogate):
    def __init__(self, alpha=4.0):
        super().__init__()
        self.alpha = alpha
    def surrogate_fun(self, x):
        return jax.nn.sigmoid(self.alpha * x.astype(jnp.bfloat16)).astype(x.dtype)
    def surrogate_grad(self, x):
        s = jax.nn.sigmoid(self.alpha * x.astype(jnp.bfloat16))
        return (self.alpha * s * (1 - s)).astype(x.dtype)


class SoftSignOverflow(Surrogate):
    """alpha x / (1 + alpha |x|) is inf / inf = nan only where alpha x overflows (beyond 1e30)"""
    def __init__(self, alpha=2.0):
        super().__init__()
        self.alpha = alpha
    def surrogate_fun(self, x):
        return 0.5 + 0.5 * self.alpha * x / (1 + self.alpha * jnp.abs(x))
    def surrogate_grad(self, x):
        return 0.5 * self.alpha / (1 + self.alpha * jnp.abs(x)) ** 2


class LeakyPieces(Surrogate):
    """three pieces: slope c outside |x| < w, 1/(2w) inside"""
    def __init__(self, c=0.031, w=0.77):
        super().__init__()
        self.c, self.w = c, w
    def surrogate_fun(self, x):
        c, w = self.c, self.w
        return jnp.where(x < -w, c * (x + w), jnp.where(x > w, c * (x - w) + 1, x / (2 * w) + 0.5))
    def surrogate_grad(self, x):
        return jnp.where(jnp.abs(x) < self.w, 1 / (2 * self.w), self.c)


class Trapezoid(Surrogate):
    """five pieces: 0, a ramp up to -a, flat on [-a, a], a ramp down to b, 0"""
    def __init__(self, a=0.31, b=0.87):
        super().__init__()
        self.a, self.b = a, b
    def surrogate_fun(self, x):
        a, b = self.a, self.b
        h = 1 / (a + b)
        return jnp.where(x <= -b, 0.0, jnp.where(x <= -a, h * (x + b) ** 2 / (2 * (b - a)), jnp.where(
            x <= a, h * (b - a) / 2 + h * (x + a), jnp.where(x <= b, 1 - h * (b - x) ** 2 / (2 * (b - a)), 1.0))))
    def surrogate_grad(self, x):
        a, b = self.a, self.b
        h = 1 / (a + b)
        ramp = h * (b - jnp.abs(x)) / (b - a)
        return jnp.where(jnp.abs(x) <= a, h, jnp.where(jnp.abs(x) <= b, ramp, 0.0))
'''

CLASSES = ["IssueBox", "IssueFloat32", "IssueSignLog", "Box", "BoxNarrow", "BoxWide", "OneSidedBox",
           "OneSidedBoxWide", "Triangle", "TriangleWide", "TruncatedExp", "TanhFloat32", "SigmoidBfloat16",
           "SoftSignOverflow", "LeakyPieces", "Trapezoid"]


@pytest.fixture(scope="module")
def user_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("false_alarms") / "researchers.py"
    path.write_text(USER)
    return path


@pytest.fixture(scope="module")
def cli_report(user_file):
    """``surrogate verify researchers.py --json``: every class, its automatic sweep, one run."""
    import contextlib  # capsys is function-scoped: capture by hand
    import io

    out, err = io.StringIO(), io.StringIO()
    from surrogate_cli.cli import main

    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["verify", str(user_file), "--json"])
            code = 0
        except SystemExit as exc:
            code = exc.code
    return code, json.loads(out.getvalue()), err.getvalue()


def _sets(data, name):
    return [s for s in data["surrogates"] if s["name"] == name]


def _check(s, name):
    return next(c for c in s["checks"] if c["name"] == name)


def test_no_false_alarm_and_exit_0(cli_report):
    code, data, err = cli_report
    fails = [(s["name"], s["params"], c["name"], c["detail"]) for s in data["surrogates"] for c in s["checks"]
             if c["status"] == "fail"]
    assert fails == [] and code == 0 and err == "", fails
    assert [n for n in CLASSES if not _sets(data, n)] == []
    assert all(len(_sets(data, n)) >= 3 for n in CLASSES)  # the automatic sweep ran: defaults, x0.5, x2


def test_the_sweep_covers_the_widths(cli_report):
    _, data, _ = cli_report
    widths = {s["params"]["width"] for n in ("Box", "BoxNarrow", "BoxWide") for s in _sets(data, n)}
    assert len({w for w in widths if 0.013 <= w <= 37}) >= 5, widths
    one_sided = {s["params"]["width"] for n in ("OneSidedBox", "OneSidedBoxWide") for s in _sets(data, n)}
    assert len(one_sided) >= 5, one_sided


def test_box_with_unround_edges_integrates_right(cli_report):
    _, data, _ = cli_report
    for s in _sets(data, "IssueBox") + _sets(data, "Box") + _sets(data, "OneSidedBox"):
        area = _check(s, "area")
        assert area["status"] == "pass" and "matches" in area["detail"], (s["params"], area)
        assert len(s["kinks"]) == 2  # the edges, found without breakpoints


def test_float32_inside_is_measured_and_named(cli_report):
    _, data, _ = cli_report
    for name, precision in (("IssueFloat32", "float32"), ("TanhFloat32", "float32"),
                            ("SigmoidBfloat16", "bfloat16")):
        for s in _sets(data, name):
            c = _check(s, "derivative")
            assert c["status"] == "pass" and f"delivers {precision} precision" in c["detail"], (name, s["params"], c)
            assert "custom_jvp" not in c["detail"]


def test_overflow_of_surrogate_fun_far_out_is_a_warning_that_says_where(cli_report):
    _, data, _ = cli_report
    by = {s["params"]["alpha"]: _check(s, "stability") for s in _sets(data, "IssueSignLog")}
    assert by[1.0]["status"] == "pass"
    c = by[2.0]
    assert c["status"] == "warn" and c["rule"] == "fun-overflow", c
    assert "float32: surrogate_fun is inf at |x| >= 3.40282e+38" in c["detail"] and "harmless" in c["detail"], c
    warned = [_check(s, "stability") for s in _sets(data, "SoftSignOverflow") if s["params"]["alpha"] == 4.0]
    for c in warned:  # alpha x overflows, inf / inf: nan, only near the largest floats
        assert c["status"] == "warn" and c["rule"] == "fun-overflow" and "nan at |x| >=" in c["detail"], c
        far = [float(part.split("|x| >= ")[1].split(",")[0]) for part in c["detail"].split("; ")]
        assert min(far) > 1e30, c
    assert len(warned) == 1


def test_the_issue_cases_pass_from_python_too(user_file):
    report = verify([f"{user_file}:IssueBox", f"{user_file}:IssueFloat32", f"{user_file}:IssueSignLog"],
                    defaults_only=True)
    assert report.ok, [(s.name, c.name, c.detail) for s, c in report.failures]


def test_strict_still_turns_the_warning_into_a_failure(user_file, capsys):
    code, out, err = run(["verify", f"{user_file}:IssueSignLog", "--param", "alpha=2", "--strict"], capsys)
    assert code == 1
    line = next(ln for ln in out.splitlines() if ln.startswith("FAIL IssueSignLog(alpha=2) stability: float32")
                or ln.startswith("FAIL IssueSignLog(alpha=2) stability: [fun-overflow] float32"))
    assert "[fun-overflow]" in line and "3.40282e+38" in line
