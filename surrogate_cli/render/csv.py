"""Curves as tidy CSV.

"Tidy" (long) form, one row per sample: ``surrogate``, one column per parameter (named
as the parameter), then ``x``, ``spike``, ``function``, ``gradient``. Floats are written
exactly (:func:`surrogate_cli.formatting.exact`, round-trip through ``float()``);
``function`` is empty where the surrogate has no ``surrogate_fun`` (gradient-only
surrogates: the integrated curve drawn in plots is not exported). When the gradients were
rescaled (``compare --normalize peak|area``), a ``normalize`` column before ``x`` says
how: ``gradient`` is then ``g'`` divided by its peak, or by its area over the whole line.
"""
from __future__ import annotations

import io
import sys
from typing import IO, Any, Iterable, Sequence

from ..formatting import exact
from .files import atomic_write

__all__ = ["csv_columns", "csv_text", "write_csv"]


def csv_columns(curves: Sequence[Any]) -> list[str]:
    """The header: ``surrogate``, every parameter (first-seen order), ``x, spike, function, gradient``."""
    params: list[str] = []
    for c in curves:
        for name in c.params:
            if name not in params:
                params.append(name)
    marked = ["normalize"] if any(getattr(c, "normalized", None) for c in curves) else []
    return ["surrogate", *params, *marked, "x", "spike", "function", "gradient"]


def _rows(curves: Sequence[Any], columns: list[str]) -> Iterable[str]:
    marked = "normalize" in columns
    pnames = columns[1:-5] if marked else columns[1:-4]
    yield ",".join(columns) + "\n"
    for c in curves:
        name = str(c.surrogate)
        if any(ch in name for ch in ',"\n'):
            name = '"' + name.replace('"', '""') + '"'
        cells = [name, *(exact(c.params.get(p)) for p in pnames)]
        if marked:
            cells.append(getattr(c, "normalized", None) or "none")
        prefix = ",".join(cells)
        fun = c.function if (c.function is not None and not getattr(c, "integrated", False)) else None
        xs = c.x.tolist()
        ss = c.spike.tolist()
        gs = c.gradient.tolist()
        fs = fun.tolist() if fun is not None else [None] * len(xs)
        for x, s, f, g in zip(xs, ss, fs, gs):
            yield f"{prefix},{x!r},{s!r},{'' if f is None else repr(f)},{g!r}\n"


def csv_text(curves: Sequence[Any]) -> str:
    """The whole CSV as a string."""
    buf = io.StringIO()
    for line in _rows(curves, csv_columns(curves)):
        buf.write(line)
    return buf.getvalue()


def write_csv(curves: Sequence[Any], path: str, stdout: IO | None = None) -> None:
    """Write curves as tidy CSV to ``path`` atomically, or to stdout when ``path`` is ``-``."""
    columns = csv_columns(curves)
    if path == "-":
        out = stdout or sys.stdout
        out.writelines(_rows(curves, columns))
        out.flush()
        return

    def write(fh: IO) -> None:
        fh.writelines(_rows(curves, columns))

    atomic_write(path, write)
