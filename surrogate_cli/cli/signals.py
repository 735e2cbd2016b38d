"""Ctrl-C and termination: every command stops promptly, says so in one line, exits 130/143.

:func:`handling_interrupts` wraps a command run (``main()`` uses it). Inside it:

- SIGINT and SIGTERM raise :class:`Interrupted` in the main thread. It is not a
  ``KeyboardInterrupt`` (Typer turns those into a silent return) nor an ``Exception``
  (nothing catches it by accident), so it unwinds the command: atomic writes remove
  their temporary file, the gallery removes its staging folder and stops its worker
  processes, verify cancels its queued compiles. ``main()`` then calls :func:`exit_now`.
  Only the first signal raises; more Ctrl-C while cleaning up are ignored (the watchdog
  below still bounds the time).
- A signal that arrives inside an :func:`~surrogate_cli.render.files.uninterrupted` step
  (the renames that publish the gallery) is raised when that step ends; one that arrives
  during an import (jax's C extension crashes when an exception is raised while it
  initializes) or inside a garbage-collection callback is sent again every 10 ms until
  the main thread is out of it.
- If the exception is raised inside a garbage-collection callback or a ``__del__``
  (jax runs one, ``_xla_gc_callback``, on every collection), Python would print
  "Exception ignored in ..." and drop it; the unraisable hook installed here drops the
  message instead and delivers the signal again, a moment later, from another thread
  (so the handler runs once the callback is over), and the interrupt is never lost.
- A watchdog thread learns of the signal at once (through ``signal.set_wakeup_fd``,
  written by the C-level handler even while the main thread is busy in a long C call,
  such as an XLA compile) and, if the command has not finished unwinding within
  :data:`GRACE` seconds, ends the process itself the same way: remove the temporary
  files and folders still in flight, stop worker processes, one line, exit code.

:func:`exit_now` ends with ``os._exit`` after flushing stdout and stderr, on purpose: an
interrupted run may leave a compile thread busy in XLA (it cannot be cancelled, and
``concurrent.futures`` joins its threads at interpreter exit, which would wait for it),
and interpreter finalization would run jax's gc callback and atexit handlers in a
half-unwound program. Everything that must happen before exit (temporary files removed,
workers stopped, pools shut down, output flushed) has happened by then.
"""
from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
import time
from typing import Iterator

from ..render import files

__all__ = ["Interrupted", "handling_interrupts", "ignore_after_command", "exit_now", "GRACE"]

#: Seconds the command has to unwind after a signal before the watchdog ends the process.
GRACE = 0.8

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_EXIT = threading.Lock()


class Interrupted(BaseException):
    """Raised in the main thread by SIGINT or SIGTERM while a command runs."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = int(signum)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class _State:
    active = False  # handlers installed
    generation = 0  # counts installations, so a late watchdog knows its run is over
    raised = False  # an Interrupted is unwinding the command
    ignore_after = False  # leave the signals ignored once the command is over
    first: int | None = None  # the first signal received


_state = _State()


def _handler(signum, frame) -> None:
    if _state.first is None:
        _state.first = signum
    if files.interrupts_held():
        files.defer_interrupt(signum)
        return
    if _state.raised:
        return
    if not _safe_to_raise(frame):
        _deliver_again(signum, 0.01)
        return
    _state.raised = True
    raise Interrupted(_state.first)


def _safe_to_raise(frame) -> bool:
    """Not inside an import (an exception raised while a C extension such as jaxlib
    initializes can crash the process) nor inside a garbage-collection callback (where
    Python would print and drop it)."""
    callbacks = {getattr(cb, "__code__", None) for cb in gc.callbacks}
    while frame is not None:
        code = frame.f_code
        if code.co_filename.startswith("<frozen importlib") or code in callbacks:
            return False
        frame = frame.f_back
    return True


def _deliver_again(signum: int, delay: float) -> None:
    """Send the signal to the main thread again after ``delay`` seconds (from a timer thread)."""
    timer = threading.Timer(delay, signal.pthread_kill, (threading.main_thread().ident, signum))
    timer.daemon = True
    timer.start()


def _unraisable(previous):
    def hook(unraisable) -> None:
        if isinstance(unraisable.exc_value, Interrupted):
            # swallowed in a gc callback or __del__: deliver the signal again a moment
            # later, from another thread, so the handler runs after the callback is over
            # (delivered now, it would run inside this hook and be swallowed again)
            _state.raised = False
            _deliver_again(unraisable.exc_value.signum, 0.002)
            return
        previous(unraisable)

    return hook


def message(signum: int) -> str:
    """The one line: what happened and what was kept."""
    what = "interrupted" if signum == signal.SIGINT else "terminated"
    kept = files.written_paths()
    if not kept:
        return f"{what}; nothing written"
    return f"{what}; wrote {', '.join(kept)} before stopping, nothing else"


def _stop_children() -> None:
    parallel = sys.modules.get("surrogate_cli.evaluation.parallel")
    if parallel is not None:  # explore's worker processes
        parallel.stop_workers()
    if "multiprocessing" not in sys.modules:  # no gallery workers without it
        return
    import multiprocessing

    for child in multiprocessing.active_children():
        with contextlib.suppress(Exception):
            child.kill()


def exit_now(signum: int, watchdog: bool = False) -> None:
    """Remove temporary files, stop child processes, write the line, end the process.

    The line goes out before stdout is flushed: a flush can block (a pipe nobody reads),
    and then the watchdog ends the process without waiting for it. The watchdog itself
    never flushes: the main thread it gives up on may hold the stream's lock.
    """
    if not _EXIT.acquire(timeout=GRACE if watchdog else -1):
        os._exit(128 + signum)  # the main thread got stuck after its cleanup and line
    _stop_children()
    files.discard_pending()
    if not watchdog:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
    with contextlib.suppress(OSError):
        os.write(2, (message(signum) + "\n").encode("utf-8", "replace"))
    if not watchdog:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
    os._exit(128 + signum)


def _watchdog(read_fd: int, generation: int) -> None:
    try:
        _watch(read_fd, generation)
    finally:  # closed only now: later signals still write their byte without an error
        with contextlib.suppress(OSError):
            os.close(read_fd)


def _watch(read_fd: int, generation: int) -> None:
    # signals go to the main thread (this one only reads their bytes): blocked here, so
    # none is lost to this thread while the gallery starts its workers with SIGINT ignored
    signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    wanted = {int(s) for s in _SIGNALS}
    try:
        while True:
            data = os.read(read_fd, 1)
            if not data or data[0] in wanted:
                break
    except OSError:
        data = b""
    if not data:  # the write end was closed: the command finished
        return
    time.sleep(GRACE)
    if _state.generation != generation or not _state.active:
        return  # the command was over (handled in-process) before the grace ran out
    # still alive: the main thread did not unwind in time; finish any rename step first
    files.commit_lock().acquire(timeout=10.0)
    exit_now(_state.first or data[0], watchdog=True)


def ignore_after_command() -> None:
    """For the program's entry point: once the command is over (its files complete, its
    output written), leave SIGINT and SIGTERM ignored while Python shuts down. Otherwise
    a late signal would find the default disposition (Python resets its handlers during
    finalization) and kill the process silently, or a traceback would interrupt the exit."""
    _state.ignore_after = True


@contextlib.contextmanager
def handling_interrupts() -> Iterator[None]:
    """Install the handlers for the duration of a command (main thread only; else a no-op;
    nested: a no-op inside the outer one)."""
    if threading.current_thread() is not threading.main_thread() or _state.active:
        yield
        return
    _state.raised, _state.first, _state.active = False, None, True
    _state.generation += 1
    previous = {s: signal.getsignal(s) for s in _SIGNALS}
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    old_fd = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    watcher = threading.Thread(target=_watchdog, args=(read_fd, _state.generation), name="surrogate-interrupt-watchdog",
                               daemon=True)
    watcher.start()
    old_hook = sys.unraisablehook
    sys.unraisablehook = _unraisable(old_hook)
    for s in _SIGNALS:
        signal.signal(s, _handler)
    try:
        yield
    finally:
        _state.raised = True  # the command is over: from here the handler raises nothing
        _state.active = False
        for s, h in previous.items():
            if _state.ignore_after:
                h = signal.SIG_IGN
            signal.signal(s, h if h is not None else signal.SIG_DFL)
        sys.unraisablehook = old_hook
        signal.set_wakeup_fd(old_fd)
        os.close(write_fd)  # the watchdog reads end-of-file and returns
