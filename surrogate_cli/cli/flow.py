"""``surrogate flow``: predict gradient flow through a deep spiking stack, per surrogate."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any, List, Optional, Sequence

import typer

from ..errors import BadInput, did_you_mean
from .options import PARAM_HELP, param_values, with_param_options
from .parsing import merge_param_texts, parse_spec, parse_values

__all__ = ["run_flow", "register", "FLOW_PANELS"]

FLOW_PANELS = ("heatmap", "gain")


@dataclass
class FlowFiles:
    """What :func:`run_flow` produced: the result and the files it wrote."""

    result: Any
    written: list[str] = field(default_factory=list)
    csv_to_stdout: bool = False


def parse_flow_panels(text: str) -> str:
    t = (text or "").strip().lower()
    if t not in FLOW_PANELS:
        hint = did_you_mean(t, FLOW_PANELS)
        raise BadInput(f"--panels: unknown panel '{text}'", f"{hint}choose one of {', '.join(FLOW_PANELS)}")
    return t


def run_flow(targets: Sequence, *, output: str | None = None, csv: str | None = None,
             panels: str = "heatmap", dpi: int | None = None, **kwargs) -> FlowFiles:
    """``surrogate flow``: compute, then write the figure and CSV (atomically)."""
    from ..analysis.flow import flow
    from ..render.files import FIGURE_FORMATS, atomic_write, check_output_path

    panel = parse_flow_panels(panels)
    if dpi is not None and not 1 <= dpi <= 2400:
        raise BadInput(f"--dpi {dpi} is out of range", "give a resolution from 1 to 2400")
    if output is not None:
        check_output_path(output, FIGURE_FORMATS, "-o")
    if csv is not None and csv != "-":
        check_output_path(csv, {".csv": "csv"}, "--csv")
        if output is not None and os.path.abspath(csv) == os.path.abspath(output):
            raise BadInput("--csv and -o name the same file", "give them different names")
    result = flow(targets, **kwargs)
    files = FlowFiles(result)
    from ..render.flow_view import csv_text

    if output is not None:
        from ..analysis.flow import chi_curves, chi_maps
        from ..render.figures import save_figure
        from ..render.flow_figures import gain_figure, heatmap_figure

        if panel == "heatmap":
            fig = heatmap_figure(chi_maps(result), result.membrane)
        else:
            fig = gain_figure(chi_curves(result), result.membrane)

        save_figure(fig, output, dpi=dpi)
        files.written.append(output)
    if csv is not None:
        text = csv_text(result)
        if csv == "-":
            files.csv_to_stdout = True
        else:
            atomic_write(csv, text)
            files.written.append(csv)
    return files

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
    param: Optional[List[str]] = typer.Option(None, "--param", help=PARAM_HELP),
    zip_: bool = typer.Option(False, "--zip", help="Pair swept values element by element (default: grid)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts instead of tables."),
    csv: Optional[str] = typer.Option(None, "--csv", help="Write the numbers as tidy CSV (- for stdout)."),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="Figure file: .png, .svg or .pdf."),
    panels: str = typer.Option("heatmap", "--panels", help="Figure: heatmap (per surrogate) or gain (one axis)."),
    dpi: Optional[int] = typer.Option(None, "--dpi", help="Resolution of raster output."),
    **kwargs,
):
    """Predict whether gradients vanish or explode through a deep spiking stack, per surrogate.

    Per layer the squared gradient norm is multiplied by chi = sigma_w^2 times the mean of
    g'(v - theta)^2 (chi^L over L layers); also the parameter value that gives chi = 1.
    """
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
    texts = merge_param_texts(param_values(kwargs), param or [])
    values = {k: parse_values(t, k) for k, t in texts.items()}
    res = run_flow(
        [parse_spec(t) for t in targets], output=output, csv=csv, panels=panels, dpi=dpi,
        v_mean=v_mean, v_std=v_std, network=network, membrane=membrane, sigma_w=sigma_w,
        layers=layers, solve=False if no_solve else solve, simulate=simulate, width=width, batch=batch,
        seed=seed, steps=steps, leak=leak, zip=zip_, params=values,
    )
    from ..render.flow_view import csv_text, flow_data, flow_renderable

    if res.csv_to_stdout:
        sys.stdout.write(csv_text(res.result))
    elif as_json:
        import json

        sys.stdout.write(json.dumps(flow_data(res.result), indent=2) + "\n")
    else:
        from .console import make_console

        make_console().print(flow_renderable(res.result))
    for path in res.written:
        sys.stderr.write(f"wrote {path}\n")


def register(app: typer.Typer) -> None:
    import inspect

    cmd = with_param_options(flow_cmd)
    sig = inspect.signature(cmd)
    # --width is the simulated layer width here; ReluGrad's width goes as --param width=...
    own = {"sw_" + n for n in ("width", "layers", "batch", "seed", "steps", "leak")}
    cmd.__signature__ = sig.replace(parameters=[p for p in sig.parameters.values() if p.name not in own])
    app.command("flow")(cmd)
