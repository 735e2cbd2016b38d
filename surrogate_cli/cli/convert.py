"""``surrogate convert SOURCE``: another library's surrogate here, or ours there."""
from __future__ import annotations

import json
import sys
from typing import List, Optional

import typer

from ..errors import BadInput
from .options import param_values, with_param_options
from .parsing import parse_assignments, parse_values

__all__ = ["register"]


def convert_cmd(
    source: str = typer.Argument(..., help="LIBRARY.NAME (snntorch.atan) or a built-in.", show_default=False),
    param: Optional[List[str]] = typer.Option(None, "--param", help="NAME=VALUE of the source; repeatable."),
    to: Optional[str] = typer.Option(
        None, "--to", help="A library (snntorch, spikingjelly, norse, sinabs, spyx, lava_dl, nest) for its code, "
        "or a surrogate name (built-in or LIBRARY.NAME). Default: the built-ins."),
    match: str = typer.Option("lsq", "--match", help="Fit when nothing is exact: lsq (least squares on g') "
                              "or shape (peak height and FWHM)."),
    x_range: Optional[str] = typer.Option(None, "--range", help="x interval A,B (default: the source's)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="Figure of both gradients (.png, .svg, .pdf)."),
    **kwargs,
):
    """The exact equivalent of a surrogate (target, parameters, factor, shift), or the closest fit.

    Exit 2 when --to names a library that has no exact counterpart (the message gives the closest fit).
    """
    from ..analysis.convert import convert, grad_values
    from ..catalog import find_record

    values = param_values(kwargs)
    for key, text in parse_assignments(param or []).items():
        if key in values:
            raise BadInput(f"parameter '{key}' given twice", "give each parameter once")
        values[key] = text
    rec = find_record(source)
    params = {}
    for key, text in values.items():
        rec.param(key)
        vals = parse_values(text, key)
        if len(vals) != 1:
            raise BadInput(f"--{key.replace('_', '-')}: convert takes one value, got {len(vals)}",
                           "give a single number")
        params[key] = vals[0]
    rng = None
    if x_range is not None:
        from .parsing import parse_range

        rng = parse_range(x_range, rec.x_range)
    if output is not None:
        from ..render.files import FIGURE_FORMATS, check_output_path

        check_output_path(output, FIGURE_FORMATS, "-o")
    conv = convert(source, params, to=to, match=match, x_range=rng)
    if output is not None:
        import numpy as np

        from ..render.convert_view import convert_figure
        from ..render.figures import save_figure

        x = np.linspace(conv.x_range[0], conv.x_range[1], 1001)
        gs = grad_values(find_record(conv.source), conv.source_params, x)
        gt = conv.factor * grad_values(find_record(conv.target), conv.target_params, conv.x_scale * (x - conv.shift))
        save_figure(convert_figure(conv, gs, gt, x), output)
    if as_json:
        sys.stdout.write(json.dumps(conv.as_dict(), indent=2) + "\n")
    else:
        from ..render.convert_view import convert_lines

        sys.stdout.write("\n".join(convert_lines(conv)) + "\n")
    if output is not None:
        sys.stderr.write(f"{output}\n")


def register(app: typer.Typer) -> None:
    app.command("convert")(with_param_options(convert_cmd, single=True))
