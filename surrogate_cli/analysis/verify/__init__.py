r"""``verify``: prove that ``surrogate_grad`` is the derivative of ``surrogate_fun``, and
run the custom-surrogate checklist on any surrogate. Pure analysis: no printing, no exit.

::

    from surrogate_cli import verify
    report = verify("sigmoid")                      # a built-in (any spelling)
    report = verify(MySurrogate(alpha=2.0))          # any object with surrogate_grad
    report = verify("my_file.py:MySurrogate", params={"alpha": 2.0})
    report.ok, report.to_json()

The checks, for each surrogate and parameter set
-----------------------------------------------

``derivative`` (needs ``surrogate_fun``)
    ``surrogate_grad(x)`` against the derivative of ``surrogate_fun`` obtained two
    independent ways, JAX autodiff (a ``jvp``) and float64 central finite differences
    refined twice by Richardson extrapolation (steps ``h, h/2, h/4`` with
    ``h = 1e-3 * clip(|x|, 1e-6, 1)``), on a dense multi-scale grid of about 36,000
    points: every multiple of 0.001 on ``[-8, 8]``, of 0.01 on ``[-40, 40]``, of
    0.00005 on ``[-0.25, 0.25]``, 1,500 log-spaced points from 1e-6 to 1e3 on each side, ``x = 0``,
    multiples of 1/3, 1/6, 1/7, 1/9, 1/12 and pi/12 on ``[-8, 8]``, 1,000 random points
    and, for built-ins, the registry's breakpoints; and without stencils, against
    autodiff, on a fine grid of 125,000 points (every multiple of 1/5400 on ``[-8, 8]``
    and of 1/600 on ``[-40, 40]``: a fault 0.0002 wide in ``[-8, 8]`` or 0.002 wide out to
    ``|x| = 40`` holds a point; see :mod:`.grids`). A point passes when the gradient agrees
    with autodiff within ``atol * S + rtol * |reference|`` (``S``: the largest
    ``|reference|``), or with the finite differences (plus their own error estimate)
    where autodiff is off by more than that estimate (a ``jnp.where`` whose dead branch
    poisons autodiff, ``jnp.sign`` at 0). Kinks of ``surrogate_fun`` are found, located
    and listed; the fine grid compares right up to them, exempting only a kink point
    itself, where the gradient must lie between the one-sided derivatives. Jumps of
    ``surrogate_fun`` fail with their place and size. The precision ``surrogate_fun``
    computes in is measured (:func:`.checks.derivative.measure_precision`: how far down the
    offsets its increments follow autodiff, whether it ignores x rounded to a dtype; and
    :func:`.checks.derivative.detect_precision`: whether its values are exactly such numbers);
    below float64 the noise and tolerances follow its epsilon. A failure reports the point of largest error
    (``worst_x``, ``max_abs_error``) with 7 significant digits.
``area``
    With ``surrogate_fun``: the integral of ``surrogate_grad`` over ``[-1000, 1000]``,
    panel by panel (about 3,900 panels, 4-point Gauss-Legendre on each panel and on
    its halves, whose difference estimates the quadrature error) equals
    ``surrogate_fun(b) - surrogate_fun(a)`` per panel and in total. User surrogates'
    panels that do not resolve or disagree are bisected (:func:`.checks.area.refine`)
    until they resolve, or a disagreement is located within 0.001 (a failure); none is
    dropped. A panel across which the gradient jumps is bisected to 1e-9 and its error
    bounded by the jump times the width (the jump of a box, wherever its edge falls). Gradient-only built-ins: the integral over the real line (power-law tail
    estimates beyond ``|x| = 1000``) equals the registry's closed-form area where finite.
``spike``
    Through the spike ``s(x)``: the forward pass equals the Heaviside step exactly;
    ``jax.grad``, the ``jvp`` with a random tangent and the ``vjp`` with a random
    cotangent equal ``surrogate_grad`` times tangent/cotangent, on an n-d input, under
    ``jax.jit`` and ``vmap`` (per-element scalar gradients); the output dtype equals
    the input dtype for float16, bfloat16, float32 and float64.
``stability``
    No nan or inf in ``surrogate_grad`` and the spike's gradient for finite inputs (0, -0,
    the smallest subnormal and normal numbers, 1e-6 ... the largest finite value, both
    signs) in float16, bfloat16, float32 and float64; nor in ``surrogate_fun`` within
    ``|x| <= 1e4`` (beyond, a warning: training never evaluates it).
``dtypes``
    ``surrogate_grad`` in float16, bfloat16 and float32 (through the spike's backward
    pass) against float64 at the same rounded inputs, within a tolerance scaled to the
    dtype's epsilon and the gradient's magnitude (:mod:`.checks.dtypes`).
``jit``
    The methods trace under ``jax.jit``. Python control flow on array values fails
    with an explanation; the other checks then run eagerly where the methods accept
    arrays, and are skipped (with the reason) where they do not.
``shape`` (warnings)
    gradient non-negative, ``surrogate_fun`` non-decreasing, gradient peak at
    ``x = 0``, ``surrogate_fun(0) == 0.5``. A built-in's intended exceptions come from
    the registry and are reported with their reason.

Every fail or warn names the rule that made it (:data:`.report.RULES`, ``rule`` in the JSON):
the rule decides the severity, FAIL for what breaks training or lies about the gradient, WARN
for what is true but harmless; ``strict`` turns every warning into a failure.

A method that raises, returns the wrong shape or a non-float fails the checks that
need it (with the error message); the other checks still run; it never stops the run.
A user class is checked at its defaults and at each float parameter scaled by
:data:`.subjects.AUTO_FACTORS` (vmapped when it builds from traced values), unless
``defaults_only``.

Speed: a built-in's checking kernel is compiled once per surrogate (once per value
of an integer parameter such as ``n``), with float parameters as traced arguments
and ``vmap`` over parameter sets, so a sweep costs one compilation.

The JSON report (``VerifyReport.as_dict()`` / ``to_json()``)
-----------------------------------------------------------

::

    {"surrogates": [{"name": str, "params": {name: number},
                     "status": "pass"|"warn"|"fail"|"skip",
                     "checks": [{"name": "derivative"|"area"|"spike"|"stability"|"dtypes"|"jit"|"shape",
                                 "status": "pass"|"warn"|"fail"|"skip",
                                 "rule": str|null,
                                 "max_abs_error": number|null, "max_rel_error": number|null,
                                 "worst_x": number|null, "detail": str}],
                     "kinks": [number, ...]}],
     "summary": {"surrogates": int, "parameter_sets": int, "pass": int, "warn": int,
                 "fail": int, "skip": int, "ok": bool, "strict": bool,
                 "rtol": number, "atol": number}}

A surrogate's status is the worst of its checks (fail > warn > pass; skip only when
every check skipped). Numbers are finite floats or ``null``: ``null`` where a check has
no such number, or where it is not finite (a nan or inf gradient: the ``detail`` says
so, and ``worst_x`` is where). The Python objects keep ``inf``.
"""
from .config import default_config_path, load_sweep_config
from .checks import Check, add_check, check_names, register_check, remove_check
from .evaluated import Context, Evaluated
from .report import DEFAULT_ATOL, DEFAULT_RTOL, CheckResult, SurrogateReport, VerifyReport
from .run import verify
from .subjects import Subject, subjects_for

__all__ = [
    "CHECKS", "Check", "register_check", "add_check", "remove_check", "check_names", "Evaluated", "Context",
    "CheckResult", "SurrogateReport", "VerifyReport", "DEFAULT_RTOL", "DEFAULT_ATOL", "verify",
    "subjects_for", "Subject", "load_sweep_config", "default_config_path",
]


def __getattr__(name):
    if name == "CHECKS":  # the registered checks' names, in report order (see .checks.registry)
        return check_names()
    raise AttributeError(name)
