"""Command-line text -> values: sweeps (``1,2,4``, ``a:b:n``, ``log:a:b:n``), ranges
(``A,B``), ``NAME=VALUES`` items and compare specs (``NAME:alpha=2``).

This is the CLI's own syntax, so its errors name the options (``--alpha``).
"""
from __future__ import annotations

import math
from typing import Sequence

from ..evaluation.limits import MAX_ABS_X, MAX_CURVES
from ..errors import BadInput
from .options import option_spelling

__all__ = ["parse_number", "parse_count", "parse_values", "parse_range", "parse_assignments", "parse_spec",
           "merge_param_texts", "single_values"]


def parse_number(text: str, what: str) -> float:
    t = text.strip()
    if not t:
        raise BadInput(f"{what}: empty value", "give a number, e.g. 1.5")
    try:
        v = float(t)
    except ValueError:
        raise BadInput(f"{what}: '{t}' is not a number", "give a number, e.g. 1.5 or 2e-3") from None
    if not math.isfinite(v):
        raise BadInput(f"{what}: '{t}' is not finite", "give a finite number (no nan or inf)")
    return v


def parse_count(text: str, what: str) -> int:
    t = text.strip()
    try:
        n = int(t)
    except ValueError:
        raise BadInput(
            f"{what}: count '{t}' is not a whole number", "write start:stop:count, e.g. 0.5:4:8"
        ) from None
    if n < 1:
        raise BadInput(f"{what}: count {n} must be at least 1", "write start:stop:count with count >= 1")
    if n > MAX_CURVES:
        raise BadInput(f"{what}: count {n} is too large", f"at most {MAX_CURVES} values per sweep")
    return n


def _short(v: float) -> float:
    """``v`` rounded to 15 significant digits: the float the user would have typed.

    A computed sweep value carries the rounding of its arithmetic in its last bits
    (``0.6000000000000001``, ``10.000000000000002``); 15 digits is below a double's
    precision, so the shortest decimal the computation meant comes back exactly.
    """
    return float(f"{v:.15g}")


def parse_values(text: str, name: str = "value") -> list[float]:
    """Parse a sweep: ``"1,2,4"``, ``"start:stop:count"`` or ``"log:start:stop:count"``.

    Returns floats (finite). Raises :class:`BadInput` for an empty list, a non-number,
    nan/inf, a bad count, or a log range that does not stay positive.
    """
    what = option_spelling(name) if name != "value" else "value"
    t = (text or "").strip()
    if not t:
        raise BadInput(f"{what}: empty list of values", "give values like 1,2,4 or a range 1:4:4")
    if t.lower().startswith("log:"):
        parts = t[4:].split(":")
        if len(parts) != 3:
            raise BadInput(
                f"{what}: '{t}' is not a log range", "write log:start:stop:count, e.g. log:0.1:10:5"
            )
        a, b = parse_number(parts[0], what), parse_number(parts[1], what)
        n = parse_count(parts[2], what)
        if a <= 0 or b <= 0:
            raise BadInput(
                f"{what}: log range '{t}' needs positive start and stop",
                "use a linear range start:stop:count for values <= 0",
            )
        if n == 1:
            return [a]
        la, lb = math.log10(a), math.log10(b)
        vals = [_short(10.0 ** (la + (lb - la) * i / (n - 1))) for i in range(n)]
        vals[0], vals[-1] = a, b
        return vals
    if ":" in t:
        parts = t.split(":")
        if len(parts) != 3:
            raise BadInput(
                f"{what}: '{t}' is not a range", "write start:stop:count, e.g. 0.5:4:8 (or a list 1,2,4)"
            )
        a, b = parse_number(parts[0], what), parse_number(parts[1], what)
        n = parse_count(parts[2], what)
        if n == 1:
            return [a]
        vals = [_short(a + (b - a) * i / (n - 1)) for i in range(n)]
        vals[0], vals[-1] = a, b
        return vals
    items = t.split(",")
    if any(not it.strip() for it in items):
        raise BadInput(f"{what}: empty item in '{t}'", "give values separated by single commas, e.g. 1,2,4")
    return [parse_number(it, what) for it in items]


def parse_range(text: str | None, default: tuple[float, float]) -> tuple[float, float]:
    """Parse ``--range A,B`` (finite, ``A < B``); None gives ``default``."""
    if text is None:
        return (float(default[0]), float(default[1]))
    parts = text.split(",")
    if len(parts) != 2:
        raise BadInput(f"--range: '{text}' is not an interval", "write --range A,B, e.g. --range=-3,3")
    a, b = parse_number(parts[0], "--range"), parse_number(parts[1], "--range")
    if not a < b:
        kind = "empty" if a == b else "reversed"
        raise BadInput(
            f"--range {text}: the interval is {kind}",
            "give A,B with A < B, e.g. --range=-3,3",
        )
    if max(abs(a), abs(b)) > MAX_ABS_X:
        raise BadInput(
            f"--range {text}: too far out (beyond 1e300, widths and plot scales overflow floats)",
            "give an interval inside [-1e300, 1e300]",
        )
    return (a, b)


def parse_assignments(items: Sequence[str], what: str = "--param") -> dict[str, str]:
    """Parse ``NAME=VALUES`` items (``--param``) into ``{name: "VALUES"}``."""
    out: dict[str, str] = {}
    for item in items:
        name, eq, value = item.partition("=")
        name = name.strip().replace("-", "_")
        if not eq or not name:
            raise BadInput(f"{what} '{item}' is not NAME=VALUES", "write e.g. --param alpha=1,2,4")
        if not name.isidentifier():
            raise BadInput(f"{what} '{item}': '{name}' is not a parameter name", "write NAME=VALUES")
        if name in out:
            raise BadInput(f"{what}: parameter '{name}' given twice", "give each parameter once")
        out[name] = value
    return out


def parse_spec(spec: str) -> tuple[str, dict[str, float]]:
    """Split a compare spec ``NAME:alpha=2,beta=1`` into the target and its values.

    ``file.py:Class`` and ``pkg.mod:Class`` (no ``=`` after the last colon) are targets;
    ``file.py:Class:alpha=2`` gives one its parameters.
    """
    head, sep, tail = spec.rpartition(":")
    if not sep or "=" not in tail:
        return spec, {}
    if not head:
        raise BadInput(f"'{spec}' names no surrogate", "write NAME:alpha=2,beta=1")
    values: dict[str, float] = {}
    for item in tail.split(","):
        name, eq, value = item.partition("=")
        name = name.strip().replace("-", "_")
        if not eq or not name:
            raise BadInput(f"'{spec}': '{item}' is not NAME=VALUE", "write NAME:alpha=2,beta=1")
        if name in values:
            raise BadInput(f"'{spec}': parameter '{name}' given twice", "give each parameter once")
        values[name] = parse_number(value, f"{head}:{name}")
    return head, values



def merge_param_texts(options: dict[str, str], items: Sequence[str]) -> dict[str, str]:
    """Per-parameter options (``--alpha 1,2``) and ``--param NAME=VALUES`` items as one
    ``{name: text}``; a parameter given both ways is an error."""
    texts = dict(options)
    for name, text in parse_assignments(items).items():
        if name in texts:
            raise BadInput(
                f"parameter '{name}' given twice ({option_spelling(name)} and --param)",
                "give each parameter once",
            )
        texts[name] = text
    return texts


def single_values(texts: dict[str, str], check_name, command: str) -> dict[str, float]:
    """One value per parameter (``info``, ``convert``): each name checked by ``check_name``
    first, each text parsed, a sweep refused."""
    out = {}
    for key, text in texts.items():
        check_name(key)
        vals = parse_values(text, key)
        if len(vals) != 1:
            raise BadInput(f"{option_spelling(key)}: {command} takes one value, got {len(vals)}",
                           "give a single number, e.g. --alpha 2 (sweeps are for plot and compare)")
        out[key] = vals[0]
    return out
