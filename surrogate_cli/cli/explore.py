"""``surrogate explore [NAME ...]``: one self-contained HTML page with a slider per parameter."""
from __future__ import annotations

from typing import List, Optional

import typer

from ..errors import BadInput
from .completion import complete_name
from .options import jobs_option, param_option, param_values, range_option, with_param_options
from .parsing import merge_param_texts, parse_range, parse_spec, parse_values

__all__ = ["run_explore", "register"]


def run_explore(names: List[str], texts: dict[str, str], output: str, steps: int, points: int,
                x_range: Optional[str], stds: Optional[str], jobs: Optional[int] = None):
    """Parse the options, compute the page, write it; returns the ``ExploreResult``."""
    from ..render.explore_page import explore
    from ..render.files import check_output_path

    check_output_path(output, {".html": "html", ".htm": "html"}, "-o")
    if not 2 <= steps <= 201:
        raise BadInput(f"--steps {steps} is out of range", "give a number of slider positions from 2 to 201")
    values = {name: parse_values(text, name) for name, text in texts.items()}
    rng = parse_range(x_range, (0.0, 1.0)) if x_range is not None else None
    std_values = parse_values(stds, "stds") if stds is not None else None
    items = [parse_spec(n) for n in names] if names else None
    return explore(items, output, steps=steps, points=points, x_range=rng, stds=std_values, params=values, jobs=jobs)


def explore_cmd(
    names: Optional[List[str]] = typer.Argument(
        None, help="Surrogates (default: every built-in): any spelling, LIBRARY.NAME, file.py:Class; "
                   "NAME:alpha=2 centres a slider.", show_default=False, autocompletion=complete_name),
    param: Optional[List[str]] = param_option(),
    output: str = typer.Option("explore.html", "-o", "--output", help="The page to write (.html)."),
    steps: int = typer.Option(33, "--steps", help="Slider positions per parameter without a sweep option."),
    points: int = typer.Option(301, "--points", help="Samples per curve (2 to 1000000)."),
    x_range: Optional[str] = range_option("x interval A,B (default: each surrogate's own)."),
    stds: Optional[str] = typer.Option(None, "--stds", help="Membrane stds offered for chi (default log:0.1:10:13)."),
    jobs: Optional[int] = jobs_option("Processes sharing the work (default: one per core; 1: this one only)."),
    **kwargs,
):
    """Write one self-contained HTML page: a slider per parameter, g, g' and the spike, info's
    properties and flow's chi at every slider position (all computed now; no network)."""
    texts = merge_param_texts(param_values(kwargs), param or [])
    result = run_explore(list(names or []), texts, output, steps, points, x_range, stds, jobs)
    from .report import report_written

    report_written([result.path])


def register(app: typer.Typer) -> None:
    app.command("explore")(with_param_options(explore_cmd))
