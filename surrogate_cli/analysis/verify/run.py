"""The run: subjects in, one report out (:func:`verify`)."""
from __future__ import annotations

import math
import numbers
from typing import Any, Callable, Mapping

from ...errors import BadInput
from ...formatting import fmt
from .builtin import WORKERS, finish_builtin, prepare_builtin
from .report import DEFAULT_ATOL, DEFAULT_RTOL, SurrogateReport, Tolerance, VerifyReport, summary
from .subjects import subjects_for
from .user import run_user

__all__ = ["verify"]


def verify(
    obj: Any,
    *,
    params: Mapping[str, Any] | None = None,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    strict: bool = False,
    sweep: bool = False,
    config: str | None = None,
    defaults_only: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> VerifyReport:
    """Check one surrogate or several; return a :class:`VerifyReport` (never prints).

    ``obj``: a built-in name (any spelling), ``"file.py"`` (every surrogate class in
    it), ``"file.py:Class"``, ``"package.module:Class"``, a class (built with its
    defaults plus ``params``), an instance (a :class:`~surrogate_cli.Surrogate` or any
    object with ``surrogate_grad`` and optionally ``surrogate_fun``), or a list of these.
    ``sweep=True`` checks every built-in in ``obj`` over its grid from ``config``
    (default ``configs/verify.yaml``). ``rtol``/``atol``: see the module docstring.
    A user class is checked at its defaults and at each float parameter scaled by 0.5 and 2
    (``defaults_only=True``: at its defaults only); ``params`` values may be lists (a grid).
    ``strict`` turns warnings into failures. ``progress(done, total, label)`` is
    called after each surrogate.

    Raises :class:`~surrogate_cli.errors.BadInput` for bad targets or parameters;
    problems of the surrogates themselves are failed checks in the report.
    """
    for label, v in (("rtol", rtol), ("atol", atol)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v) or v <= 0:
            raise BadInput(f"{label} {fmt(v) if isinstance(v, numbers.Real) else repr(v)} must be a positive number",
                           "give a small positive number, e.g. 1e-6", subject=label)
    tol = Tolerance(float(rtol), float(atol))
    subjects = subjects_for(obj, params, sweep=sweep, config=config, defaults_only=defaults_only)
    reports: list[SurrogateReport] = []
    timings: list[dict] = []
    builtins = [s for s in subjects if s.record is not None]
    total = 2 * len(builtins) + (len(subjects) - len(builtins))
    step = [0]

    def tick(label: str) -> None:
        step[0] += 1
        if progress is not None:
            progress(step[0], total, label)

    jobs: dict[int, list] = {}  # a built-in subject's jobs, by its position in subjects
    if builtins:
        # trace the kernels one after the other while XLA compiles the previous ones on
        # another thread (compilation releases the GIL)
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(max_workers=WORKERS)
        try:
            for i, sub in enumerate(subjects):
                if sub.record is not None:
                    jobs[i] = prepare_builtin(sub, pool)
                    tick(f"compiling {sub.name}")
            for i, sub in enumerate(subjects):
                if sub.record is not None:
                    for job in jobs[i]:
                        job.reports = finish_builtin(job, tol, strict, timings)
                    tick(f"checked {sub.name}")
        except BaseException:
            # interrupted or failed: drop the queued compiles, do not wait for the running one
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    for i, sub in enumerate(subjects):
        if sub.record is not None:
            by_index = {k: r for job in jobs[i] for k, r in zip(job.indices, job.reports)}
            reports += [by_index[k] for k in range(len(sub.param_sets))]
        else:
            reports += run_user(sub, tol, strict, timings)
            tick(f"checked {sub.name}")
    return VerifyReport(reports, summary(reports, strict, tol.rtol, tol.atol), timings)
