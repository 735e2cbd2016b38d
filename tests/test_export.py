"""Atomic writes, output-path checks, tidy CSV that round-trips, reproducible figures."""
import csv
import io
import os

import numpy as np
import pytest

from surrogate_cli.render import files as export
from surrogate_cli.errors import BadInput
from surrogate_cli.render.csv import csv_text, write_csv
from surrogate_cli.render.files import FIGURE_FORMATS, atomic_write, check_output_path
from surrogate_cli.evaluation import Curve


def _leftovers(folder):
    return sorted(p for p in os.listdir(folder) if p.endswith(".tmp"))


def test_atomic_write_replaces_and_cleans(tmp_path):
    target = tmp_path / "a.txt"
    atomic_write(target, "first")
    atomic_write(target, "second")
    assert target.read_text() == "second"
    assert _leftovers(tmp_path) == []


def test_failure_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")

    def boom(fh):
        fh.write("partial")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        atomic_write(target, boom)
    assert target.read_text() == "old"
    assert _leftovers(tmp_path) == []
    new = tmp_path / "b.txt"
    with pytest.raises(RuntimeError):
        atomic_write(new, boom)
    assert not new.exists() and _leftovers(tmp_path) == []


def test_new_file_gets_normal_permissions(tmp_path):
    target = tmp_path / "p.txt"
    atomic_write(target, b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert (target.stat().st_mode & 0o777) == (0o666 & ~umask)


def test_check_output_path(tmp_path):
    assert check_output_path(str(tmp_path / "f.PNG"), FIGURE_FORMATS) == "png"
    assert check_output_path(str(tmp_path / "f.svg"), FIGURE_FORMATS) == "svg"
    assert check_output_path(str(tmp_path / "f.pdf"), FIGURE_FORMATS) == "pdf"
    for name, frag in [("f.jpg", "unknown output extension ('.jpg')"), ("f", "no extension"),
                       ("nodir/f.png", "does not exist")]:
        with pytest.raises(BadInput) as err:
            check_output_path(str(tmp_path / name), FIGURE_FORMATS)
        assert frag in str(err.value)
    (tmp_path / "d.png").mkdir()
    with pytest.raises(BadInput, match="is a folder"):
        check_output_path(str(tmp_path / "d.png"), FIGURE_FORMATS)
    assert _leftovers(tmp_path) == [] and not any(p.startswith(".surrogate-probe") for p in os.listdir(tmp_path))


def test_unwritable_folder(refusing_dir):
    ro = refusing_dir
    with pytest.raises(BadInput, match="not writable"):
        check_output_path(str(ro / "f.png"), FIGURE_FORMATS)
    with pytest.raises(BadInput, match="cannot write"):
        atomic_write(ro / "f.txt", "x")
    assert os.listdir(ro) == []


def _curve(name, params, x, fun=True, integrated=False):
    g = np.exp(-x * x) / 3.0
    return Curve(
        surrogate=name, params=params, x=x, spike=(x >= 0).astype(float), gradient=g,
        function=(np.cos(x) / 7.0 if fun else None), integrated=integrated,
    )


def test_csv_tidy_columns_and_exact_round_trip():
    rng = np.random.default_rng(0)
    x = np.sort(rng.normal(size=7)) / 3.0
    curves = [
        _curve("s2nn", {"alpha": 0.1, "beta": 1 / 3, "epsilon": 1e-8}, x),
        _curve("relu_grad", {"alpha": 0.3, "width": 2}, x, integrated=True),
    ]
    rows = list(csv.DictReader(io.StringIO(csv_text(curves))))
    assert list(rows[0]) == ["surrogate", "alpha", "beta", "epsilon", "width", "x", "spike", "function", "gradient"]
    assert len(rows) == 14
    first, second = rows[:7], rows[7:]
    assert {r["surrogate"] for r in first} == {"s2nn"} and {r["surrogate"] for r in second} == {"relu_grad"}
    assert float(first[0]["beta"]) == 1 / 3 and first[0]["width"] == ""
    assert second[0]["width"] == "2" and second[0]["beta"] == ""
    np.testing.assert_array_equal([float(r["x"]) for r in first], x)  # exact, not approximate
    np.testing.assert_array_equal([float(r["gradient"]) for r in first], curves[0].gradient)
    np.testing.assert_array_equal([float(r["function"]) for r in first], curves[0].function)
    assert all(r["function"] == "" for r in second)  # integrated curves are not exported


def test_write_csv_to_file_and_stdout(tmp_path, capsys):
    x = np.linspace(-1, 1, 3)
    c = [_curve("erf", {"alpha": 1.0}, x)]
    write_csv(c, str(tmp_path / "o.csv"))
    write_csv(c, "-")
    assert capsys.readouterr().out == (tmp_path / "o.csv").read_text() == csv_text(c)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_figures_are_reproducible(tmp_path, fmt):
    from surrogate_cli.render.figures import plot_curves, save_figure
    from surrogate_cli.evaluation import evaluate, expand, resolve

    t = resolve("sigmoid")
    curves = evaluate(t, expand(t, {"alpha": [1.0, 2.0]}), None, 101)
    a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    save_figure(plot_curves(curves), a, dpi=50)
    save_figure(plot_curves(curves), b, dpi=50)
    assert a.read_bytes() == b.read_bytes()
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[fmt]
    assert a.read_bytes().startswith(magic)
    if fmt != "png":
        assert b"CreationDate" not in a.read_bytes() and b"<dc:date>" not in a.read_bytes()
