"""Writing files: the one atomic-write helper and the output-path check.

Every file the tool writes goes through :func:`atomic_write`: the content goes to a
temporary file in the destination folder, which is renamed over the destination only
once it is complete (``os.replace`` is atomic on one file system). On any failure the
temporary file is removed, so a failure never leaves a partial or stale file.

Several files that belong together (the gallery) are drawn into a :func:`staging_folder`
beside their destination and moved into place by :func:`publish`, one rename each, as
one :func:`uninterrupted` step. The module keeps a record of the temporary files and
folders in flight (:func:`discard_pending` removes them, e.g. when the process must end
at once) and of the files this process wrote (:func:`written_paths`), so an interrupted
command can say what it kept.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from ..checkpoints import checkpoint
from ..errors import BadInput

__all__ = [
    "FIGURE_FORMATS",
    "atomic_write",
    "atomic_open",
    "check_output_path",
    "check_figure_outputs",
    "MAX_DPI",
    "staging_folder",
    "publish",
    "uninterrupted",
    "interrupts_held",
    "defer_interrupt",
    "commit_lock",
    "discard_pending",
    "written_paths",
]

_REGISTRY_LOCK = threading.Lock()
_PENDING: dict[str, bool] = {}  # temporary path -> is a folder
_WRITTEN: list[str] = []  # files (and published folders) this process completed
_COMMIT = threading.RLock()  # held during an uninterrupted step
_held = 0
_deferred: list[int] = []


def _pending(path: str, folder: bool = False) -> None:
    with _REGISTRY_LOCK:
        _PENDING[path] = folder


def _done(path: str) -> None:
    with _REGISTRY_LOCK:
        _PENDING.pop(path, None)


def _note_written(path: str) -> None:
    with _REGISTRY_LOCK:
        if path not in _WRITTEN:
            _WRITTEN.append(path)


def discard_pending() -> None:
    """Remove every temporary file and staging folder still in flight (idempotent)."""
    with _REGISTRY_LOCK:
        items = list(_PENDING.items())
        _PENDING.clear()
    for path, folder in items:
        if folder:
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(path)


def written_paths() -> list[str]:
    """The files (and published folders) this process wrote that still exist, in order."""
    with _REGISTRY_LOCK:
        return [p for p in _WRITTEN if os.path.exists(p)]


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """A short step that must not be cut in half (the renames of :func:`publish`).

    An interrupt handler that honours it (the CLI's does) checks :func:`interrupts_held`
    and hands a signal arriving meanwhile to :func:`defer_interrupt`; the signal is
    raised again as soon as the step ends. :func:`commit_lock` is held throughout.
    """
    global _held
    with _COMMIT:
        _held += 1
        try:
            yield
        finally:
            _held -= 1
            again = _deferred.pop() if _held == 0 and _deferred else None
            _deferred.clear()
    if again is not None:
        import signal

        signal.raise_signal(again)


def interrupts_held() -> bool:
    """True inside :func:`uninterrupted`."""
    return _held > 0


def defer_interrupt(signum: int) -> None:
    """Remember a signal that arrived inside :func:`uninterrupted`, to raise it at its end."""
    if not _deferred:
        _deferred.append(signum)


def commit_lock() -> threading.RLock:
    """The lock held during :func:`uninterrupted` steps (to wait for one to finish)."""
    return _COMMIT

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
    _pending(tmp)
    try:
        if mode == "w":
            kwargs.setdefault("encoding", "utf-8")
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        checkpoint("write", base)
        _keep_mode(tmp, path)
        os.replace(tmp, path)
        _done(tmp)
        _note_written(path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        _done(tmp)
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


def check_output_path(path: str, kinds: dict[str, str] | Sequence[str], what: str = "path",
                      named: bool = True) -> str:
    """Validate an output path before any work is done; return the format name.

    ``kinds`` maps allowed extensions (``".png"``) to format names. Raises
    :class:`BadInput` for an unknown extension, a missing folder, a folder that is not
    writable (tested by creating and removing a temporary file), or a path that is a folder.
    ``what`` is the Python argument the path was given as (``output``, ``csv``); with
    ``named`` it is the error's subject (the CLI spells it as its option).
    """
    subject = what if named else None
    if not isinstance(kinds, dict):
        kinds = {k: k.lstrip(".") for k in kinds}
    allowed = ", ".join(kinds)
    if not path or not path.strip():
        raise BadInput(f"{what}: empty file name", f"give a file ending in {allowed}", subject=subject)
    ext = os.path.splitext(path)[1].lower()
    if ext not in kinds:
        shown = f"'{ext}'" if ext else "no extension"
        raise BadInput(f"{what} {path}: unknown output extension ({shown})", f"use one of {allowed}", subject=subject)
    if os.path.isdir(path):
        raise BadInput(f"{what} {path}: is a folder", f"give a file name ending in {allowed}", subject=subject)
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise BadInput(
            f"{what} {path}: '{os.path.dirname(path) or folder}' is a file, not a folder",
            "choose a path inside a folder", subject=subject)
    if not os.path.isdir(folder):
        raise BadInput(
            f"{what} {path}: the folder '{os.path.dirname(path) or folder}' does not exist",
            "create it first or choose another path", subject=subject)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".surrogate-probe.", dir=folder)
    except OSError as exc:
        raise BadInput(
            f"{what} {path}: the folder '{os.path.dirname(path) or folder}' is not writable "
            f"({exc.strerror or exc})",
            "choose a folder you can write to", subject=subject) from exc
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(tmp)
    if os.path.exists(path) and not os.access(path, os.W_OK) and os.geteuid() != 0:
        raise BadInput(f"{what} {path}: the file is read-only", "choose another name or make it writable", subject=subject)
    return kinds[ext]


#: the largest raster resolution a figure may be written at
MAX_DPI = 2400


def check_figure_outputs(output: str | None = None, csv: str | None = None, dpi: Any = None,
                         output_given: bool = True) -> None:
    """Everything cheap about a figure and a CSV output, checked before any work: the figure
    path (``output``, one of :data:`FIGURE_FORMATS`) and its folder, ``dpi`` (1 to
    :data:`MAX_DPI`), the CSV path (``"-"`` is standard output), and that the two differ.
    ``output_given``: False when ``output`` is a default name the user did not type.
    """
    if dpi is not None and (isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not 1 <= dpi <= MAX_DPI):
        raise BadInput(f"dpi={dpi} is out of range", f"give a resolution from 1 to {MAX_DPI}", subject="dpi")
    if output is not None:
        check_output_path(output, FIGURE_FORMATS, "output", named=output_given)
    if csv is not None and csv != "-":
        check_output_path(csv, {".csv": "csv"}, "csv")
        if output is not None and os.path.abspath(csv) == os.path.abspath(output):
            raise BadInput("csv= and output= name the same file", "give them different names", subject="csv",
                           also=("output",))


@contextlib.contextmanager
def staging_folder(target: str | os.PathLike) -> Iterator[str]:
    """A new temporary folder beside ``target`` (so on the same file system: its files can
    be renamed into ``target``); removed with whatever is left in it when the block ends,
    however it ends."""
    target = os.path.abspath(os.fspath(target))
    parent, base = os.path.dirname(target), os.path.basename(target) or "out"
    try:
        stage = tempfile.mkdtemp(prefix=f".{base}.", suffix=".partial", dir=parent)
    except OSError as exc:
        raise BadInput(f"cannot create a temporary folder beside '{target}': {exc.strerror or exc}",
                       _folder_hint(parent)) from exc
    _pending(stage, folder=True)
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        _done(stage)


def publish(stage: str, target: str | os.PathLike, names: Sequence[str]) -> list[str]:
    """Move the files ``names`` from ``stage`` into the folder ``target``, in that order,
    as one :func:`uninterrupted` step; returns their new paths.

    Each move is an atomic rename (an existing file keeps its permissions). A ``target``
    that does not exist yet is the whole ``stage`` folder renamed: one atomic step.
    """
    target = os.fspath(target)
    dest = [os.path.join(target, n) for n in names]
    try:
        with uninterrupted():
            if not os.path.exists(target):
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(stage, 0o777 & ~umask)
                os.rename(stage, target)
            else:
                for name, path in zip(names, dest):
                    src = os.path.join(stage, name)
                    _keep_mode(src, path)
                    os.replace(src, path)
            _note_written(os.path.join(target, ""))
    except OSError as exc:
        raise BadInput(f"cannot write into '{target}': {exc.strerror or exc}", _folder_hint(target)) from exc
    return dest
