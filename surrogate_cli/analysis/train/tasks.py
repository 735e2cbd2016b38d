"""The tasks ``train`` knows, as :class:`~.loop.Task` arrays: ``randman`` (generated from a
seed), ``shd`` (the user's copy of the Spiking Heidelberg Digits HDF5 files, binned to time
steps; never downloaded) and ``file`` (the user's own ``.npz`` spike tensors)."""
from __future__ import annotations

import math
import os
from typing import Any

from ...errors import BadInput, did_you_mean
from .loop import Task
from .randman import RandmanConfig, make_randman

__all__ = ["TASKS", "load_task", "split", "shd_raster"]

TASKS = ("randman", "shd", "file")
SHD_UNITS = 700
SHD_FILES = ("shd_train.h5", "shd_test.h5")


def split(x, y, test_fraction: float, seed: int, classes: int, name: str, description: str) -> Task:
    """A held-out test split of (already shuffled or not) data, by a seeded permutation."""
    import numpy as np

    n = len(y)
    n_test = int(round(n * test_fraction))
    if n_test < 1 or n - n_test < 1:
        raise BadInput(f"test_fraction={test_fraction:g}: {n} samples cannot be split into train and test sets",
                       "give more samples or another test fraction", subject="test_fraction")
    idx = np.random.default_rng(seed).permutation(n)
    te, tr = idx[:n_test], idx[n_test:]
    return Task(name, x[tr], y[tr], x[te], y[te], classes, description)


def _check_fraction(test_fraction: float) -> None:
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, (int, float)) \
            or not math.isfinite(test_fraction) or not 0 < test_fraction < 1:
        raise BadInput(f"test_fraction={test_fraction!r} must be a number in (0, 1)", "give e.g. 0.2",
                       subject="test_fraction")


def _labels(y, where: str, subject: str = "data"):
    import numpy as np

    y = np.asarray(y)
    if y.ndim != 1:
        raise BadInput(f"data {where}: labels have shape {y.shape}, not (samples,)", "give one integer label per sample",
                       subject=subject)
    if y.size == 0:
        raise BadInput(f"data {where}: no samples", "give at least two samples", subject=subject)
    if y.dtype.kind not in "iu":
        if y.dtype.kind != "f" or not np.all(np.isfinite(y)) or not np.all(y == np.round(y)):
            raise BadInput(f"data {where}: labels are not whole numbers", "give integer class labels 0..C-1",
                           subject=subject)
    if y.min() < 0:
        raise BadInput(f"data {where}: negative label {int(y.min())}", "give integer class labels 0..C-1", subject=subject)
    return y.astype(np.int32)


def shd_raster(times, units, steps: int, max_time: float, n_units: int = SHD_UNITS):
    """One sample's spikes (seconds, unit ids) -> counts per (step, unit), uint8 (clipped at 255);
    spikes at or after ``max_time`` are dropped."""
    import numpy as np

    t = np.asarray(times, dtype=np.float64)
    u = np.asarray(units, dtype=np.int64)
    keep = (t >= 0) & (t < max_time) & (u >= 0) & (u < n_units)
    b = np.minimum((t[keep] / max_time * steps).astype(np.int64), steps - 1)
    out = np.zeros((steps, n_units), dtype=np.int64)
    np.add.at(out, (b, u[keep]), 1)
    return np.minimum(out, 255).astype(np.uint8)


def _read_shd(path: str, steps: int, max_time: float):
    import numpy as np

    try:
        import h5py
    except ImportError:  # pragma: no cover - a dependency
        raise BadInput("reading SHD needs h5py", "pip install h5py", subject="data") from None
    try:
        f = h5py.File(path, "r")
    except (OSError, ValueError) as exc:
        raise BadInput(f"data {path} is not a readable HDF5 file ({exc})", "give the path of shd_train.h5/shd_test.h5",
                       subject="data") from None
    with f:
        missing = [k for k in ("spikes/times", "spikes/units", "labels") if k not in f]
        if missing:
            raise BadInput(f"data {path} has no {', '.join(missing)} (not the SHD layout)",
                           "give an SHD file with spikes/times, spikes/units and labels", subject="data")
        times, units, labels = f["spikes/times"], f["spikes/units"], f["labels"][()]
        y = _labels(labels, path)
        if len(times) != len(y) or len(units) != len(y):
            raise BadInput(f"data {path}: {len(times)} spike trains, {len(units)} unit lists and {len(y)} labels",
                           "give one spike train and one label per sample", subject="data")
        x = np.zeros((len(y), steps, SHD_UNITS), dtype=np.uint8)
        for i in range(len(y)):
            ti, ui = np.asarray(times[i]), np.asarray(units[i])
            if ti.ndim != 1 or ti.shape != ui.shape:
                raise BadInput(f"data {path}: sample {i} has {ti.shape} times but {ui.shape} units",
                               "give as many unit ids as spike times", subject="data")
            x[i] = shd_raster(ti, ui, steps, max_time)
    return x, y


def _check_path(data: str | None, task: str, ext: tuple[str, ...]) -> str:
    if data is None:
        raise BadInput(f"data: task '{task}' needs a data path", f"give data=PATH ({' or '.join(ext)})", subject="data")
    if not os.path.exists(data):
        raise BadInput(f"data {data}: no such file or folder", "check the path", subject="data")
    return data


def _file_task(data: str, test_fraction: float, seed: int) -> Task:
    import numpy as np

    path = _check_path(data, "file", (".npz",))
    if os.path.isdir(path) or not path.endswith(".npz"):
        raise BadInput(f"data {path} is not a .npz file", "give a .npz with x [samples, time, units] and y [samples]",
                       subject="data")
    try:
        z = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise BadInput(f"data {path} is not a readable .npz file ({exc})", "write it with numpy.savez", subject="data") \
            from None
    with z:
        if "x" not in z or "y" not in z:
            raise BadInput(f"data {path} has arrays {', '.join(z.files) or 'none'}, not x and y",
                           "save x [samples, time, units] and y [samples]", subject="data")
        parts = {k: z[k] for k in ("x", "y", "x_test", "y_test") if k in z}
    if ("x_test" in parts) != ("y_test" in parts):
        raise BadInput(f"data {path}: x_test and y_test go together", "give both or neither", subject="data")

    def tensor(a, key):
        if a.ndim != 3:
            raise BadInput(f"data {path}: {key} has rank {a.ndim} (shape {a.shape}), not 3",
                           "give x as [samples, time, units]", subject="data")
        if a.dtype.kind not in "biuf" or (a.dtype.kind == "f" and not np.all(np.isfinite(a))):
            raise BadInput(f"data {path}: {key} is not finite numbers", "give spike counts or 0/1 values", subject="data")
        return a.astype(np.float32) if a.dtype.kind in "fb" else a

    x = tensor(parts["x"], "x")
    y = _labels(parts["y"], f"{path}: y")
    if len(y) != len(x):
        raise BadInput(f"data {path}: x has {len(x)} samples, y {len(y)}", "give one label per sample", subject="data")
    if "x_test" in parts:
        xt, yt = tensor(parts["x_test"], "x_test"), _labels(parts["y_test"], f"{path}: y_test")
        if xt.shape[1:] != x.shape[1:] or len(xt) != len(yt):
            raise BadInput(f"data {path}: x_test has shape {xt.shape}, y_test {yt.shape}; x has {x.shape}",
                           "give test tensors of x's time and unit sizes, one label each", subject="data")
        classes = int(max(y.max(), yt.max())) + 1
        return Task("file", x, y, xt, yt, classes, f"{os.path.basename(path)} (its own test split)")
    classes = int(y.max()) + 1
    return split(x, y, test_fraction, seed, classes, "file", f"{os.path.basename(path)}")


def load_task(task: str = "randman", *, data: str | None = None, test_fraction: float = 0.2, data_seed: int = 0,
              randman: RandmanConfig | None = None, steps: int = 100, max_time: float = 1.0) -> Task:
    """The task's arrays. ``randman``: generated from ``data_seed`` with ``randman``'s parameters
    (its ``steps``), then split. ``shd``: ``data`` is a folder with ``shd_train.h5`` and
    ``shd_test.h5`` (the official split) or one such file (split here); spikes binned into
    ``steps`` bins over ``[0, max_time)`` seconds. ``file``: a ``.npz`` with ``x``, ``y`` (and
    optionally ``x_test``, ``y_test``)."""
    name = (task or "").strip().lower()
    if name not in TASKS:
        raise BadInput(f"task '{task}' is unknown", f"{did_you_mean(name, TASKS)}choose one of {', '.join(TASKS)}",
                       subject="task")
    _check_fraction(test_fraction)
    if isinstance(data_seed, bool) or not isinstance(data_seed, int) or data_seed < 0:
        raise BadInput(f"data_seed={data_seed!r} is not a whole number >= 0", "give 0 or more", subject="data_seed")
    if name == "randman":
        if data is not None:
            raise BadInput("data: task 'randman' is generated; it reads no file", "drop data=, or give task='file'",
                           subject="data")
        cfg = randman or RandmanConfig()
        x, y = make_randman(cfg, data_seed)
        desc = (f"Randman: {cfg.classes} classes, {cfg.units} units, manifold dim {cfg.manifold_dim}, "
                f"smoothness {cfg.smoothness:g}, "
                f"{cfg.steps} steps, {cfg.samples} samples/class, seed {data_seed}")
        return split(x, y, test_fraction, data_seed, cfg.classes, "randman", desc)
    if name == "file":
        return _file_task(data, test_fraction, data_seed)
    path = _check_path(data, "shd", ("a folder with shd_train.h5 and shd_test.h5", "one .h5 file"))
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise BadInput(f"steps={steps!r} is not a whole number >= 1", "give e.g. 100", subject="steps")
    if not isinstance(max_time, (int, float)) or not math.isfinite(max_time) or max_time <= 0:
        raise BadInput(f"max_time={max_time!r} must be a positive number of seconds", "give e.g. 1.0",
                       subject="max_time")
    if os.path.isdir(path):
        files = [os.path.join(path, f) for f in SHD_FILES]
        missing = [f for f in files if not os.path.exists(f)]
        if missing:
            raise BadInput(f"data {path} has no {', '.join(os.path.basename(m) for m in missing)}",
                           "give the folder holding shd_train.h5 and shd_test.h5, or one .h5 file", subject="data")
        xtr, ytr = _read_shd(files[0], steps, max_time)
        xte, yte = _read_shd(files[1], steps, max_time)
        classes = int(max(ytr.max(), yte.max())) + 1
        return Task("shd", xtr, ytr, xte, yte, classes, f"SHD ({path}): {steps} bins over {max_time:g} s")
    x, y = _read_shd(path, steps, max_time)
    return split(x, y, test_fraction, data_seed, int(y.max()) + 1, "shd",
                 f"SHD ({os.path.basename(path)}, split here): {steps} bins over {max_time:g} s")


