"""The command class every ``surrogate`` command uses: manners shared by all of them.

* An option given twice (``--alpha 1 --alpha 2``) is refused with one line, instead of
  the last one silently winning; options declared repeatable (``--param``) are exempt.
* ``--help`` shows no Python type noise: flags show nothing after their name, and
  value options a word for what they take (``VALUES``, ``FILE``, ``A,B``) instead of
  ``<str>``/``<list[str]>``/``<bool>``.

Applied to every registered command by :mod:`.app` (``cls=SurrogateCommand``).
"""
from __future__ import annotations

import sys
from typing import Any

import typer.core

from ..errors import BadInput

__all__ = ["SurrogateCommand", "SurrogateGroup", "METAVARS", "print_version"]

#: The word shown after an option in --help, by its long name (others: by type).
METAVARS = {
    "--param": "NAME=VALUES",
    "--range": "A,B",
    "--points": "N",
    "--panels": "LIST",
    "--output": "FILE",
    "--csv": "FILE",
    "--json": "FILE",
    "--dpi": "DPI",
    "--normalize": "MODE",
    "--format": "FORMAT",
    "--only": "NAME",
    "--jobs": "N",
    "--out": "DIR",
    "--config": "FILE",
    "--rtol": "X",
    "--atol": "X",
}


def _metavar(param: Any) -> str:
    for opt in param.opts:
        if opt in METAVARS:
            return METAVARS[opt]
    desc = getattr(param, "type_descriptor", None)
    annotation = getattr(desc, "annotation", None)
    if annotation is int:
        return "N"
    if annotation is float:
        return "X"
    if getattr(param, "rich_help_panel", None) == "Surrogate parameters":
        return "VALUES"
    return "TEXT"


def _no_type(ctx: Any = None) -> None:
    return None


class SurrogateCommand(typer.core.TyperCommand):
    """A Typer command that refuses repeated options and shows plain metavars."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, typer.core.TyperArgument):
                param.display_type_rich = _no_type  # the argument's name and help say it
            if not isinstance(param, typer.core.TyperOption) or param.metavar is not None:
                continue
            param.metavar = "" if (param.is_flag or param.count) else _metavar(param)

    def get_help_option(self, ctx: Any):
        option = super().get_help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not ctx.resilient_parsing:  # shell completion parses partial lines: never refuse there
            _refuse_repeats(self, args)
        return super().parse_args(ctx, args)


def _refuse_repeats(command: Any, args: list[str]) -> None:
    single: dict[str, str] = {}  # every spelling -> the option's long name
    for param in command.params:
        if not isinstance(param, typer.core.TyperOption) or param.multiple or param.count:
            continue
        names = [*param.opts, *param.secondary_opts]
        main = max(names, key=len)
        for n in names:
            single[n] = main
    seen: dict[str, str] = {}
    for arg in args:
        if arg == "--":
            break
        name = arg.partition("=")[0] if arg.startswith("--") else arg
        main = single.get(name)
        if main is None:
            continue
        if main in seen:
            raise BadInput(
                f"option {main} given twice ({seen[main]} and {arg})",
                "give each option once; several values go in one list, e.g. --alpha 1,2,4",
            )
        seen[main] = arg


class SurrogateGroup(typer.core.TyperGroup):
    """The root ``surrogate`` group: plain metavars for its own options too."""

    def get_params(self, ctx: Any):
        params = super().get_params(ctx)
        for param in params:  # --install-completion / --show-completion are added late
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
        return params

    def get_help_option(self, ctx: Any):
        option = super().get_help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option


def print_version(value: bool) -> None:
    """The ``--version`` callback: ``surrogate 0.1.0`` on stdout, exit 0."""
    if value:
        from .. import __version__

        sys.stdout.write(f"surrogate {__version__}\n")
        raise typer.Exit(0)
