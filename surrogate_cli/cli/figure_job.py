"""The figure-and-CSV job behind ``plot`` and ``compare``: check every cheap thing first
(output paths, panels, points, display), so a bad option fails before jax is imported
and before any file is touched; then draw and write. Returns what it wrote."""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from typing import Sequence

from ..evaluation import check_points
from ..errors import BadInput, did_you_mean
from ..render.figures import PANELS
from ..render.files import check_figure_outputs
from .parsing import merge_param_texts, parse_values

__all__ = ["Request", "Result", "parse_panels", "check_outputs", "swept_values", "finish", "safe_stem",
           "sweep_values"]

@dataclass
class Request:
    """The options shared by ``plot`` and ``compare``, as given on the command line."""

    sweep: dict[str, str] = field(default_factory=dict)  # --alpha etc.: name -> "1,2,4"
    params: Sequence[str] = ()  # --param NAME=VALUES items
    zip: bool = False
    x_range: str | None = None
    points: int = 1000
    log: bool = False
    panels: str = "spike,function,gradient"
    output: str | None = None
    dpi: int | None = None
    show: bool = False
    csv: str | None = None


@dataclass
class Result:
    written: list[str] = field(default_factory=list)  # files written (figure, CSV)
    warnings: list[str] = field(default_factory=list)  # one line each, printed on stderr


def parse_panels(text: str) -> tuple[str, ...]:
    items = [p.strip().lower() for p in (text or "").split(",")]
    if not any(items):
        raise BadInput("--panels: no panel given", f"choose from {','.join(PANELS)}")
    out = []
    for p in items:
        if not p:
            raise BadInput(f"--panels '{text}': empty item", f"choose from {','.join(PANELS)}")
        if p not in PANELS:
            raise BadInput(f"--panels: unknown panel '{p}'", f"{did_you_mean(p, PANELS)}choose from {','.join(PANELS)}")
        if p not in out:
            out.append(p)
    return tuple(out)


def _check_display() -> None:
    backend = os.environ.get("MPLBACKEND", "").lower()
    if backend in ("agg", "pdf", "svg", "ps", "cairo", "template", "module://matplotlib_inline.backend_inline"):
        raise BadInput(
            f"--show needs an interactive matplotlib backend, but MPLBACKEND={backend}",
            "unset MPLBACKEND, or write a file with -o FILE.png instead",
        )
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            raise BadInput(
                "--show needs a display, and none is available (DISPLAY is not set)",
                "write a file instead with -o FILE.png (or .svg/.pdf)",
            )


def safe_stem(text: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("._") or "surrogate"
    return stem[:120]


def check_outputs(req: Request, default_stem: str) -> tuple[tuple[str, ...], str | None]:
    """Validate everything cheap before any work; return (panels, figure path or None)."""
    panels = parse_panels(req.panels)
    check_points(req.points)
    if req.show:
        _check_display()
    fig_path = req.output
    if fig_path is None and not req.show:
        fig_path = default_stem + ".png"
    check_figure_outputs(fig_path, req.csv, req.dpi, output_given=req.output is not None)
    return panels, fig_path


def sweep_values(req: Request) -> dict[str, list[float]]:
    """The swept values as given (``--alpha 1,2`` and ``--param alpha=1,2``), parsed; which
    surrogates have them is the planner's to check."""
    return {name: parse_values(text, name) for name, text in merge_param_texts(req.sweep, req.params).items()}


def swept_values(target, req: Request) -> dict[str, list[float]]:
    """The swept values for one surrogate, each name checked against it first."""
    for name in merge_param_texts(req.sweep, req.params):
        target.check_name(name)
    return sweep_values(req)


def finish(curves, req: Request, panels, fig_path, plot_kwargs, sources=None) -> Result:
    """Draw and write; ``sources`` maps a surrogate's name to the target as typed (for the
    'surrogate verify TARGET' pointer of a warning)."""
    res = Result()
    sources = sources or {}
    for c in curves:  # one line per distinct problem, pointing to the checklist
        for w in getattr(c, "warnings", ()):
            line = f"{w}; run 'surrogate verify {sources.get(c.surrogate, c.surrogate)}' for the full checklist"
            if line not in res.warnings:
                res.warnings.append(line)
    fig = None
    if fig_path is not None or req.show:
        from ..render.figures import plot_curves

        figure = None
        if req.show:
            import matplotlib.pyplot as plt

            figure = plt.figure()
        fig = plot_curves(curves, panels=panels, log=req.log, figure=figure, **plot_kwargs)
    if req.csv is not None:
        from ..render.csv import write_csv

        write_csv(curves, req.csv)
        if req.csv != "-":
            res.written.append(req.csv)
    if fig_path is not None:
        from ..render.figures import save_figure

        save_figure(fig, fig_path, dpi=req.dpi)
        res.written.insert(0, fig_path)
    if req.show:
        import matplotlib.pyplot as plt

        plt.show()
    return res
