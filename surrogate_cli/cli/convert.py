"""``surrogate convert SOURCE``: another library's surrogate here, or ours there."""
from __future__ import annotations

import json
import sys
from typing import List, Optional

import typer

from ..errors import BadInput
from .options import json_option, output_option, param_option, param_values, range_option, with_param_options
from .report import report_written
from .parsing import merge_param_texts, single_values

__all__ = ["register"]


def convert_cmd(
    source: str = typer.Argument(..., help="LIBRARY.NAME (snntorch.atan) or a built-in.", show_default=False),
    param: Optional[List[str]] = param_option("NAME=VALUE of the source; repeatable."),
    to: Optional[str] = typer.Option(
        None, "--to", help="A library (snntorch, spikingjelly, norse, sinabs, spyx, lava_dl, nest) for its code, "
        "or a surrogate name (built-in or LIBRARY.NAME). Default: the built-ins."),
    match: str = typer.Option("lsq", "--match", help="Fit when nothing is exact: lsq (least squares on g') "
                              "or shape (peak height and FWHM)."),
    x_range: Optional[str] = range_option("x interval A,B (default: the source's)."),
    as_json: bool = json_option(),
    output: Optional[str] = output_option("Figure of both gradients (.png, .svg, .pdf)."),
    **kwargs,
):
    """The exact equivalent of a surrogate (target, parameters, factor, shift), or the closest fit.

    Exit 2 when --to names a library that has no exact counterpart (the message gives the closest fit).
    """
    from ..analysis.convert import convert
    from ..evaluation import grad_values
    from ..catalog import find_record
    from ..render.files import check_figure_outputs

    values = merge_param_texts(param_values(kwargs), param or [])
    rec = find_record(source)
    params = single_values(values, rec.param, "convert")
    rng = None
    if x_range is not None:
        from .parsing import parse_range

        rng = parse_range(x_range, rec.x_range)
    check_figure_outputs(output)
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
    report_written([output] if output is not None else [])


def register(app: typer.Typer) -> None:
    app.command("convert")(with_param_options(convert_cmd, single=True))
