"""A surrogate parameter (default, type, valid range) and the check of one value.

No jax here: validation recognises JAX tracers (passed through unchecked) only when jax
is already imported.
"""
from __future__ import annotations

import math
import numbers
import sys
from dataclasses import dataclass
from typing import Any

from ..errors import BadInput
from ..formatting import fmt

__all__ = ["Param", "validate_value"]


@dataclass(frozen=True)
class Param:
    """One parameter of a surrogate: default, type and valid range.

    The range is ``low < value`` (``low_open``) or ``low <= value``, and
    ``value <= high`` when ``high`` is set. ``kind`` is ``"float"`` or ``"int"``.
    """

    name: str
    default: float | int
    doc: str
    kind: str = "float"
    low: float | None = 0.0
    low_open: bool = True
    high: float | None = None

    @property
    def range_text(self) -> str:
        """The valid range in words, e.g. ``alpha > 0`` or ``n >= 1 (integer)``."""
        parts = []
        if self.low is not None:
            op = ">" if self.low_open else ">="
            parts.append(f"{self.name} {op} {fmt(self.low)}")
        if self.high is not None:
            parts.append(f"{self.name} <= {fmt(self.high)}")
        text = " and ".join(parts) if parts else f"{self.name} any finite number"
        return text + (" (integer)" if self.kind == "int" else "")

    def in_range(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        if self.low is not None:
            if value < self.low or (self.low_open and value == self.low):
                return False
        if self.high is not None and value > self.high:
            return False
        return True


def _is_tracer(value: Any) -> bool:
    jax = sys.modules.get("jax")
    if jax is None:
        return False
    return isinstance(value, jax.core.Tracer)


def validate_value(p: Param, value: Any, owner: str = "surrogate") -> Any:
    """Check one concrete parameter value against ``p``; return it (ints coerced for ``n``).

    Raises :class:`BadInput` (a ``ValueError``) naming the parameter, the value and the
    valid range. Tracers and arrays of tracers are returned untouched.
    """
    if _is_tracer(value):
        return value
    if isinstance(value, bool) or isinstance(value, (str, bytes)) or value is None:
        raise BadInput(
            f"{owner}: {p.name}={value!r} is not a number",
            f"give a number with {p.range_text}",
        )
    if isinstance(value, numbers.Real):
        scalars = [value]
    else:
        try:
            import numpy as np

            arr = np.asarray(value)
            if arr.dtype.kind not in "iuf":
                raise TypeError
            scalars = [float(v) for v in arr.reshape(-1)]
        except Exception:
            raise BadInput(
                f"{owner}: {p.name}={value!r} is not a number",
                f"give a number with {p.range_text}",
            ) from None
    for v in scalars:
        v = float(v)
        if not math.isfinite(v):
            raise BadInput(
                f"{owner}: {p.name}={fmt(v)} is not finite",
                f"give a finite number with {p.range_text}",
            )
        if p.kind == "int" and not v.is_integer():
            raise BadInput(
                f"{owner}: {p.name}={v:g} is not an integer",
                f"give a whole number with {p.range_text}",
            )
        if not p.in_range(v):
            raise BadInput(
                f"{owner}: {p.name}={v:g} is out of range",
                f"valid values: {p.range_text}",
            )
    if p.kind == "int" and isinstance(value, numbers.Real):
        return int(value)
    return value
