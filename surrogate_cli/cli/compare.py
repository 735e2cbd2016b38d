"""``surrogate compare NAME [NAME ...]``: several surrogates overlaid."""
from __future__ import annotations

from typing import List, Optional, Sequence

import typer

from ..errors import BadInput
from .figure_job import Request, Result, check_outputs, finish, safe_stem, sweep_values
from .report import report_written
from .completion import complete_name
from .options import (csv_option, dpi_option, log_option, output_option, panels_option, param_option, param_values,
                      points_option, range_option, with_param_options, zip_option)
from .parsing import parse_range, parse_spec

__all__ = ["run_compare", "register"]


def run_compare(specs: Sequence[str], req: Request, normalize: str = "none") -> Result:
    """``surrogate compare NAME [NAME ...]``: several surrogates overlaid."""
    from ..evaluation import evaluate, plan_sweep, resolve
    from ..evaluation.normalize import check_normalize, normalize_curves

    if not specs:
        raise BadInput("compare needs at least one surrogate", "e.g. surrogate compare sigmoid arctan")
    norm = check_normalize(normalize)
    parsed = [parse_spec(s) for s in specs]
    # built-ins resolve without jax; user files are imported once the outputs are checked
    builtins = [None if ":" in t else resolve(t) for t, _ in parsed]
    stems = [b.name if b is not None else safe_stem(t.rpartition(":")[2]) for b, (t, _) in zip(builtins, parsed)]
    panels, fig_path = check_outputs(req, safe_stem("_vs_".join(stems)))
    targets = [b or resolve(t) for b, (t, _) in zip(builtins, parsed)]
    x_range = None if req.x_range is None else parse_range(req.x_range, (0.0, 1.0))
    plan = plan_sweep([(t, inline) for t, (_, inline) in zip(targets, parsed)], sweep_values(req),
                      mode="zip" if req.zip else "grid", x_range=x_range, what="compared surrogates")
    curves = []
    for target, sets in plan:
        curves += evaluate(target, sets, plan.x_range, req.points)
    label = None
    if norm != "none":
        normalize_curves(curves, norm)
        label = "$g'(x)$ / peak" if norm == "peak" else "$g'(x)$ / area (whole line)"
    sources = {target.name: text for target, (text, _) in zip(targets, parsed)}
    return finish(curves, req, panels, fig_path, {"gradient_label": label, "with_names": True}, sources=sources)


def compare_cmd(
    names: List[str] = typer.Argument(..., help="Surrogates to overlay; NAME:alpha=2,beta=1 sets parameters.",
                                      show_default=False, autocompletion=complete_name),
    normalize: str = typer.Option(
        "none", "--normalize",
        help="Scale gradients: none; peak (divide by the largest |g'|); area (divide by the area under g' over "
             "the whole real line, not the plotted range: the closed form for built-ins, else numerical; "
             "an infinite area is an error). The CSV gets a normalize column."),
    param: Optional[List[str]] = param_option(),
    zip_: bool = zip_option(),
    x_range: Optional[str] = range_option("x interval A,B (default: covers all)."),
    points: int = points_option(),
    log: bool = log_option(),
    panels: str = panels_option(),
    output: Optional[str] = output_option(),
    dpi: Optional[int] = dpi_option(),
    show: bool = typer.Option(False, "--show", help="Open a window (needs a display)."),
    csv: Optional[str] = csv_option(),
    **kwargs,
):
    """Overlay several surrogates (each at its defaults or NAME:param=value).

    A sweep option (--alpha 1,2) applies to every named surrogate that has that parameter.
    """
    req = Request(sweep=param_values(kwargs), params=param or [], zip=zip_, x_range=x_range, points=points, log=log,
                   panels=panels, output=output, dpi=dpi, show=show, csv=csv)
    res = run_compare(names, req, normalize)
    report_written(res.written, res.warnings)


def register(app: typer.Typer) -> None:
    app.command("compare")(with_param_options(compare_cmd))
