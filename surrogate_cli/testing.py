"""Helpers for users' own test suites.

::

    from surrogate_cli.testing import assert_surrogate

    def test_my_surrogate():
        assert_surrogate(MySurrogate(alpha=2.0))          # or the class, or "file.py:Class"

``assert_surrogate`` runs :func:`surrogate_cli.verify` and raises ``AssertionError``
with the verify table (plain text) when any check fails. Warnings (shape checks) pass
unless ``strict=True``.
"""
from __future__ import annotations

from typing import Any

__all__ = ["assert_surrogate"]


def assert_surrogate(obj: Any, **kwargs: Any):
    """Verify ``obj`` (anything :func:`surrogate_cli.verify` accepts); return the report.

    Keyword arguments go to :func:`~surrogate_cli.verify` (``params``, ``rtol``,
    ``atol``, ``strict``, ...). Raises ``AssertionError`` whose message is the table,
    the failures with their details, and the summary line.
    """
    from .analysis.verify import verify
    from .render.verify_view import report_text

    report = verify(obj, **kwargs)
    if not report.ok:
        raise AssertionError("surrogate verify failed:\n" + report_text(report))
    return report
