"""The ``jit`` check: the methods trace under ``jax.jit``. Decided by the probes before the kernel
runs (:mod:`..probes`), which also choose an eager run when they do not; this reports it."""
from __future__ import annotations

from ..evaluated import Context, Evaluated
from ..report import CheckResult
from .registry import register_check

__all__ = ["run"]


@register_check("jit", order=60, rule="breaks-under-transforms")
def run(ev: Evaluated, ctx: Context) -> CheckResult | None:
    return ctx.jit_result
