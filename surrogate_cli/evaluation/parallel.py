"""Independent evaluations two (or more) at a time: in threads of this process
(:func:`map_threads`), or split between this process and spawned worker processes
(:func:`map_processes`, over :func:`spawn_pool`, which the gallery's workers use too).

XLA compiles and runs, and NumPy's large operations, release the GIL, so threads keep
the cores busy for jobs that are each a chain of them (one conversion). A job that is
mostly many small calls (one surrogate's slider positions, each an ``info``) holds the
GIL between them: processes run those side by side. Results come back in the order of
the inputs, whatever order the jobs ran in; they are the same numbers as one at a time
(each job's arithmetic is its own, and a worker compiles the same programs).
"""
from __future__ import annotations

import contextlib
import os
import threading
from typing import Callable, Iterator, Sequence, TypeVar

from ..checkpoints import checkpoint

__all__ = ["map_threads", "map_processes", "spawn_pool", "spawning_without_sigint", "worker_signals", "check_jobs"]


def check_jobs(jobs) -> None:
    """Raise :class:`~surrogate_cli.errors.BadInput` unless ``jobs`` (a number of processes
    sharing some work) is None or a whole number of 1 or more."""
    import numbers

    from ..errors import BadInput

    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, numbers.Integral) or jobs < 1):
        raise BadInput(f"jobs={jobs!r} is not a positive whole number", "give jobs=1 or more (1: this process only)",
                       subject="jobs")

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


def worker_signals() -> None:
    """A worker process's first step: leave Ctrl-C to the main process, which stops it (no
    tracebacks of its own), and lift the mask of SIGINT and SIGTERM it inherited from its
    start (:func:`spawning_without_sigint`), so a SIGTERM ends it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


@contextlib.contextmanager
def spawning_without_sigint() -> Iterator[None]:
    """Start worker processes with SIGINT ignored from their first instruction: a spawned
    child inherits an ignored signal (and the signal mask) but not a Python handler, so a
    Ctrl-C while it boots would otherwise print its own KeyboardInterrupt traceback.
    Meanwhile the main thread blocks SIGINT and SIGTERM, so one arriving now waits (it is
    not lost) until its handler is back."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old if old is not None else signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)


@contextlib.contextmanager
def spawn_pool(workers: int):
    """A ``ProcessPoolExecutor`` of ``workers`` spawned processes (jax is not fork-safe)
    that ignore SIGINT (the main process handles it and stops them). Submit inside
    :func:`spawning_without_sigint` (a worker starts on a submit). On an error or an
    interrupt in the ``with`` body the workers are killed at once, not waited for."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("spawn")
    before = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=worker_signals)
    try:
        yield pool
    except BaseException:
        for child in set(multiprocessing.active_children()) - before:
            child.kill()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _run_share(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    return [fn(item) for item in items]


#: The worker processes of :func:`map_processes` running now (:func:`stop_workers` ends them).
_RUNNING: set = set()
#: What a worker process runs (``python -m`` this).
WORKER_MODULE = "surrogate_cli.evaluation.worker"


class WorkerLost(RuntimeError):
    """A worker process ended without an answer (it could not start, or was killed)."""


def stop_workers() -> None:
    """Kill the worker processes :func:`map_processes` has running (an interrupt's cleanup)."""
    for proc in list(_RUNNING):
        with contextlib.suppress(Exception):
            proc.kill()


class _Worker:
    """One worker process (``python -m surrogate_cli.evaluation.worker``) running one share:
    the pickled ``(fn, items)`` on its stdin, the pickled results on its stdout. A plain
    subprocess, not ``multiprocessing``: it never imports the caller's ``__main__``, so a
    script without an ``if __name__ == "__main__":`` guard, or a notebook, works the same."""

    def __init__(self, fn, items):
        import pickle
        import subprocess
        import sys

        payload = pickle.dumps((fn, list(items)), protocol=pickle.HIGHEST_PROTOCOL)
        path = [os.path.abspath(p or os.curdir) for p in sys.path]  # what this process imports from
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(dict.fromkeys(path)))
        with spawning_without_sigint():  # the child starts with SIGINT ignored
            self.proc = subprocess.Popen([sys.executable, "-m", WORKER_MODULE], env=env,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _RUNNING.add(self.proc)
        self.out = self.err = b""
        # the pipes are served by a thread, so this process works on its own share meanwhile
        self.thread = threading.Thread(target=self._talk, args=(payload,), daemon=True)
        self.thread.start()

    def _talk(self, payload: bytes) -> None:
        with contextlib.suppress(Exception):
            self.out, self.err = self.proc.communicate(payload)

    def result(self) -> list:
        import pickle

        self.thread.join()
        _RUNNING.discard(self.proc)
        text = self.err.decode("utf-8", "replace")
        if self.proc.returncode == 0 and self.out:
            if text:  # a warning of the work: shown as this process would have shown it
                import sys

                sys.stderr.write(text)
            status, value = pickle.loads(self.out)
            if status == "ok":
                return value
            raise value
        lines = text.strip().splitlines()
        raise WorkerLost(f"a worker process exited with code {self.proc.returncode}"
                         + (f": {lines[-1]}" if lines else ""))

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
        self.thread.join()
        _RUNNING.discard(self.proc)


def map_processes(fn: Callable[[T], R], items: Sequence[T], cost: Callable[[T], float],
                  portable: Callable[[T], bool] = lambda item: True, startup: float = 0.0,
                  min_total: float = 0.0, processes: int | None = None) -> list[R]:
    """``[fn(item) for item in items]``, the items split between this process and one
    worker process per further core.

    ``fn``, the portable items and their results must pickle (``fn`` a module-level
    function of this package). ``cost``: each item's time, in any unit; the items are dealt
    out costliest first, each to the share with the least so far (a worker's share starts
    at ``startup``, its cost of starting: interpreter, jax, the package). Items that are
    not ``portable`` (a user's object, say) stay in this process. This process works
    through its share while the workers do theirs; the share of a worker that ends without
    an answer (it could not start, or was killed) is done here after all, and what a
    worker wrote on stderr (a warning) is written on this process's. Below ``min_total``
    of total cost, with one core, or off the main thread, it is :func:`map_threads`. An
    error in any share, or an interrupt, stops the workers and is raised here.
    ``processes``: how many share the work, this one included (default: one per core).
    """
    items = list(items)
    costs = [float(cost(item)) for item in items]
    movable = [portable(item) for item in items]
    workers = min(sum(movable), (processes or os.cpu_count() or 1) - 1)
    if workers < 1 or sum(costs) < min_total or threading.current_thread() is not threading.main_thread():
        return map_threads(fn, items, cost)
    loads = [0.0] + [float(startup)] * workers
    shares: list[list[int]] = [[] for _ in loads]
    for i in sorted(range(len(items)), key=lambda i: (movable[i], -costs[i])):
        k = min(range(len(loads)), key=lambda b: (loads[b], b)) if movable[i] else 0
        shares[k].append(i)
        loads[k] += costs[i]
    out: list = [None] * len(items)
    started: list[tuple[list[int], _Worker]] = []
    try:
        for share in shares[1:]:
            if share:
                started.append((share, _Worker(fn, [items[i] for i in share])))
        checkpoint("workers-busy")
        for i, r in zip(shares[0], _run_share(fn, [items[i] for i in shares[0]])):
            out[i] = r
        for share, worker in started:
            try:
                done = worker.result()
            except WorkerLost:  # the work itself did not fail: do it here
                done = _run_share(fn, [items[i] for i in share])
            for i, r in zip(share, done):
                out[i] = r
    finally:
        for _, worker in started:
            worker.kill()  # finished ones: nothing to do
    return out
