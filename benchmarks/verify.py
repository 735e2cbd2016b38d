"""Benchmark: `surrogate verify --all`, `--all --sweep` and one user surrogate against the startup floor, in one run.

    python benchmarks/verify.py [--repeat R] [--no-breakdown] [--baseline-src DIR]

* the floor: `python -c "import jax, surrogate_cli, surrogate_cli.library"` (interpreter,
  jax and the package: what every verify run pays before checking anything),
* `surrogate verify --all` and `surrogate verify --all --sweep` (wall time of the whole process),
* `surrogate verify user.py:Tanh`: one user surrogate with its automatic sweep (3 parameter sets),
* with ``--baseline-src DIR`` (a source tree of another version, e.g. ``git archive main
  surrogate_cli configs | tar -x -C DIR``): that version's `verify --all` and `--all --sweep`,
  its package first on PYTHONPATH, alternated with this one's (a before/after in one run),
* a per-surrogate breakdown measured in this process: trace + lower (main thread), XLA compile
  (background thread), run of the compiled kernel, NumPy analysis, and parameter sets.

Targets on 2 cores: `verify --all` under 6 s wall, `--all --sweep` under 20 s, the user surrogate
with its automatic sweep under 2 s beyond the floor. Runs alternate between the commands (so
machine load hits all alike) and the table shows medians of wall time and of CPU time (user +
system, which machine load inflates less).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

FLOOR = "import jax, surrogate_cli, surrogate_cli.library"


USER = """
import jax.numpy as jnp
from surrogate_cli import Surrogate


class Tanh(Surrogate):
    def __init__(self, alpha=2.0):
        super().__init__()
        self.alpha = alpha

    def surrogate_fun(self, x):
        return 0.5 * jnp.tanh(self.alpha * x) + 0.5

    def surrogate_grad(self, x):
        return 0.5 * self.alpha * (1 - jnp.tanh(self.alpha * x) ** 2)
"""


def _time(cmd: list[str], cwd: str | None = None, pythonpath: str | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child)."""
    env = None
    if pythonpath is not None:
        env = dict(os.environ, PYTHONPATH=pythonpath)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    res = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=cwd, env=env)
    dt = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if res.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {res.returncode}: {res.stderr.strip()[-400:]}")
    return dt, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def breakdown() -> None:
    from surrogate_cli import verify
    from surrogate_cli.catalog import names

    for sweep in (False, True):
        t = time.perf_counter()
        report = verify(names(), sweep=sweep)
        wall = time.perf_counter() - t
        print(f"\nin-process breakdown, verify --all{' --sweep' if sweep else ''}: "
              f"{len(report.surrogates)} parameter sets, {wall:.2f} s")
        print(f"{'surrogate':<28}{'static':>10}{'sets':>6}{'trace s':>9}{'compile s':>11}{'run s':>8}"
              f"{'analyse s':>11}")
        tot = {"trace_s": 0.0, "compile_s": 0.0, "run_s": 0.0, "analyse_s": 0.0}
        for row in report.timings:
            static = ",".join(f"{k}={v}" for k, v in row["static"].items()) or "-"
            print(f"{row['name']:<28}{static:>10}{row['sets']:>6}{row['trace_s']:>9.3f}{row['compile_s']:>11.3f}"
                  f"{row['run_s']:>8.3f}{row['analyse_s']:>11.3f}")
            for k in tot:
                tot[k] += row[k]
        print(f"{'total':<44}{tot['trace_s']:>9.3f}{tot['compile_s']:>11.3f}{tot['run_s']:>8.3f}"
              f"{tot['analyse_s']:>11.3f}")
        print("(compile runs on a background thread while the next kernel traces; wall < sum)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-breakdown", action="store_true")
    ap.add_argument("--baseline-src", help="source tree of another version to time alongside (before/after)")
    args = ap.parse_args()
    exe = os.path.join(os.path.dirname(sys.executable), "surrogate")
    cmd = [exe] if os.path.exists(exe) else [sys.executable, "-m", "surrogate_cli"]
    tmp = tempfile.mkdtemp()
    with open(os.path.join(tmp, "user.py"), "w") as fh:
        fh.write(USER)
    runs = {
        "floor": [sys.executable, "-c", FLOOR],
        "all": cmd + ["verify", "--all"],
        "sweep": cmd + ["verify", "--all", "--sweep"],
        "user": cmd + ["verify", "user.py:Tanh"],
    }
    where = {k: (tmp, None) for k in runs}
    if args.baseline_src:  # the other version: its package first on the path, its configs/ in cwd
        base = os.path.abspath(args.baseline_src)
        py = [sys.executable, "-m", "surrogate_cli"]
        runs["base_all"], runs["base_sweep"] = py + ["verify", "--all"], py + ["verify", "--all", "--sweep"]
        where["base_all"] = where["base_sweep"] = (base, base)
    for k, c in runs.items():  # warm-up (file-system caches, .pyc files)
        _time(c, *where[k])
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in runs}
    for _ in range(args.repeat):
        for k, c in runs.items():
            times[k].append(_time(c, *where[k]))
    med = {k: statistics.median(w for w, _ in v) for k, v in times.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in times.items()}
    floor = med["floor"]
    beyond = med["user"] - floor
    rows = [
        ("floor: python -c 'import jax, surrogate_cli'", "floor", ""),
        ("surrogate verify --all", "all", f"target < 6 s: {'OK' if med['all'] < 6 else 'OVER'}"),
        ("surrogate verify --all --sweep", "sweep", f"target < 20 s: {'OK' if med['sweep'] < 20 else 'OVER'}"),
        ("surrogate verify user.py:Tanh (3 sets)", "user",
         f"{beyond:.2f} s beyond the floor; target < 2 s: {'OK' if beyond < 2 else 'OVER'}"),
    ]
    if args.baseline_src:
        for k, label in (("base_all", "baseline: verify --all"), ("base_sweep", "baseline: verify --all --sweep")):
            mine = k[5:]
            rows.append((label, k, f"this version {med[mine] / med[k]:.2f}x its wall time, "
                                   f"{cpu[mine] / cpu[k]:.2f}x its CPU time"))
    print(f"{'command':<46}{'median s':>10}{'x floor':>9}{'cpu s':>8}{'x floor':>9}  note")
    for name, k, note in rows:
        print(f"{name:<46}{med[k]:>10.3f}{med[k] / floor:>9.2f}{cpu[k]:>8.2f}{cpu[k] / cpu['floor']:>9.2f}  {note}")
    print(f"repeats: {args.repeat} (medians); cores: {os.cpu_count()}; "
          f"load average: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    if not args.no_breakdown:
        breakdown()


if __name__ == "__main__":
    main()
