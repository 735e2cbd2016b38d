"""The gallery: config validation (file:line errors), reproducible builds, --check."""
import json
import os
import shutil

import pytest
import yaml

from surrogate_cli import gallery
from surrogate_cli.cli import main
from surrogate_cli.errors import BadInput
from surrogate_cli.catalog import REGISTRY

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG = os.path.join(ROOT, "configs", "gallery.yaml")
GALLERY = os.path.join(ROOT, "gallery")


def _write(tmp_path, text, name="g.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def _config_with(tmp_path, edit):
    data = yaml.safe_load(open(CONFIG))
    edit(data)
    return _write(tmp_path, yaml.safe_dump(data, sort_keys=False))


def test_committed_config_covers_every_builtin_in_registry_order():
    cfg = gallery.load_config(CONFIG)
    assert [e.name for e in cfg.entries] == list(REGISTRY)


def test_sweeps_expand_as_declared():
    cfg = gallery.load_config(CONFIG)
    s2nn = cfg.entry("S2NN").param_sets()  # paired
    assert [(p["alpha"], p["beta"]) for p in s2nn] == [(4.0, 1.0), (8.0, 2.0), (2.0, 0.5)]
    plr = cfg.entry("piecewise_leaky_relu").param_sets()  # grid
    assert len(plr) == 6 and {(p["c"], p["w"]) for p in plr} == {
        (c, w) for c in (0.01, 0.05, 0.1) for w in (1.0, 2.0)
    }


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("surrogates: [1,\n", 2, "invalid YAML"),
        ("defaults:\n  dpi: 100\nsurrogates:\n  sigmoid:\n    sweep: {alpah: [1]}\n", 5, "unknown key 'alpah'"),
        ("surrogates:\n  sigmod: {}\n", 2, "unknown surrogate 'sigmod'"),
        ("surrogates:\n  sigmoid:\n    sweep:\n      alpha: [1, -2]\n", 4, "out of range"),
        ("surrogates:\n  sigmoid:\n    sweep:\n      alpha: [1, abc]\n", 4, "not a number"),
        ("surrogates:\n  sigmoid:\n    range: [2, -2]\n", 3, "reversed"),
        ("colour: red\nsurrogates:\n  sigmoid: {}\n", 1, "unknown key 'colour'"),
        ("surrogates:\n  squarewave_fourier_series:\n    sweep: {n: [2.5]}\n", 3, "not an integer"),
    ],
)
def test_bad_config_names_file_and_line(tmp_path, text, line, words):
    path = _write(tmp_path, text)
    with pytest.raises(BadInput) as err:
        gallery.load_config(path)
    assert f"{path}:{line}:" in str(err.value)
    assert words in str(err.value)


def test_a_builtin_without_an_entry_is_drawn_with_its_default_sweep(tmp_path):
    cfg = gallery.load_config(_write(tmp_path, "surrogates:\n  sigmoid: {}\n"))
    assert [e.name for e in cfg.entries] == list(REGISTRY)  # complete, in catalog order
    for e in cfg.entries[1:]:
        rec = REGISTRY[e.name]
        p = rec.param(rec.solve_param)
        assert e.sweep == {p.name: [v for v in dict.fromkeys((p.default / 2, p.default, 2 * p.default)) if p.in_range(v)]}
        assert e.x_range == rec.x_range and e.mode == "grid"


def test_zip_lengths_must_match(tmp_path):
    def edit(d):
        d["surrogates"]["s2nn"]["sweep"]["beta"] = [1, 2]

    with pytest.raises(BadInput, match="equal length"):
        gallery.load_config(_config_with(tmp_path, edit))


def test_missing_config_file(tmp_path):
    with pytest.raises(BadInput, match="not found"):
        gallery.load_config(str(tmp_path / "nope.yaml"))


def test_build_is_byte_reproducible_and_csv_matches_closed_form(tmp_path):
    cfg = gallery.load_config(CONFIG)
    a, b = tmp_path / "a", tmp_path / "b"
    files_a = gallery.build(cfg, str(a), only=["sigmoid"], jobs=1)
    gallery.build(cfg, str(b), only=["sigmoid"], jobs=1)
    names = sorted(os.path.basename(f) for f in files_a)
    assert names == sorted(["sigmoid.csv", "sigmoid.svg", "sigmoid.png", "README.md", "manifest.json", "libraries.md"])
    for n in names:
        assert (a / n).read_bytes() == (b / n).read_bytes(), n
    assert (a / "sigmoid.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (a / "sigmoid.svg").read_bytes()
    # the CSV rows are the curves: check the gradient column against the closed form
    import csv
    import math

    rows = list(csv.DictReader(open(a / "sigmoid.csv")))
    assert len(rows) == 3 * cfg.points
    for r in rows[:: 97]:
        alpha, x = float(r["alpha"]), float(r["x"])
        s = 1.0 / (1.0 + math.exp(-alpha * x))
        assert float(r["gradient"]) == pytest.approx(alpha * s * (1 - s), rel=1e-12, abs=1e-15)
        assert float(r["function"]) == pytest.approx(s, rel=1e-12)


@pytest.fixture
def explore_checked_elsewhere(monkeypatch):
    """The explore page's part of --check recomputes every built-in's page (tens of seconds):
    tests/test_explore.py checks it on two surrogates, and test_committed_gallery_is_current runs
    it whole."""
    import importlib

    build = importlib.import_module("surrogate_cli.gallery.build")  # the module, not gallery.build()
    monkeypatch.setattr(build, "check_explore", lambda *args, **kwargs: [])


def test_check_fails_after_a_config_change(tmp_path, explore_checked_elsewhere):
    out = tmp_path / "gal"
    shutil.copytree(GALLERY, out)

    def edit(d):
        d["surrogates"]["sigmoid"]["sweep"]["alpha"] = [1, 2, 8]

    path = _config_with(tmp_path, edit)
    problems = gallery.check(gallery.load_config(path), str(out), jobs=1)
    assert any("sigmoid.csv" in p and "data differ" in p for p in problems)
    assert any("manifest.json" in p for p in problems)


def test_manifest_records_version_config_and_files():
    m = json.load(open(os.path.join(GALLERY, "manifest.json")))
    from surrogate_cli import __version__

    assert m["library_version"] == __version__
    assert set(m["config"]["surrogates"]) == set(REGISTRY)
    assert sorted(os.listdir(GALLERY)) == m["files"]


@pytest.mark.x64_off
def test_committed_gallery_is_current(monkeypatch, capsys):
    """`surrogate gallery --check` as a user types it in a clone (the config and the folder
    found from the current directory; JAX's default precision), over everything: every
    figure, CSV, sheet, libraries.md, the index, the manifest and explore.html. Exit 0: the
    committed gallery/ is what the code draws (commit a regenerated gallery with a change)."""
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as e:
        main(["gallery", "--check", "--jobs", "1"])
    out, err = capsys.readouterr()
    assert e.value.code == 0, err[-3000:]
    assert out == "gallery is up to date: gallery/ matches configs/gallery.yaml\n" and err == ""


def test_cli_check_exit_codes_and_what_it_notices(tmp_path, capsys, explore_checked_elsewhere):
    """A stale index, a tampered CSV number and a missing image are each named (exit 1); the
    committed gallery itself passes (test_committed_gallery_is_current)."""
    out = tmp_path / "gal"
    shutil.copytree(GALLERY, out)
    (out / "README.md").write_text("stale\n")
    csv_path = out / "erf.csv"
    lines = csv_path.read_text().splitlines()
    fields = lines[5].split(",")
    fields[-1] = repr(float(fields[-1]) * (1 + 1e-6))
    lines[5] = ",".join(fields)
    csv_path.write_text("\n".join(lines) + "\n")
    (out / "slayer_grad.png").unlink()
    capsys.readouterr()
    with pytest.raises(SystemExit) as e:
        main(["gallery", "--config", CONFIG, "--out", str(out), "--check", "--jobs", "1"])
    assert e.value.code == 1
    err = capsys.readouterr().err
    assert "README.md" in err
    assert "erf.csv: data differ (line 6" in err
    assert "slayer_grad.png: missing" in err


@pytest.mark.parametrize(
    "args, words",
    [
        (["--config", "missing.yaml"], "not found"),
        (["--only", "sigmoyd"], "did you mean 'sigmoid'"),
        (["--format", "gif"], "unknown format 'gif'"),
        (["--jobs", "0"], "--jobs"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2(tmp_path, capsys, args, words):
    argv = ["gallery", "--out", str(tmp_path / "g")] + args
    if "--config" not in args:
        argv += ["--config", CONFIG]
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "g" / "sigmoid.png").exists()


def test_partial_run_updates_only_what_it_drew(tmp_path):
    """`gallery --only sigmoid --format png` (a README example) redraws that PNG and CSV;
    the index keeps linking the SVGs and the manifest keeps listing them, so --check passes."""
    out = tmp_path / "gal"
    shutil.copytree(GALLERY, out)
    before = {n: (out / n).read_bytes() for n in os.listdir(out)}
    (out / "sigmoid.png").write_bytes(b"stale")
    files = gallery.build(gallery.load_config(CONFIG), str(out), only=["sigmoid"], formats=["png"], jobs=1)
    assert sorted(os.path.basename(f) for f in files) == ["README.md", "libraries.md", "manifest.json", "sigmoid.csv",
                                                          "sigmoid.png"]
    after = {n: (out / n).read_bytes() for n in os.listdir(out)}
    assert sorted(after) == sorted(before)  # nothing dropped, nothing added (no staging folder left)
    assert [n for n in before if after[n] != before[n]] in ([], ["sigmoid.png"])
    assert after["sigmoid.png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert "](sigmoid.svg)" in after["README.md"].decode()
    assert json.loads(after["manifest.json"])["files"] == sorted(after)
    assert os.listdir(tmp_path) == ["gal"]
    # index, manifest and every CSV are the committed ones, which --check accepts
    # (test_committed_gallery_is_current), so the next --check passes


def test_png_bytes_do_not_depend_on_the_other_formats_drawn(tmp_path):
    from surrogate_cli.gallery.draw import draw_entry

    cfg = gallery.load_config(CONFIG)
    alone, several = tmp_path / "alone", tmp_path / "several"
    alone.mkdir(), several.mkdir()
    draw_entry(cfg, cfg.entry("sigmoid"), str(alone), ("png",), False)
    draw_entry(cfg, cfg.entry("sigmoid"), str(several), ("svg", "png"), False)
    assert (alone / "sigmoid.png").read_bytes() == (several / "sigmoid.png").read_bytes()


def test_a_new_out_folder_appears_whole(tmp_path):
    out = tmp_path / "new"
    gallery.build(gallery.load_config(CONFIG), str(out), only=["erf"], formats=["svg"], jobs=1, data_only=True)
    assert sorted(os.listdir(out)) == ["README.md", "erf.csv", "libraries.md", "manifest.json"]
    assert os.listdir(tmp_path) == ["new"]
    assert oct(out.stat().st_mode & 0o777) == oct(0o777 & ~_umask())


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_outside_the_repository_the_packaged_config_is_used(tmp_path):
    """Installed (configs/ shipped as surrogate_cli/configs, see pyproject.toml) and run
    from a folder without configs/: the packaged config, ./gallery, and it says so."""
    import subprocess
    import sys

    site = tmp_path / "site"
    shutil.copytree(os.path.join(ROOT, "surrogate_cli"), site / "surrogate_cli",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(os.path.join(ROOT, "configs"), site / "surrogate_cli" / "configs")
    work = tmp_path / "work"
    work.mkdir()
    res = subprocess.run([sys.executable, "-m", "surrogate_cli", "gallery", "--only", "sigmoid", "--format", "png",
                          "--jobs", "1"], cwd=work, capture_output=True, text=True, timeout=300,
                         env=dict(os.environ, PYTHONPATH=str(site), MPLBACKEND="Agg"))
    assert res.returncode == 0, res.stderr
    packaged = os.path.join(str(site), "surrogate_cli", "configs", "gallery.yaml")
    assert res.stdout == "" and res.stderr == (f"wrote gallery/ (5 files, from {packaged} "
                                               "(no configs/gallery.yaml here: the one installed with surrogate))\n")
    assert sorted(os.listdir(work / "gallery")) == ["README.md", "libraries.md", "manifest.json", "sigmoid.csv",
                                                    "sigmoid.png"]


def test_every_subpackage_is_packaged():
    """pyproject.toml lists the packages by hand: an installed copy must have them all."""
    import tomllib

    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as fh:
        listed = set(tomllib.load(fh)["tool"]["setuptools"]["packages"])
    found = {os.path.relpath(d, ROOT).replace(os.sep, ".")
             for d, _, files in os.walk(os.path.join(ROOT, "surrogate_cli")) if "__init__.py" in files}
    assert found <= listed, sorted(found - listed)


def test_cli_prints_nothing_on_stderr_when_it_is_not_a_terminal(tmp_path, capsys):
    """The progress bar is for terminals: piped, stderr holds only the 'wrote' line (it held a blank line)."""
    with pytest.raises(SystemExit) as e:
        main(["gallery", "--config", CONFIG, "--out", str(tmp_path / "g"), "--only", "erf", "--format", "svg",
              "--jobs", "1"])
    assert e.value.code == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"wrote {tmp_path / 'g'}/ (5 files, from {CONFIG})\n"
