"""The registry of verify's checks. Each check module declares itself with
:func:`register_check` (its name, the :class:`~..evaluated.Evaluated` fields it needs, its place
in the report) on a function ``(Evaluated, Context) -> CheckResult | None``; the report's
columns and :func:`~..analyse.analyse` iterate :func:`registered` in that order.

A new check: one module in ``checks/`` with a ``@register_check(...)`` function, and its import
in ``checks/__init__.py``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..evaluated import Context, Evaluated
from ..report import CheckResult

__all__ = ["Check", "register_check", "add_check", "remove_check", "registered", "check_names"]


@dataclass(frozen=True)
class Check:
    """One check: ``run(ev, ctx)`` returns its result, or ``None`` when it does not apply (then
    the subject's skip reason for it, or "not run"). It runs only when every field in
    ``needs`` was evaluated and the subject did not skip it."""

    name: str
    run: Callable[[Evaluated, Context], CheckResult | None]
    needs: tuple = ()
    order: float = 100.0  # report position: smaller first
    rule: str | None = None  # the rule (report.RULES) of its fail/warn results that name none


_REGISTRY: dict[str, Check] = {}


def add_check(check: Check) -> Check:
    if check.name in _REGISTRY and _REGISTRY[check.name].run is not check.run:
        raise ValueError(f"a verify check named {check.name!r} is already registered")
    _REGISTRY[check.name] = check
    return check


def remove_check(name: str) -> None:
    _REGISTRY.pop(name, None)


def register_check(name: str, *, needs: tuple = (), order: float = 100.0, rule: str | None = None):
    """Decorator: register ``fn(ev, ctx) -> CheckResult | None`` as the check ``name``."""
    def deco(fn):
        add_check(Check(name, fn, tuple(needs), float(order), rule))
        return fn

    return deco


def registered() -> tuple[Check, ...]:
    """The checks in report order."""
    return tuple(sorted(_REGISTRY.values(), key=lambda c: c.order))


def check_names() -> tuple[str, ...]:
    return tuple(c.name for c in registered())
