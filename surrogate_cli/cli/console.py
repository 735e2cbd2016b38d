"""The Rich console commands print through.

On a terminal, Rich wraps to the terminal's width. Piped to a file or another program,
Rich would wrap at 80 columns, mid-sentence; there is no width to respect then, so lines
are left whole (``COLUMNS`` still wins when set).
"""
from __future__ import annotations

import os
import sys

__all__ = ["make_console", "PIPE_WIDTH"]

#: The width used when the output is not a terminal: wide enough never to wrap a line.
PIPE_WIDTH = 10_000


def make_console(stderr: bool = False):
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None
    if not os.environ.get("COLUMNS"):
        try:
            tty = stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        if not tty:
            width = PIPE_WIDTH
    return Console(file=stream, width=width)
