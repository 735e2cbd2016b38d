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
