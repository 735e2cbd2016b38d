"""``surrogate_cli.flow(...)``: the Python function behind ``surrogate flow``.

It resolves the targets once, expands the sweeps, builds the membrane statistics, and
returns a :class:`~surrogate_cli.analysis.flow.FlowResult` (plain dataclasses; nothing
printed, no files). :func:`run_flow` adds the files the command writes (figure, CSV),
after checking every output path before any work.
"""
from __future__ import annotations

import builtins
import math
import numbers
import os
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from .errors import BadInput

__all__ = ["flow", "parse_network", "make_membrane", "FlowFiles", "run_flow", "FLOW_PANELS"]

FLOW_PANELS = ("heatmap", "gain")
_NETWORK_KEYS = ("sigma_w", "bias", "theta")


def parse_network(text: str | Mapping[str, Any]) -> dict[str, float]:
    """``"sigma_w=3,bias=0.5,theta=1"`` (or a dict) -> floats; ``sigma_w`` is required,
    ``bias`` and ``theta`` default to 0."""
    import difflib

    if isinstance(text, Mapping):
        items = dict(text)
    else:
        items = {}
        for part in str(text).split(","):
            if not part.strip():
                raise BadInput(f"network='{text}': empty item", "write sigma_w=3,bias=0.5,theta=1")
            key, eq, val = part.partition("=")
            key = key.strip().replace("-", "_")
            if not eq or not key:
                raise BadInput(f"network='{text}': '{part}' is not NAME=VALUE", "write sigma_w=3,bias=0.5,theta=1")
            if key in items:
                raise BadInput(f"network='{text}': '{key}' given twice", "give each once")
            items[key] = val.strip()
    out: dict[str, float] = {}
    for key, val in items.items():
        if key not in _NETWORK_KEYS:
            close = difflib.get_close_matches(key, _NETWORK_KEYS, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise BadInput(f"network: unknown name '{key}'", f"{hint}use {', '.join(_NETWORK_KEYS)}")
        try:
            v = float(val)
        except (TypeError, ValueError):
            raise BadInput(f"network: {key}={val!r} is not a number", "give a finite number") from None
        if not math.isfinite(v):
            raise BadInput(f"network: {key}={val!r} is not finite", "give a finite number")
        out[key] = v
    if "sigma_w" not in out:
        raise BadInput("network: sigma_w is missing", "write e.g. sigma_w=3,bias=0.5,theta=1")
    if out["sigma_w"] <= 0:
        raise BadInput(f"network: sigma_w={out['sigma_w']:g} must be > 0", "the weight scale is positive")
    return {"sigma_w": out["sigma_w"], "bias": out.get("bias", 0.0), "theta": out.get("theta", 0.0)}


def make_membrane(v_mean=None, v_std=None, network=None, membrane=None, sigma_w=None):
    """The :class:`Membrane` from exactly one source (default: Gaussian ``N(0, 1)``)."""
    from .analysis.flow import empirical_membrane, gaussian_membrane, network_membrane

    given = [name for name, v in (("v_mean/v_std", v_mean if v_mean is not None else v_std),
                                  ("network", network), ("membrane", membrane)) if v is not None]
    if len(given) > 1:
        raise BadInput(f"membrane statistics given twice ({' and '.join(given)})",
                       "give one of: v_mean= and v_std=, network=, membrane=")
    if network is not None:
        if sigma_w is not None:
            raise BadInput("sigma_w= and network= both set the weight scale", "put sigma_w inside network=")
        return network_membrane(**parse_network(network))
    if membrane is not None:
        return empirical_membrane(membrane, sigma_w=sigma_w)
    return gaussian_membrane(0.0 if v_mean is None else v_mean, 1.0 if v_std is None else v_std, sigma_w)


def _as_list(v: Any) -> list:
    if isinstance(v, (str, bytes)) or isinstance(v, numbers.Real) or not isinstance(v, Sequence):
        return [v]
    return list(v)


def _positive_int(name: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1:
        raise BadInput(f"{name}={v!r} is not a positive whole number", f"give {name} as an integer >= 1")
    return int(v)


def flow(
    targets: str | Sequence[str],
    *,
    v_mean: float | None = None,
    v_std: float | None = None,
    network: str | Mapping[str, float] | None = None,
    membrane: Any = None,
    sigma_w: float | None = None,
    layers: int = 10,
    solve: str | None | bool = None,
    simulate: bool = False,
    width: int = 1000,
    batch: int = 16,
    seed: int = 0,
    steps: int | None = None,
    leak: float | None = None,
    zip: bool = False,  # noqa: A002 - mirrors --zip
    **values: Any,
):
    """Predict how gradients flow through a deep spiking stack with each surrogate.

    ``targets``: names (any spelling, ``NAME:alpha=2``) or user targets
    (``file.py:Class``). ``values``: parameter sweeps (a number or a list), applied to every
    target with that parameter. Membrane statistics, one of: ``v_mean``/``v_std`` (Gaussian,
    relative to the threshold), ``network`` (``"sigma_w=3,bias=0.5,theta=1"`` or a dict; the
    fixed point is solved), ``membrane`` (an array or a ``.npy``/``.npz``/``.csv`` path).
    ``sigma_w`` overrides the weight scale implied by a Gaussian or empirical membrane.
    ``solve``: the parameter to solve ``chi = 1`` for (None: the catalog's width parameter;
    False: none). ``simulate``: also measure a random ``layers`` x ``width`` stack;
    ``steps`` (and ``leak``, default 0.9) unroll a LIF stack over time instead.

    Returns a :class:`~surrogate_cli.analysis.flow.FlowResult`::

        res = surrogate_cli.flow(["sigmoid", "arctan"], network="sigma_w=3", layers=10)
        res.rows[0].chi, res.rows[0].solve.value
    """
    from .analysis.flow import FlowResult, flow_rows
    from .analysis.flow_sim import check_sizes, simulate_lif, simulate_stack
    from .sweep import MAX_CURVES, expand, parse_spec, resolve

    layers = _positive_int("layers", layers)
    if leak is not None and steps is None:
        raise BadInput("leak= needs steps= (the LIF unroll)", "give steps=T too, e.g. steps=20")
    if simulate or steps is not None:
        check_sizes(layers, width, batch, steps, leak)
        if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
            raise BadInput(f"seed={seed!r} is not a whole number >= 0", "give seed as an integer >= 0")
    if solve is not None and solve is not False and not isinstance(solve, str):
        raise BadInput(f"solve={solve!r} is not a parameter name", "give a name such as 'alpha', None or False")
    names = _as_list(targets)
    if not names or any(not isinstance(n, str) or not n.strip() for n in names):
        raise BadInput("flow needs at least one surrogate name", "e.g. flow(['sigmoid', 'arctan'])")
    parsed = [parse_spec(n) for n in names]
    resolved = [resolve(t) for t, _ in parsed]
    for key in values:
        if not any(key in t.param_names for t in resolved):
            have = sorted({p for t in resolved for p in t.param_names})
            raise BadInput(f"none of the surrogates has parameter '{key}'",
                           f"their parameters are: {', '.join(have) or 'none'}")
    if isinstance(solve, str):
        for t in resolved:
            t.check_name(solve)
    mem = make_membrane(v_mean, v_std, network, membrane, sigma_w)
    plans = []
    total = 0
    for target, (_, inline) in builtins.zip(resolved, parsed):
        vals = {k: [float(x) if not isinstance(x, numbers.Integral) else x for x in _as_list(v)]
                for k, v in values.items() if k in target.param_names}
        sets = expand(target, vals, "zip" if zip else "grid", base=inline)
        total += len(sets)
        plans.append((target, sets))
    if total > MAX_CURVES:
        raise BadInput(f"the sweep makes {total} parameter sets", f"at most {MAX_CURVES}")
    rows = []
    for target, sets in plans:
        rows += flow_rows(target, sets, mem, layers, solve)
    result = FlowResult(mem, layers, rows)
    by_name = {t.name: t for t in resolved}
    if steps is not None:
        for row in rows:
            result.lif.append(simulate_lif(by_name[row.surrogate], row.params, mem, row.chi, layers=layers,
                                           width=width, batch=batch, steps=steps,
                                           leak=0.9 if leak is None else leak, seed=seed))
    elif simulate:
        from .analysis.flow_sim import random_weights

        weights = random_weights(layers, width, seed)
        for row in rows:
            result.simulations.append(simulate_stack(by_name[row.surrogate], row.params, mem, row.chi,
                                                     layers=layers, width=width, batch=batch, seed=seed,
                                                     weights=weights))
    return result


# -- files ------------------------------------------------------------------------------------


@dataclass
class FlowFiles:
    """What :func:`run_flow` produced: the result and the files it wrote."""

    result: Any
    written: list[str] = field(default_factory=list)
    csv_to_stdout: bool = False


def parse_flow_panels(text: str) -> str:
    import difflib

    t = (text or "").strip().lower()
    if t not in FLOW_PANELS:
        close = difflib.get_close_matches(t, FLOW_PANELS, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise BadInput(f"--panels: unknown panel '{text}'", f"{hint}choose one of {', '.join(FLOW_PANELS)}")
    return t


def run_flow(targets: Sequence[str], *, output: str | None = None, csv: str | None = None,
             panels: str = "heatmap", dpi: int | None = None, **kwargs) -> FlowFiles:
    """``surrogate flow``: compute, then write the figure and CSV (atomically)."""
    from .export import FIGURE_FORMATS, atomic_write, check_output_path

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
    from .flow_view import csv_text, flow_figure

    if output is not None:
        fig = flow_figure(result, panel)
        from .plotting import save_figure

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
