"""Building the gallery: figures, CSV, index and manifest, in worker processes; and
:func:`check`, which rebuilds the data into a temporary folder and lists what differs.

The comparison is on the CSV numbers (to a relative 1e-9), the index text and the
manifest (config digest, library version, file list), never on image bytes, so a
different matplotlib patch release does not fail it.
"""
from __future__ import annotations

import os
import tempfile
from typing import Callable, Sequence

from ..errors import BadInput
from .config import FORMATS, GalleryConfig
from .draw import draw_entry, draw_overview
from .index import expected_files, manifest_text, render_index

__all__ = ["build", "check"]


def _write_meta(config: GalleryConfig, out_dir: str, formats: Sequence[str]) -> list[str]:
    from ..render.files import atomic_write

    image = "svg" if "svg" in formats else formats[0]
    paths = [os.path.join(out_dir, "README.md"), os.path.join(out_dir, "manifest.json")]
    atomic_write(paths[0], render_index(config, image))
    atomic_write(paths[1], manifest_text(config, formats))
    return paths


def _check_out_dir(out_dir: str) -> None:
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise BadInput(f"out_dir '{out_dir}' exists and is not a folder", "give a folder", subject="out_dir")
    parent = os.path.dirname(os.path.abspath(out_dir))
    if not os.path.isdir(parent):
        raise BadInput(f"the parent folder of '{out_dir}' does not exist", "create it first")
    os.makedirs(out_dir, exist_ok=True)
    if not os.access(out_dir, os.W_OK):
        raise BadInput(f"out_dir '{out_dir}': cannot write there", "choose a writable folder", subject="out_dir")


def build(
    config: GalleryConfig,
    out_dir: str,
    formats: Sequence[str] | None = None,
    only: Sequence[str] | None = None,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
    data_only: bool = False,
) -> list[str]:
    """Generate the gallery into ``out_dir``; returns the files written.

    ``only`` limits the figures to some surrogates (the overview is then skipped);
    ``jobs`` worker processes (default: the number of cores; 1 runs in-process);
    ``progress`` is called with a label after each task; ``data_only`` writes the CSV,
    index and manifest but no images (what :func:`check` compares).
    """
    formats = tuple(formats or config.formats)
    for f in formats:
        if f not in FORMATS:
            raise BadInput(f"unknown format '{f}'", f"choose from: {', '.join(FORMATS)}")
    names = [e.name for e in config.entries]
    if only:
        names = list(dict.fromkeys(config.entry(n).name for n in only))
    _check_out_dir(out_dir)
    tasks: list[tuple[Callable, tuple, str]] = [
        (draw_entry, (config, config.entry(n), out_dir, formats, data_only), n) for n in names
    ]
    if not only:
        from ..catalog.foreign import LIBRARIES
        from .libraries import draw_library

        tasks += [(draw_library, (config, lib, out_dir, formats, data_only), f"library-{lib}") for lib in LIBRARIES]
    if not only and not data_only:
        # the overview is the longest task: start it first so the workers finish together
        tasks.insert(0, (draw_overview, (config, out_dir, formats), "overview"))
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    written: list[str] = []
    if jobs == 1 or len(tasks) == 1:
        for fn, args, label in tasks:
            written += fn(*args)
            if progress:
                progress(label)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        ctx = multiprocessing.get_context("spawn")  # jax is not fork-safe
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=ctx) as pool:
            futures = {pool.submit(fn, *args): label for fn, args, label in tasks}
            for fut in as_completed(futures):
                written += fut.result()
                if progress:
                    progress(futures[fut])
    written += _write_meta(config, out_dir, formats)
    if not only:
        from ..render.files import atomic_write
        from .libraries import LIBRARIES_FILE, render_libraries

        path = os.path.join(out_dir, LIBRARIES_FILE)
        atomic_write(path, render_libraries("svg" if "svg" in formats else formats[0]))
        written.append(path)
        if progress:
            progress(LIBRARIES_FILE)
    return sorted(written)


def _csv_differs(a_path: str, b_path: str, rtol: float = 1e-9, atol: float = 1e-12) -> str | None:
    import csv

    with open(a_path, newline="") as fa, open(b_path, newline="") as fb:
        ra, rb = list(csv.reader(fa)), list(csv.reader(fb))
    if not ra or not rb or ra[0] != rb[0]:
        return "columns differ"
    if len(ra) != len(rb):
        return f"{len(rb) - 1} rows committed, {len(ra) - 1} expected"
    for i, (x, y) in enumerate(zip(ra[1:], rb[1:]), start=2):
        if len(x) != len(y):
            return f"line {i}: field count differs"
        for col, u, v in zip(ra[0], x, y):
            if u == v:
                continue
            try:
                fu, fv = float(u), float(v)
            except ValueError:
                return f"line {i}, {col}: '{v}' (committed) vs '{u}' (expected)"
            if not abs(fu - fv) <= atol + rtol * max(abs(fu), abs(fv)):
                return f"line {i}, {col}: {v} (committed) vs {u} (expected)"
    return None


def check(config: GalleryConfig, out_dir: str, jobs: int | None = None,
          progress: Callable[[str], None] | None = None) -> list[str]:
    """Rebuild the gallery's data in a temporary folder; list how ``out_dir`` differs.

    An empty list means the committed gallery is what the code and config draw.
    """
    problems: list[str] = []
    if not os.path.isdir(out_dir):
        return [f"{out_dir}: the gallery folder does not exist (run 'surrogate gallery')"]
    with tempfile.TemporaryDirectory(prefix="surrogate-gallery-check-") as tmp:
        build(config, tmp, jobs=jobs, progress=progress, data_only=True)
        for name in expected_files(config):
            have = os.path.join(out_dir, name)
            if not os.path.isfile(have):
                problems.append(f"{have}: missing")
                continue
            if name.endswith(".csv"):
                why = _csv_differs(os.path.join(tmp, name), have)
                if why:
                    problems.append(f"{have}: data differ ({why})")
            elif name in ("README.md", "manifest.json", "libraries.md"):
                with open(os.path.join(tmp, name), encoding="utf-8") as fa, open(have, encoding="utf-8") as fb:
                    if fa.read() != fb.read():
                        problems.append(f"{have}: differs from what the config and library give")
    return problems
