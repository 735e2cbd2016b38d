r"""Other libraries' surrogates, by their own names: the catalogue (no jax).

One :class:`ForeignRecord` per deterministic surrogate of snnTorch, SpikingJelly
(``activation_based``), Norse, sinabs, Spyx (``axn``), lava-dl SLAYER and NEST e-prop,
named ``LIBRARY.NAME`` exactly as that library spells it, with that library's parameter
names and defaults, its forward convention (spike where ``x > 0`` or ``x >= 0``) and its
backward formula, oddities included (documented, never fixed). ``x`` is always the
input relative to the threshold, as the library computes it (for sinabs, lava-dl and
NEST, which take the membrane potential and the threshold, ``x = v - threshold``).

Each record carries its source (repository, file, the released version read, and how the
main branch differs), its family (``list`` shows it: the union catalogue) and, where one
exists, its exact equivalent among the built-ins::

    g'_source(x) = factor * g'_target(x_scale * (x - shift))

with the target's parameters a function of the source's. :data:`UNAVAILABLE` lists the
surrogates that are not deterministic spike surrogates, with the reason.

A :class:`ForeignRecord` is a :class:`~surrogate_cli.catalog.Record`, so every command
that takes a built-in takes a foreign surrogate too; its class lives in
:mod:`surrogate_cli.library.foreign` (``library.builtin_class(record)`` finds it).

``x = 0`` convention of every ``surrogate_fun`` here: ``g(x) = 1/2 + \int_0^x g'``
(the libraries define only the backward pass; the function is the antiderivative that
``verify`` checks against it).
"""
from .base import (
    LIBRARIES, Equivalence, ForeignRecord, Source, Unavailable,
)
from .lava_dl import CUBA_THRESHOLD_EPS, quantized_threshold
from .lookup import (
    equivalence_rule, equivalence_text, equivalent_of, foreign_records, is_foreign_name, library_key,
    library_of, library_records, lookup_foreign,
)
from .table import FOREIGN, RECORDS, UNAVAILABLE

__all__ = [
    "Source", "Equivalence", "ForeignRecord", "Unavailable", "FOREIGN", "RECORDS", "UNAVAILABLE", "LIBRARIES",
    "CUBA_THRESHOLD_EPS", "quantized_threshold", "foreign_records", "library_key",
    "library_of", "library_records", "lookup_foreign", "is_foreign_name", "equivalent_of", "equivalence_text",
    "equivalence_rule",
]
