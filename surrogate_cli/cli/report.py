"""The one way commands report what they wrote: a line ``wrote PATH`` on stderr per file (a
folder written as a whole: one line ``wrote DIR/ (N files ...)``), warnings as
``warning: ...`` lines before them; stdout stays for data (tables, ``--json``, ``--csv -``)."""
from __future__ import annotations

import sys
from typing import Iterable

__all__ = ["report_written", "report_folder"]


def report_written(paths: Iterable[str], warnings: Iterable[str] = ()) -> None:
    """``warning: LINE`` for each warning, then ``wrote PATH`` for each file written."""
    for line in warnings:
        sys.stderr.write(f"warning: {line}\n")
    for path in paths:
        sys.stderr.write(f"wrote {path}\n")


def report_folder(folder: str, count: int, detail: str = "") -> None:
    """``wrote DIR/ (N files[, detail])``: a folder written as a whole."""
    extra = f", {detail}" if detail else ""
    sys.stderr.write(f"wrote {folder.rstrip('/')}/ ({count} files{extra})\n")
