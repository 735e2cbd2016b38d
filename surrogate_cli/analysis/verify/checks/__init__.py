"""The checks of ``verify``, one module each. Each module registers its check
(:func:`.registry.register_check`): a function of the evaluated arrays
(:class:`~..evaluated.Evaluated`) and the :class:`~..evaluated.Context` returning a
:class:`~surrogate_cli.analysis.verify.report.CheckResult`. Importing a module registers it:
one line below per check."""
from . import area, derivative, dtypes, jit, shape, spike, stability  # noqa: F401 - each registers its check
from .area import AREA_RTOL, Panels, area_check, panels_of, tail_area
from .derivative import PRECISIONS, derivative_check, detect_precision, find_kinks, measure_precision
from .dtypes import DTYPE_K, dtypes_check
from .registry import Check, add_check, check_names, register_check, registered, remove_check
from .shape import shape_check
from .spike import spike_check
from .stability import stability_check

__all__ = [
    "AREA_RTOL", "Panels", "area_check", "panels_of", "tail_area", "derivative_check", "find_kinks", "detect_precision", "measure_precision", "PRECISIONS",
    "DTYPE_K", "dtypes_check", "shape_check", "spike_check", "stability_check", "Check", "add_check", "check_names",
    "register_check", "registered", "remove_check",
]


def __getattr__(name):
    if name == "CHECKS":  # the registered checks' names, in report order (the registry may change)
        return check_names()
    raise AttributeError(name)
