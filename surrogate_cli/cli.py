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

    console = Console()
    wide = console.width >= 120  # room for a class column; else the class goes under the name
    table = Table(title=f"{len(rows)} built-in surrogates", title_justify="left", show_lines=not wide)
    table.add_column("name", style="bold cyan", no_wrap=True)
    if wide:
        table.add_column("class", no_wrap=True)
    table.add_column("parameters (defaults)", min_width=14)
    if wide:
        table.add_column("defines", no_wrap=True)
    table.add_column("description", ratio=1, min_width=20)
    for row in rows:
        params = "\n".join(f"{k}={v}" for k, v in row["params"].items())
        kind = "g, g'" if row["has_fun"] else "g' only"
        if wide:
            cells = [row["name"], row["class"], params, kind, row["description"]]
        else:
            name = f"{row['name']}\n[dim]{row['class']}[/dim]"
            if not row["has_fun"]:
                name += "\n[yellow]g' only[/yellow]"
            cells = [name, params, row["description"]]
        table.add_row(*cells)
    console.print(table)


# -- info, plot, compare ----------------------------------------------------------------
# Every library parameter is an option of its own (--alpha, --t-period, ...), derived from
# the registry, so a new parameter in a record is a new option everywhere.


def _sweep_param_names() -> list[str]:
    from .registry import records

    return list(dict.fromkeys(p.name for r in records() for p in r.params))


def _sweep_help(name: str) -> str:
    from .registry import records

    users = [r.name for r in records() if name in r.param_names]
    shown = ", ".join(users[:4]) + (f" +{len(users) - 4} more" if len(users) > 4 else "")
    return f"Values of {name}: 1,2,4 | start:stop:count | log:start:stop:count ({shown})."


def _with_sweep_options(func, single: bool = False):
    """Give ``func`` one keyword-only option per library parameter (``sw_<name>``)."""
    import inspect

    sig = inspect.signature(func)
    params = [p for p in sig.parameters.values() if p.kind is not p.VAR_KEYWORD]
    for name in _sweep_param_names():
        help_text = _sweep_help(name)
        if single:
            help_text = f"Value of {name} (one number)."
        params.append(
            inspect.Parameter(
                f"sw_{name}",
                inspect.Parameter.KEYWORD_ONLY,
                default=typer.Option(None, "--" + name.replace("_", "-"), help=help_text,
                                     rich_help_panel="Surrogate parameters"),
                annotation=Optional[str],
            )
        )
    func.__signature__ = sig.replace(parameters=params)
    return func


def _split_sweep(kwargs: dict) -> dict[str, str]:
    return {k[3:]: v for k, v in kwargs.items() if k.startswith("sw_") and v is not None}


def _request(kwargs: dict, **common):
    from .commands import Request

    return Request(sweep=_split_sweep(kwargs), **common)


def _report(result) -> None:
    out = sys.stderr if result.csv_to_stdout else sys.stdout
    for path in result.written:
        out.write(f"{path}\n")


_PARAM_HELP = "NAME=VALUES for any parameter (user surrogates too); repeatable."
_NAME_HELP = "A built-in (any spelling) or a user surrogate: path/to/file.py:Class or package.module:Class."


def info_cmd(
    name: str = typer.Argument(..., help=_NAME_HELP, show_default=False),
    param: Optional[List[str]] = typer.Option(None, "--param", help="NAME=VALUE for any parameter; repeatable."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
    **kwargs,
):
    """Formulas, parameters, reference and computed properties of one surrogate."""
    from .commands import run_info
    from .sweep import parse_assignments

    values = _split_sweep(kwargs)
    for key, text in parse_assignments(param or []).items():
        if key in values:
            raise BadInput(f"parameter '{key}' given twice", "give each parameter once")
        values[key] = text
    target, full, props = run_info(name, values)
    from .info_view import print_info

    print_info(target, full, props, as_json=as_json)


def plot_cmd(
    name: str = typer.Argument(..., help=_NAME_HELP, show_default=False),
    param: Optional[List[str]] = typer.Option(None, "--param", help=_PARAM_HELP),
    zip_: bool = typer.Option(False, "--zip", help="Pair swept values element by element (default: grid)."),
    x_range: Optional[str] = typer.Option(None, "--range", help="x interval A,B (default: the surrogate's)."),
    points: int = typer.Option(1000, "--points", help="Samples per curve (2 to 1000000)."),
    log: bool = typer.Option(False, "--log", help="Log-scale gradient axis (for tails)."),
    panels: str = typer.Option("spike,function,gradient", "--panels", help="Any subset of spike,function,gradient."),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="Figure file: .png, .svg or .pdf (default: NAME.png)."),
    dpi: Optional[int] = typer.Option(None, "--dpi", help="Resolution of raster output."),
    show: bool = typer.Option(False, "--show", help="Open a window (needs a display) instead of writing NAME.png."),
    csv: Optional[str] = typer.Option(None, "--csv", help="Also write the curves as tidy CSV (- for stdout)."),
    **kwargs,
):
    """Plot the spike, g and g' of one surrogate over a parameter sweep."""
    from .commands import run_plot

    req = _request(kwargs, params=param or [], zip=zip_, x_range=x_range, points=points, log=log,
                   panels=panels, output=output, dpi=dpi, show=show, csv=csv)
    _report(run_plot(name, req))


def compare_cmd(
    names: List[str] = typer.Argument(..., help="Surrogates to overlay; NAME:alpha=2,beta=1 sets parameters.",
                                      show_default=False),
    normalize: str = typer.Option("none", "--normalize", help="Scale gradients: none, peak or area."),
    param: Optional[List[str]] = typer.Option(None, "--param", help=_PARAM_HELP),
    zip_: bool = typer.Option(False, "--zip", help="Pair swept values element by element (default: grid)."),
    x_range: Optional[str] = typer.Option(None, "--range", help="x interval A,B (default: covers all)."),
    points: int = typer.Option(1000, "--points", help="Samples per curve (2 to 1000000)."),
    log: bool = typer.Option(False, "--log", help="Log-scale gradient axis (for tails)."),
    panels: str = typer.Option("spike,function,gradient", "--panels", help="Any subset of spike,function,gradient."),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="Figure file: .png, .svg or .pdf."),
    dpi: Optional[int] = typer.Option(None, "--dpi", help="Resolution of raster output."),
    show: bool = typer.Option(False, "--show", help="Open a window (needs a display)."),
    csv: Optional[str] = typer.Option(None, "--csv", help="Also write the curves as tidy CSV (- for stdout)."),
    **kwargs,
):
    """Overlay several surrogates (each at its defaults or NAME:param=value).

    A sweep option (--alpha 1,2) applies to every named surrogate that has that parameter.
    """
    from .commands import run_compare

    req = _request(kwargs, params=param or [], zip=zip_, x_range=x_range, points=points, log=log,
                   panels=panels, output=output, dpi=dpi, show=show, csv=csv)
    _report(run_compare(names, req, normalize))


app.command("info")(_with_sweep_options(info_cmd, single=True))
app.command("plot")(_with_sweep_options(plot_cmd))
app.command("compare")(_with_sweep_options(compare_cmd))

from .cli_flow import register as _register_flow  # noqa: E402 - needs the helpers above

_register_flow(app)


@app.command("gallery")
def gallery_cmd(
    config: str = typer.Option("configs/gallery.yaml", "--config", help="Gallery config (YAML)."),
    out: str = typer.Option("gallery", "--out", help="Output folder."),
    formats: Optional[str] = typer.Option(
        None, "--format", help="Image formats, comma-separated: svg,png,pdf (default: the config's)."
    ),
    only: Optional[List[str]] = typer.Option(
        None, "--only", help="Draw only this surrogate (repeatable); skips the overview."
    ),
    check: bool = typer.Option(
        False, "--check", help="Regenerate the data in a temporary folder; exit 1 listing what differs."
    ),
    jobs: Optional[int] = typer.Option(None, "--jobs", help="Worker processes (default: number of cores)."),
):
    """Generate the documentation gallery (figures, CSV, index) from a config."""
    import os

    from . import gallery

    if jobs is not None and jobs < 1:
        raise BadInput(f"--jobs {jobs} is not a positive whole number", "give --jobs 1 or more")
    fmts = None
    if formats is not None:
        fmts = [f.strip().lower().lstrip(".") for f in formats.split(",") if f.strip()]
        if not fmts:
            raise BadInput("--format is empty", f"choose from: {', '.join(gallery.FORMATS)}")
        for f in fmts:
            if f not in gallery.FORMATS:
                raise BadInput(f"unknown format '{f}'", f"choose from: {', '.join(gallery.FORMATS)}")
    cfg = gallery.load_config(config)
    if only:
        for name in only:
            cfg.entry(name)  # unknown names fail before any work
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    err = Console(stderr=True)
    total = len(only or cfg.entries) + (0 if (only or check) else 1)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("checking gallery" if check else "drawing gallery", total=total)
        step = lambda label: bar.update(task, advance=1, description=label)  # noqa: E731
        if check:
            problems = gallery.check(cfg, out, jobs=jobs, progress=step)
        else:
            files = gallery.build(cfg, out, formats=fmts, only=only, jobs=jobs, progress=step)
    if check:
        if problems:
            for p in problems:
                sys.stderr.write(f"gallery --check: {p}\n")
            sys.stderr.write(
                f"gallery --check: {len(problems)} difference(s); run 'surrogate gallery' and commit {out}/\n"
            )
            raise ChecksFailed()
        sys.stdout.write(f"gallery is up to date: {out}/ matches {config}\n")
        return
    sys.stdout.write(f"wrote {len(files)} files to {os.path.normpath(out)}/\n")


_VERIFY_TARGET_HELP = (
    "Built-in name (any spelling), path/to/file.py (every surrogate class in it), "
    "path/to/file.py:Class or package.module:Class."
)


@app.command("verify")
def verify_cmd(
    targets: Optional[List[str]] = typer.Argument(None, help=_VERIFY_TARGET_HELP, show_default=False),
    all_: bool = typer.Option(False, "--all", help="Check every built-in (at its defaults, or swept with --sweep)."),
    sweep: bool = typer.Option(
        False, "--sweep",
        help="Check built-ins over the parameter grid of the sweep config (with --all: every built-in)."),
    param: Optional[List[str]] = typer.Option(
        None, "--param", help="NAME=VALUE for the named targets (one number each); repeatable."),
    strict: bool = typer.Option(False, "--strict", help="Shape warnings are failures."),
    json_path: Optional[str] = typer.Option(None, "--json", help="Also write the report as JSON to FILE."),
    rtol: float = typer.Option(1e-6, "--rtol", help="Relative tolerance of the derivative checks (> 0)."),
    atol: float = typer.Option(
        1e-8, "--atol", help="Absolute tolerance, as a fraction of the gradient's peak magnitude (> 0)."),
    config: Optional[str] = typer.Option(
        None, "--config", help="Sweep config for --sweep (default: configs/verify.yaml)."),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Also list skipped checks and their reasons."),
):
    """Prove each surrogate_grad is the derivative of its surrogate_fun; run the checklist.

    Checks per surrogate and parameter set: derivative, area, spike, stability, jit, shape.

    --sweep with named built-ins sweeps just those.

    Exit 0 when nothing failed (warnings allowed), 1 when a check failed, 2 for usage errors.
    """
    import time

    targets = list(targets or [])
    if not targets and not all_:
        if sweep:
            raise BadInput("--sweep needs surrogates to sweep",
                           "use --all --sweep for every built-in, or name built-ins: verify sigmoid --sweep")
        raise BadInput("no surrogate to verify",
                       "name one or more (see 'surrogate list'), give path/to/file.py[:Class], or use --all")
    for label, v in (("--rtol", rtol), ("--atol", atol)):
        if not (v > 0) or v != v or v == float("inf"):
            raise BadInput(f"{label} {v:g} must be a positive number", f"give e.g. {label} 1e-6")
    values: dict = {}
    if param:
        if all_ and not targets:
            raise BadInput("--param applies to named targets, not to --all",
                       "name the surrogate, e.g. surrogate verify sigmoid --param alpha=2")
        from .sweep import _number, parse_assignments

        for key, text in parse_assignments(param, "--param").items():
            if "," in text or ":" in text:
                raise BadInput(f"--param {key}={text}: give one number", "verify checks one parameter set; "
                           "use --sweep for grids")
            values[key] = _number(text, f"--param {key}")
    if json_path is not None:
        from .export import check_output_path

        check_output_path(json_path, {".json": "json"}, "--json")
    items = list(targets)
    if all_:
        from .registry import names

        items = [n for n in names() if n not in items] + items
    from rich.console import Console

    err = Console(stderr=True)
    state: dict = {"bar": None, "task": None, "t0": time.perf_counter()}

    def progress(done: int, total: int, label: str) -> None:
        if state["bar"] is None:
            if time.perf_counter() - state["t0"] < 1.0 or not err.is_terminal:
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            state["bar"] = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                    TimeElapsedColumn(), console=err, transient=True)
            state["bar"].start()
            state["task"] = state["bar"].add_task("verify", total=total)
        state["bar"].update(state["task"], completed=done, total=total, description=label)

    from .analysis.verify import verify
    from .verify_view import print_report

    try:
        report = verify(items, params=values or None, rtol=rtol, atol=atol, strict=strict, sweep=sweep,
                        config=config, progress=progress)
    finally:
        if state["bar"] is not None:
            state["bar"].stop()
    print_report(report, Console(), verbose=verbose)
    if json_path is not None:
        from .export import atomic_write

        atomic_write(json_path, report.to_json())
        sys.stderr.write(f"wrote {json_path}\n")
    if not report.ok:
        raise ChecksFailed()


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
