"""verify's checks are a registry over one typed record (issue 18): a new check is one module
with a ``@register_check`` function; the report, the table and ``verify --json`` pick it up.
And ``--json`` means what it means in the other commands (a flag: JSON on stdout), the old
``--json FILE`` spelling still writing FILE, with one deprecation line."""
import json

import jax.numpy as jnp
import numpy as np
import pytest

from surrogate_cli import Surrogate, verify
from surrogate_cli.analysis import verify as verify_pkg
from surrogate_cli.analysis.verify import checks as checks_pkg
from surrogate_cli.analysis.verify.checks import register_check, remove_check
from surrogate_cli.analysis.verify.report import CheckResult
from cli_helpers import run

BUILT_IN_ORDER = ("derivative", "area", "spike", "stability", "dtypes", "jit", "shape")


class FlatAtZero(Surrogate):
    """Right (the gradient is the derivative), but the gradient is 0 at the threshold."""

    def surrogate_fun(self, x):
        return 0.5 + 0.5 * jnp.tanh(x) ** 3

    def surrogate_grad(self, x):
        return 1.5 * jnp.tanh(x) ** 2 * (1 - jnp.tanh(x) ** 2)


@pytest.fixture
def extra_check():
    """The recipe, performed here: a check of its own (the gradient at x = 0 is positive), read
    from the typed record, registered between jit and shape; removed afterwards."""

    def grad_at_threshold(ev, ctx):
        i0 = int(np.flatnonzero(ctx.grid.x == 0.0)[0])
        g = float(np.asarray(ev.g0)[i0])
        return CheckResult("threshold", "pass" if g > 0 else "fail", worst_x=None if g > 0 else 0.0,
                           detail=f"surrogate_grad(0) = {g:g}")

    register_check("threshold", needs=("g0",), order=65)(grad_at_threshold)
    try:
        yield "threshold"
    finally:
        remove_check("threshold")


def test_the_built_in_checks_come_from_the_registry_in_report_order():
    assert verify_pkg.CHECKS == checks_pkg.CHECKS == BUILT_IN_ORDER
    for c in checks_pkg.registered():
        assert c.run.__module__.endswith(f".checks.{c.name}")  # one module per check, named as it


def test_a_registered_check_runs_in_the_report_and_in_json_output(extra_check, cwd, capsys):
    assert verify_pkg.CHECKS == BUILT_IN_ORDER[:6] + ("threshold",) + BUILT_IN_ORDER[6:]
    report = verify(["sigmoid", FlatAtZero()], defaults_only=True)
    sig, flat = report.surrogates
    assert [c.name for c in sig.checks] == list(verify_pkg.CHECKS)
    assert sig.check("threshold").status == "pass" and sig.check("threshold").detail == "surrogate_grad(0) = 1"
    assert flat.check("threshold").status == "fail" and not report.ok
    assert flat.check("derivative").status == "pass"  # the others unchanged
    (cwd / "flat.py").write_text("import jax.numpy as jnp\nfrom surrogate_cli import Surrogate\n\n"
                                 "class FlatAtZero(Surrogate):\n"
                                 "    def surrogate_fun(self, x):\n        return 0.5 + 0.5 * jnp.tanh(x) ** 3\n"
                                 "    def surrogate_grad(self, x):\n"
                                 "        return 1.5 * jnp.tanh(x) ** 2 * (1 - jnp.tanh(x) ** 2)\n")
    code, out, err = run(["verify", "sigmoid", "flat.py:FlatAtZero", "--defaults-only", "--json"], capsys)
    assert code == 1, err
    data = json.loads(out)
    by = {s["name"]: {c["name"]: c for c in s["checks"]} for s in data["surrogates"]}
    assert by["sigmoid"]["threshold"]["status"] == "pass"
    assert by["FlatAtZero"]["threshold"]["status"] == "fail" and by["FlatAtZero"]["threshold"]["worst_x"] == 0.0
    code, out, _ = run(["verify", "sigmoid"], capsys)  # the table has its column
    assert code == 0 and "threshold" in out.splitlines()[1]


def test_removed_check_is_gone(extra_check):
    remove_check(extra_check)
    assert verify_pkg.CHECKS == BUILT_IN_ORDER
    assert [c.name for c in verify("sigmoid").surrogates[0].checks] == list(BUILT_IN_ORDER)


def test_json_is_a_flag_printing_the_report(cwd, capsys):
    code, out, err = run(["verify", "--json", "sigmoid", "erf"], capsys)  # a flag: sigmoid is a target
    assert code == 0 and err == ""
    data = json.loads(out)
    assert [s["name"] for s in data["surrogates"]] == ["sigmoid", "erf"] and data["summary"]["ok"] is True
    assert not list(cwd.iterdir())  # nothing written
    (cwd / "tri.py").write_text("import jax.numpy as jnp\nfrom surrogate_cli import Surrogate\n\n"
                                "class Tri(Surrogate):\n"
                                "    def surrogate_fun(self, x):\n        return jnp.clip(0.5 + x / 2, 0.0, 1.0)\n"
                                "    def surrogate_grad(self, x):\n"
                                "        return jnp.maximum(0.0, 1.0 - jnp.abs(x))\n")
    code, out, err = run(["verify", "tri.py:Tri", "--json"], capsys)
    assert code == 1 and json.loads(out)["summary"]["ok"] is False


@pytest.mark.parametrize("spelling", [["--json", "r.json"], ["--json=r.json"]])
def test_old_json_file_spelling_still_writes_the_file_with_one_deprecation_line(cwd, capsys, spelling):
    code, out, err = run(["verify", "sigmoid", *spelling], capsys)
    assert code == 0
    assert "OK:" in out  # the table, as before
    lines = err.splitlines()
    assert lines == ["warning: --json FILE is deprecated; use --json > FILE (--json prints the JSON report to stdout)",
                     "wrote r.json"]
    data = json.loads((cwd / "r.json").read_text())
    assert data["surrogates"][0]["name"] == "sigmoid"
    code, out2, _ = run(["verify", "sigmoid", "--json"], capsys)
    assert json.loads(out2) == data  # the same report either way
