"""Benchmark: what a command pays before it does anything, beside baselines measured in the same run.

    python benchmarks/startup.py [--repeat R]

Whole processes, wall seconds, medians of R alternating runs: the interpreter alone
(`python -c pass`), `import numpy`, `import ml_dtypes` (jax's dtype package), `import jax`,
and `surrogate --help` and `surrogate list` (which must not import jax at all); then the
end of a process: from the line that says the file is written to the process's exit, for
`surrogate plot sigmoid -o F.png` (which ends with ``os._exit`` once its exit handlers have
run, `surrogate_cli/__main__.py`) beside a script that draws the same figure and lets
Python tear the interpreter down.

Why it exists: ml_dtypes 0.7.0 takes about 0.6 s to import (0.6.0 took 5 ms on the same
machine, 2026-12-06: it registers its NumPy loops one at a time, each compared with every
loop before it), and every command that evaluates a surrogate, and every worker process,
pays it. pyproject.toml leaves that one release out; this prints what the installed one costs.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from _timing import run_timed

PROGRAMS = {
    "python -c pass": "pass",
    "import numpy": "import numpy",
    "import ml_dtypes": "import ml_dtypes",
    "import jax": "import jax",
}


def _time(cmd: list[str]) -> float:
    return run_timed(cmd)[0]


SCRIPT = r"""
import sys
from surrogate_cli.render.figures import plot
plot("sigmoid").savefig(sys.argv[1])
sys.stderr.write("wrote " + sys.argv[1] + "\n")
"""


def _end(cmd: list[str]) -> tuple[float, float]:
    """(seconds to the first line on stderr, seconds from it to the exit)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    t1 = time.perf_counter()
    rest = proc.stderr.read()
    if proc.wait() != 0 or not line.startswith("wrote"):
        sys.exit(f"{' '.join(cmd)} failed: {line}{rest}")
    return t1 - t, time.perf_counter() - t1


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
    import tempfile

    png = os.path.join(tempfile.mkdtemp(), "sigmoid.png")
    ends: dict[str, list[tuple[float, float]]] = {"surrogate plot": [], "the same figure, a plain script": []}
    for _ in range(args.repeat):
        ends["surrogate plot"].append(_end([py, "-m", "surrogate_cli", "plot", "sigmoid", "-o", png]))
        ends["the same figure, a plain script"].append(_end([py, "-c", SCRIPT, png]))
    print("the end of a process, medians, wall seconds: written at / exit after it")
    for name, rows in ends.items():
        print(f"{name:<34}{statistics.median(r[0] for r in rows):>8.3f}{statistics.median(r[1] for r in rows):>10.3f}")


if __name__ == "__main__":
    main()
