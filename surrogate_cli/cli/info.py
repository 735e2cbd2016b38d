"""``surrogate info NAME``: formulas, parameters, reference and computed properties."""
from __future__ import annotations

import json
import sys
from typing import List, Mapping, Optional

import typer

from .completion import complete_name
from .options import NAME_HELP, json_option, param_option, param_values, with_param_options
from .parsing import merge_param_texts, single_values

__all__ = ["run_info", "register"]


def run_info(name: str, values: Mapping[str, str]):
    """``surrogate info NAME``: the target, its parameter set, and its properties."""
    from ..analysis.metrics import properties_of
    from ..evaluation import resolve

    target = resolve(name)
    params = single_values(values, target.check_name, "info")
    full = target.validate(params)
    props = properties_of(target, full)
    return target, full, props


def info_cmd(
    name: str = typer.Argument(..., help=NAME_HELP, show_default=False,
                              autocompletion=complete_name),
    param: Optional[List[str]] = param_option("NAME=VALUE for any parameter; repeatable."),
    as_json: bool = json_option(),
    **kwargs,
):
    """Formulas, parameters, reference and computed properties of one surrogate."""
    values = merge_param_texts(param_values(kwargs), param or [])
    target, full, props = run_info(name, values)
    from ..render.info_view import info_data, info_renderable

    if as_json:
        sys.stdout.write(json.dumps(info_data(target, full, props), indent=2) + "\n")
        return
    from .console import make_console

    make_console().print(info_renderable(target, full, props))


def register(app: typer.Typer) -> None:
    app.command("info")(with_param_options(info_cmd, single=True))
