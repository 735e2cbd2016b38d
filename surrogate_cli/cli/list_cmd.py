"""``surrogate list``: every built-in surrogate, as a table or JSON."""
from __future__ import annotations

import json
import sys

import typer

__all__ = ["register"]


def list_cmd(
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts instead of a table."),
):
    """List every built-in surrogate: name, class, parameters, kind, description."""
    from ..catalog import records
    from ..render.list_view import list_rows, list_table

    rows = list_rows(records())
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    from .console import make_console

    console = make_console()
    console.print(list_table(rows, console.width))


def register(app: typer.Typer) -> None:
    app.command("list")(list_cmd)
