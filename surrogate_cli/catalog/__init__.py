"""What exists, as data (no jax): the built-in surrogates' records and their lookup.

A record holds a surrogate's names and spellings, parameters (defaults, types, valid
ranges), formulas, reference, default plotting range, closed-form area, breakpoints and
intended shape exceptions. Everything that lists the built-ins iterates :data:`REGISTRY`.
"""
from .lookup import REGISTRY, all_records, find_record, lookup_in_config, names, spelling_key, builtin_records, suggest
from .params import Param, validate_value
from .record import SHAPE_CHECKS, Record, unknown_param

__all__ = [
    "Param", "Record", "REGISTRY", "all_records", "SHAPE_CHECKS", "find_record", "lookup_in_config", "names", "spelling_key", "builtin_records",
    "suggest", "unknown_param", "validate_value",
]
