"""The verify report: one :class:`CheckResult` per check, a :class:`SurrogateReport` per
surrogate and parameter set, and the :class:`VerifyReport` of a run (JSON via
:func:`surrogate_cli.formatting.json_number`: non-finite numbers become ``null``)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Sequence

from ...formatting import json_number

__all__ = [
    "DEFAULT_RTOL", "DEFAULT_ATOL", "STATUS_ORDER", "RULES", "FUN_OVERFLOW_BEYOND", "CheckResult", "SurrogateReport", "VerifyReport",
    "Tolerance", "summary", "overall",
]

#: Relative tolerance of the derivative (and spike) comparisons.
DEFAULT_RTOL = 1e-6
#: Absolute tolerance, as a fraction of the gradient's scale (its largest magnitude).
DEFAULT_ATOL = 1e-8


STATUS_ORDER = {"skip": 0, "pass": 1, "warn": 2, "fail": 3}

#: surrogate_fun may overflow (or turn nan) beyond this |x| with only a warning: training never
#: evaluates surrogate_fun, and plots and the derivative check stay inside it.
FUN_OVERFLOW_BEYOND = 1e4

#: The severity rule: every failure or warning names the rule that made it, and each rule has
#: one severity. FAIL is what breaks training or lies about the gradient; WARN is what is true
#: but harmless for training (``strict`` turns warnings into failures).
RULES = {
    "wrong-gradient": ("fail", "surrogate_grad is not the derivative of surrogate_fun beyond the stated tolerance "
                               "(or, for a gradient-only built-in, does not integrate to its closed-form area), in "
                               "float64 or in the dtype it is computed in"),
    "non-finite": ("fail", "nan or inf from surrogate_grad or through jax.grad of the spike, in float32, bfloat16, "
                           "float16 or float64, at any finite input of that dtype; or from surrogate_fun where "
                           f"|x| <= {FUN_OVERFLOW_BEYOND:g}"),
    "not-a-step": ("fail", "the spike's forward pass is not the step (or does not keep the input's dtype)"),
    "breaks-under-transforms": ("fail", "a method fails under jax.jit, vmap or grad (it does not trace, raises, "
                                        "or returns the wrong shape or dtype), or the spike's grad, jvp or vjp is "
                                        "not surrogate_grad times the tangent"),
    "fun-overflow": ("warn", f"surrogate_fun overflows (inf or nan) only beyond |x| > {FUN_OVERFLOW_BEYOND:g}"),
    "shape-convention": ("warn", "a shape convention: gradient non-negative, surrogate_fun non-decreasing, "
                                 "gradient peak at x = 0, surrogate_fun(0) = 0.5"),
    "tails": ("warn", "a gradient-only built-in's tails decay too slowly to compare its area with the closed form"),
}


@dataclass
class CheckResult:
    """The outcome of one check on one surrogate and parameter set."""

    name: str
    status: str  # pass | fail | warn | skip
    max_abs_error: float | None = None
    max_rel_error: float | None = None
    worst_x: float | None = None
    detail: str = ""
    rule: str | None = None  # the rule of :data:`RULES` that made a fail or warn

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "status": self.status,
            "rule": self.rule,
            "max_abs_error": json_number(self.max_abs_error),
            "max_rel_error": json_number(self.max_rel_error),
            "worst_x": json_number(self.worst_x),
            "detail": self.detail,
        }


@dataclass
class SurrogateReport:
    """All checks of one surrogate at one parameter set."""

    name: str
    params: dict
    status: str
    checks: list[CheckResult]
    kinks: list[float] = field(default_factory=list)

    def check(self, name: str) -> CheckResult:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(name)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "params": {k: json_number(v) for k, v in self.params.items()},
            "status": self.status,
            "checks": [c.as_dict() for c in self.checks],
            "kinks": [json_number(k) for k in self.kinks],
        }


@dataclass
class VerifyReport:
    """Every :class:`SurrogateReport` of a run and a summary. ``ok``: nothing failed."""

    surrogates: list[SurrogateReport]
    summary: dict
    timings: list[dict] = field(default_factory=list, repr=False)  # per surrogate: compile_s, run_s

    @property
    def ok(self) -> bool:
        return not any(s.status == "fail" for s in self.surrogates)

    @property
    def failures(self) -> list[tuple[SurrogateReport, CheckResult]]:
        return [(s, c) for s in self.surrogates for c in s.checks if c.status == "fail"]

    def find(self, name: str) -> list[SurrogateReport]:
        return [s for s in self.surrogates if s.name == name]

    def as_dict(self) -> dict:
        return {
            "surrogates": [s.as_dict() for s in self.surrogates],
            "summary": dict(self.summary),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.as_dict(), indent=indent, allow_nan=False) + "\n"


@dataclass
class Tolerance:
    """The derivative comparisons' tolerances: ``rtol`` relative, ``atol`` times the gradient's scale."""

    rtol: float
    atol: float


def summary(reports: Sequence[SurrogateReport], strict: bool, rtol: float, atol: float) -> dict:
    counts = {s: sum(r.status == s for r in reports) for s in ("pass", "warn", "fail", "skip")}
    return {
        "surrogates": len(dict.fromkeys(r.name for r in reports)),
        "parameter_sets": len(reports),
        **counts,
        "ok": counts["fail"] == 0,
        "strict": strict,
        "rtol": rtol,
        "atol": atol,
    }


def overall(checks: Sequence[CheckResult]) -> str:
    statuses = [c.status for c in checks]
    if all(s == "skip" for s in statuses):
        return "skip"
    return max(statuses, key=lambda s: STATUS_ORDER[s])

