"""What ``surrogate flow`` shows: JSON-ready data, Rich tables and tidy CSV (no printing)."""
from __future__ import annotations

import math
from typing import Any

from ..formatting import exact, fmt, json_number

__all__ = ["flow_data", "flow_renderable", "csv_text", "membrane_text"]


def _num(v: Any) -> str:
    return fmt(v, 4, words=True)


def _json(v: Any):
    """Floats for JSON: non-finite -> None (JSON has no inf/nan)."""
    if isinstance(v, dict):
        return {k: _json(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_json(x) for x in v]
    if isinstance(v, float):
        return json_number(v)
    return v


def _params_text(params: dict) -> str:
    return ",".join(f"{k}={_num(v) if not isinstance(v, int) else v}" for k, v in params.items())


def membrane_text(mem) -> str:
    """One line describing the membrane statistics."""
    dist = f"v - theta ~ N({_num(mem.mean)}, {_num(mem.std)}^2)" if mem.is_gaussian else (
        f"empirical, {len(mem.samples)} values from {mem.source or 'an array'} "
        f"(mean {_num(mem.mean)}, std {_num(mem.std)})")
    if mem.kind == "network":
        head = f"network sigma_w={_num(mem.sigma_w)}, bias={_num(mem.bias)}, theta={_num(mem.theta)}: " \
               f"fixed point rate r = {_num(mem.rate)}, "
    else:
        how = "given" if mem.sigma_w_given else "implied by the fixed point, std/sqrt(rate)"
        head = f"{mem.kind} membrane: rate r = {_num(mem.rate)}, sigma_w = {_num(mem.sigma_w)} ({how}), "
    return head + dist


def flow_data(result) -> dict:
    """Everything as plain JSON-able data (non-finite numbers as null)."""
    rows = []
    for r in result.rows:
        rows.append({
            "surrogate": r.surrogate, "params": r.params, "mean_grad": r.mean_grad,
            "mean_grad_sq": r.mean_grad_sq, "active_fraction": r.active_fraction,
            "active_interval": list(r.active_interval), "chi": r.chi, "chi_layers": r.chi_layers,
            "layers": r.layers, "regime": r.regime, "quadrature_error": r.quad_error,
            "solve": r.solve.as_dict() if r.solve is not None else None,
        })
    data = {"membrane": result.membrane.as_dict(), "layers": result.layers, "rows": rows}
    if result.simulations:
        data["simulations"] = [s.as_dict() for s in result.simulations]
    if result.lif:
        data["lif"] = [s.as_dict() for s in result.lif]
    return _json(data)


def _solve_text(s) -> str:
    if s is None:
        return "-"
    if s.value is None:
        return f"none ({s.param}); chi in [{_num(s.reachable[0])}, {_num(s.reachable[1])}]"
    more = f" (+{len(s.roots) - 1})" if len(s.roots) > 1 else ""
    return f"{s.param}={s.value:.5g}{more}"


def flow_renderable(result):
    """A Rich group: membrane line, prediction table, simulation tables and notes."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from rich.console import Console

    wide = Console().width >= 110
    parts = [Text(membrane_text(result.membrane))]
    for note in result.membrane.notes:
        parts.append(Text(f"note: {note}", style="yellow"))
    t = Table(title=Text(f"Gradient flow over {result.layers} layers: chi = sigma_w^2 E[g'(v - theta)^2] per layer"),
              title_justify="left")
    cols = ["surrogate", "params", "E[g']", "E[g'^2]", "active", "chi", f"chi^{result.layers}", "regime",
            "chi = 1 at"]
    if not wide:
        cols.remove("E[g']")
        cols.remove("regime")
    for col in cols:
        t.add_column(Text(col), overflow="fold", style="cyan" if col == "surrogate" else None)
    style = {"stable": "green", "vanishing": "blue", "exploding": "red"}
    for r in result.rows:
        cells = {"surrogate": r.surrogate, "params": _params_text(r.params).replace(",", ", "),
                 "E[g']": _num(r.mean_grad), "E[g'^2]": _num(r.mean_grad_sq), "active": _num(r.active_fraction),
                 "chi": _num(r.chi),
                 f"chi^{result.layers}": Text(_num(r.chi_layers) + ("" if wide else f" {r.regime}"),
                                             style=style.get(r.regime, "")),
                 "regime": Text(r.regime, style=style.get(r.regime, "")), "chi = 1 at": _solve_text(r.solve)}
        t.add_row(*(cells[c] if isinstance(cells[c], Text) else Text(cells[c]) for c in cols))
    parts.append(t)
    notes = {r.solve.note for r in result.rows if r.solve is not None and r.solve.note and r.solve.value}
    for n in sorted(notes):
        parts.append(Text(f"note: {n}", style="dim"))
    if result.simulations:
        s0 = result.simulations[0]
        st = Table(title=Text(f"Simulated stack: {s0.layers} layers x {s0.width} wide, batch {s0.batch}, "
                         f"seed {s0.seed} (per-layer squared-gradient-norm ratio, jax.grad)"),
                   title_justify="left")
        for col in ("surrogate", "params", "predicted chi", "measured", "error", "+- (1 s.e.)"):
            st.add_column(col)
        for s in result.simulations:
            st.add_row(s.surrogate, _params_text(s.params), _num(s.predicted), _num(s.measured),
                       f"{100 * s.rel_error:+.2f}%" if math.isfinite(s.rel_error) else "-",
                       f"{100 * s.stderr:.2f}%" if math.isfinite(s.stderr) else "-")
        parts.append(st)
        for n in sorted({n for s in result.simulations for n in s.notes}):
            parts.append(Text(f"note: {n}", style="dim"))
    if result.lif:
        s0 = result.lif[0]
        lt = Table(title=Text(f"LIF stack unrolled: {s0.layers} layers x {s0.width} wide, {s0.steps} steps, "
                         f"leak {_num(s0.leak)}, theta {_num(s0.theta)}, reset subtractive and detached"),
                   title_justify="left")
        for col in ("surrogate", "predicted chi", "measured / layer", "error", "chi of sim. membranes",
                    "error vs that", "rate", "per step (last first)"):
            lt.add_column(col)
        for s in result.lif:
            steps = " ".join(_num(v) for v in s.per_step[:6]) + (" ..." if len(s.per_step) > 6 else "")
            lt.add_row(s.surrogate, _num(s.predicted), _num(s.measured),
                       f"{100 * s.rel_error:+.1f}%" if math.isfinite(s.rel_error) else "-",
                       _num(s.chi_membranes),
                       f"{100 * s.rel_error_membranes:+.1f}%" if math.isfinite(s.rel_error_membranes) else "-",
                       _num(s.rate), steps)
        parts.append(lt)
        for n in s0.notes:
            parts.append(Text(f"note: {n}", style="dim"))
    return Group(*parts)


def csv_text(result) -> str:
    """Tidy CSV: ``surrogate, params, statistic, value`` (one row per number).

    The membrane's own statistics come first with ``surrogate`` = ``membrane``.
    """
    lines = ["surrogate,params,statistic,value"]

    def add(name: str, params: dict, stat: str, value: Any) -> None:
        if value is None:
            text = ""
        elif isinstance(value, float) and not math.isfinite(value):
            text = "inf" if value > 0 else ("-inf" if value < 0 else "nan")
        else:
            text = exact(float(value))
        p = _params_text(params)
        p = f'"{p}"' if "," in p else p
        lines.append(f"{name},{p},{stat},{text}")

    m = result.membrane
    for stat in ("mean", "std", "rate", "sigma_w"):
        add("membrane", {}, {"mean": "v_mean", "std": "v_std"}.get(stat, stat), getattr(m, stat))
    for r in result.rows:
        for stat, v in (("mean_grad", r.mean_grad), ("mean_grad_sq", r.mean_grad_sq),
                        ("active_fraction", r.active_fraction), ("chi", r.chi),
                        (f"chi_{r.layers}", r.chi_layers)):
            add(r.surrogate, r.params, stat, v)
        if r.solve is not None:
            add(r.surrogate, r.params, f"solve_{r.solve.param}", r.solve.value)
    for s in result.simulations:
        add(s.surrogate, s.params, "simulated_chi", s.measured)
        add(s.surrogate, s.params, "simulated_rel_error", s.rel_error)
    for s in result.lif:
        add(s.surrogate, s.params, "lif_chi", s.measured)
        add(s.surrogate, s.params, "lif_rel_error", s.rel_error)
    return "\n".join(lines) + "\n"


