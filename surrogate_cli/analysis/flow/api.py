"""``surrogate_cli.flow(...)``: resolve the targets once, expand the sweeps, build the
membrane statistics, and return a :class:`FlowResult` (plain dataclasses; nothing
printed, no files)."""
from __future__ import annotations

import math
import numbers
from typing import Any, Mapping, Sequence

from ...errors import BadInput, did_you_mean

__all__ = ["flow", "parse_network", "make_membrane"]

_NETWORK_KEYS = ("sigma_w", "bias", "theta")


def parse_network(text: str | Mapping[str, Any]) -> dict[str, float]:
    """``"sigma_w=3,bias=0.5,theta=1"`` (or a dict) -> floats; ``sigma_w`` is required,
    ``bias`` and ``theta`` default to 0."""
    if isinstance(text, Mapping):
        items = dict(text)
    else:
        items = {}
        for part in str(text).split(","):
            if not part.strip():
                raise BadInput(f"network='{text}': empty item", "write sigma_w=3,bias=0.5,theta=1", subject="network")
            key, eq, val = part.partition("=")
            key = key.strip().replace("-", "_")
            if not eq or not key:
                raise BadInput(f"network='{text}': '{part}' is not NAME=VALUE", "write sigma_w=3,bias=0.5,theta=1", subject="network")
            if key in items:
                raise BadInput(f"network='{text}': '{key}' given twice", "give each once", subject="network")
            items[key] = val.strip()
    out: dict[str, float] = {}
    for key, val in items.items():
        if key not in _NETWORK_KEYS:
            hint = did_you_mean(key, _NETWORK_KEYS)
            raise BadInput(f"network: unknown name '{key}'", f"{hint}use {', '.join(_NETWORK_KEYS)}", subject="network")
        try:
            v = float(val)
        except (TypeError, ValueError):
            raise BadInput(f"network: {key}={val!r} is not a number", "give a finite number", subject="network") from None
        if not math.isfinite(v):
            raise BadInput(f"network: {key}={val!r} is not finite", "give a finite number", subject="network")
        out[key] = v
    if "sigma_w" not in out:
        raise BadInput("network: sigma_w is missing", "write e.g. sigma_w=3,bias=0.5,theta=1", subject="network")
    if out["sigma_w"] <= 0:
        raise BadInput(f"network: sigma_w={out['sigma_w']:g} must be > 0", "the weight scale is positive", subject="network")
    return {"sigma_w": out["sigma_w"], "bias": out.get("bias", 0.0), "theta": out.get("theta", 0.0)}


def make_membrane(v_mean=None, v_std=None, network=None, membrane=None, sigma_w=None):
    """The :class:`Membrane` from exactly one source (default: Gaussian ``N(0, 1)``)."""
    from .membrane import empirical_membrane, gaussian_membrane, network_membrane

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


def _positive_int(name: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1:
        raise BadInput(f"{name}={v!r} is not a positive whole number", f"give {name} as an integer >= 1",
                       subject=name)
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
    params: Mapping[str, Any] | None = None,
    **values: Any,
):
    """Predict how gradients flow through a deep spiking stack with each surrogate.

    ``targets``: names (any spelling) or user targets (``file.py:Class``), each optionally
    as a ``(name, {"alpha": 2})`` pair with fixed parameters. A parameter whose name is
    also an argument here (ReluGrad's ``width``) goes in ``params={"width": [1, 2]}``. ``values``: parameter sweeps (a number or a list), applied to every
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
    from ...evaluation import plan_sweep
    from ...evaluation.plan import as_values
    from .rows import FlowResult, flow_rows
    from .simulate import check_sizes, random_weights, simulate_lif, simulate_stack

    values = {**dict(params or {}), **values}
    layers = _positive_int("layers", layers)
    check_sizes(layers, width, batch, steps, leak, seed, simulating=simulate or steps is not None)
    if solve is not None and solve is not False and not isinstance(solve, str):
        raise BadInput(f"solve={solve!r} is not a parameter name", "give a name such as 'alpha', None or False")
    vals = {k: [float(x) if not isinstance(x, numbers.Integral) else x for x in v]
            for k, v in as_values(values).items()}
    plan = plan_sweep(targets, vals, mode="zip" if zip else "grid", unit="parameter sets", what="targets")
    resolved = plan.targets
    if isinstance(solve, str):
        for t in resolved:
            t.check_name(solve)
    mem = make_membrane(v_mean, v_std, network, membrane, sigma_w)
    rows = []
    for target, sets in plan:
        rows += flow_rows(target, sets, mem, layers, solve)
    result = FlowResult(mem, layers, rows)
    by_name = {t.name: t for t in resolved}
    if steps is not None:
        for row in rows:
            result.lif.append(simulate_lif(by_name[row.surrogate], row.params, mem, row.chi, layers=layers,
                                           width=width, batch=batch, steps=steps,
                                           leak=0.9 if leak is None else leak, seed=seed))
    elif simulate:
        weights = random_weights(layers, width, seed)
        for row in rows:
            result.simulations.append(simulate_stack(by_name[row.surrogate], row.params, mem, row.chi,
                                                     layers=layers, width=width, batch=batch, seed=seed,
                                                     weights=weights))
    return result


