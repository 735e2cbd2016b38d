"""The command line: one module per command, each a thin layer over a Python function."""
from .app import app, main

__all__ = ["app", "main"]
