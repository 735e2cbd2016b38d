"""Benchmark: how long each command takes to stop after SIGINT or SIGTERM.

    python benchmarks/interrupt.py [--repeat R]

Holds each command at a known point with the test hook (``SURROGATE_TEST_PAUSE``, see
``surrogate_cli/checkpoints.py``): plot inside the write of its figure, verify with a
compile queued, gallery with its two workers busy, and a run whose main thread does not
unwind at all (as in a long XLA compile, ``SURROGATE_TEST_PAUSE_STUBBORN=1``). Then it
sends the signal (to the process group, to the main process only, or SIGTERM) and times
until the process has exited. The floor, measured in the same run, is the same signal to
a bare ``python -c`` sleeping. Target: every command stopped within about 1 s.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CASES = [
    ("plot (writing its figure)", ["plot", "sigmoid", "-o", "out.png"], "write@out.png", False),
    ("verify (compiles queued)", ["verify", "sigmoid", "erf", "--json", "r.json"], "verify-compiling", False),
    ("gallery (2 workers busy)", ["gallery", "--config", os.path.join(ROOT, "configs", "gallery.yaml"),
                                  "--out", "g", "--jobs", "2"], "gallery-csv", False),
    ("plot, main thread stuck (watchdog)", ["plot", "sigmoid", "-o", "out.png"], "write@out.png", True),
]
MODES = {"group SIGINT": (signal.SIGINT, True), "main-only SIGINT": (signal.SIGINT, False),
         "SIGTERM": (signal.SIGTERM, True)}


def _stop_time(cmd: list[str], env: dict, marker: str | None, signum: int, group: bool, cwd: str) -> float:
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        t0 = time.monotonic()
        if marker:
            while not os.path.exists(marker):
                if proc.poll() is not None or time.monotonic() - t0 > 120:
                    raise RuntimeError(f"{cmd} never reached its pause point")
                time.sleep(0.02)
            time.sleep(0.2)
        else:
            time.sleep(0.5)
        t = time.monotonic()
        (os.killpg if group else os.kill)(proc.pid, signum)
        proc.wait(timeout=30)
        return time.monotonic() - t
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    floor = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            floor.append(_stop_time([sys.executable, "-c", "import time; time.sleep(60)"], dict(os.environ), None,
                                    signal.SIGINT, True, tmp))
    f = statistics.median(floor)
    print(f"{'what':<60}{'median s':>10}")
    print(f"{'floor: bare python sleeping, SIGINT':<60}{f:>10.2f}")
    worst = 0.0
    for label, argv, pause, stuck in CASES:
        for mode, (signum, group) in MODES.items():
            times = []
            for _ in range(args.repeat):
                with tempfile.TemporaryDirectory() as tmp:
                    if argv[0] == "gallery":
                        shutil.copytree(os.path.join(ROOT, "gallery"), os.path.join(tmp, "g"))
                    marker = os.path.join(tmp, "marker")
                    env = dict(os.environ, PYTHONPATH=ROOT, SURROGATE_TEST_PAUSE=pause,
                               SURROGATE_TEST_PAUSE_MARKER=marker, SURROGATE_TEST_PAUSE_STUBBORN="1" if stuck else "0")
                    times.append(_stop_time([sys.executable, "-m", "surrogate_cli", *argv], env, marker, signum,
                                            group, tmp))
            m = statistics.median(times)
            worst = max(worst, m)
            print(f"{label + ', ' + mode:<60}{m:>10.2f}")
    print(f"target: every command stopped within about 1 s -> {'met' if worst <= 1.2 else 'MISSED'} "
          f"(worst {worst:.2f} s)")


if __name__ == "__main__":
    main()
