"""The functional twins of the built-ins: ``sigmoid(x, alpha=4.0)`` is ``Sigmoid(alpha)(x)``.

Generated from the catalog, so each twin has the real signature of its record (names,
order, defaults: ``inspect.signature`` and ``help()`` show them) and nothing repeats the
catalog's defaults; a test holds every twin to its class.
"""
from __future__ import annotations

from typing import Callable

from ..catalog import Record, builtin_records
from ..catalog.foreign import ForeignRecord
from .builtin import record_signature
from .classes import builtin_class

__all__: list[str] = []  # the twins, filled below (builtin_function is exported by the package)


def _twin(cls: type):
    rec = cls._record
    sig = record_signature(rec, ("x",))

    def twin(x, *args, **kwargs):
        try:
            bound = sig.bind(x, *args, **kwargs)
        except TypeError as exc:
            raise TypeError(f"{rec.name}(): {exc}") from None
        bound.apply_defaults()
        params = dict(bound.arguments)
        return cls(**{k: v for k, v in params.items() if k != "x"})(params["x"])

    twin.__name__ = twin.__qualname__ = rec.name
    twin.__module__ = __name__
    twin.__signature__ = sig
    twin.__doc__ = (f"Spike with the :class:`{cls.__name__}` surrogate gradient: "
                    f"``{rec.name}(x, ...)`` is ``{cls.__name__}(...)(x)``.\n\n{rec.description}")
    return twin


for _rec in builtin_records():
    globals()[_rec.name] = _twin(builtin_class(_rec))
    __all__.append(_rec.name)
del _rec


def builtin_function(record: Record) -> Callable:
    """The functional twin of a built-in's record, e.g. :func:`sigmoid` (foreign records:
    ``f(x, **params)`` builds the surrogate and applies it)."""
    if isinstance(record, ForeignRecord):
        cls = builtin_class(record)

        def functional_twin(x, **params):
            return cls(**params)(x)

        functional_twin.__name__ = record.class_name
        return functional_twin
    return globals()[record.name]
