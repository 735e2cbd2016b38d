"""``surrogate train`` and ``surrogate_cli.train``: tasks from files (SHD's HDF5 layout, .npz),
outputs, resume, interrupts, and one line + exit 2 for every bad input."""
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from cli_helpers import run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TINY = ["--samples", "12", "--steps", "10", "--units", "5", "--classes", "3", "--smoothness", "2", "--hidden", "6",
        "--batch", "6", "--epochs", "2"]


def write_shd(path, n=12, units=700, classes=4, seed=0, keys=("spikes/times", "spikes/units", "labels")):
    """A small file with SHD's layout: variable-length spike times (s) and unit ids per sample."""
    import h5py

    rng = np.random.default_rng(seed)
    with h5py.File(path, "w") as f:
        vf, vu = h5py.vlen_dtype(np.float32), h5py.vlen_dtype(np.uint16)
        times, ids = [], []
        for i in range(n):
            k = int(rng.integers(5, 40))
            times.append(np.sort(rng.uniform(0, 1.2, k)).astype(np.float32))
            ids.append(rng.integers(0, units, k).astype(np.uint16))
        if "spikes/times" in keys:
            f.create_dataset("spikes/times", data=np.array(times, dtype=object), dtype=vf)
        if "spikes/units" in keys:
            f.create_dataset("spikes/units", data=np.array(ids, dtype=object), dtype=vu)
        if "labels" in keys:
            f.create_dataset("labels", data=(np.arange(n) % classes).astype(np.uint16))
    return times, ids


def test_shd_binning_against_a_direct_count(tmp_path):
    from surrogate_cli.analysis.train.tasks import load_task

    times, ids = write_shd(tmp_path / "shd_train.h5", n=8)
    write_shd(tmp_path / "shd_test.h5", n=4, seed=1)
    task = load_task("shd", data=str(tmp_path), steps=20, max_time=1.0)
    assert task.x_train.shape == (8, 20, 700) and task.x_test.shape == (4, 20, 700)
    assert task.classes == 4 and task.chance == 0.25
    for i in range(8):
        expect = np.zeros((20, 700))
        for t, u in zip(times[i], ids[i]):
            if t < 1.0:
                expect[int(t * 20), u] += 1
        np.testing.assert_array_equal(task.x_train[i], expect)
    # one file: split here, held-out part disjoint
    one = load_task("shd", data=str(tmp_path / "shd_train.h5"), steps=20, test_fraction=0.25)
    assert len(one.y_train) == 6 and len(one.y_test) == 2


def test_train_on_shd_and_on_a_file(tmp_path, capsys):
    write_shd(tmp_path / "shd_train.h5", n=12)
    write_shd(tmp_path / "shd_test.h5", n=6, seed=1)
    code, out, err = run(["train", "sigmoid", "--task", "shd", "--data", str(tmp_path), "--steps", "8",
                          "--hidden", "4", "--batch", "4", "--epochs", "1", "--seeds", "1", "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["task"]["name"] == "shd" and data["task"]["n_test"] == 6 and data["task"]["units"] == 700
    assert len(data["runs"]) == 1 and len(data["runs"][0]["test_acc"]) == 1
    rng = np.random.default_rng(0)
    x = (rng.random((20, 6, 3)) < 0.2).astype(np.float32)
    np.savez(tmp_path / "d.npz", x=x, y=np.arange(20) % 2)
    code, out, err = run(["train", "sigmoid", "--task", "file", "--data", str(tmp_path / "d.npz"), "--hidden", "4",
                          "--batch", "4", "--epochs", "1", "--seeds", "1", "--csv", "-"], capsys)
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0].split(",")[:4] == ["surrogate", "alpha", "seed", "epoch"] and len(lines) == 2


def test_outputs_table_csv_and_figure(tmp_path, capsys):
    csv, fig = tmp_path / "r.csv", tmp_path / "r.png"
    code, out, err = run(["train", "sigmoid", "--alpha", "0.5,4", *TINY, "--seeds", "1", "--csv", str(csv),
                          "-o", str(fig)], capsys)
    assert code == 0, err
    assert "chance" in out and "sigmoid" in out
    assert sorted(err.strip().splitlines()) == sorted(f"wrote {p}" for p in (csv, fig))
    rows = csv.read_text().strip().splitlines()
    assert len(rows) == 1 + 2 * 2  # 2 values x 1 seed x 2 epochs
    assert rows[1].startswith("sigmoid,0.5,0,1,")
    assert fig.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_interrupt_keeps_finished_runs_and_resume_continues(tmp_path, capsys):
    res = tmp_path / "runs.json"
    args = ["train", "sigmoid", "arctan", "--alpha", "0.5,4", *TINY, "--seeds", "1", "--resume", str(res)]
    # (sigmoid is trained, then the run is held before arctan and interrupted)
    marker = tmp_path / "marker"
    env = dict(os.environ, PYTHONPATH=ROOT, SURROGATE_TEST_PAUSE="train-group@arctan",
               SURROGATE_TEST_PAUSE_MARKER=str(marker))
    proc = subprocess.Popen([sys.executable, "-m", "surrogate_cli", *args], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    doc = json.loads(res.read_text())
    assert [r["surrogate"] for r in doc["runs"]] == ["sigmoid", "sigmoid"]
    code, out, err = run([*args, "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert [r["surrogate"] for r in data["runs"]] == ["sigmoid", "sigmoid", "arctan", "arctan"]
    assert data["runs"][:2] == json.loads(json.dumps(doc["runs"]))
    # a finished sweep resumed trains nothing; other settings are refused
    code, out, err = run([*args, "--json"], capsys)
    assert code == 0 and json.loads(out)["runs"] == data["runs"], err
    code, _, err = run([*args, "--lr", "0.01"], capsys)
    assert code == 2 and "--resume" in err and len(err.strip().splitlines()) == 1


def _h5_wrong_keys(d):
    write_shd(d / "bad.h5", keys=("spikes/times", "labels"))
    return str(d / "bad.h5")


def _npz(d, **arrays):
    np.savez(d / "bad.npz", **arrays)
    return str(d / "bad.npz")


BAD = {
    "unknown task": (lambda d: ["--task", "randmann"], "--task", "randman"),
    "missing data": (lambda d: ["--task", "shd"], "--data", None),
    "no such file": (lambda d: ["--task", "file", "--data", str(d / "nope.npz")], "--data", "no such file"),
    "wrong hdf5 keys": (lambda d: ["--task", "shd", "--data", _h5_wrong_keys(d)], "--data", "spikes/units"),
    "not hdf5": (lambda d: ["--task", "shd", "--data", _npz(d, x=np.zeros(3))], "--data", "HDF5"),
    "wrong rank": (lambda d: ["--task", "file", "--data", _npz(d, x=np.zeros((4, 3)), y=np.zeros(4))], "--data",
                   "rank 2"),
    "wrong keys": (lambda d: ["--task", "file", "--data", _npz(d, a=np.zeros((4, 3, 2)))], "--data", "not x and y"),
    "label count": (lambda d: ["--task", "file", "--data", _npz(d, x=np.zeros((4, 3, 2)), y=np.zeros(3))],
                    "--data", "4 samples"),
    "zero seeds": (lambda d: ["--seeds", "0"], "--seeds", None),
    "zero epochs": (lambda d: ["--epochs", "0"], "--epochs", None),
    "lr zero": (lambda d: ["--lr", "0"], "--lr", None),
    "lr negative": (lambda d: ["--lr", "-1e-3"], "--lr", None),
    "lr nan": (lambda d: ["--lr", "nan"], "--lr", None),
    "too much memory": (lambda d: ["--seeds", "100000000"], "--seeds", "GiB"),
    "bad reset": (lambda d: ["--reset", "attachd"], "--reset", "attached"),
    "bad hidden": (lambda d: ["--hidden", "12,x"], "--hidden", None),
    "batch too large": (lambda d: ["--samples", "4", "--batch", "64"], "--batch", None),
    "randman takes no data": (lambda d: ["--data", "x.npz"], "--data", None),
    "bad classes": (lambda d: ["--classes", "1"], "--classes", None),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_one_line_and_exit_2(case, tmp_path, capsys):
    make, option, words = BAD[case]
    code, out, err = run(["train", "sigmoid", *make(tmp_path)], capsys)
    assert code == 2, (case, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert option in lines[0], lines[0]
    if words:
        assert words in lines[0], lines[0]
    assert out == ""
