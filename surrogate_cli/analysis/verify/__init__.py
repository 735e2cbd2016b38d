"""``surrogate verify``: a numerical proof that each ``surrogate_grad`` is the derivative
of its ``surrogate_fun``, plus the custom-surrogate checklist."""
from .run import *  # noqa: F401,F403
from .run import CHECKS, VerifyReport, default_config_path, load_sweep_config, verify  # noqa: F401
