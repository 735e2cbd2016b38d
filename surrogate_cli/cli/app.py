"""The ``surrogate`` Typer app: the command list, ``--debug``, and errors -> exit codes.

Exit codes: 0 success, 1 a check failed, 2 bad input (one line on stderr, the option
named as the user typed it; the traceback only with ``--debug``), 130 / 143 interrupted
by SIGINT / SIGTERM (one line on stderr; see :mod:`.signals`). Each command lives in
a module of its own with a ``register(app)`` function; jax and matplotlib are imported
inside the commands, so ``surrogate --help`` stays fast.
"""
from __future__ import annotations

import sys
from typing import List, Optional

import typer
import typer.core

from ..errors import BadInput
from . import compare, convert, explore, flow, gallery, info, list_cmd, plot, train, verify
from .command import SurrogateCommand, SurrogateGroup, print_version
from .errors import ChecksFailed
from .options import option_spelling
from .signals import Interrupted, exit_now, handling_interrupts

__all__ = ["app", "main"]

app = typer.Typer(
    name="surrogate",
    help="Surrogate-gradient spike functions: list, inspect, plot, compare, convert, train, verify.",
    add_completion=True,  # --install-completion / --show-completion (names: cli/completion.py)
    cls=SurrogateGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
    version: bool = typer.Option(False, "--version", help="Print the version and exit.",
                                 callback=print_version, is_eager=True),
):
    """Surrogate-gradient spike functions: list, inspect, plot, compare, verify."""


# the order of `surrogate --help`
for _module in (list_cmd, info, plot, compare, convert, flow, train, explore, gallery, verify):
    _module.register(app)
for _command in app.registered_commands:  # repeated options refused, plain metavars in --help
    if _command.cls in (None, typer.core.TyperCommand):
        _command.cls = SurrogateCommand


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"error: {message}\n")
    sys.exit(code)


def _command_names() -> set[str]:
    return {c.name or c.callback.__name__ for c in app.registered_commands}


def main(argv: Optional[List[str]] = None) -> None:
    """Entry point of the ``surrogate`` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    with handling_interrupts():
        try:
            from ..checkpoints import checkpoint

            checkpoint("start")
            _run(args)
        except Interrupted as exc:
            exit_now(exc.signum)  # does not return


def _run(args: List[str]) -> None:
    debug = "--debug" in args
    try:
        code = app(args=args, prog_name="surrogate", standalone_mode=False)
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
        if exc.subject:
            exc = exc.renamed(option_spelling)
        _fail(exc.one_line(), 2)
    except ChecksFailed as exc:
        if debug and str(exc):
            sys.stderr.write(f"{exc}\n")
        sys.exit(1)
    if isinstance(code, int) and not isinstance(code, bool) and code:
        sys.exit(code)  # a typer.Exit(n) raised inside a command comes back as a return value
    sys.exit(0)
