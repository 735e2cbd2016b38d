"""``surrogate plot NAME``: the spike, g and g' of one surrogate over a parameter sweep."""
from __future__ import annotations

from typing import List, Optional

import typer

from ..errors import BadInput
from .figure_job import Request, Result, check_outputs, finish, report_written, safe_stem, swept_values
from .completion import complete_name, complete_param
from .options import NAME_HELP, PARAM_HELP, param_values, with_param_options
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
    param: Optional[List[str]] = typer.Option(None, "--param", help=PARAM_HELP, autocompletion=complete_param),
    zip_: bool = typer.Option(False, "--zip", help="Pair swept values element by element (default: grid)."),
    x_range: Optional[str] = typer.Option(None, "--range", help="x interval A,B (default: the surrogate's)."),
    points: int = typer.Option(1000, "--points", help="Samples per curve (2 to 1000000)."),
    log: bool = typer.Option(False, "--log", help="Log-scale gradient axis (for tails)."),
    panels: str = typer.Option("spike,function,gradient", "--panels", help="Any subset of spike,function,gradient."),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="Figure file: .png, .svg or .pdf (default: NAME.png)."),
    dpi: Optional[int] = typer.Option(None, "--dpi", help="Resolution of raster output."),
    show: bool = typer.Option(False, "--show", help="Open a window (needs a display) instead of writing NAME.png."),
    csv: Optional[str] = typer.Option(None, "--csv", help="Also write the curves as tidy CSV (- for stdout)."),
    **kwargs,
):
    """Plot the spike, g and g' of one surrogate over a parameter sweep."""
    req = Request(sweep=param_values(kwargs), params=param or [], zip=zip_, x_range=x_range, points=points, log=log,
                   panels=panels, output=output, dpi=dpi, show=show, csv=csv)
    report_written(run_plot(name, req))


def register(app: typer.Typer) -> None:
    app.command("plot")(with_param_options(plot_cmd))
