"""From a catalog record to its class and functional twin, and back."""
from __future__ import annotations

from typing import Any

from ..catalog import REGISTRY, Record
from ..catalog import find_record
from ..catalog.foreign import FOREIGN, ForeignRecord
from . import gradient_only, surrogates

__all__ = ["Factory", "builtin_class", "lookup", "make_builtin", "record_of_class"]


def builtin_class(record: Record) -> type:
    """The surrogate class of a built-in's record, e.g. :class:`Sigmoid` (or a foreign
    record's, e.g. ``SnntorchAtan`` for ``snntorch.atan``)."""
    if isinstance(record, ForeignRecord):
        from . import foreign

        return getattr(foreign, record.class_name)
    module = surrogates if record.has_fun else gradient_only
    return getattr(module, record.class_name)



def make_builtin(record: Record, **params: Any):
    """The built-in constructed with its defaults updated by ``params`` (validated)."""
    return builtin_class(record)(**record.validate(params))


def record_of_class(cls: type) -> Record | None:
    """The record of a built-in class itself (None for user classes and subclasses)."""
    rec = getattr(cls, "_record", None)
    if rec is None or getattr(cls, "_exact", None) is not cls:
        return None
    if REGISTRY.get(rec.name) is not rec and FOREIGN.get(rec.name) is not rec:
        return None
    return rec


class Factory:
    """A catalog record you can call: ``lookup("snntorch.atan")(alpha=2.0)`` is the surrogate,
    built with its defaults updated by the parameters (validated). The record's fields read
    through (``.name``, ``.params``, ``.defaults``, ``.description``, ...)."""

    __slots__ = ("record",)

    def __init__(self, record: Record):
        self.record = record

    def __getattr__(self, name: str):
        return getattr(self.record, name)

    def __call__(self, **params: Any):
        return make_builtin(self.record, **params)

    def __repr__(self) -> str:
        return f"lookup({self.record.name!r})"


def lookup(name: str) -> Factory:
    """The built-in or another library's surrogate (``"sigmoid"``, ``"snntorch.atan"``) by any
    spelling, as a :class:`Factory`; :class:`~surrogate_cli.errors.BadInput` with the closest
    name for a typo."""
    return Factory(find_record(name))
