"""Text on figures: parameter symbols, legend labels and formula lines (mathtext)."""
from __future__ import annotations

from typing import Any, Sequence

from ..formatting import fmt

__all__ = ["param_tex", "params_label", "curve_label", "formula_lines"]

_GREEK = {
    "alpha": r"\alpha",
    "beta": r"\beta",
    "gamma": r"\gamma",
    "delta": r"\delta",
    "epsilon": r"\epsilon",
    "eps": r"\epsilon",
    "sigma": r"\sigma",
    "tau": r"\tau",
    "theta": r"\theta",
    "lambda": r"\lambda",
    "lam": r"\lambda",
    "mu": r"\mu",
    "omega": r"\omega",
    "t_period": "T",
    "width": "w",
}


def param_tex(name: str) -> str:
    """The symbol of a parameter: mathtext for Greek names (``$\\alpha$``), else the name."""
    sym = _GREEK.get(name)
    if sym is not None:
        return f"${sym}$"
    if len(name) == 1:
        return f"${name}$"
    return name


def params_label(params: dict, names: Sequence[str] | None = None) -> str:
    """``α = 2, β = 1`` for the chosen names (all when None)."""
    names = list(params) if names is None else list(names)
    return ", ".join(f"{param_tex(n)} = {fmt(params[n])}" for n in names if n in params)


def curve_label(curve: Any, names: Sequence[str] | None = None, with_name: bool = False) -> str:
    """The legend entry of a curve: its parameters, optionally after the surrogate's name."""
    text = params_label(curve.params, names)
    if with_name:
        return f"{curve.surrogate} ({text})" if text else curve.surrogate
    return text or curve.surrogate


def formula_lines(record: Any) -> list[str]:
    """The formulas of a record as mathtext strings (``g`` first when defined)."""
    if record is None:
        return []
    out = []
    if record.fun_tex:
        out.append(f"${record.fun_tex}$")
    else:
        out.append("gradient only (no $g$; the $g$ panel integrates $g'$)")
    out.append(f"${record.grad_tex}$")
    return out
