"""Independent evaluations two (or more) at a time, in threads of this process.

XLA compiles and runs, and NumPy's large operations, release the GIL, so threads keep
the cores busy for jobs that are each a chain of them (one surrogate's slider positions,
one conversion). Results come back in the order of the inputs, whatever order the jobs
ran in; they are the same numbers as one at a time (each job's arithmetic is its own).
"""
from __future__ import annotations

import os
import threading
from typing import Callable, Sequence, TypeVar

__all__ = ["map_threads"]

T = TypeVar("T")
R = TypeVar("R")


def map_threads(fn: Callable[[T], R], items: Sequence[T], cost: Callable[[T], float] | None = None) -> list[R]:
    """``[fn(item) for item in items]``, the items spread over one thread per core.

    ``cost``: an estimate of each item's time; the costliest start first, so that no
    thread is left running a long one alone at the end. One at a time when there is one
    item or one core, or when called outside the main thread (a caller's own worker). An
    error or an interrupt (raised in the main thread) does not wait for the items still
    queued.
    """
    items = list(items)
    workers = min(len(items), os.cpu_count() or 1)
    if workers < 2 or threading.current_thread() is not threading.main_thread():
        return [fn(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor

    import jax.numpy  # noqa: F401 - imported here, once, not raced for by the threads

    order = list(range(len(items)))
    if cost is not None:
        order.sort(key=lambda i: -cost(items[i]))
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        futures = {i: pool.submit(fn, items[i]) for i in order}
        return [futures[i].result() for i in range(len(items))]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
