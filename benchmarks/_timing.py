"""The benchmarks' one way to time a whole command (a helper module, not a benchmark)."""
from __future__ import annotations

import subprocess
import sys
import time


def run_timed(cmd: list[str], env: dict | None = None, cwd: str | None = None) -> tuple[float, str]:
    """``(wall seconds, stdout)`` of ``cmd`` run to its end; a failed command ends the
    benchmark with its exit code and the end of its stderr."""
    t = time.perf_counter()
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
    dt = time.perf_counter() - t
    if res.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {res.returncode}: {res.stderr.strip()[-400:]}")
    return dt, res.stdout.strip()
