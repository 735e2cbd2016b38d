"""Options shared by several commands: one option per catalog parameter (``--alpha``,
``--t-period``, ...), derived from the catalog so a new parameter is a new option
everywhere, and the spelling of each Python argument as an option (for errors)."""
from __future__ import annotations

import inspect
from typing import Optional

import typer

from ..catalog import all_records

__all__ = ["NAME_HELP", "PARAM_HELP", "with_param_options", "param_values", "option_spelling", "param_option",
           "zip_option", "points_option", "log_option", "panels_option", "dpi_option", "csv_option", "output_option",
           "json_option", "range_option"]

PARAM_HELP = "NAME=VALUES for any parameter (user surrogates too); repeatable."
NAME_HELP = ("A built-in (any spelling), another library's as LIBRARY.NAME (snntorch.atan), or a user "
             "surrogate: path/to/file.py:Class or package.module:Class.")

# Python argument names whose option is not simply --kebab-case
_SPELLING = {"x_range": "--range", "output": "-o", "json_path": "--json", "out_dir": "--out",
             "params": "--param", "zip": "--zip"}


def option_spelling(name: str) -> str:
    """The option a Python argument or parameter name is given as: ``t_period`` -> ``--t-period``
    (the one spelling rule; an option's own spelling is returned as it is)."""
    if name.startswith("-"):
        return name
    return _SPELLING.get(name, "--" + name.replace("_", "-"))


def _param_names() -> list[str]:
    return list(dict.fromkeys(p.name for r in all_records() for p in r.params))


def _help(name: str, single: bool) -> str:
    if single:
        return f"Value of {name} (one number)."
    users = [r.name for r in all_records() if name in r.param_names]
    shown = ", ".join(users[:4]) + (f" +{len(users) - 4} more" if len(users) > 4 else "")
    return f"Values of {name}: 1,2,4 | start:stop:count | log:start:stop:count ({shown})."


def with_param_options(func, single: bool = False):
    """Give ``func`` one keyword-only option per catalog parameter (``sw_<name>``)."""
    sig = inspect.signature(func)
    params = [p for p in sig.parameters.values() if p.kind is not p.VAR_KEYWORD]
    for name in _param_names():
        params.append(
            inspect.Parameter(
                f"sw_{name}",
                inspect.Parameter.KEYWORD_ONLY,
                default=typer.Option(None, option_spelling(name), help=_help(name, single),
                                     rich_help_panel="Surrogate parameters"),
                annotation=Optional[str],
            )
        )
    func.__signature__ = sig.replace(parameters=params)
    return func


def param_values(kwargs: dict) -> dict[str, str]:
    """The per-parameter options that were given: ``{name: text}``."""
    return {k[3:]: v for k, v in kwargs.items() if k.startswith("sw_") and v is not None}


# -- options several commands share (each declared once; a function, so each command gets its
# own typer.Option object) ------------------------------------------------------------------


def param_option(help: str = PARAM_HELP):
    from .completion import complete_param

    return typer.Option(None, "--param", help=help, autocompletion=complete_param)


def zip_option():
    return typer.Option(False, "--zip", help="Pair swept values element by element (default: grid).")


def points_option():
    from ..evaluation.limits import MAX_POINTS

    return typer.Option(1000, "--points", help=f"Samples per curve (2 to {MAX_POINTS}).")


def log_option():
    return typer.Option(False, "--log", help="Log-scale gradient axis (for tails).")


def panels_option(default: str = "spike,function,gradient", help: str = "Any subset of spike,function,gradient."):
    return typer.Option(default, "--panels", help=help)


def dpi_option():
    from ..render.files import MAX_DPI

    return typer.Option(None, "--dpi", help=f"Resolution of raster output (1 to {MAX_DPI}).")


def csv_option(help: str = "Also write the curves as tidy CSV (- for stdout)."):
    return typer.Option(None, "--csv", help=help)


def output_option(help: str = "Figure file: .png, .svg or .pdf."):
    return typer.Option(None, "-o", "--output", help=help)


def json_option(help: str = "Print JSON for scripts (to stdout) instead of a table."):
    return typer.Option(False, "--json", help=help)


def jobs_option(help: str = "Worker processes (default: number of cores)."):
    return typer.Option(None, "--jobs", help=help)


def range_option(help: str = "x interval A,B (default: the surrogate's)."):
    return typer.Option(None, "--range", help=help)
