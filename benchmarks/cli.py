"""Benchmark: `surrogate plot` against its floor, and `surrogate --help`, in the same run.

    python benchmarks/cli.py [--repeat R]

* `surrogate plot sigmoid --alpha 1,2,4 -o f.png` (wall time of the whole process),
* the floor: a bare `python -c` that imports jax and matplotlib, evaluates the same three
  curves in float64 (spike, g and the gradient through jax.grad) on the same 1000 points
  and saves a PNG of the same size and dpi,
* `surrogate --help` and `surrogate list --help` (must not import jax or matplotlib).

Targets: plot <= 1.3x the floor; --help under 0.4 s. Runs alternate between the
commands (so machine load hits both alike) and the table shows medians.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

FLOOR = r"""
import sys
import jax, jax.numpy as jnp
import numpy as np
import matplotlib
matplotlib.use("Agg")
from matplotlib.figure import Figure
with jax.enable_x64(True):
    x = jnp.linspace(-2.0, 2.0, 1000)
    rows = []
    for a in (1.0, 2.0, 4.0):
        spike = np.asarray((x >= 0).astype(x.dtype))
        g = np.asarray(jax.nn.sigmoid(a * x))
        dg = np.asarray(jax.grad(lambda v: jnp.sum(jax.nn.sigmoid(a * v)))(x))
        rows.append((spike, g, dg))
fig = Figure(figsize=(12.6, 3.9))
axes = fig.subplots(1, 3)
for spike, g, dg in rows:
    axes[0].plot(x, spike); axes[1].plot(x, g); axes[2].plot(x, dg)
fig.savefig(sys.argv[1], dpi=100)
"""


def _time(cmd: list[str], cwd: str) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    exe = os.path.join(os.path.dirname(sys.executable), "surrogate")
    env_note = os.environ.get("MPLBACKEND", "")
    times: dict[str, list[float]] = {"floor": [], "plot": [], "help": [], "list_help": []}
    with tempfile.TemporaryDirectory() as tmp:
        # one warm-up of each (file-system caches, .pyc files)
        _time([sys.executable, "-c", FLOOR, "floor.png"], tmp)
        _time([exe, "plot", "sigmoid", "--alpha", "1,2,4", "-o", "f.png"], tmp)
        for _ in range(args.repeat):
            times["floor"].append(_time([sys.executable, "-c", FLOOR, "floor.png"], tmp))
            times["plot"].append(_time([exe, "plot", "sigmoid", "--alpha", "1,2,4", "-o", "f.png"], tmp))
            times["help"].append(_time([exe, "--help"], tmp))
            times["list_help"].append(_time([exe, "list", "--help"], tmp))
    med = {k: statistics.median(v) for k, v in times.items()}
    floor = med["floor"]
    rows = [
        ("floor: python -c (jax + matplotlib, 3 curves, PNG)", med["floor"], 1.0, ""),
        ("surrogate plot sigmoid --alpha 1,2,4 -o f.png", med["plot"], med["plot"] / floor,
         "target <= 1.3x floor"),
        ("surrogate --help", med["help"], med["help"] / floor, "target < 0.4 s"),
        ("surrogate list --help", med["list_help"], med["list_help"] / floor, "target < 0.4 s"),
    ]
    print(f"{'command':<54}{'median s':>10}{'x floor':>9}  note")
    for name, t, ratio, note in rows:
        print(f"{name:<54}{t:>10.3f}{ratio:>9.2f}  {note}")
    ok_plot = med["plot"] <= 1.3 * floor
    ok_help = med["help"] < 0.4 and med["list_help"] < 0.4
    print(f"\nrepeats: {args.repeat} (medians){'; MPLBACKEND=' + env_note if env_note else ''}")
    print(f"plot vs floor: {'OK' if ok_plot else 'OVER TARGET'} ({med['plot'] / floor:.2f}x); "
          f"--help: {'OK' if ok_help else 'OVER TARGET'} ({med['help']:.3f} s)")


if __name__ == "__main__":
    main()
