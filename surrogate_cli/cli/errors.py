"""How the CLI ends: exit codes for checks that failed."""
from __future__ import annotations

__all__ = ["ChecksFailed"]


class ChecksFailed(Exception):
    """Raised by a command whose checks ran and failed (exit code 1)."""
