"""Figures to bytes and files, reproducibly: fixed metadata (no dates, no software
version), a fixed SVG hash salt, the layout computed once for every format."""
from __future__ import annotations

import os
from typing import Sequence

from ..errors import BadInput

__all__ = ["figure_bytes", "freeze_layout", "save_figure", "save_all"]


def _metadata(fmt: str) -> dict:
    if fmt == "png":
        return {"Software": None}
    if fmt == "svg":
        return {"Date": None, "Creator": None}
    if fmt == "pdf":
        return {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None}
    return {}


def figure_bytes(fig, fmt: str = "png", dpi: float | None = None) -> bytes:
    """The figure rendered to bytes with reproducible metadata."""
    import io

    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "surrogate", "svg.fonttype": "path", "pdf.fonttype": 42}), \
            _quiet_font_timestamps():
        meta = _metadata(fmt)  # formats without metadata (jpg, ...) get none: matplotlib refuses it for them
        fig.savefig(buf, format=fmt, dpi=dpi, **({"metadata": meta} if meta else {}))
    return buf.getvalue()


class _FontTimestampFilter:
    """Drops fontTools' "'created' timestamp seems very low" warning, and nothing else.

    The PDF's own metadata carries no dates (:func:`_metadata`). The warning comes from
    the fonts matplotlib ships: its Computer Modern files (``cmr10.ttf``, ``cmmi10.ttf``,
    ``cmsy10.ttf``, used for mathtext) have ``created``/``modified`` = 2082840000 in
    their ``head`` table, 80 minutes before the font epoch's 1970, and fontTools logs it
    each time matplotlib loads one of them to embed a subset. The embedded subset is
    correct either way; there is nothing for a user to act on.
    """

    def filter(self, record) -> bool:
        return "timestamp seems very low" not in record.getMessage()


class _quiet_font_timestamps:
    _LOGGER = "fontTools.ttLib.tables._h_e_a_d"

    def __enter__(self):
        import logging

        self._filter = _FontTimestampFilter()
        logging.getLogger(self._LOGGER).addFilter(self._filter)
        return self

    def __exit__(self, *exc):
        import logging

        logging.getLogger(self._LOGGER).removeFilter(self._filter)
        return False


def freeze_layout(fig) -> None:
    """Run the layout engine once and keep its result.

    A figure saved in several formats is otherwise laid out again on every save;
    constrained layout measures every text and is the larger part of the cost.
    """
    fig.draw_without_rendering()
    fig.set_layout_engine("none")


def save_figure(fig, path: str | os.PathLike, dpi: float | None = None, fmt: str | None = None) -> str:
    """Write ``fig`` to ``path`` atomically; the format follows the extension.

    The bytes are reproducible (fixed metadata and SVG ids). Returns the path. Raises
    :class:`BadInput` for an unknown extension or an unwritable destination; on any
    failure nothing is left at ``path``.
    """
    from .files import FIGURE_FORMATS, atomic_write

    path = os.fspath(path)
    if fmt is None:
        ext = os.path.splitext(path)[1].lower()
        fmt = FIGURE_FORMATS.get(ext)
        if fmt is None:
            raise BadInput(
                f"unknown figure extension '{ext or path}'", f"use one of {', '.join(FIGURE_FORMATS)}"
            )
    data = figure_bytes(fig, fmt, dpi)
    atomic_write(path, data)
    return path


def save_all(fig, stem: str, formats: Sequence[str], dpi: float | None = None) -> list[str]:
    """Write ``fig`` as ``stem.FMT`` for each format (laid out once); returns the paths.

    The layout is frozen even for one format, so each file's bytes do not depend on
    which other formats were drawn with it."""
    freeze_layout(fig)
    return [save_figure(fig, f"{stem}.{fmt}", dpi=dpi) for fmt in formats]
