"""Benchmark: the whole gallery vs the single-figure floor, measured in the same run.

    python benchmarks/gallery.py [--jobs N] [--repeat R]

Runs `surrogate gallery` (18 figures + the overview, SVG and PNG, into a temporary
folder) and, as the floor, a bare `python -c` that imports jax and matplotlib, evaluates
one surrogate's sweep and saves one figure as SVG and PNG. Target: the whole gallery in
under 20 s wall on 2 cores. Prints medians and the ratio.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FLOOR = r"""
import os, sys
import matplotlib; matplotlib.use("Agg")
import matplotlib.pyplot as plt
import jax, jax.numpy as jnp
jax.config.update("jax_enable_x64", True)
out = sys.argv[1]
x = jnp.linspace(-2.0, 2.0, 801)
fig, axes = plt.subplots(1, 3, figsize=(12.0, 3.6), layout="constrained")
for a in (1.0, 2.0, 4.0):
    s = jax.nn.sigmoid(a * x)
    g = jax.grad(lambda v: jnp.sum(jax.nn.sigmoid(a * v)))(x)
    axes[0].plot(x, (x >= 0).astype(float)); axes[1].plot(x, s); axes[2].plot(x, g, label=f"a={a}")
fig.legend(loc="outside right upper")
fig.savefig(os.path.join(out, "f.svg")); fig.savefig(os.path.join(out, "f.png"), dpi=110)
"""


def _time(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    exe = os.path.join(os.path.dirname(sys.executable), "surrogate")
    floors, whole = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            floors.append(_time([sys.executable, "-c", FLOOR, tmp]))
        with tempfile.TemporaryDirectory() as tmp:
            whole.append(_time([exe, "gallery", "--out", tmp, "--jobs", str(args.jobs)]))
    f, w = statistics.median(floors), statistics.median(whole)
    print(f"{'what':<56}{'median s':>10}{'x floor':>9}")
    print(f"{'floor: one figure (svg+png), bare script':<56}{f:>10.2f}{1.0:>9.2f}")
    from surrogate_cli.catalog import REGISTRY
    from surrogate_cli.catalog.foreign import LIBRARIES

    figures = len(REGISTRY) + 1 + len(LIBRARIES)  # one per built-in, the overview, one sheet per library
    print(f"{f'surrogate gallery ({figures} figures x 2 formats, jobs={args.jobs})':<56}{w:>10.2f}{w / f:>9.2f}")
    print(f"{'per figure':<56}{w / figures:>10.2f}")
    print(f"target: whole gallery < 20 s wall -> {'met' if w < 20 else 'MISSED'}")


if __name__ == "__main__":
    main()
