"""The README's claims, checked: its surrogate table, its command sections, its examples."""
import os
import re
import shlex

import pytest

from surrogate_cli.cli import app, main
from surrogate_cli.catalog import REGISTRY

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()


def _python_blocks():
    return re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_surrogate_table_matches_the_registry():
    rows = re.findall(r"^\| `(\w+)` / `(\w+)` \| ([^|]*) \| ([^|]*) \|$", README, flags=re.M)
    assert [(cls, fn) for cls, fn, _, _ in rows] == [(r.class_name, r.name) for r in REGISTRY.values()]
    for cls, fn, params, kind in rows:
        rec = REGISTRY[fn]
        shown = dict(item.split("=") for item in params.split(", "))
        assert list(shown) == list(rec.param_names), cls
        for name, text in shown.items():
            assert float(text) == float(rec.defaults[name]), (cls, name)
        assert (kind.strip() == "yes") == rec.has_fun, cls


def test_every_command_has_a_section():
    commands = {c.name for c in app.registered_commands}
    sections = set(re.findall(r"^### (\w+)$", README, flags=re.M))
    assert commands <= sections, commands - sections


def test_quoted_error_lines_are_what_the_cli_prints(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    quoted = re.findall(r"^\$ surrogate (.+)\n(error: .+)$", README, flags=re.M)
    assert quoted
    for argv, line in quoted:
        with pytest.raises(SystemExit) as exc:
            main(shlex.split(argv))
        assert exc.value.code == 2
        assert capsys.readouterr().err.strip() == line


@pytest.mark.parametrize("index", range(len(_python_blocks())))
def test_python_examples_run(index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = _python_blocks()[index]
    namespace: dict = {}
    exec(compile(code, f"README.md python block {index}", "exec"), namespace)


def test_library_example_says_what_it_does():
    import numpy as np

    namespace: dict = {}
    exec(next(b for b in _python_blocks() if "spike_fn" in b), namespace)
    v, spike_fn = namespace["v"], namespace["spike_fn"]
    np.testing.assert_array_equal(namespace["spikes"], [0, 0, 1, 1, 1])
    assert namespace["spikes"].dtype == v.dtype and namespace["spikes"].shape == v.shape
    np.testing.assert_allclose(namespace["grads"], spike_fn.surrogate_grad(v), rtol=1e-12)
    s = 1 / (1 + np.exp(-4 * np.asarray(v, dtype=np.float64)))
    np.testing.assert_allclose(namespace["grads"], 4 * s * (1 - s), rtol=1e-6)
    assert repr(spike_fn) == "Sigmoid(alpha=4.0)"


def test_verify_claims():
    from surrogate_cli.analysis.verify import load_sweep_config

    sets = sum(len(v) for v in load_sweep_config().values())
    assert f"over configs/verify.yaml ({sets} parameter sets)" in README
    namespace: dict = {}
    exec(next(b for b in _python_blocks() if "class Tri(" in b), namespace)
    report = namespace["surrogate_cli"].verify(namespace["Tri"](alpha=1.0))
    quoted = re.search(r"^FAIL TriangularSurrogate\(alpha=1\) derivative: (.+); \.\.\.$", README, flags=re.M)
    assert quoted and report.surrogates[0].check("derivative").detail.startswith(quoted.group(1))


# -- every command block of the README, run as written, in order ----------------------------------

_SKIP = re.compile(r"<!-- not run by tests/test_readme.py: (.+?) -->")


def _command_blocks():
    """``(commands, skip_reason)`` for every ```bash block, in README order."""
    lines = README.splitlines()
    out = []
    for i, line in enumerate(lines):
        if line.strip() != "```bash":
            continue
        end = lines.index("```", i + 1)
        before = "\n".join(lines[max(0, i - 3):i])
        reason = _SKIP.search(before)
        out.append(([c for c in lines[i + 1:end] if c.strip()], reason.group(1) if reason else None))
    return out


def test_every_skipped_block_says_why():
    blocks = _command_blocks()
    assert len(blocks) >= 8
    for commands, reason in blocks:
        if reason is not None:
            assert len(reason) > 20, commands
    # only what cannot run here is skipped: installs, the suite itself, the slow full runs, the shell set-up
    assert sum(reason is None for _, reason in blocks) >= 5


def _split(line):
    """``(env, argv, expected exit code)`` of one README command line."""
    code, _, comment = line.partition("  #")
    m = re.search(r"exit (\d)", comment)
    words = shlex.split(code)
    env = {}
    while words and re.match(r"^[A-Z_]+=", words[0]):
        k, _, v = words.pop(0).partition("=")
        env[k] = v
    assert words[0] == "surrogate", line
    return env, words[1:], int(m.group(1)) if m else 0


def test_every_command_block_runs(tmp_path, monkeypatch, capsys):
    import shutil
    import sys

    for folder in ("examples", "configs"):  # what a fresh clone has
        shutil.copytree(os.path.join(ROOT, folder), tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    ran = 0
    for commands, reason in _command_blocks():
        if reason is not None:
            continue
        for line in commands:
            env, argv, expected = _split(line)
            extra = [str(tmp_path / p) for p in env.pop("PYTHONPATH", "").split(os.pathsep) if p]
            assert not env, line
            monkeypatch.setattr(sys, "path", extra + sys.path)
            with pytest.raises(SystemExit) as exc:
                main(argv)
            monkeypatch.undo()
            monkeypatch.chdir(tmp_path)
            out, err = capsys.readouterr()
            assert exc.value.code == expected, (line, err[-500:])
            for flag in ("-o", "--csv", "--json"):
                i = argv.index(flag) + 1 if flag in argv else len(argv)
                if i < len(argv) and not argv[i].startswith("-"):
                    assert (tmp_path / argv[argv.index(flag) + 1]).is_file(), line
            if argv[0] == "plot" and "-o" not in argv:
                assert (tmp_path / f"{argv[1]}.png").is_file(), line
            ran += 1
    assert ran >= 15


def test_csv_sample_is_what_the_command_prints(tmp_path, monkeypatch, capsys):
    m = re.search(r"For example\n`surrogate (plot [^`]+)` prints:\n\n```\n(.*?)```", README, flags=re.S)
    assert m
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(shlex.split(m.group(1)))
    out, err = capsys.readouterr()
    assert exc.value.code == 0 and out == m.group(2)
    assert err == "wrote sigmoid.png\n" and (tmp_path / "sigmoid.png").is_file()  # the figure is still written


def test_quoted_value_error_is_what_the_library_raises():
    import surrogate_cli

    m = re.search(r"raises `ValueError`, as `surrogate_cli.BadInput`:\n  `([^`]+)`", README)
    assert m
    with pytest.raises(ValueError) as exc:
        surrogate_cli.Sigmoid(alpha=0)
    assert isinstance(exc.value, surrogate_cli.BadInput) and str(exc.value) == m.group(1)


def test_verify_resolution_and_rules_quoted_as_the_code_has_them():
    from surrogate_cli.analysis.verify import grids
    from surrogate_cli.analysis.verify.checks import area, dtypes
    from surrogate_cli.analysis.verify.subjects import AUTO_FACTORS

    section = README[README.index("### verify"):README.index("### gallery")]
    n_fine = grids.fine_grid().size
    assert f"a fine grid of {round(n_fine, -3):,} points" in section
    assert f"every multiple of 1/{grids.FINE_PER_UNIT} on [-{grids.FINE_SPAN:g}, {grids.FINE_SPAN:g}]" in section
    assert f"of 1/{grids.WIDE_PER_UNIT} on [-{grids.WIDE_SPAN:g}, {grids.WIDE_SPAN:g}]" in section
    assert grids.FINE_STEP < 0.0002 and grids.WIDE_STEP < 0.002  # "a fault 0.0002 wide ... holds a grid point"
    assert "a fault 0.0002 wide anywhere in [-8, 8], or 0.002 wide out to \\|x\\| = 40" in section
    assert f"at {grids.dtype_grid().size:,} points" in section
    assert f"`({dtypes.DTYPE_K:g} eps + {dtypes.DTYPE_FLOOR:.3g})" in section
    assert dtypes.DTYPE_FLOOR == 2048 * 2.0 ** -23 and "2048 float32 epsilons" in section
    assert f"narrower than {area.LOCATE_WIDTH:g} (a located fault" in section
    assert f"at most {area.REFINE_BUDGET:,} added panels" in section and f"{area.AREA_RTOL:.0e} of its integral".replace("e-0", "e-") in section
    assert "× " + " and × ".join(f"{f:g}" for f in AUTO_FACTORS) in section
    assert "float16, bfloat16 and float32" in section and "at least 16 of them" in section
