"""The worker process of :func:`~surrogate_cli.evaluation.parallel.map_processes`:
``python -m surrogate_cli.evaluation.worker`` reads a pickled ``(fn, items)`` on stdin and
writes the pickled ``("ok", [fn(item) ...])`` (or ``("error", exception)``) on stdout.

It ignores SIGINT (its parent handles Ctrl-C and stops it), a SIGTERM ends it, and
anything the work prints goes to stderr, so stdout carries the answer only.
"""
from __future__ import annotations

import os
import pickle
import sys

from .parallel import worker_signals

__all__ = ["main"]


def main() -> None:
    worker_signals()
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a print in the work goes to stderr
    sys.stdout = sys.stderr
    fn, items = pickle.loads(sys.stdin.buffer.read())
    try:
        result = ("ok", [fn(item) for item in items])
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
        result = ("error", exc)
    try:
        blob = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - an exception or result that does not pickle
        blob = pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    answer.write(blob)
    answer.close()


if __name__ == "__main__":
    main()
