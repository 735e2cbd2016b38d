"""The one number formatter: every number the tool shows or writes goes through here.

- :func:`fmt`: short text for people (tables, legends, messages, file names).
- :func:`exact`: the round-trip text of a float (CSV), ``repr`` of the float.
- :func:`json_number`: a JSON value; non-finite floats become ``None`` (JSON has no
  nan or inf: the report's ``detail`` string says what the value was).

No imports beyond the standard library, so every layer may use it.
"""
from __future__ import annotations

import math
import numbers
from typing import Any

__all__ = ["fmt", "exact", "json_number"]


def fmt(v: Any, digits: int = 6, *, missing: str = "-", words: bool = False) -> str:
    """``v`` for people, at most ``digits`` significant digits.

    ``None`` gives ``missing``; booleans ``true``/``false``; integers and integer-valued
    floats below 1e15 their whole digits (``2``, not ``2.0``); nan and infinities ``nan``,
    ``inf``, ``-inf`` (``undefined``, ``infinite``, ``-infinite`` with ``words``).
    """
    if v is None:
        return missing
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    v = float(v)
    if math.isnan(v):
        return "undefined" if words else "nan"
    if math.isinf(v):
        text = "infinite" if words else "inf"
        return text if v > 0 else "-" + text
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.{digits}g}"


def exact(v: Any) -> str:
    """The exact, round-trip text of ``v`` (CSV cells): ``""`` for None, ints as digits."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(int(v))
    if isinstance(v, numbers.Integral):
        return str(int(v))
    return repr(float(v))


def json_number(v: Any):
    """``v`` as a JSON value: None, bool, int, or a finite float; nan and inf give None."""
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, numbers.Integral):
        return int(v)
    v = float(v)
    return v if math.isfinite(v) else None
