"""The command line's manners: --version, completion, plain --help, no wrapping when piped,
repeated options, impossible ranges, sweeps that yield the numbers people typed."""
import os
import subprocess
import sys

import pytest

from surrogate_cli.catalog import REGISTRY
from surrogate_cli.cli.parsing import parse_values
from cli_helpers import run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")


def test_version(capsys):
    from surrogate_cli import __version__

    code, out, err = run(["--version"], capsys)
    assert (code, out, err) == (0, f"surrogate {__version__}\n", "")


@pytest.mark.parametrize("command", ["", "plot", "compare", "info", "list", "verify", "gallery"])
def test_help_shows_no_python_types(command, capsys):
    code, out, _ = run([*command.split(), "--help"], capsys)
    assert code == 0
    for noise in ("<bool>", "<list[str]>", "<str>", "<int>"):
        assert noise not in out, (command, noise)
    if command == "plot":
        assert "NAME=VALUES" in out and "--alpha" in out


def test_root_help_offers_completion(capsys):
    code, out, _ = run(["--help"], capsys)
    assert "--install-completion" in out and "--show-completion" in out and "--version" in out


def _complete(words, monkeypatch, capsys):
    """What bash completion offers for ``words`` (the last one being completed)."""
    monkeypatch.setenv("_SURROGATE_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", " ".join(words))
    monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
    code, out, _ = run([], capsys)
    assert code == 0
    return out.split()


def test_completion_of_surrogate_and_parameter_names(monkeypatch, capsys):
    assert _complete(["surrogate", "plot", "sig"], monkeypatch, capsys) == ["sigmoid"]
    assert set(_complete(["surrogate", "compare", "sigmoid", "piecewise_"], monkeypatch, capsys)) == {
        r.name for r in REGISTRY.values() if r.name.startswith("piecewise_")
    }
    got = _complete(["surrogate", "plot", "s2nn", "--param", ""], monkeypatch, capsys)
    assert got == [f"{p}=" for p in REGISTRY["s2nn"].param_names]
    got = _complete(["surrogate", "info", "relu_grad", "--param", "w"], monkeypatch, capsys)
    assert got == ["width="]


@pytest.mark.parametrize("shell, marker", [
    ("bash", "complete -o default -F _surrogate_completion surrogate"),
    ("zsh", "#compdef surrogate"),
    ("fish", "complete --command surrogate"),
    ("powershell", "Register-ArgumentCompleter"),
])
def test_completion_scripts_for_every_shell_the_readme_names(shell, marker, capsys, monkeypatch):
    # Typer's own switch for tests: --show-completion then takes the shell's name instead of
    # detecting the shell this process runs under (which fails under some process trees,
    # and would test the same shell four times where it succeeds)
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    code, out, err = run(["--show-completion", shell], capsys)
    assert code == 0 and "_SURROGATE_COMPLETE" in out and marker in out, (out[:300], err)


def test_piped_output_is_not_wrapped_at_80_columns(tmp_path):
    env = {**os.environ, "PYTHONPATH": ROOT}
    env.pop("COLUMNS", None)
    out = subprocess.run([sys.executable, "-m", "surrogate_cli", "list"], capture_output=True, text=True,
                         env=env, check=True).stdout
    for rec in REGISTRY.values():  # every description whole, on its surrogate's row
        row = next(line for line in out.splitlines() if f" {rec.name} " in line)
        assert rec.description in row
    assert max(len(line) for line in out.splitlines()) > 80
    from surrogate_cli.catalog import REGISTRY as R

    out = subprocess.run([sys.executable, "-m", "surrogate_cli", "info", "s2nn"], capture_output=True, text=True,
                         env=env, check=True).stdout
    assert R["s2nn"].description in out and R["s2nn"].reference in out  # each on one line


def test_repeated_option_is_refused(cwd, capsys):
    code, out, err = run(["plot", "sigmoid", "--alpha", "1", "--alpha", "2"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "--alpha given twice" in err
    code, _, err = run(["compare", "sigmoid", "erf", "--range=-1,1", "--range", "-2,2"], capsys)
    assert code == 2 and "--range given twice" in err
    code, _, err = run(["plot", "sigmoid", "-o", "a.png", "--output=b.png"], capsys)
    assert code == 2 and "--output given twice" in err
    assert not os.listdir(cwd)
    # --param is repeatable by design
    code, out, err = run(["plot", "s2nn", "--param", "alpha=2", "--param", "beta=1", "-o", "s.png"], capsys)
    assert code == 0 and out == "" and err == "wrote s.png\n"


@pytest.mark.parametrize("text", ["-1e308,1e308", "-1.7e308,1e300"])
def test_a_range_too_wide_for_floats_is_one_line(text, cwd, capsys):
    code, out, err = run(["plot", "sigmoid", f"--range={text}"], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("error: --range")
    assert not os.listdir(cwd)


def test_a_range_too_wide_from_python():
    import surrogate_cli
    from surrogate_cli.errors import BadInput

    with pytest.raises(BadInput, match="x_range="):
        surrogate_cli.curves("sigmoid", x_range=(-1e308, 1e308))


def test_a_bare_user_file_lists_its_classes(cwd, capsys):
    path = os.path.join(EXAMPLES, "my_surrogates.py")
    for argv in (["plot", path], ["compare", "sigmoid", path], ["info", path]):
        code, out, err = run(argv, capsys)
        assert code == 2 and out == "", argv
        assert err.count("\n") == 1 and "it defines: Tanh, Tri" in err and f"{path}:ClassName" in err
    assert not os.listdir(cwd)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("log:1:100:3", [1.0, 10.0, 100.0]),
        ("log:1:1000:4", [1.0, 10.0, 100.0, 1000.0]),
        ("log:0.001:1:4", [0.001, 0.01, 0.1, 1.0]),
        ("0:1:6", [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        ("0.2:2:10", [0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0]),
        ("0.1:0.7:7", [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]),
        ("-1:1:5", [-1.0, -0.5, 0.0, 0.5, 1.0]),
    ],
)
def test_ranges_yield_the_decimals_people_mean(text, expected):
    # exact equality with the literals: 0.6, not 0.6000000000000001
    assert parse_values(text) == expected


def test_uneven_ranges_stay_accurate():
    import math

    vals = parse_values("log:10:1000:5")
    for i, v in enumerate(vals):
        assert v == pytest.approx(10 ** (1 + i / 2), rel=1e-14)
    assert math.isclose(vals[1], 31.6227766016838, rel_tol=1e-14)
    lin = parse_values("0:1:7")
    assert lin == pytest.approx([i / 6 for i in range(7)], rel=1e-14)


def test_swept_values_in_csv_are_the_decimals(cwd, capsys):
    code, out, _ = run(["plot", "gaussian_grad", "--sigma", "0.2:2:10", "--points", "2", "--csv", "-",
                        "--panels", "gradient", "-o", "g.png"], capsys)
    assert code == 0
    sigmas = {line.split(",")[1] for line in out.splitlines()[1:] if not line.startswith("#")}
    assert sigmas == {"0.2", "0.4", "0.6", "0.8", "1.0", "1.2", "1.4", "1.6", "1.8", "2.0"}
