"""The checks of ``verify``, one module each; each turns evaluated arrays into a
:class:`~surrogate_cli.analysis.verify.report.CheckResult`."""
from .area import AREA_RTOL, Panels, area_check, panels_of, tail_area
from .derivative import derivative_check, detect_precision, find_kinks
from .dtypes import DTYPE_K, dtypes_check
from .shape import shape_check
from .spike import spike_check
from .stability import stability_check

__all__ = [
    "AREA_RTOL", "Panels", "area_check", "panels_of", "tail_area", "derivative_check", "find_kinks", "detect_precision", "DTYPE_K", "dtypes_check",
    "shape_check", "spike_check", "stability_check",
]
