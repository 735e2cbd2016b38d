"""What exists, as data (no jax): the built-in surrogates' records and their lookup.

A record holds a surrogate's names and spellings, parameters (defaults, types, valid
ranges), formulas, reference, default plotting range, closed-form area, breakpoints and
intended shape exceptions. Everything that lists the built-ins iterates :data:`REGISTRY`.
"""
from .lookup import REGISTRY, lookup, lookup_in_config, names, normalize, records, suggest
from .params import Param, validate_value
from .record import SHAPE_CHECKS, Record, unknown_param

__all__ = [
    "Param", "Record", "REGISTRY", "SHAPE_CHECKS", "lookup", "lookup_in_config", "names", "normalize", "records",
    "suggest", "unknown_param", "validate_value",
]
