"""``surrogate verify``: prove each surrogate_grad is the derivative of its surrogate_fun."""
from __future__ import annotations

import sys
from typing import List, Optional

import typer

from ..errors import BadInput
from .command import SurrogateCommand
from .errors import ChecksFailed
from .parsing import parse_assignments, parse_number, parse_values
from .progress import ProgressBar

__all__ = ["register"]

_VERIFY_TARGET_HELP = (
    "Built-in name (any spelling), path/to/file.py (every surrogate class in it), "
    "path/to/file.py:Class or package.module:Class."
)


#: Where :class:`VerifyCommand` leaves the FILE of the deprecated ``--json FILE`` (``ctx.meta``).
_JSON_FILE = "surrogate.verify.json_file"
DEPRECATION = "warning: --json FILE is deprecated; use --json > FILE (--json prints the JSON report to stdout)"


def _take_json_file(args: list[str]) -> tuple[list[str], str | None]:
    """``args`` without the old ``--json FILE`` / ``--json=FILE`` spelling, and that FILE.

    ``--json=FILE`` is always the old spelling; ``--json FILE`` when FILE ends in ``.json`` (a
    surrogate target never does), so ``verify --json sigmoid`` is the flag and a target."""
    out: list[str] = []
    path = None
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            out += args[i:]
            break
        if a.startswith("--json="):
            path = a[len("--json="):]
            out.append("--json")
        elif a == "--json" and i + 1 < len(args) and not args[i + 1].startswith("-") \
                and args[i + 1].lower().endswith(".json"):
            path = args[i + 1]
            out.append("--json")
            i += 1
        else:
            out.append(a)
        i += 1
    return out, path


class VerifyCommand(SurrogateCommand):
    """``verify``'s command: the old ``--json FILE`` spelling taken out before parsing (Click has no
    option that is a flag and, sometimes, takes a value)."""

    def parse_args(self, ctx, args):
        args, path = _take_json_file(list(args))
        if path is not None:
            ctx.meta[_JSON_FILE] = path
        return super().parse_args(ctx, args)


def verify_cmd(
    ctx: typer.Context,
    targets: Optional[List[str]] = typer.Argument(None, help=_VERIFY_TARGET_HELP, show_default=False),
    all_: bool = typer.Option(False, "--all", help="Check every built-in (at its defaults, or swept with --sweep)."),
    sweep: bool = typer.Option(
        False, "--sweep",
        help="Check built-ins over the parameter grid of the sweep config (with --all: every built-in)."),
    param: Optional[List[str]] = typer.Option(
        None, "--param",
        help="NAME=VALUES for the named targets: a number, a list 1,2,4 or a range 1:4:4 (a grid); repeatable."),
    defaults_only: bool = typer.Option(
        False, "--defaults-only",
        help="Check user classes at their defaults only (default: also each float parameter x0.5 and x2)."),
    strict: bool = typer.Option(
        False, "--strict", help="Warnings (shape conventions, surrogate_fun overflow) are failures."),
    as_json: bool = typer.Option(
        False, "--json", help="Print the JSON report to stdout instead of the table (the exit code is the same)."),
    rtol: float = typer.Option(1e-6, "--rtol", help="Relative tolerance of the derivative checks (> 0)."),
    atol: float = typer.Option(
        1e-8, "--atol", help="Absolute tolerance, as a fraction of the gradient's peak magnitude (> 0)."),
    config: Optional[str] = typer.Option(
        None, "--config", help="Sweep config for --sweep (default: configs/verify.yaml)."),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Also list skipped checks and their reasons."),
):
    """Prove each surrogate_grad is the derivative of its surrogate_fun; run the checklist.

    Checks per surrogate and parameter set: derivative, area, spike, stability, dtypes, jit, shape.

    --sweep with named built-ins sweeps just those (over the config's grid); a user class is
    checked at its defaults and at each float parameter x0.5 and x2 (--defaults-only: just
    the defaults; --param alpha=1,2,4: that grid).

    Exit 0 when nothing failed (warnings allowed), 1 when a check failed, 2 for usage errors.
    """
    targets = list(targets or [])
    json_path = ctx.meta.get(_JSON_FILE)
    if not targets and not all_:
        if sweep:
            raise BadInput("--sweep needs surrogates to sweep",
                           "use --all --sweep for every built-in, or name built-ins: verify sigmoid --sweep")
        raise BadInput("no surrogate to verify",
                       "name one or more (see 'surrogate list'), give path/to/file.py[:Class], or use --all")
    values: dict = {}
    if param:
        if all_ and not targets:
            raise BadInput("--param applies to named targets, not to --all",
                       "name the surrogate, e.g. surrogate verify sigmoid --param alpha=2")
        for key, text in parse_assignments(param, "--param").items():
            if "," in text or ":" in text:
                values[key] = parse_values(text, key)
            else:
                values[key] = parse_number(text, f"--param {key}")
    if json_path is not None:
        from ..render.files import check_output_path

        check_output_path(json_path, {".json": "json"}, "--json")
        sys.stderr.write(DEPRECATION + "\n")
    items = list(targets)
    if all_:
        from ..catalog import names

        items = [n for n in names() if n not in items] + items
    from ..analysis.verify import verify
    from ..checkpoints import checkpoint
    from ..render.verify_view import report_renderables

    def progress(done, total, label, bar):
        bar.update(done, total, label)
        if done == 1:
            checkpoint("verify-compiling")

    with ProgressBar("verify", delay=1.0, terminal_only=True) as bar:
        report = verify(items, params=values or None, rtol=rtol, atol=atol, strict=strict, sweep=sweep,
                        config=config, defaults_only=defaults_only,
                        progress=lambda done, total, label: progress(done, total, label, bar))
    if as_json and json_path is None:
        _write_stdout(report.to_json())
        if not report.ok:
            raise ChecksFailed()
        return
    from rich.console import Console

    # piped: no wrapping (each finding one line, the table header whole)
    console = Console() if sys.stdout.isatty() else Console(width=1000, soft_wrap=True)
    with console.capture() as captured:  # then one write: a report is printed whole or not at all
        for r in report_renderables(report, verbose=verbose, width=console.width):
            console.print(r)
    _write_stdout(captured.get())
    if json_path is not None:
        from ..render.files import atomic_write

        atomic_write(json_path, report.to_json())
        sys.stderr.write(f"wrote {json_path}\n")
    if not report.ok:
        raise ChecksFailed()


def _write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. verify --all | head -2: end quietly, with the verdict's exit code
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def register(app: typer.Typer) -> None:
    app.command("verify", cls=VerifyCommand)(verify_cmd)
