"""Named points of a long run where a test can hold it, to interrupt it there.

Inactive unless the environment variable ``SURROGATE_TEST_PAUSE`` is set, so it costs
one dictionary lookup in normal runs. With ``SURROGATE_TEST_PAUSE=NAME`` (or
``NAME@DETAIL``, e.g. ``write@sigmoid.png``) the run, on reaching that point, creates the
file named by ``SURROGATE_TEST_PAUSE_MARKER`` (if set) and sleeps for up to
:data:`PAUSE_SECONDS` before going on as usual. The interrupt tests use it to signal a
command that is demonstrably mid-way (a temporary file open, workers drawing). With
``SURROGATE_TEST_PAUSE_STUBBORN=1`` the pause also swallows any exception raised in it,
standing in for a long C call (an XLA compile) that does not return to Python: what the
CLI's watchdog is for.

Points: ``start`` (the CLI, before the command runs), ``write`` (inside an atomic
write, the temporary file written but not yet renamed; DETAIL is the file's base
name), ``gallery-task`` and ``gallery-csv`` (a gallery worker, starting an entry and
after writing its CSV; DETAIL is the entry), ``verify-compiling`` (the first surrogate's
kernels handed to the compile thread), ``workers-busy`` (``explore``'s worker processes
started, this process about to do its own share).
"""
from __future__ import annotations

import os
import time

__all__ = ["checkpoint", "PAUSE_SECONDS"]

PAUSE_SECONDS = 60.0


def checkpoint(name: str, detail: str = "") -> None:
    """Pause here if ``SURROGATE_TEST_PAUSE`` asks for this point (a test hook)."""
    want = os.environ.get("SURROGATE_TEST_PAUSE")
    if not want:
        return
    point, _, wanted_detail = want.partition("@")
    if point != name or (wanted_detail and wanted_detail != detail):
        return
    marker = os.environ.get("SURROGATE_TEST_PAUSE_MARKER")
    if marker:
        with open(marker, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {name} {detail}\n")
    stubborn = os.environ.get("SURROGATE_TEST_PAUSE_STUBBORN") == "1"
    deadline = time.monotonic() + PAUSE_SECONDS
    while time.monotonic() < deadline:
        try:
            time.sleep(0.05)
        except BaseException:
            if not stubborn:
                raise
