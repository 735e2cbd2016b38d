"""``surrogate flow``: predict gradient flow through a deep spiking stack, per surrogate."""
from __future__ import annotations

import sys
from typing import Any, List, Optional, Sequence

import typer

from ..errors import BadInput
from .options import (csv_option, dpi_option, json_option, output_option, panels_option, param_option, param_values,
                      with_param_options, zip_option)
from .report import report_written
from .parsing import merge_param_texts, parse_spec, parse_values

__all__ = ["run_flow", "register"]


def run_flow(targets: Sequence, *, output: str | None = None, csv: str | None = None,
             panels: str = "heatmap", dpi: int | None = None, **kwargs) -> tuple[Any, list[str]]:
    """``surrogate flow``: check the outputs, call :func:`surrogate_cli.flow`, write the figure
    and CSV (atomically); returns the result and the files written."""
    from ..analysis.flow import flow
    from ..render.files import atomic_write, check_figure_outputs
    from ..render.flow_figures import check_flow_panel, flow_figure
    from ..render.flow_view import csv_text

    panels = check_flow_panel(panels)
    check_figure_outputs(output, csv, dpi)
    result = flow(targets, **kwargs)
    written = []
    if output is not None:
        from ..render.figure_files import save_figure

        save_figure(flow_figure(result, panels), output, dpi=dpi)
        written.append(output)
    if csv is not None and csv != "-":
        atomic_write(csv, csv_text(result))
        written.append(csv)
    return result, written


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
    width: int = typer.Option(1000, "--width", help="Units per simulated layer (ReluGrad's width: --param width=...).",
                              rich_help_panel="Simulation"),
    batch: int = typer.Option(16, "--batch", help="Samples per simulation.", rich_help_panel="Simulation"),
    seed: int = typer.Option(0, "--seed", help="Random seed of the simulation.", rich_help_panel="Simulation"),
    steps: Optional[int] = typer.Option(None, "--steps", help="Unroll a LIF stack over T steps.",
                                        rich_help_panel="Simulation"),
    leak: Optional[float] = typer.Option(None, "--leak", help="LIF leak factor in [0, 1] (default 0.9).",
                                         rich_help_panel="Simulation"),
    param: Optional[List[str]] = param_option(),
    zip_: bool = zip_option(),
    as_json: bool = json_option(),
    csv: Optional[str] = csv_option("Write the numbers as tidy CSV (- for stdout)."),
    output: Optional[str] = output_option(),
    panels: str = panels_option("heatmap", "Figure: heatmap (per surrogate) or gain (one axis)."),
    dpi: Optional[int] = dpi_option(),
    **kwargs,
):
    """Predict whether gradients vanish or explode through a deep spiking stack, per surrogate.

    Per layer the squared gradient norm is multiplied by chi = sigma_w^2 times the mean of
    g'(v - theta)^2 (chi^L over L layers); also the parameter value that gives chi = 1.
    """
    if solve is not None and no_solve:
        raise BadInput("--solve and --no-solve contradict each other", "give one of them")
    texts = merge_param_texts(param_values(kwargs), param or [])
    values = {k: parse_values(t, k) for k, t in texts.items()}
    result, written = run_flow(
        [parse_spec(t) for t in targets], output=output, csv=csv, panels=panels, dpi=dpi,
        v_mean=v_mean, v_std=v_std, network=network, membrane=membrane, sigma_w=sigma_w,
        layers=layers, solve=False if no_solve else solve, simulate=simulate, width=width, batch=batch,
        seed=seed, steps=steps, leak=leak, zip=zip_, params=values,
    )
    from ..render.flow_view import csv_text, flow_data, flow_renderable

    if csv == "-":
        sys.stdout.write(csv_text(result))
    elif as_json:
        import json

        sys.stdout.write(json.dumps(flow_data(result), indent=2) + "\n")
    else:
        from .console import make_console

        make_console().print(flow_renderable(result))
    report_written(written)


def register(app: typer.Typer) -> None:
    import inspect

    cmd = with_param_options(flow_cmd)
    sig = inspect.signature(cmd)
    # --width is the simulated layer width here; ReluGrad's width goes as --param width=...
    own = {"sw_" + n for n in ("width", "layers", "batch", "seed", "steps", "leak")}
    cmd.__signature__ = sig.replace(parameters=[p for p in sig.parameters.values() if p.name not in own])
    app.command("flow")(cmd)
