"""The gallery's tasks: one surrogate's figure and CSV, and the overview sheet.

Each task receives the parsed config and entries (picklable dataclasses), so worker
processes never re-read the YAML.
"""
from __future__ import annotations

import os

from ..catalog import REGISTRY
from ..checkpoints import checkpoint
from .config import Entry, GalleryConfig

__all__ = ["entry_curves", "draw_entry", "draw_overview"]

OVERVIEW_TITLE = ("Surrogate gradients g'(x) of all built-ins (each panel: its gallery sweep, "
                  "dark to light in sweep order, values in its legend)")


def entry_curves(config: GalleryConfig, entry: Entry, with_function: bool = True):
    """The curves of one entry's sweep."""
    from ..evaluation import evaluate, resolve

    return evaluate(resolve(entry.name), entry.param_sets(), entry.x_range, config.points, with_function)


def draw_entry(config: GalleryConfig, entry: Entry, out_dir: str, formats: tuple[str, ...],
               data_only: bool) -> list[str]:
    """Draw one surrogate's figure(s) and write its CSV; returns the files written."""
    from ..render.csv import write_csv

    checkpoint("gallery-task", entry.name)
    curves = entry_curves(config, entry)
    written = [os.path.join(out_dir, f"{entry.name}.csv")]
    write_csv(curves, written[0])
    checkpoint("gallery-csv", entry.name)
    if not data_only:
        from ..render.figures import plot_curves, save_all

        fig = plot_curves(curves, panels=entry.panels, log=entry.log, figsize=config.figsize)
        written += save_all(fig, os.path.join(out_dir, entry.name), formats, dpi=config.dpi)
    return written


def draw_overview(config: GalleryConfig, out_dir: str, formats: tuple[str, ...]) -> list[str]:
    """All gradients as small multiples, one panel per surrogate, its sweep drawn in it."""
    from ..render.figures import save_all
    from ..render.overview import OverviewPanel, overview_figure

    panels = []
    for entry in config.entries:
        rec = REGISTRY[entry.name]
        title = rec.class_name + ("" if rec.has_fun else " (g' only)")
        panels.append(OverviewPanel(title, entry_curves(config, entry, with_function=False),
                                    entry.x_range, entry.log))
    fig = overview_figure(panels, config.overview_columns, config.overview_figsize, OVERVIEW_TITLE)
    return save_all(fig, os.path.join(out_dir, "overview"), formats, dpi=config.dpi)
