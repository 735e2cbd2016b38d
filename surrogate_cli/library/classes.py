"""From a catalog record to its class and functional twin, and back."""
from __future__ import annotations

from typing import Any, Callable

from ..catalog import REGISTRY, Record
from ..catalog.foreign import FOREIGN, ForeignRecord
from . import gradient_only, surrogates

__all__ = ["builtin_class", "builtin_function", "make_builtin", "record_of_class"]


def builtin_class(record: Record) -> type:
    """The surrogate class of a built-in's record, e.g. :class:`Sigmoid` (or a foreign
    record's, e.g. ``SnntorchAtan`` for ``snntorch.atan``)."""
    if isinstance(record, ForeignRecord):
        from . import foreign

        return getattr(foreign, record.class_name)
    module = surrogates if record.has_fun else gradient_only
    return getattr(module, record.class_name)


def builtin_function(record: Record) -> Callable:
    """The functional twin of a built-in's record, e.g. :func:`sigmoid` (foreign records:
    ``f(x, **params)`` builds the surrogate and applies it)."""
    if isinstance(record, ForeignRecord):
        cls = builtin_class(record)

        def functional_twin(x, **params):
            return cls(**params)(x)

        functional_twin.__name__ = record.class_name
        return functional_twin
    from . import functional

    return getattr(functional, record.name)


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
