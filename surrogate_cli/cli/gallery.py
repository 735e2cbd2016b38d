"""``surrogate gallery``: the documentation gallery from a config; ``--check`` for CI."""
from __future__ import annotations

import os
import sys
from typing import List, Optional

import typer

from ..errors import BadInput, did_you_mean
from .errors import ChecksFailed
from .options import jobs_option
from .progress import ProgressBar
from .report import report_folder

__all__ = ["register"]


def gallery_cmd(
    config: Optional[str] = typer.Option(
        None, "--config",
        help="Gallery config (YAML; default: configs/gallery.yaml here, else the one installed with surrogate)."),
    out: str = typer.Option("gallery", "--out", help="Output folder."),
    formats: Optional[str] = typer.Option(
        None, "--format",
        help="Image formats to draw, comma-separated: svg,png,pdf (default: the config's). "
             "The index and manifest keep listing the config's formats."
    ),
    only: Optional[List[str]] = typer.Option(
        None, "--only", help="Draw only this surrogate (repeatable); skips the overview."
    ),
    check: bool = typer.Option(
        False, "--check", help="Regenerate the data in a temporary folder; exit 1 listing what differs."
    ),
    jobs: Optional[int] = jobs_option(),
):
    """Generate the documentation gallery (figures, CSV, index) from a config."""
    from .. import gallery

    fmts = None
    if formats is not None:
        fmts = [f.strip().lower().lstrip(".") for f in formats.split(",") if f.strip()]
        if not fmts:
            raise BadInput("--format is empty", f"choose from: {', '.join(gallery.FORMATS)}")
        for f in fmts:
            if f not in gallery.FORMATS:
                raise BadInput(f"unknown format '{f}'",
                               f"{did_you_mean(f, gallery.FORMATS)}choose from: {', '.join(gallery.FORMATS)}")
    shown = config
    if config is None:  # ./configs/gallery.yaml, else the packaged one (say so)
        config = shown = gallery.default_config_path()
        if config != os.path.join("configs", "gallery.yaml"):
            shown = f"{config} (no configs/gallery.yaml here: the one installed with surrogate)"
    cfg = gallery.load_config(config)
    if only:
        for name in only:
            cfg.entry(name)  # unknown names fail before any work
    from ..catalog.foreign import LIBRARIES

    # + libraries.md and one sheet per library, + the overview
    total = (len(only or cfg.entries) + (0 if only else len(LIBRARIES) + 1 + len(cfg.entries))
             + (0 if (only or check) else 1))
    with ProgressBar("checking gallery" if check else "drawing gallery", total, terminal_only=True) as bar:
        step = lambda label: bar.update(advance=1, label=label)  # noqa: E731
        if check:
            problems = gallery.check(cfg, out, jobs=jobs, progress=step)
        else:
            files = gallery.build(cfg, out, formats=fmts, only=only, jobs=jobs, progress=step)
    if check:
        if problems:
            for p in problems:
                sys.stderr.write(f"gallery --check: {p}\n")
            sys.stderr.write(
                f"gallery --check: {len(problems)} difference(s); run 'surrogate gallery' and commit {out}/\n"
            )
            raise ChecksFailed()
        sys.stdout.write(f"gallery is up to date: {out}/ matches {shown}\n")
        return
    report_folder(os.path.normpath(out), len(files), f"from {shown}")


def register(app: typer.Typer) -> None:
    app.command("gallery")(gallery_cmd)
