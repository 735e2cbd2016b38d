"""``surrogate plot NAME``: the spike, g and g' of one surrogate over a parameter sweep."""
from __future__ import annotations

from typing import List, Optional

import typer

from ..errors import BadInput
from .figure_job import Request, Result, check_outputs, finish, safe_stem, swept_values
from .completion import complete_name
from .report import report_written
from .options import (NAME_HELP, csv_option, dpi_option, log_option, output_option, panels_option, param_option,
                      param_values, points_option, range_option, with_param_options, zip_option)
from .parsing import parse_range

__all__ = ["run_plot", "register"]


def run_plot(name: str, req: Request) -> Result:
    """``surrogate plot NAME``: sweep, evaluate, draw, write."""
    from ..evaluation import evaluate, expand, resolve

    if ":" in name and "=" in name.rpartition(":")[2]:
        raise BadInput(
            f"'{name}': NAME:param=value is for compare",
            "for plot give the parameters as options, e.g. --alpha 2",
        )
    # a built-in resolves without jax (an unknown name fails here, before any work); a
    # user file is imported only once the outputs are known to be writable
    target = None if ":" in name else resolve(name)
    stem = target.name if target is not None else safe_stem(name.rpartition(":")[2])
    panels, fig_path = check_outputs(req, stem)
    target = target or resolve(name)
    values = swept_values(target, req)
    sets = expand(target, values, "zip" if req.zip else "grid")
    x_range = parse_range(req.x_range, target.default_range)
    curves = evaluate(target, sets, x_range, req.points)
    return finish(curves, req, panels, fig_path, {}, sources={target.name: name})


def plot_cmd(
    name: str = typer.Argument(..., help=NAME_HELP, show_default=False,
                              autocompletion=complete_name),
    param: Optional[List[str]] = param_option(),
    zip_: bool = zip_option(),
    x_range: Optional[str] = range_option(),
    points: int = points_option(),
    log: bool = log_option(),
    panels: str = panels_option(),
    output: Optional[str] = output_option("Figure file: .png, .svg or .pdf (default: NAME.png)."),
    dpi: Optional[int] = dpi_option(),
    show: bool = typer.Option(False, "--show", help="Open a window (needs a display) instead of writing NAME.png."),
    csv: Optional[str] = csv_option(),
    **kwargs,
):
    """Plot the spike, g and g' of one surrogate over a parameter sweep."""
    req = Request(sweep=param_values(kwargs), params=param or [], zip=zip_, x_range=x_range, points=points, log=log,
                   panels=panels, output=output, dpi=dpi, show=show, csv=csv)
    res = run_plot(name, req)
    report_written(res.written, res.warnings)


def register(app: typer.Typer) -> None:
    app.command("plot")(with_param_options(plot_cmd))
