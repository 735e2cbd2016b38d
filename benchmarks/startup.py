"""Benchmark: what a command pays before it does anything, beside baselines measured in the same run.

    python benchmarks/startup.py [--repeat R]

Whole processes, wall seconds, medians of R alternating runs: the interpreter alone
(`python -c pass`), `import numpy`, `import ml_dtypes` (jax's dtype package), `import jax`,
and `surrogate --help` and `surrogate list` (which must not import jax at all).

Why it exists: ml_dtypes 0.7.0 takes about 0.6 s to import (0.6.0 took 5 ms on the same
machine, 2026-12-06: it registers its NumPy loops one at a time, each compared with every
loop before it), and every command that evaluates a surrogate, and every worker process,
pays it. pyproject.toml leaves that one release out; this prints what the installed one costs.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

PROGRAMS = {
    "python -c pass": "pass",
    "import numpy": "import numpy",
    "import ml_dtypes": "import ml_dtypes",
    "import jax": "import jax",
}


def _time(cmd: list[str]) -> float:
    t = time.perf_counter()
    res = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t
    if res.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {res.returncode}: {res.stderr.strip()[-400:]}")
    return dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    py = sys.executable
    cmds = {name: [py, "-c", code] for name, code in PROGRAMS.items()}
    cmds["surrogate --help"] = [py, "-m", "surrogate_cli", "--help"]
    cmds["surrogate list"] = [py, "-m", "surrogate_cli", "list"]
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(args.repeat):
        for name, cmd in cmds.items():
            times[name].append(_time(cmd))
    version = subprocess.run([py, "-c", "import ml_dtypes; print(ml_dtypes.__version__)"],
                             capture_output=True, text=True).stdout.strip()
    floor = statistics.median(times["python -c pass"])
    print(f"start-up, medians of {args.repeat} alternating runs, wall seconds (ml_dtypes {version})")
    print(f"{'':<20}{'seconds':>9}{'beyond python':>15}")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:<20}{med:>9.3f}{med - floor:>15.3f}")
    ml = statistics.median(times["import ml_dtypes"]) - statistics.median(times["import numpy"])
    print(f"ml_dtypes beyond numpy: {ml:.3f} s (0.7.0: about 0.6 s; 0.6.0: about 0.005 s)")


if __name__ == "__main__":
    main()
