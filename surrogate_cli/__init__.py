"""surrogate_cli: surrogate-gradient spike functions for JAX, with a CLI to plot,
compare, export and verify them.

Drop-in for ``braintools.surrogate``::

    import surrogate_cli as surrogate
    spike = surrogate.Sigmoid(alpha=4.0)(v - v_th)

Attributes load lazily, so importing the package (and ``surrogate --help``) does not
import jax or matplotlib until a surrogate, ``verify`` or a plot is used.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    "Surrogate": "library.spike",
    "heaviside": "library.spike",
    "BadInput": "errors",
    "REGISTRY": "catalog",
    "lookup": "library.classes",
    "curves": "evaluation",
    "plot": "render.figures",
    "compare": "render.figures",
    "properties_of": "analysis.metrics",
    "verify": "analysis.verify",
    "VerifyReport": "analysis.verify",
    "flow": "analysis.flow",
    "explore": "render.explore_page",
    "train": "analysis.train",
    "TrainResult": "analysis.train",
}



def _surrogate_names():
    from .catalog import REGISTRY

    out = []
    for rec in REGISTRY.values():
        out += [rec.class_name, rec.name]
    return out


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None and name in _surrogate_names():
        module = "library"
    if module is None:
        if name in ("testing",):
            return importlib.import_module(f".{name}", __name__)
        raise AttributeError(f"module 'surrogate_cli' has no attribute '{name}'")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | set(_surrogate_names()))


__all__ = [
    "Surrogate", "heaviside", "BadInput", "REGISTRY", "lookup", "curves", "plot", "compare", "properties_of",
    "verify", "VerifyReport", "flow", "explore", "train", "TrainResult", *_surrogate_names(),
]
