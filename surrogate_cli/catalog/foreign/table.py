"""Every foreign record and every unavailable surrogate, library by library."""
from __future__ import annotations

from . import lava_dl, nest, norse, sinabs, snntorch, spikingjelly, spyx
from .base import LIBRARIES, ForeignRecord, Unavailable

__all__ = ["RECORDS", "FOREIGN", "UNAVAILABLE"]

#: The libraries, in the order ``list`` and the gallery show them: a new library is a
#: module beside these (``register_library``, ``RECORDS``, ``UNAVAILABLE``) named here.
_MODULES = (snntorch, spikingjelly, norse, sinabs, spyx, lava_dl, nest)

_ordered = {m.LIBRARY: LIBRARIES[m.LIBRARY] for m in _MODULES}
LIBRARIES.clear()
LIBRARIES.update(_ordered)  # registered as each module loaded; now in _MODULES order
del _ordered

#: Every foreign record, in library order.
RECORDS: tuple[ForeignRecord, ...] = tuple(r for m in _MODULES for r in m.RECORDS)

#: Every foreign record, keyed by ``LIBRARY.NAME``.
FOREIGN: dict[str, ForeignRecord] = {r.name: r for r in RECORDS}

#: Surrogates that are not deterministic spike surrogates, with the reason.
UNAVAILABLE: tuple[Unavailable, ...] = tuple(u for m in _MODULES for u in m.UNAVAILABLE)
