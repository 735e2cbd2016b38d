"""The JAX code users import: the spike and :class:`Surrogate` base, the built-ins and
their functional twins, and the link from a catalog record to its class.

Importing this package imports jax.
"""
from . import functional, gradient_only, surrogates
from .builtin import BuiltinSurrogate
from .classes import Factory, builtin_class, lookup, make_builtin, record_of_class
from .functional import builtin_function
from .functional import *  # noqa: F401,F403 - the twins
from .gradient_only import *  # noqa: F401,F403 - the gradient-only classes
from .spike import Surrogate, heaviside
from .surrogates import *  # noqa: F401,F403 - the classes

__all__ = [
    "Surrogate", "heaviside", "BuiltinSurrogate", "builtin_class", "builtin_function",
    "make_builtin", "record_of_class", "Factory", "lookup", *surrogates.__all__, *gradient_only.__all__, *functional.__all__,
]
