"""Text on figures: parameter symbols, legend labels and formula lines (mathtext)."""
from __future__ import annotations

from typing import Any, Sequence

from ..formatting import fmt

__all__ = ["param_tex", "params_label", "curve_label", "formula_lines", "human_texts", "value_texts",
           "param_symbols"]

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


def human_texts(values: Sequence[Any], digits: int = 3) -> dict:
    """Short text for each value, for people: 3 significant digits (``31.6227766 -> 31.6``),
    more only where needed to tell two different values apart. Keys are the values."""
    distinct = list(dict.fromkeys(values))
    for d in range(digits, 17):
        texts = {v: fmt(v, d) for v in distinct}
        if len(set(texts.values())) == len(distinct):
            return texts
    return {v: fmt(v, 17) for v in distinct}


def value_texts(param_sets: Sequence[dict]) -> dict:
    """``{name: {value: text}}``: every parameter's values across ``param_sets``, rounded for
    people (:func:`human_texts`)."""
    names: list = []
    for p in param_sets:
        names += [n for n in p if n not in names]
    return {n: human_texts([p[n] for p in param_sets if n in p]) for n in names}


def params_label(params: dict, names: Sequence[str] | None = None, texts: dict | None = None) -> str:
    """``α = 2, β = 1`` for the chosen names (all when None); ``texts`` from :func:`value_texts`."""
    names = list(params) if names is None else list(names)
    texts = texts or {}

    def show(n):
        return texts.get(n, {}).get(params[n]) or fmt(params[n], 3)

    return ", ".join(f"{param_tex(n)} = {show(n)}" for n in names if n in params)


def curve_label(curve: Any, names: Sequence[str] | None = None, with_name: bool = False,
                texts: dict | None = None) -> str:
    """The legend entry of a curve: its parameters, optionally after the surrogate's name."""
    text = params_label(curve.params, names, texts)
    if with_name:
        return f"{curve.surrogate} ({text})" if text else curve.surrogate
    return text or curve.surrogate


def param_symbols(name: str) -> str:
    """The symbol a formula uses for a parameter (mathtext, without the dollars)."""
    return param_tex(name).strip("$")


def formula_lines(record: Any, panels: Sequence[str] = ("spike", "function", "gradient")) -> list[str]:
    """The formulas of a record as mathtext strings (``g`` first when defined).

    A gradient-only surrogate says so, and that its ``g`` panel is integrated only when
    that panel is drawn."""
    if record is None:
        return []
    out = []
    if record.fun_tex:
        out.append(f"${record.fun_tex}$")
    elif "function" in panels:
        out.append("gradient only (no $g$; the $g$ panel integrates $g'$)")
    else:
        out.append("gradient only (no $g$)")
    out.append(f"${record.grad_tex}$")
    return out
