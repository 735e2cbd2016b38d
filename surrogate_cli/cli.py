"""The ``surrogate`` command line: parse, delegate, map errors to exit codes.

Nothing here computes: every command hands its parsed arguments to a module that is
usable from Python. Heavy modules (jax, matplotlib) are imported inside the commands,
so ``surrogate --help`` stays fast. Exit codes: 0 success, 1 a check failed, 2 bad
input (one line on stderr; the traceback only with ``--debug``).
"""
from __future__ import annotations

import json
import sys
from typing import List, Optional

import typer

from .errors import BadInput

app = typer.Typer(
    name="surrogate",
    help="Surrogate-gradient spike functions: list, inspect, plot, compare, verify.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_STATE = {"debug": False}


class ChecksFailed(Exception):
    """Raised by a command whose checks ran and failed (exit code 1)."""


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
):
    _STATE["debug"] = debug


@app.command("list")
def list_cmd(
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts instead of a table."),
):
    """List every built-in surrogate: name, class, parameters, kind, description."""
    from . import registry

    rows = [
        {
            "name": r.name,
            "class": r.class_name,
            "params": r.defaults,
            "has_fun": r.has_fun,
            "description": r.description,
        }
        for r in registry.records()
    ]
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} built-in surrogates", title_justify="left")
    table.add_column("name", style="bold cyan", no_wrap=True)
    table.add_column("class", no_wrap=True)
    table.add_column("parameters (defaults)")
    table.add_column("defines")
    table.add_column("description")
    for row in rows:
        params = ", ".join(f"{k}={v}" for k, v in row["params"].items())
        table.add_row(
            row["name"], row["class"], params, "g, g'" if row["has_fun"] else "g' only",
            row["description"],
        )
    Console().print(table)


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"error: {message}\n")
    sys.exit(code)


def main(argv: Optional[List[str]] = None) -> None:
    """Entry point of the ``surrogate`` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        app(args=args, prog_name="surrogate", standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        _fail("aborted", 1)
    except typer.TyperException as exc:
        if debug:
            raise
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare 'surrogate': show the help
            sys.stdout.write(exc.format_message() + "\n")
            sys.exit(0)
        cmd = next((a for a in args if not a.startswith("-")), None)
        help_cmd = f"surrogate {cmd} --help" if cmd in _command_names() else "surrogate --help"
        _fail(f"{exc.format_message()} (see '{help_cmd}')", 2)
    except BadInput as exc:
        if debug:
            raise
        _fail(exc.one_line(), 2)
    except ChecksFailed as exc:
        if debug and str(exc):
            sys.stderr.write(f"{exc}\n")
        sys.exit(1)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    sys.exit(0)


def _command_names() -> set[str]:
    return {c.name or c.callback.__name__ for c in app.registered_commands}


if __name__ == "__main__":  # pragma: no cover
    main()
