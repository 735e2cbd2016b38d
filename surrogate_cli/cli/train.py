"""``surrogate train``: train a spiking network with each surrogate, parameter value and seed."""
from __future__ import annotations

import os
import sys
from typing import List, Optional

import typer

from ..errors import BadInput
from .options import (csv_option, dpi_option, json_option, output_option, param_option, param_values,
                      with_param_options, zip_option)
from .parsing import merge_param_texts, parse_spec, parse_values
from .report import report_written

__all__ = ["register", "parse_hidden"]

_TARGETS_HELP = "Surrogates (any spelling, NAME:alpha=2, LIBRARY.NAME) or user targets path/to/file.py:Class."
_NET = "Network"
_TASK = "Task"
_RUN = "Training"


def parse_hidden(text: str) -> tuple[int, ...]:
    """``128`` or ``128,64`` -> layer sizes."""
    out = []
    for part in (text or "").split(","):
        try:
            n = int(part.strip())
        except ValueError:
            raise BadInput(f"--hidden '{text}': '{part.strip()}' is not a whole number",
                           "give layer sizes such as 128 or 128,64") from None
        if n < 1:
            raise BadInput(f"--hidden '{text}': layer size {n} must be at least 1", "give sizes >= 1")
        out.append(n)
    return tuple(out)


def _positive(name: str, v, integer: bool = False) -> None:
    if v is None:
        return
    if not v > 0:
        what = "a whole number >= 1" if integer else "a positive number"
        raise BadInput(f"{name} {v:g} is not {what}", f"give {name} > 0")


def train_cmd(
    targets: List[str] = typer.Argument(..., help=_TARGETS_HELP, show_default=False),
    seeds: int = typer.Option(3, "--seeds", help="Runs per parameter value (seeds 0..N-1).", rich_help_panel=_RUN),
    epochs: int = typer.Option(20, "--epochs", help="Passes over the training set.", rich_help_panel=_RUN),
    batch: int = typer.Option(256, "--batch", help="Samples per Adam step.", rich_help_panel=_RUN),
    lr: float = typer.Option(2e-3, "--lr", help="Adam learning rate.", rich_help_panel=_RUN),
    reg_strength: float = typer.Option(0.0, "--reg-strength", help="Firing-rate regulariser strength (0: off).",
                                       rich_help_panel=_RUN),
    reg_max: float = typer.Option(10.0, "--reg-max", help="Spikes per neuron and sample above which the regulariser acts.",
                                  rich_help_panel=_RUN),
    resume: Optional[str] = typer.Option(None, "--resume", help="Runs file: read if it exists (finished runs are "
                                         "not trained again), rewritten as each surrogate finishes.",
                                         rich_help_panel=_RUN),
    task: str = typer.Option("randman", "--task", help="randman (generated), shd or file (need --data).",
                             rich_help_panel=_TASK),
    data: Optional[str] = typer.Option(None, "--data", help="shd: folder with shd_train.h5/shd_test.h5 or one .h5; "
                                       "file: .npz with x [samples, time, units], y.", rich_help_panel=_TASK),
    test_fraction: float = typer.Option(0.2, "--test-fraction", help="Held-out share (unless the data has a test "
                                        "split).", rich_help_panel=_TASK),
    data_seed: int = typer.Option(0, "--data-seed", help="Seed of the task (randman) and of the split.",
                                  rich_help_panel=_TASK),
    classes: int = typer.Option(10, "--classes", help="randman: classes.", rich_help_panel=_TASK),
    units: int = typer.Option(20, "--units", help="randman: input units.", rich_help_panel=_TASK),
    manifold_dim: int = typer.Option(1, "--manifold-dim", help="randman: manifold dimension.", rich_help_panel=_TASK),
    smoothness: float = typer.Option(1.0, "--smoothness", help="randman: smoothness alpha.", rich_help_panel=_TASK),
    samples: int = typer.Option(1000, "--samples", help="randman: samples per class.", rich_help_panel=_TASK),
    steps: Optional[int] = typer.Option(None, "--steps", help="Time steps (randman: 50; shd: bins, 100).",
                                        rich_help_panel=_TASK),
    max_time: float = typer.Option(1.0, "--max-time", help="shd: seconds binned into --steps.",
                                   rich_help_panel=_TASK),
    hidden: str = typer.Option("128", "--hidden", help="Hidden layer sizes: 128 or 128,64.", rich_help_panel=_NET),
    recurrent: bool = typer.Option(False, "--recurrent", help="Recurrent hidden weights.", rich_help_panel=_NET),
    reset: str = typer.Option("detached", "--reset", help="Subtractive reset: detached (from the graph) or attached.",
                              rich_help_panel=_NET),
    readout: str = typer.Option("max", "--readout", help="Logits: max over time of the readout membrane, or sum.",
                                rich_help_panel=_NET),
    init: str = typer.Option("fluctuation", "--init", help="fluctuation (sigma_U = theta/xi) or normal.",
                             rich_help_panel=_NET),
    xi: float = typer.Option(2.0, "--xi", help="fluctuation init: threshold / membrane std.", rich_help_panel=_NET),
    init_scale: float = typer.Option(1.0, "--init-scale", help="normal init: std * sqrt(fan_in).",
                                     rich_help_panel=_NET),
    tau_mem: float = typer.Option(10.0, "--tau-mem", help="Membrane time constant (ms).", rich_help_panel=_NET),
    tau_syn: float = typer.Option(5.0, "--tau-syn", help="Synaptic time constant (ms).", rich_help_panel=_NET),
    dt: float = typer.Option(1.0, "--dt", help="Time step (ms).", rich_help_panel=_NET),
    param: Optional[List[str]] = param_option(),
    zip_: bool = zip_option(),
    as_json: bool = json_option(),
    csv: Optional[str] = csv_option("Tidy CSV, one row per run and epoch (- for stdout)."),
    output: Optional[str] = output_option(),
    dpi: Optional[int] = dpi_option(),
    **kwargs,
):
    """Train a spiking network with each surrogate, parameter value and seed; held-out accuracy.

    One hidden layer of LIF neurons (synaptic current; subtractive reset, detached) and a leaky
    readout, cross-entropy, Adam; the runs of one surrogate are one vmapped, compiled program.
    The table gives the final and best-epoch test accuracy (mean ± std over seeds), train
    accuracy, loss, firing rate, the gradient norm per weight matrix at initialisation and
    flow's chi for the measured initial membrane.
    """
    from ..render.files import atomic_write, check_figure_outputs, check_output_path

    for name, v, integer in (("--seeds", seeds, True), ("--epochs", epochs, True), ("--batch", batch, True),
                             ("--lr", lr, False), ("--xi", xi, False), ("--init-scale", init_scale, False),
                             ("--tau-mem", tau_mem, False), ("--tau-syn", tau_syn, False), ("--dt", dt, False),
                             ("--max-time", max_time, False), ("--reg-max", reg_max, False)):
        _positive(name, v, integer)
    if reg_strength < 0:
        raise BadInput(f"--reg-strength {reg_strength:g} is negative", "give --reg-strength 0 (off) or more")
    check_figure_outputs(output, csv, dpi)
    if resume is not None:
        check_output_path(resume, {".json": "json"}, "resume")
    outs = [os.path.abspath(p) for p in (output, csv if csv != "-" else None, resume) if p is not None]
    if len(set(outs)) < len(outs):
        raise BadInput("two of -o, --csv and --resume name the same file", "give them different names")
    if csv == "-" and as_json:
        raise BadInput("--csv - and --json both write to stdout", "give --csv a file name, or drop one")
    texts = merge_param_texts(param_values(kwargs), param or [])
    values = {k: parse_values(t, k) for k, t in texts.items()}
    randman = {"classes": classes, "units": units, "manifold_dim": manifold_dim, "smoothness": smoothness, "samples": samples,
               "steps": 50 if steps is None else steps}

    from ..analysis.train import train
    from .progress import ProgressBar

    with ProgressBar("training", terminal_only=True, eta=True) as bar:
        def progress(done, total, label):
            bar.update(done, total=total, label=f"training {label}")

        def save(doc):
            import json

            atomic_write(resume, json.dumps(doc) + "\n")

        result = train(
            [parse_spec(t) for t in targets], task=task, data=data, seeds=seeds, epochs=epochs, batch=batch, lr=lr,
            hidden=parse_hidden(hidden), recurrent=recurrent, reset=reset, readout=readout, init=init, xi=xi,
            init_scale=init_scale, reg_strength=reg_strength, reg_max=reg_max, tau_mem=tau_mem * 1e-3,
            tau_syn=tau_syn * 1e-3, dt=dt * 1e-3, test_fraction=test_fraction, data_seed=data_seed, randman=randman,
            steps=100 if steps is None else steps, max_time=max_time, zip=zip_, params=values, resume=resume,
            on_progress=progress, on_runs=save if resume is not None else None)
    from ..render.train_view import train_csv_text, train_data, train_renderable

    written = [resume] if resume is not None and os.path.exists(resume) else []
    if output is not None:
        from ..render.figure_files import save_figure
        from ..render.train_figures import train_figure

        save_figure(train_figure(result), output, dpi=dpi)
        written.append(output)
    if csv is not None and csv != "-":
        atomic_write(csv, train_csv_text(result))
        written.append(csv)
    if csv == "-":
        sys.stdout.write(train_csv_text(result))
    elif as_json:
        import json

        sys.stdout.write(json.dumps(train_data(result), indent=2) + "\n")
    else:
        from .console import make_console

        make_console().print(train_renderable(result))
    report_written(written)


def register(app: typer.Typer) -> None:
    import inspect

    cmd = with_param_options(train_cmd)
    sig = inspect.signature(cmd)
    # these names are train's own options; a surrogate parameter of the same name goes as --param
    own = {"sw_" + n for n in ("seeds", "epochs", "batch", "lr", "steps", "hidden", "units", "classes", "samples",
                               "dt", "init", "xi", "data", "task")}
    cmd.__signature__ = sig.replace(parameters=[p for p in sig.parameters.values() if p.name not in own])
    app.command("train")(cmd)
