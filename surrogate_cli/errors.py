"""The one error type for bad input.

Everything below the CLI raises :class:`BadInput` (a :class:`ValueError`) with a
message naming the problem and a hint naming the fix. Only ``cli.py`` turns it into
one line on stderr and exit code 2.
"""
from __future__ import annotations

__all__ = ["BadInput"]


class BadInput(ValueError):
    """Invalid input from a user: a message, plus a hint on how to fix it."""

    def __init__(self, message: str, hint: str | None = None):
        self.message = message
        self.hint = hint
        super().__init__(f"{message}; {hint}" if hint else message)

    def one_line(self) -> str:
        """The message and hint as a single line, for stderr."""
        return str(self).replace("\n", " ")
