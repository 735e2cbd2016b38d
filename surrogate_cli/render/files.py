"""Writing files: the one atomic-write helper and the output-path check.

Every file the tool writes goes through :func:`atomic_write`: the content goes to a
temporary file in the destination folder, which is renamed over the destination only
once it is complete (``os.replace`` is atomic on one file system). On any failure the
temporary file is removed, so a failure never leaves a partial or stale file.

"""
from __future__ import annotations

import contextlib
import os
import tempfile
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from ..errors import BadInput

__all__ = [
    "FIGURE_FORMATS",
    "atomic_write",
    "atomic_open",
    "check_output_path",
]

#: Figure extensions the tool writes, and their matplotlib format names.
FIGURE_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", **kwargs: Any) -> Iterator[IO]:
    """Open a temporary file next to ``path``; on success rename it onto ``path``.

    ``mode`` is ``"w"`` (text; ``newline`` and ``encoding`` may be given) or ``"wb"``.
    On an exception inside the block the temporary file is removed and ``path`` is
    left untouched. An ``OSError`` becomes :class:`BadInput`.
    """
    if mode not in ("w", "wb"):
        raise ValueError("mode must be 'w' or 'wb'")
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    base = os.path.basename(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{base}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise BadInput(f"cannot write '{path}': {exc.strerror or exc}", _folder_hint(folder)) from exc
    try:
        if mode == "w":
            kwargs.setdefault("encoding", "utf-8")
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _keep_mode(tmp, path)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise BadInput(f"cannot write '{path}': {exc.strerror or exc}", _folder_hint(folder)) from exc
        raise


def _keep_mode(tmp: str, path: str) -> None:
    """Give the new file the usual permissions (mkstemp creates it 0600)."""
    try:
        mode = os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)


def atomic_write(path: str | os.PathLike, write: Callable[[IO], None] | str | bytes, binary: bool | None = None) -> None:
    """Write ``path`` atomically: ``write`` is the content, or a callable given the open file."""
    if isinstance(write, (str, bytes)):
        data = write
        binary = isinstance(data, bytes)
        write = lambda fh: fh.write(data)  # noqa: E731
    mode = "wb" if binary else "w"
    kwargs = {} if binary else {"newline": ""}
    with atomic_open(path, mode, **kwargs) as fh:
        write(fh)


def _folder_hint(folder: str) -> str:
    return f"check that the folder '{folder}' exists and is writable"


def check_output_path(path: str, kinds: dict[str, str] | Sequence[str], what: str = "-o") -> str:
    """Validate an output path before any work is done; return the format name.

    ``kinds`` maps allowed extensions (``".png"``) to format names. Raises
    :class:`BadInput` for an unknown extension, a missing folder, a folder that is not
    writable (tested by creating and removing a temporary file), or a path that is a folder.
    """
    if not isinstance(kinds, dict):
        kinds = {k: k.lstrip(".") for k in kinds}
    allowed = ", ".join(kinds)
    if not path or not path.strip():
        raise BadInput(f"{what}: empty file name", f"give a file ending in {allowed}")
    ext = os.path.splitext(path)[1].lower()
    if ext not in kinds:
        shown = f"'{ext}'" if ext else "no extension"
        raise BadInput(f"{what} {path}: unknown output extension ({shown})", f"use one of {allowed}")
    if os.path.isdir(path):
        raise BadInput(f"{what} {path}: is a folder", f"give a file name ending in {allowed}")
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise BadInput(
            f"{what} {path}: '{os.path.dirname(path) or folder}' is a file, not a folder",
            "choose a path inside a folder",
        )
    if not os.path.isdir(folder):
        raise BadInput(
            f"{what} {path}: the folder '{os.path.dirname(path) or folder}' does not exist",
            "create it first or choose another path",
        )
    try:
        fd, tmp = tempfile.mkstemp(prefix=".surrogate-probe.", dir=folder)
    except OSError as exc:
        raise BadInput(
            f"{what} {path}: the folder '{os.path.dirname(path) or folder}' is not writable "
            f"({exc.strerror or exc})",
            "choose a folder you can write to",
        ) from exc
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(tmp)
    if os.path.exists(path) and not os.access(path, os.W_OK) and os.geteuid() != 0:
        raise BadInput(f"{what} {path}: the file is read-only", "choose another name or make it writable")
    return kinds[ext]
