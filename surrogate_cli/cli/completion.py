"""Shell completion of surrogate names and parameter names (``surrogate --install-completion``).

Typer calls these while the user presses TAB; they read only the catalog (no jax), so
completion stays instant.
"""
from __future__ import annotations

from typing import Any

from ..catalog import find_record, builtin_records

__all__ = ["complete_name", "complete_param"]


def complete_name(incomplete: str) -> list[str]:
    """Built-in names (and ``.py`` files here, for user surrogates) starting with ``incomplete``."""
    import os

    low = incomplete.lower()
    out = [r.name for r in builtin_records() if r.name.startswith(low)]
    if not out or incomplete.endswith(".py") or "/" in incomplete or "." in incomplete:
        try:
            out += sorted(f for f in os.listdir(".") if f.endswith(".py") and f.startswith(incomplete))
        except OSError:
            pass
    return out


def complete_param(ctx: Any, incomplete: str) -> list[str]:
    """``NAME=`` for the parameters of the surrogate(s) named on the line so far."""
    names: list[str] = []
    given = ctx.params.get("name") or ctx.params.get("names") or []
    given = [given] if isinstance(given, str) else list(given)
    for target in given + list(getattr(ctx, "args", [])):  # while completing, arguments stay in args
        try:
            names += list(find_record(target.partition(":")[0]).param_names)
        except Exception:  # noqa: BLE001 - an unknown or user target: nothing to offer
            continue
    if not names:
        names = [p.name for r in builtin_records() for p in r.params]
    return [f"{n}=" for n in dict.fromkeys(names) if n.startswith(incomplete)]
