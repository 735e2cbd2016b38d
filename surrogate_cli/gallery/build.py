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
from .explore import EXPLORE_FILE, page_differs
from .index import expected_files, manifest_text, render_index

__all__ = ["build", "check"]


def _write_meta(config: GalleryConfig, out_dir: str) -> list[str]:
    """The index and manifest: always the whole gallery the config describes (its formats),
    whatever part of it this run drew."""
    from ..render.files import atomic_write

    from .libraries import LIBRARIES_FILE, render_libraries

    image = "svg" if "svg" in config.formats else config.formats[0]
    names = ["README.md", "manifest.json", LIBRARIES_FILE]
    atomic_write(os.path.join(out_dir, names[0]), render_index(config, image))
    atomic_write(os.path.join(out_dir, names[1]), manifest_text(config))
    atomic_write(os.path.join(out_dir, names[2]), render_libraries(image))
    return names


def _check_out_dir(out_dir: str) -> None:
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise BadInput(f"out_dir '{out_dir}' exists and is not a folder", "give a folder", subject="out_dir")
    parent = os.path.dirname(os.path.abspath(out_dir))
    if not os.path.isdir(parent):
        raise BadInput(f"the parent folder of '{out_dir}' does not exist", "create it first")
    if os.path.isdir(out_dir) and not os.access(out_dir, os.W_OK):
        raise BadInput(f"out_dir '{out_dir}': cannot write there", "choose a writable folder", subject="out_dir")


def _run_tasks(tasks, jobs: int, progress) -> list[str]:
    written: list[str] = []
    if jobs == 1 or len(tasks) == 1:
        for fn, args, label in tasks:
            written += fn(*args)
            if progress:
                progress(label)
        return written
    from concurrent.futures import as_completed

    from ..evaluation.parallel import spawn_pool, spawning_without_sigint

    # interrupted or failed: spawn_pool stops the workers at once rather than wait for their tasks
    with spawn_pool(min(jobs, len(tasks))) as pool:
        with spawning_without_sigint():  # spawn happens on submit
            futures = {pool.submit(fn, *args): label for fn, args, label in tasks}
        for fut in as_completed(futures):
            written += fut.result()
            if progress:
                progress(futures[fut])
    return written


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

    ``only`` limits the figures to some surrogates (the overview is then skipped),
    ``formats`` the image formats drawn (default: the config's); the index and manifest
    always describe the whole gallery of the config, so a partial run updates only what
    it drew and leaves the rest listed. ``jobs`` worker processes (default: the number of
    cores; 1 runs in-process); ``progress`` is called with a label after each task;
    ``data_only`` writes the CSV, index and manifest but no images (what :func:`check`
    compares).

    Everything is drawn into a temporary folder beside ``out_dir`` and moved into it only
    at the end, in one uninterrupted step: a run that fails or is interrupted leaves the
    previous gallery as it was, and a new ``out_dir`` appears whole or not at all.
    """
    from ..evaluation.parallel import check_jobs
    from ..render.files import publish, staging_folder

    check_jobs(jobs)
    formats = tuple(formats or config.formats)
    for f in formats:
        if f not in FORMATS:
            raise BadInput(f"unknown format '{f}'", f"choose from: {', '.join(FORMATS)}")
    names = [e.name for e in config.entries]
    if only:
        names = list(dict.fromkeys(config.entry(n).name for n in only))
    _check_out_dir(out_dir)
    # beside the real folder (a symlinked out_dir may point to another file system)
    with staging_folder(os.path.realpath(out_dir)) as stage:
        files = _draw(config, stage, formats, names, jobs, progress, data_only, whole=not only)
        files += _write_meta(config, stage)  # last: the index and manifest follow what is in place
        return publish(stage, out_dir, files)


def _draw(config: GalleryConfig, dest: str, formats: tuple[str, ...], names: Sequence[str], jobs: int | None,
          progress, data_only: bool, whole: bool, explore: bool | None = None) -> list[str]:
    """Draw the entries ``names`` into ``dest`` (with ``whole``, also the library sheets,
    the explore page unless ``explore`` is False and, unless ``data_only``, the overview);
    returns base names."""
    explore = whole if explore is None else explore
    tasks: list[tuple[Callable, tuple, str]] = [
        (draw_entry, (config, config.entry(n), dest, formats, data_only), n) for n in names
    ]
    if whole:  # one sheet (and CSV) per other library
        from ..catalog.foreign import LIBRARIES
        from .libraries import draw_library

        tasks += [(draw_library, (config, lib, dest, formats, data_only), f"library-{lib}") for lib in LIBRARIES]
    if explore:  # the explore page: one part per surrogate, after the figures (whose tasks the
        # interrupt tests hold at their first step)
        from .explore import assemble_explore, explore_part

        tasks += [(explore_part, (config, e.name, dest), f"explore-{e.name}") for e in config.entries]
    if whole and not data_only:
        # the overview is the longest task: start it first so the workers finish together
        tasks.insert(0, (draw_overview, (config, dest, formats), "overview"))
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    written = _run_tasks(tasks, jobs, progress)
    if explore:
        written += assemble_explore(config, dest)
    return [os.path.basename(p) for p in written]


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
    from ..evaluation.parallel import check_jobs

    check_jobs(jobs)
    problems: list[str] = []
    if not os.path.isdir(out_dir):
        return [f"{out_dir}: the gallery folder does not exist (run 'surrogate gallery')"]
    from ..render.files import staging_folder

    # a registered temporary folder: removed however the run ends, even interrupted
    with staging_folder(os.path.join(tempfile.gettempdir(), "surrogate-gallery-check")) as tmp:
        _draw(config, tmp, config.formats, [e.name for e in config.entries], jobs, progress, True, True,
              explore=False)
        _write_meta(config, tmp)
        problems += check_explore(config, out_dir, jobs, progress)
        for name in expected_files(config):
            if name == EXPLORE_FILE:
                continue
            have = os.path.join(out_dir, name)
            if not os.path.isfile(have):
                problems.append(f"{have}: missing")
                continue
            if name.endswith(".csv"):
                why = _csv_differs(os.path.join(tmp, name), have)
                if why:
                    problems.append(f"{have}: data differ ({why})")
            elif name.endswith(".md") or name == "manifest.json":
                with open(os.path.join(tmp, name), encoding="utf-8") as fa, open(have, encoding="utf-8") as fb:
                    if fa.read() != fb.read():
                        problems.append(f"{have}: differs from what the config and library give")
    return problems


def check_explore(config: GalleryConfig, out_dir: str, jobs: int | None = None,
                  progress: Callable[[str], None] | None = None) -> list[str]:
    """``--check`` of the explore page alone: recompute it in a temporary folder and say how
    the committed one differs (:func:`~.explore.page_differs`); empty when it is current."""
    from ..render.files import staging_folder
    from .explore import assemble_explore, explore_part

    have = os.path.join(out_dir, EXPLORE_FILE)
    if not os.path.isfile(have):
        return [f"{have}: missing"]
    with staging_folder(os.path.join(tempfile.gettempdir(), "surrogate-explore-check")) as tmp:
        tasks = [(explore_part, (config, e.name, tmp), f"explore-{e.name}") for e in config.entries]
        _run_tasks(tasks, max(1, int(jobs or os.cpu_count() or 1)), progress)
        assemble_explore(config, tmp)
        why = page_differs(os.path.join(tmp, EXPLORE_FILE), have)
    return [f"{have}: differs ({why})"] if why else []
