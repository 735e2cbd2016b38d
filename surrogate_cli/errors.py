"""The one error type for bad input, and the one "did you mean" hint.

Everything below the CLI raises :class:`BadInput` (a :class:`ValueError`) with a message
naming the problem and a hint naming the fix, in Python's terms (``alpha=``,
``panels=``). When the message is about one argument, ``subject`` holds its Python name
and the message starts with it; the CLI swaps it for the option's spelling (``--alpha``)
and turns the error into one line on stderr with exit code 2.
"""
from __future__ import annotations

import difflib
import re
from typing import Callable, Iterable

__all__ = ["BadInput", "did_you_mean"]


class BadInput(ValueError):
    """Invalid input from a user: a message, plus a hint on how to fix it."""

    def __init__(self, message: str, hint: str | None = None, subject: str | None = None,
                 also: tuple[str, ...] = ()):
        self.message = message
        self.hint = hint
        self.subject = subject
        #: further Python names the message and hint mention (``leak needs steps``)
        self.also = tuple(also)
        super().__init__(f"{message}; {hint}" if hint else message)

    def one_line(self) -> str:
        """The message and hint as a single line, for stderr."""
        return str(self).replace("\n", " ")

    def renamed(self, spell: Callable[[str], str]) -> "BadInput":
        """The same error in the caller's terms: the leading ``subject`` as ``spell(subject)``,
        and ``name=value`` for the subject and the names in ``also`` as ``spell(name) value``
        (``layers=0 is ...`` -> ``--layers 0 is ...``), in the message and the hint."""
        if not self.subject or not self.message.startswith(self.subject):
            return self

        def swap(text: str | None) -> str | None:
            if text is None:
                return None
            for name in (self.subject, *self.also):
                assign = re.compile(rf"(?<![\w-]){re.escape(name)}=(\s?)")
                text = assign.sub(lambda m: spell(name) + " ", text)
            return text

        message = swap(self.message)
        if message.startswith(self.subject):
            message = spell(self.subject) + message[len(self.subject):]
        return BadInput(message, swap(self.hint))


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """``"did you mean 'x'? "`` for the closest of ``choices`` to ``word``, else ``""``.

    Written to sit in front of the rest of a hint: ``did_you_mean(w, names) + "choose from ..."``.
    """
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=cutoff)
    return f"did you mean '{close[0]}'? " if close else ""
