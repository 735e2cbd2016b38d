"""Importing a user's surrogate: ``path/to/file.py:Name`` or ``package.module:Name``.

Every failure of the user's file (missing, failing to import, no such class) is a
:class:`~surrogate_cli.errors.BadInput` that names the file and the fix.
"""
from __future__ import annotations

import importlib
import sys
from typing import Any

from ..errors import BadInput, did_you_mean

__all__ = ["load_object", "load_module"]


def load_object(target: str) -> Any:
    """Import ``path/to/file.py:Name`` or ``package.module:Name`` and return ``Name``.

    Raises :class:`BadInput` when the file or module is missing, fails to import, or has
    no such attribute.
    """
    if ":" not in target:
        raise BadInput(
            f"'{target}' is not a user surrogate target",
            "write path/to/file.py:ClassName or package.module:ClassName",
        )
    where, _, attr = target.rpartition(":")
    module = load_module(where)
    try:
        return getattr(module, attr)
    except AttributeError:
        classes = {n: v for n, v in vars(module).items() if isinstance(v, type) and not n.startswith("_")}
        own = [n for n, v in classes.items() if v.__module__ == module.__name__]
        found = own or list(classes)  # the classes it defines, not the ones it imports
        hint = did_you_mean(attr, found)
        raise BadInput(
            f"{where} has no class '{attr}'",
            hint + (f"it defines: {', '.join(found)}" if found else "check the name"),
        ) from None


def load_module(where: str):
    """Import a user file (``*.py`` path) or a dotted module name."""
    import importlib.util
    import os

    if where.endswith(".py") or os.sep in where or "/" in where:
        path = os.path.abspath(where)
        if not os.path.isfile(path):
            raise BadInput(f"user file '{where}' does not exist", "check the path")
        mod_name = "_surrogate_user_" + "".join(c if c.isalnum() else "_" for c in path)
        spec = importlib.util.spec_from_file_location(mod_name, path)
        if spec is None or spec.loader is None:
            raise BadInput(f"cannot load '{where}' as Python", "give a .py file")
        module = importlib.util.module_from_spec(spec)
        sys.modules[mod_name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException as exc:  # noqa: BLE001 - any failure of user code is bad input
            sys.modules.pop(mod_name, None)
            if isinstance(exc, KeyboardInterrupt):
                raise
            raise BadInput(
                f"user file '{where}' failed to import: {type(exc).__name__}: {exc}",
                "fix the error in that file (run it with python to see the traceback)",
            ) from exc
        return module
    try:
        return importlib.import_module(where)
    except ModuleNotFoundError as exc:
        raise BadInput(
            f"module '{where}' not found ({exc})",
            "check the module name and that it is importable (pip install it or set PYTHONPATH)",
        ) from exc
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise BadInput(
            f"module '{where}' failed to import: {type(exc).__name__}: {exc}",
            "fix the error in that module",
        ) from exc
