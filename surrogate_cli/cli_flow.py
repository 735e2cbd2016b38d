"""``surrogate flow``: parse options, call :func:`surrogate_cli.flow_command.run_flow`, print."""
from __future__ import annotations

import sys
from typing import List, Optional

import typer

from .errors import BadInput

__all__ = ["register"]

_TARGETS_HELP = "Surrogates (any spelling, NAME:alpha=2) or user targets path/to/file.py:Class."


def flow_cmd(
    targets: List[str] = typer.Argument(..., help=_TARGETS_HELP, show_default=False),
    v_mean: Optional[float] = typer.Option(None, "--v-mean", help="Mean of v - theta (Gaussian membrane).",
                                           rich_help_panel="Membrane"),
    v_std: Optional[float] = typer.Option(None, "--v-std", help="Std of v - theta (Gaussian membrane).",
                                          rich_help_panel="Membrane"),
    network: Optional[str] = typer.Option(
        None, "--network", help="sigma_w=3,bias=0.5,theta=1: solve the stack's fixed point.",
        rich_help_panel="Membrane"),
    membrane: Optional[str] = typer.Option(
        None, "--membrane", help="Recorded v - theta: FILE.npy, FILE.npz[:NAME] or FILE.csv[:COLUMN].",
        rich_help_panel="Membrane"),
    sigma_w: Optional[float] = typer.Option(
        None, "--sigma-w", help="Weight scale (default: implied by the membrane's fixed point).",
        rich_help_panel="Membrane"),
    layers: int = typer.Option(10, "--layers", help="Depth L for chi^L (and the simulated stack)."),
    solve: Optional[str] = typer.Option(
        None, "--solve", help="Parameter to solve chi = 1 for (default: the width parameter)."),
    no_solve: bool = typer.Option(False, "--no-solve", help="Do not solve for chi = 1."),
    simulate: bool = typer.Option(False, "--simulate", help="Also measure a random stack in JAX.",
                                  rich_help_panel="Simulation"),
    width: int = typer.Option(1000, "--width", help="Units per simulated layer.", rich_help_panel="Simulation"),
    batch: int = typer.Option(16, "--batch", help="Samples per simulation.", rich_help_panel="Simulation"),
    seed: int = typer.Option(0, "--seed", help="Random seed of the simulation.", rich_help_panel="Simulation"),
    steps: Optional[int] = typer.Option(None, "--steps", help="Unroll a LIF stack over T steps.",
                                        rich_help_panel="Simulation"),
    leak: Optional[float] = typer.Option(None, "--leak", help="LIF leak factor in [0, 1] (default 0.9).",
                                         rich_help_panel="Simulation"),
    param: Optional[List[str]] = typer.Option(None, "--param", help="NAME=VALUES for any parameter; repeatable."),
    zip_: bool = typer.Option(False, "--zip", help="Pair swept values element by element (default: grid)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts instead of tables."),
    csv: Optional[str] = typer.Option(None, "--csv", help="Write the numbers as tidy CSV (- for stdout)."),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="Figure file: .png, .svg or .pdf."),
    panels: str = typer.Option("heatmap", "--panels", help="Figure: heatmap (per surrogate) or gain (one axis)."),
    dpi: Optional[int] = typer.Option(None, "--dpi", help="Resolution of raster output."),
    **kwargs,
):
    """Predict whether gradients vanish or explode through a deep spiking stack, per surrogate.

    chi = sigma_w^2 E[g'(v - theta)^2] per layer (chi^L over L layers), and the parameter
    value that gives chi = 1.
    """
    from .cli import _split_sweep
    from .flow_command import run_flow
    from .sweep import parse_assignments, parse_values

    if solve is not None and no_solve:
        raise BadInput("--solve and --no-solve contradict each other", "give one of them")
    if layers < 1:
        raise BadInput(f"--layers {layers} is not a positive whole number", "give --layers 1 or more")
    for name, value, low in (("--width", width, 2), ("--batch", batch, 1)):
        if value < low:
            raise BadInput(f"{name} {value} is too small", f"give {name} {low} or more")
    if seed < 0:
        raise BadInput(f"--seed {seed} is negative", "give --seed 0 or more")
    if steps is not None and steps < 2:
        raise BadInput(f"--steps {steps} is too small", "give --steps 2 or more")
    if leak is not None and steps is None:
        raise BadInput("--leak needs --steps (the LIF unroll)", "add e.g. --steps 20")
    if leak is not None and not 0.0 <= leak <= 1.0:
        raise BadInput(f"--leak {leak:g} is outside [0, 1]", "give --leak in [0, 1]")
    if sigma_w is not None and not sigma_w > 0:
        raise BadInput(f"--sigma-w {sigma_w:g} must be > 0", "give a positive weight scale")
    if v_std is not None and not v_std > 0:
        raise BadInput(f"--v-std {v_std:g} must be > 0", "give a positive standard deviation")
    texts = _split_sweep(kwargs)
    for key, text in parse_assignments(param or []).items():
        if key in texts:
            raise BadInput(f"parameter '{key}' given twice", "give each parameter once")
        texts[key] = text
    values = {k: parse_values(t, k) for k, t in texts.items()}
    res = run_flow(
        targets, output=output, csv=csv, panels=panels, dpi=dpi,
        v_mean=v_mean, v_std=v_std, network=network, membrane=membrane, sigma_w=sigma_w,
        layers=layers, solve=False if no_solve else solve, simulate=simulate, width=width, batch=batch,
        seed=seed, steps=steps, leak=leak, zip=zip_, **values,
    )
    from .flow_view import csv_text, print_flow

    if res.csv_to_stdout:
        sys.stdout.write(csv_text(res.result))
    else:
        print_flow(res.result, as_json=as_json)
    for path in res.written:
        sys.stderr.write(f"wrote {path}\n")


def register(app) -> None:
    """Add the ``flow`` command to ``app``."""
    from .cli import _with_sweep_options

    app.command("flow")(_with_sweep_options(flow_cmd))
