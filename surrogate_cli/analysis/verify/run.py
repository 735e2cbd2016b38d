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
    and, for built-ins, the registry's breakpoints. A point passes
    when the gradient agrees with either reference within
    ``atol * S + rtol * |reference|`` (``S``: the largest ``|reference|`` on the grid;
    the finite-difference reference also gets its own error estimate), so one broken
    reference (a ``jnp.where`` whose dead branch poisons autodiff, ``jnp.sign`` at 0)
    cannot fail a correct gradient, while a wrong gradient disagrees with both.
    Kinks of ``surrogate_fun`` (left and right one-sided derivatives disagree) are
    found on the grid, located (exactly when on the grid, else by intersecting the
    tangents on both sides) and excluded only within 4 finite-difference steps; the
    gradient must still be finite there. ``max_rel_error`` is relative to
    ``max(|reference|, atol * S)``; ``worst_x`` is where the error is the largest
    multiple of its tolerance.
``area``
    With ``surrogate_fun``: the integral of ``surrogate_grad`` over ``[-1000, 1000]``,
    panel by panel (about 3,900 panels, 4-point Gauss-Legendre on each panel and on
    its halves, whose difference estimates the quadrature error) equals
    ``surrogate_fun(b) - surrogate_fun(a)``. Panels holding a kink, or that the rule
    cannot resolve (fast oscillation), are left out and counted. Gradient-only
    built-ins: the integral over the real line (power-law tail estimates beyond
    ``|x| = 1000``) equals the registry's closed-form area where it is finite.
``spike``
    Through the spike ``s(x)``: the forward pass equals the Heaviside step exactly;
    ``jax.grad``, the ``jvp`` with a random tangent and the ``vjp`` with a random
    cotangent equal ``surrogate_grad`` times tangent/cotangent, on an n-d input, under
    ``jax.jit`` and ``vmap`` (per-element scalar gradients); the output dtype equals
    the input dtype for float16, bfloat16, float32 and float64.
``stability``
    No nan or inf in ``surrogate_fun``, ``surrogate_grad`` and the spike's gradient
    for finite inputs (0, -0, the smallest subnormal and normal numbers, 1e-6 ... the
    largest finite value, both signs) in float16, bfloat16, float32 and float64.
``jit``
    The methods trace under ``jax.jit``. Python control flow on array values fails
    with an explanation; the other checks then run eagerly where the methods accept
    arrays, and are skipped (with the reason) where they do not.
``shape`` (warnings; failures with ``strict``)
    gradient non-negative, ``surrogate_fun`` non-decreasing, gradient peak at
    ``x = 0``, ``surrogate_fun(0) == 0.5``. A built-in's intended exceptions come from
    the registry and are reported with their reason.

A method that raises, returns the wrong shape or a non-float fails the checks that
need it (with the error message); it never stops the run.

Speed: a built-in's checking kernel is compiled once per surrogate (once per value
of an integer parameter such as ``n``), with float parameters as traced arguments
and ``vmap`` over parameter sets, so a sweep costs one compilation.

The JSON report (``VerifyReport.as_dict()`` / ``to_json()``)
-----------------------------------------------------------

::

    {"surrogates": [{"name": str, "params": {name: number},
                     "status": "pass"|"warn"|"fail"|"skip",
                     "checks": [{"name": "derivative"|"area"|"spike"|"stability"|"jit"|"shape",
                                 "status": "pass"|"warn"|"fail"|"skip",
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
from __future__ import annotations

import json
import math
import numbers
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from ...errors import BadInput
from ...evaluation import spike_of

__all__ = [
    "CHECKS",
    "CheckResult",
    "SurrogateReport",
    "VerifyReport",
    "DEFAULT_RTOL",
    "DEFAULT_ATOL",
    "verify",
    "subjects_for",
    "load_sweep_config",
]

#: The checks, in report order.
CHECKS = ("derivative", "area", "spike", "stability", "jit", "shape")
#: Relative tolerance of the derivative (and spike) comparisons.
DEFAULT_RTOL = 1e-6
#: Absolute tolerance, as a fraction of the gradient's scale (its largest magnitude).
DEFAULT_ATOL = 1e-8
#: Relative tolerance of the area check (quadrature on top of the derivative tolerance).
AREA_RTOL = 1e-5

_EPS = 2.220446049250313e-16
_STATUS_ORDER = {"skip": 0, "pass": 1, "warn": 2, "fail": 3}
_FD_OFFSETS = (0.0, 1.0, -1.0, 0.5, -0.5, 0.25, -0.25)
_DTYPES = ("float16", "bfloat16", "float32", "float64")
_JIT_HELP = (
    "Python control flow on array values (if/while/bool/float() on x) cannot be traced: "
    "use jnp.where(cond, a, b) or jax.lax.cond/select instead"
)


# -- the report --------------------------------------------------------------------------


@dataclass
class CheckResult:
    """The outcome of one check on one surrogate and parameter set."""

    name: str
    status: str  # pass | fail | warn | skip
    max_abs_error: float | None = None
    max_rel_error: float | None = None
    worst_x: float | None = None
    detail: str = ""

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "status": self.status,
            "max_abs_error": _json_num(self.max_abs_error),
            "max_rel_error": _json_num(self.max_rel_error),
            "worst_x": _json_num(self.worst_x),
            "detail": self.detail,
        }


@dataclass
class SurrogateReport:
    """All checks of one surrogate at one parameter set."""

    name: str
    params: dict
    status: str
    checks: list[CheckResult]
    kinks: list[float] = field(default_factory=list)

    def check(self, name: str) -> CheckResult:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(name)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "params": {k: _json_num(v) for k, v in self.params.items()},
            "status": self.status,
            "checks": [c.as_dict() for c in self.checks],
            "kinks": [_json_num(k) for k in self.kinks],
        }


@dataclass
class VerifyReport:
    """Every :class:`SurrogateReport` of a run and a summary. ``ok``: nothing failed."""

    surrogates: list[SurrogateReport]
    summary: dict
    timings: list[dict] = field(default_factory=list, repr=False)  # per surrogate: compile_s, run_s

    @property
    def ok(self) -> bool:
        return not any(s.status == "fail" for s in self.surrogates)

    @property
    def failures(self) -> list[tuple[SurrogateReport, CheckResult]]:
        return [(s, c) for s in self.surrogates for c in s.checks if c.status == "fail"]

    def find(self, name: str) -> list[SurrogateReport]:
        return [s for s in self.surrogates if s.name == name]

    def as_dict(self) -> dict:
        return {
            "surrogates": [s.as_dict() for s in self.surrogates],
            "summary": dict(self.summary),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.as_dict(), indent=indent, allow_nan=False) + "\n"


def _json_num(v: Any):
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, numbers.Integral):
        return int(v)
    v = float(v)
    return v if math.isfinite(v) else None  # JSON has no nan/inf; the detail says what it was


def _summary(reports: Sequence[SurrogateReport], strict: bool, rtol: float, atol: float) -> dict:
    counts = {s: sum(r.status == s for r in reports) for s in ("pass", "warn", "fail", "skip")}
    return {
        "surrogates": len(dict.fromkeys(r.name for r in reports)),
        "parameter_sets": len(reports),
        **counts,
        "ok": counts["fail"] == 0,
        "strict": strict,
        "rtol": rtol,
        "atol": atol,
    }


def _overall(checks: Sequence[CheckResult]) -> str:
    statuses = [c.status for c in checks]
    if all(s == "skip" for s in statuses):
        return "skip"
    return max(statuses, key=lambda s: _STATUS_ORDER[s])


def _g(v: float) -> str:
    if v is None:
        return "-"
    if isinstance(v, float) and math.isnan(v):
        return "nan"
    return f"{v:.3g}"


def _x(v: float) -> str:
    return f"{v:.6g}"


# -- subjects: what to check ------------------------------------------------------------


@dataclass
class Subject:
    """One surrogate to check over one or more parameter sets."""

    name: str
    record: Any = None  # registry Record for built-ins
    param_sets: list[dict] = field(default_factory=list)
    make: Callable[..., Any] | None = None  # params -> object (user surrogates)
    shown: dict | None = None  # parameters to report for a user object built without params


def _is_surrogate_like(obj: Any) -> bool:
    return callable(getattr(obj, "surrogate_grad", None))


def _user_classes(module) -> list[type]:
    from ...library import Surrogate

    found = []
    for name, value in vars(module).items():
        if not isinstance(value, type) or name.startswith("_"):
            continue
        if value.__module__ != module.__name__ or value is Surrogate:
            continue
        grad = getattr(value, "surrogate_grad", None)
        if not callable(grad) or grad is Surrogate.surrogate_grad:
            continue
        found.append(value)
    return found


def _params_of_instance(obj: Any) -> dict:
    out = {}
    for k, v in sorted(vars(obj).items()) if hasattr(obj, "__dict__") else []:
        if k.startswith("_") or isinstance(v, bool):
            continue
        if isinstance(v, numbers.Real):
            out[k] = v
    return out


def _subject_for_target(target, params: Mapping[str, Any]) -> Subject:
    """A :class:`Subject` for a resolved :class:`~surrogate_cli.sweep.Target`."""
    full = target.validate(dict(params))
    if target.record is not None:
        return Subject(target.record.name, target.record, [full])

    def make(**p):
        return target.make(**p)

    shown = full if target.factory is not None else (
        _params_of_instance(target.instance) if target.instance is not None else {})
    return Subject(target.name, None, [full], make, shown)


def subjects_for(
    items: Any,
    params: Mapping[str, Any] | None = None,
    *,
    sweep: bool = False,
    config: str | None = None,
) -> list[Subject]:
    """Turn ``verify``'s first argument into subjects (raises :class:`BadInput`).

    ``items``: a built-in name (any spelling), ``"file.py"`` (every surrogate class in
    it), ``"file.py:Class"``, ``"package.module:Class"``, a class, an instance, or a
    list of these. ``params`` apply to each; ``sweep`` replaces each built-in's
    parameters by its grid from the sweep config.
    """
    from ...evaluation import load_module
    from ...library import record_of_class
    from ...evaluation import Target, resolve, user_params

    params = dict(params or {})
    if isinstance(items, (list, tuple)):
        seq = list(items)
    else:
        seq = [items]
    if not seq:
        raise BadInput("no surrogate to verify", "name one or more surrogates, or use --all")
    out: list[Subject] = []
    loaded = None
    for item in seq:
        if isinstance(item, str):
            text = item.strip()
            if ":" not in text and (text.endswith(".py") or "/" in text):
                module = load_module(text)
                classes = _user_classes(module)
                if not classes:
                    raise BadInput(
                        f"'{text}' defines no surrogate classes",
                        "define a class with a surrogate_grad method (e.g. a subclass of surrogate_cli.Surrogate)",
                    )
                targets = [Target(name=c.__name__, factory=c, user_params=user_params(c, c.__name__))
                           for c in classes]
            else:
                targets = [resolve(text)]
        elif isinstance(item, type):
            rec = record_of_class(item)
            if rec is not None:
                targets = [Target(name=rec.name, record=rec)]
            else:
                if not _is_surrogate_like(item):
                    raise BadInput(f"{item.__name__} is not a surrogate: it has no surrogate_grad method",
                                   "subclass surrogate_cli.Surrogate or define surrogate_grad(self, x)")
                targets = [Target(name=item.__name__, factory=item,
                                  user_params=user_params(item, item.__name__))]
        elif _is_surrogate_like(item):
            if params:
                raise BadInput("params cannot be combined with a surrogate instance",
                               "pass the class or the name with params, or build the instance yourself")
            rec = record_of_class(type(item))
            if rec is not None:
                inst = {p: getattr(item, p) for p in rec.param_names}
                try:
                    full = rec.validate({k: (int(v) if rec.param(k).kind == "int" else float(v))
                                         for k, v in inst.items()})
                except (TypeError, ValueError):  # array-valued parameters: check as a user object
                    full = None
                if full is not None:
                    out.append(Subject(rec.name, rec, [full]))
                    continue
            out.append(Subject(type(item).__name__, None, [{}], lambda _obj=item, **p: _obj,
                               _params_of_instance(item)))
            continue
        else:
            raise BadInput(f"{item!r} is not a surrogate",
                           "give a name, a file.py[:Class], a class or an object with surrogate_grad")
        for target in targets:
            if sweep:
                if target.record is None:
                    raise BadInput(f"--sweep applies to built-ins only, not {target.name}",
                                   "give --param values for a user surrogate instead")
                if params:
                    raise BadInput("--sweep takes its parameters from the config, not --param",
                                   "drop --param, or drop --sweep to check one parameter set")
                if loaded is None:
                    loaded = load_sweep_config(config)
                grid = loaded[target.record.name]
                out.append(Subject(target.record.name, target.record, grid))
            else:
                out.append(_subject_for_target(target, params))
    return out


# -- the sweep config --------------------------------------------------------------------


def default_config_path() -> str:
    """``configs/verify.yaml`` in the working folder, else the one installed with the package
    (``surrogate_cli/configs/``, see pyproject.toml), else the one of a source checkout."""
    import os

    here = os.path.join("configs", "verify.yaml")
    if os.path.isfile(here):
        return here
    package = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    installed = os.path.join(package, "configs", "verify.yaml")
    if os.path.isfile(installed):
        return installed
    return os.path.join(os.path.dirname(package), "configs", "verify.yaml")


def load_sweep_config(path: str | None = None) -> dict[str, list[dict]]:
    """Read ``configs/verify.yaml``: ``{name: [complete parameter set, ...]}`` for every built-in.

    Format (per built-in under ``surrogates:``): ``grid: {param: [values]}`` (Cartesian
    product) and/or ``cases: [{param: value, ...}]`` (extra single sets, e.g. edge
    cases); parameters not given keep their defaults. Every problem (unknown
    surrogate or parameter, a value out of range, a missing built-in) is a
    :class:`BadInput` starting with ``file:line``.
    """
    import itertools

    from ...yamldoc import load_yaml
    from ...catalog import REGISTRY, lookup_in_config, validate_value

    path = path or default_config_path()
    doc = load_yaml(path)
    doc.check_keys((), doc.data, ("surrogates",), required=("surrogates",))
    surr = doc.data["surrogates"]
    if not isinstance(surr, dict) or not surr:
        raise doc.error(("surrogates",), "'surrogates' must map each built-in to its grid",
                        "see configs/verify.yaml for the format")
    out: dict[str, list[dict]] = {}
    for name, body in surr.items():
        keys = ("surrogates", name)
        rec = lookup_in_config(doc, keys, name)
        body = {} if body is None else body
        doc.check_keys(keys, body, ("grid", "cases"))

        def value(pkeys, pname, v):
            p = rec.param(pname)
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise doc.error(pkeys, f"{v!r} is not a number", "write a number, e.g. 1.5")
            try:
                v = validate_value(p, v, owner=rec.name)
            except BadInput as exc:
                raise doc.error(pkeys, exc.message, exc.hint) from None
            return int(v) if p.kind == "int" else float(v)

        sets: list[dict] = []
        grid = body.get("grid") or {}
        doc.check_keys(keys + ("grid",), grid, rec.param_names)
        lists = []
        for pname, values in grid.items():
            values = values if isinstance(values, list) else [values]
            if not values:
                raise doc.error(keys + ("grid", pname), f"empty list for '{pname}'", "give at least one value")
            lists.append([value(keys + ("grid", pname, i), pname, v) for i, v in enumerate(values)])
        if lists:
            for combo in itertools.product(*lists):
                sets.append({**rec.defaults, **dict(zip(grid, combo))})
        cases = body.get("cases") or []
        if not isinstance(cases, list):
            raise doc.error(keys + ("cases",), "'cases' must be a list of parameter mappings",
                            "write e.g. cases: [{alpha: 1.0}]")
        for i, case in enumerate(cases):
            ckeys = keys + ("cases", i)
            doc.check_keys(ckeys, case, rec.param_names)
            sets.append({**rec.defaults, **{k: value(ckeys + (k,), k, v) for k, v in case.items()}})
        if not sets:
            sets.append(dict(rec.defaults))
        unique: list[dict] = []
        for s in sets:
            if s not in unique:
                unique.append(s)
        out[rec.name] = unique
    missing = [n for n in REGISTRY if n not in out]
    if missing:
        raise doc.error(("surrogates",), f"built-ins missing from the sweep config: {', '.join(missing)}",
                        "add an entry for each (every built-in must be swept)")
    return out


# -- grids -------------------------------------------------------------------------------

_GRID_CACHE: dict = {}


def _base_grid():
    """The multi-scale derivative grid shared by every surrogate (sorted, unique)."""
    import numpy as np

    if "x" not in _GRID_CACHE:
        uniform = np.arange(-8000, 8001) / 1000.0
        wide = np.arange(-4000, 4001) / 100.0  # wide surrogates: a 0.02-wide fault out to |x| = 40
        fine = np.arange(-5000, 5001) / 20000.0
        logs = np.logspace(-6, 3, 1500)
        rng = np.random.default_rng(20240611)
        rnd = np.concatenate([rng.normal(0.0, 1.5, 600), rng.uniform(-8.0, 8.0, 400)])
        # "round" numbers a formula may single out (1/alpha for alpha = 3, 6, 7, 9, 12; pi/12)
        nice = [np.arange(-8 * q, 8 * q + 1) / q for q in (3, 6, 7, 9, 12)]
        nice.append(np.arange(-30, 31) * (np.pi / 12))
        _GRID_CACHE["x"] = np.unique(np.concatenate([uniform, wide, fine, logs, -logs, rnd, [0.0], *nice]))
        edges = np.unique(np.concatenate([np.arange(-1600, 1601) / 200.0, np.logspace(-6, 3, 361),
                                          -np.logspace(-6, 3, 361), [0.0]]))
        _GRID_CACHE["edges"] = edges
        _GRID_CACHE["pad"] = rng.uniform(-8.0, 8.0, 64)
        nodes, weights = np.polynomial.legendre.leggauss(4)
        _GRID_CACHE["gl"] = (nodes, weights)
    return _GRID_CACHE["x"], _GRID_CACHE["edges"]


def _fd_step(x):
    import numpy as np

    return 1e-3 * np.clip(np.abs(x), 1e-6, 1.0)


def _panel_nodes(a, b):
    """4-point Gauss-Legendre nodes/weights on each panel [a, b] and on its two halves."""
    import numpy as np

    nodes, weights = _GRID_CACHE["gl"]
    mid, half = (a + b) / 2, (b - a) / 2
    q_full = mid[:, None] + half[:, None] * nodes[None, :]
    m1, m2, qh = (a + mid) / 2, (mid + b) / 2, half / 2
    q_half = np.concatenate([m1[:, None] + qh[:, None] * nodes, m2[:, None] + qh[:, None] * nodes], axis=1)
    w_full = half[:, None] * weights[None, :]
    w_half = np.concatenate([qh[:, None] * weights, qh[:, None] * weights], axis=1)
    return q_full, q_half, w_full, w_half


@dataclass
class _Base:
    """The grid every parameter set shares (arguments of the kernel, not batched)."""

    x: Any  # (N,) sorted derivative grid, N a multiple of 8
    h: Any  # (N,) finite-difference step
    xf: Any  # surrogate_fun points: the 7 stencil rows of N, then the E+1 panel edges
    xg: Any  # surrogate_grad points: x, then 4 + 8 quadrature nodes per panel
    edges: Any  # (E+1,)
    w_full: Any  # (E, 4)
    w_half: Any  # (E, 8)


def _base() -> _Base:
    import numpy as np

    if "base" not in _GRID_CACHE:
        x, edges = _base_grid()
        pad = (-x.size) % 8
        if pad:
            x = np.sort(np.concatenate([x, _GRID_CACHE["pad"][:pad]]))
        h = _fd_step(x)
        xf = np.concatenate([x + o * h for o in _FD_OFFSETS] + [edges])
        q_full, q_half, w_full, w_half = _panel_nodes(edges[:-1], edges[1:])
        xg = np.concatenate([x, q_full.reshape(-1), q_half.reshape(-1)])
        _GRID_CACHE["base"] = _Base(x, h, xf, xg, edges, w_full, w_half)
    return _GRID_CACHE["base"]


@dataclass
class _Patch:
    """Per-parameter-set extra points: the breakpoints (with their stencils) and the two
    sub-panels that replace the base panel holding each breakpoint."""

    b: Any  # (n_bp,) breakpoints (padded with repeats)
    h: Any
    xf: Any  # 7 stencil rows of n_bp
    xg: Any  # b, then 2 sub-panels x (4 + 8) nodes per breakpoint
    split: Any  # (n_bp,) index of the base panel split at b, or -1
    sub_a: Any  # (n_bp, 2) sub-panel left edges
    sub_b: Any  # (n_bp, 2) right edges
    w_full: Any  # (n_bp * 2, 4)
    w_half: Any  # (n_bp * 2, 8)


def _patch(breakpoints: Sequence[float], n_bp: int) -> _Patch:
    import numpy as np

    base = _base()
    bp = [float(v) for v in breakpoints if math.isfinite(float(v)) and abs(float(v)) < 1e3]
    bp = list(dict.fromkeys(bp))
    valid = len(bp)
    bp = (bp + [bp[0] if bp else 0.0] * n_bp)[:n_bp]
    b = np.asarray(bp, dtype=np.float64)
    h = _fd_step(b)
    xf = np.concatenate([b + o * h for o in _FD_OFFSETS])
    edges = base.edges
    split = np.full(n_bp, -1)
    sub_a = np.zeros((n_bp, 2))
    sub_b = np.zeros((n_bp, 2))
    used = set()
    for i, v in enumerate(b):
        k = int(np.searchsorted(edges, v, side="right")) - 1
        if i < valid and 0 <= k < edges.size - 1 and edges[k] < v < edges[k + 1] and k not in used:
            used.add(k)
            split[i] = k
            sub_a[i] = (edges[k], v)
            sub_b[i] = (v, edges[k + 1])
        else:  # on an edge already (or a repeat): two empty sub-panels
            sub_a[i] = (v, v)
            sub_b[i] = (v, v)
    q_full, q_half, w_full, w_half = _panel_nodes(sub_a.reshape(-1), sub_b.reshape(-1))
    xg = np.concatenate([b, q_full.reshape(-1), q_half.reshape(-1)])
    return _Patch(b, h, xf, xg, split, sub_a, sub_b, w_full, w_half)


def _stability_inputs(dtype_name: str):
    """Finite inputs of one dtype: 0, -0, tiny, subnormal, 1e-6 ... max, both signs."""
    import jax.numpy as jnp
    import numpy as np

    dt = jnp.dtype(dtype_name)
    if dtype_name in _GRID_CACHE:
        return _GRID_CACHE[dtype_name]
    fi = jnp.finfo(dt)
    mags = [float(fi.smallest_subnormal), float(fi.tiny), 1e-6, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.999, 1.0,
            1.001, 2.0, 3.0, 10.0, 100.0, 1e3, 1e4, 6e4, 1e6, 1e10, 1e20, 1e30, 1e38, 1e100, 1e300,
            float(fi.max) / 2, float(fi.max)]
    vals = []
    with np.errstate(all="ignore"):
        for m in mags:
            c = float(np.asarray(m, dtype=np.float64).astype(dt).astype(np.float64))
            if math.isfinite(c) and c <= float(fi.max) and c not in vals:
                vals += [c, -c]
    vals = [0.0, -0.0] + vals
    out = np.asarray(vals, dtype=np.float64)
    pad = (-out.size) % 8
    out = np.concatenate([out, np.linspace(-4, 4, pad)]) if pad else out
    _GRID_CACHE[dtype_name] = out
    return out


# -- the kernel ---------------------------------------------------------------------------


def _fun_extra():
    """Float64 points for the stability check's reference values of surrogate_fun: the float64
    inputs, the same divided by 1024, then the 16/32-bit inputs (as float64)."""
    import numpy as np

    if "f_extra" not in _GRID_CACHE:
        s64 = _stability_inputs("float64")
        _GRID_CACHE["f_extra"] = np.concatenate([s64, s64 / 1024.0] + [_stability_inputs(d) for d in _DTYPES[:3]])
    return _GRID_CACHE["f_extra"]


def _own_call(obj) -> bool:
    """True when ``obj``'s spike is not the base class's (it defines its own ``__call__``)."""
    from ...library import Surrogate

    return isinstance(obj, Surrogate) and type(obj).__call__ is not Surrogate.__call__


def _kernel(make_obj: Callable, has_fun: bool, parts: Sequence[str], meta: dict, own_call: bool = False,
            split: bool = False):
    """``(xf, xg, x, tangent, floats) -> outputs`` for one parameter set (vmap it for several).

    ``make_obj(floats, dtype)`` builds the surrogate with its float parameters in the
    computation dtype. ``parts`` selects what to compute (methods that failed their
    probe are left out). ``meta`` receives trace-time facts (output dtypes).

    To keep tracing cheap, the float64 stability inputs ride along with the float64
    grid in one call of each method, and the spike is traced five times: an n-d
    linearisation in float64 (forward, jvp, vjp), vmap of the gradient over scalars,
    and a vjp on a 1-d input in each of float16, bfloat16 and float32. For a class that
    keeps ``Surrogate.__call__`` that vjp is ``surrogate_grad(x).astype(dtype)`` times
    the cotangent, so it also stands for ``surrogate_grad`` in that dtype; a class with
    its own ``__call__`` has ``surrogate_grad`` called as well.
    """
    import jax
    import jax.numpy as jnp

    stab = {d: _stability_inputs(d) for d in _DTYPES}
    s64 = stab["float64"]
    f_extra = _fun_extra()

    def run(xf, xg, x, tangent, pxf, pxg, pb, floats):
        out = {}
        obj = make_obj(floats, jnp.float64)
        c64 = jnp.asarray(s64)
        def call(method, *chunks):
            # one call on the concatenation (one trace); ``split`` (eager runs of methods that
            # may branch on the whole array) calls once per chunk instead
            if split:
                return [jnp.asarray(method(c), dtype=jnp.float64) for c in chunks]
            out_all = jnp.asarray(method(jnp.concatenate(chunks)), dtype=jnp.float64)
            cuts = [0]
            for c in chunks:
                cuts.append(cuts[-1] + c.size)
            return [out_all[a:b] for a, b in zip(cuts[:-1], cuts[1:])]

        if "grad" in parts:
            out["g0"], out["gp"], out["g_s64"] = call(obj.surrogate_grad, xg, pxg, c64)
        if has_fun and "fun" in parts:
            xa = jnp.concatenate([x, pb])
            if split:
                out["f0"], out["fp"], out["f_extra"] = call(obj.surrogate_fun, xf, pxf, jnp.asarray(f_extra))
                out["ad"] = jax.jvp(lambda v: obj.surrogate_fun(v), (xa,), (jnp.ones_like(xa),))[1]
            else:  # values and autodiff from one trace of surrogate_fun
                pts = jnp.concatenate([xf, pxf, jnp.asarray(f_extra), xa])
                fv, fd = jax.jvp(lambda v: obj.surrogate_fun(v), (pts,), (jnp.ones_like(pts),))
                fv = jnp.asarray(fv, dtype=jnp.float64)
                a, b, c = xf.size, xf.size + pxf.size, xf.size + pxf.size + f_extra.size
                out["f0"], out["fp"], out["f_extra"] = fv[:a], fv[a:b], fv[b:c]
                out["ad"] = jnp.asarray(fd, dtype=jnp.float64)[c:]
        if "spike" in parts:
            spike = spike_of(obj)
            x2 = jnp.concatenate([x, c64]).reshape(-1, 8)
            y, lin = jax.linearize(spike, x2)
            meta["spike_dtype_float64"] = str(y.dtype)
            out["fwd_bad"] = jnp.sum(y != (x2 >= 0).astype(y.dtype))
            out["jvp"] = lin(tangent.reshape(-1, 8)).reshape(-1)
            ct = lin_t = jax.linear_transpose(lin, x2)(tangent[::-1].reshape(-1, 8))[0]
            meta["spike_grad_dtype_float64"] = str(lin_t.dtype)
            out["vjp"] = ct.reshape(-1)
            out["vmap"] = jax.vmap(jax.grad(spike))(x[:1024])
        for d in _DTYPES[:3]:
            if f"stab_{d}" not in parts:
                continue
            dt = jnp.dtype(d)
            xs = jnp.asarray(stab[d]).astype(dt)
            o = make_obj(floats, jnp.float32 if d in ("float16", "bfloat16") else dt)
            # the spike on a 1-d input of this dtype: forward and gradient dtypes, finiteness
            y, back = jax.vjp(spike_of(o), xs)
            (sg,) = back(jnp.ones_like(y))
            meta[f"spike_dtype_{d}"] = str(y.dtype)
            meta[f"spike_grad_dtype_{d}"] = str(sg.dtype)
            if own_call:
                flags = [jnp.isfinite(jnp.asarray(o.surrogate_grad(xs)))]
            else:  # Surrogate.__call__'s backward pass is surrogate_grad(x).astype(dtype) x cotangent
                flags = [jnp.isfinite(sg)]
            flags.append(jnp.isfinite(sg))
            if has_fun and "fun" in parts:
                fv = jnp.asarray(o.surrogate_fun(xs))
                flags.append(jnp.isfinite(fv))
                out[f"stabf_{d}"] = fv.astype(jnp.float32)
            out[f"stab_{d}"] = jnp.stack(flags)
        return out

    return run


_COMPILED: dict = {}
_WORKERS = 1  # one background compile thread beside the tracing thread
# The kernels run once on ~100k points: compile time dominates, so ask XLA for a cheap
# compile (about 3x faster than the defaults here; the run stays ~10 ms). Tried in order;
# an XLA build that lacks an option falls back to the next set.
_COMPILER_OPTIONS = (
    {"xla_backend_optimization_level": 0, "xla_llvm_disable_expensive_passes": True,
     "xla_cpu_use_fusion_emitters": False},
    {"xla_backend_optimization_level": 0, "xla_llvm_disable_expensive_passes": True},
    None,
)


def _compile(fn, args):
    """Lower and compile ``fn`` (jitted) for ``args``; cheap XLA options (the run is tiny)."""
    import jax

    return _compile_lowered(jax.jit(fn).lower(*args))[0]


# -- probing user methods ----------------------------------------------------------------


_TRACE_ERRORS: tuple = ()


def _trace_errors() -> tuple:
    global _TRACE_ERRORS
    if not _TRACE_ERRORS:
        import jax

        _TRACE_ERRORS = (
            jax.errors.ConcretizationTypeError,
            jax.errors.TracerBoolConversionError,
            jax.errors.TracerIntegerConversionError,
            jax.errors.TracerArrayConversionError,
        )
    return _TRACE_ERRORS


@dataclass
class _Probe:
    ok: bool = True
    traceable: bool = True
    message: str = ""
    missing: bool = False  # surrogate_fun not implemented


def _probe(fn: Callable, n: int, name: str) -> _Probe:
    """Trace ``fn`` abstractly (as ``jax.jit`` would) on a float64 vector; check shape and dtype.

    A method that fails on a vector but traces on a scalar, or that fails with one of
    JAX's tracer errors, uses Python control flow on array values: not traceable.
    """
    import jax
    import jax.numpy as jnp

    try:
        out = jax.eval_shape(fn, jax.ShapeDtypeStruct((n,), jnp.float64))
    except NotImplementedError as exc:
        return _Probe(False, True, f"{name} is not implemented ({exc})", missing=True)
    except _trace_errors() as exc:
        return _Probe(False, False, f"{name} does not trace under jax.jit: {_first_line(exc)}")
    except Exception as exc:  # noqa: BLE001 - user code
        try:
            jax.eval_shape(fn, jax.ShapeDtypeStruct((), jnp.float64))
        except _trace_errors() as exc2:
            return _Probe(False, False, f"{name} does not trace under jax.jit: {_first_line(exc2)}")
        except Exception:  # noqa: BLE001
            pass
        return _Probe(False, True, f"{name} raised {_first_line(exc)}")
    return _check_out(out, (n,), name)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__


def _check_out(out, shape, name) -> _Probe:
    import jax.numpy as jnp

    oshape = getattr(out, "shape", None)
    odtype = getattr(out, "dtype", None)
    if oshape is None or odtype is None:
        return _Probe(False, True, f"{name} returned {type(out).__name__}, not an array")
    if tuple(oshape) != tuple(shape):
        return _Probe(False, True, f"{name} returned shape {tuple(oshape)} for an input of shape {tuple(shape)}")
    if not jnp.issubdtype(odtype, jnp.floating):
        return _Probe(False, True, f"{name} returned {odtype}, not a float array")
    return _Probe()


def _probe_eager(fn: Callable, name: str) -> _Probe:
    """Run ``fn`` eagerly on a small float64 array (for methods that do not trace)."""
    import jax.numpy as jnp

    x = jnp.asarray([-0.5, 0.0, 0.5, 1.5], dtype=jnp.float64)
    try:
        out = fn(x)
    except Exception as exc:  # noqa: BLE001
        return _Probe(False, False, f"{name} cannot run on arrays either ({_first_line(exc)})")
    return _check_out(jnp.asarray(out) if not hasattr(out, "shape") else out, (4,), name)


# -- analysis of one parameter set (NumPy, float64) --------------------------------------


@dataclass
class _Tol:
    rtol: float
    atol: float


def _kinks(x, h, F, S_hint: float, tol: _Tol, breakpoints: Sequence[float]):
    """Kinks of f from one-sided Richardson derivatives; returns (locations, excluded mask)."""
    import numpy as np

    f0, fp1, fm1, fp2, fm2, fp4, fm4 = F
    with np.errstate(all="ignore"):
        dp = [(fp1 - f0) / h, (fp2 - f0) / (h / 2), (fp4 - f0) / (h / 4)]
        dm = [(f0 - fm1) / h, (f0 - fm2) / (h / 2), (f0 - fm4) / (h / 4)]

        def rich(d):
            r1a, r1b = 2 * d[1] - d[0], 2 * d[2] - d[1]
            r2 = (4 * r1b - r1a) / 3
            return r2, np.abs(r2 - r1b)

        rp, ep = rich(dp)
        rm, em = rich(dm)
        fmax = np.maximum.reduce([np.abs(v) for v in F])
        rnd = 40 * _EPS * fmax / h
        jump = np.abs(rp - rm)
        scale = np.maximum(np.abs(rp), np.abs(rm))
        thresh = 8 * (ep + em + rnd) + 10 * (tol.rtol * scale + tol.atol * S_hint)
        # a kink's one-sided slopes differ by the same amount at every step; a jump in the
        # curvature only (g' has a corner, g is smooth) makes a difference that shrinks with h
        raw_h, raw_h4 = np.abs(dp[0] - dm[0]), np.abs(dp[2] - dm[2])
        flag = ((jump > thresh) & (raw_h4 > 0.5 * raw_h)) | ~np.isfinite(jump)
        flag &= np.isfinite(f0)
        # kinks between grid points (inside |x| <= 8, where the grid step is <= 0.001): the
        # clean left derivative at x_i and right derivative at x_{i+1} differ by far more
        # than the derivative varies over the neighbouring intervals
        dx = np.diff(x)
        a, b = rm[:-1], rp[1:]
        J = np.abs(b - a)
        left = np.abs(np.diff(rm)) / np.where(dx > 0, dx, np.inf)  # variation rate of rm per interval
        right = np.abs(np.diff(rp)) / np.where(dx > 0, dx, np.inf)
        left_prev = np.concatenate([[np.inf], left[:-1]])
        right_next = np.concatenate([right[1:], [np.inf]])
        V = dx * np.maximum(left_prev, right_next)
        noise = em[:-1] + ep[1:] + rnd[:-1] + rnd[1:]
        sc = np.maximum(np.abs(a), np.abs(b))
        between = (J > 8 * V + 8 * noise + 100 * (tol.rtol * sc + tol.atol * S_hint)) & np.isfinite(J)
        fine = dx <= 1.5e-3
        fine_prev = np.concatenate([[False], fine[:-1]])
        fine_next = np.concatenate([fine[1:], [False]])
        between &= fine & fine_prev & fine_next & (dx > 0)
        flag[:-1] |= between
        flag[1:] |= between
    idx = np.flatnonzero(flag)
    locs: list[float] = []
    excluded = np.zeros(x.shape, dtype=bool)
    if idx.size == 0:
        return locs, excluded, rp, rm
    # cluster neighbours
    groups = np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)
    bps = [float(b) for b in breakpoints]
    for grp in groups:
        lo, hi = int(grp[0]), int(grp[-1])
        a_i, b_i = max(lo - 1, 0), min(hi + 1, x.size - 1)
        a, b = float(x[a_i]), float(x[b_i])
        clean = [i for i in grp if (ep[i] + em[i] + rnd[i]) * 8 < jump[i]]
        snap = [bp for bp in bps if a <= bp <= b]
        # where the tangents on both sides (clean one-sided slopes just outside the cluster)
        # intersect; a grid point whose own one-sided slopes are clean wins if it agrees
        sa, sb = rm[a_i], rp[b_i]
        with np.errstate(all="ignore"):
            k_t = (f0[b_i] - f0[a_i] + sa * a - sb * b) / (sa - sb)
        k_t = float(k_t) if np.isfinite(k_t) and a <= k_t <= b else None
        best = max(clean, key=lambda i: jump[i] / (ep[i] + em[i] + rnd[i] + 1e-300)) if clean else None
        if snap:
            k = snap[0]
        elif best is not None and (k_t is None or abs(x[best] - k_t) <= 1e-4 * (b - a)):
            k = float(x[best])
        elif k_t is not None:
            k = k_t
        else:
            k = float(x[(lo + hi) // 2])
        locs.append(k)
        excluded[lo:hi + 1] = True
        hk = float(_fd_step(np.asarray([k]))[0])
        excluded |= np.abs(x - k) <= 4 * hk
    return locs, excluded, rp, rm


def _derivative(x, h, g, F, ad, tol: _Tol, breakpoints):
    """The derivative check; returns (CheckResult, kinks, S)."""
    import numpy as np

    f0, fp1, fm1, fp2, fm2, fp4, fm4 = F
    with np.errstate(all="ignore"):
        d1 = (fp1 - fm1) / (2 * h)
        d2 = (fp2 - fm2) / h
        d4 = (fp4 - fm4) / (h / 2)
        r1a, r1b = (4 * d2 - d1) / 3, (4 * d4 - d2) / 3
        fd = (16 * r1b - r1a) / 15
        fmax = np.maximum.reduce([np.abs(v) for v in F])
        fd_err = np.abs(fd - r1b) + 10 * _EPS * fmax / h
    ad_ok, fd_ok = np.isfinite(ad), np.isfinite(fd)
    ref0 = np.where(ad_ok, ad, np.where(fd_ok, fd, np.nan))
    finite_ref = np.isfinite(ref0)
    S_hint = float(np.max(np.abs(ref0[finite_ref]))) if finite_ref.any() else 0.0
    kinks, excluded, _, _ = _kinks(x, h, F, S_hint, tol, breakpoints)
    keep = ~excluded & finite_ref
    S = float(np.max(np.abs(ref0[keep]))) if keep.any() else 0.0
    if S == 0.0:
        S = float(np.max(np.abs(g[np.isfinite(g)]))) if np.isfinite(g).any() else 0.0
    with np.errstate(all="ignore"):
        base = tol.atol * S
        tol_ad = base + tol.rtol * np.abs(np.where(ad_ok, ad, 0.0))
        tol_fd = base + tol.rtol * np.abs(np.where(fd_ok, fd, 0.0)) + 4 * fd_err
        e_ad = np.abs(g - ad)
        e_fd = np.abs(g - fd)
        r_ad = np.where(ad_ok, np.where(e_ad == 0, 0.0, e_ad / tol_ad), np.inf)
        r_fd = np.where(fd_ok, np.where(e_fd == 0, 0.0, e_fd / tol_fd), np.inf)
        r = np.minimum(r_ad, r_fd)
        err = np.where(r_ad <= r_fd, e_ad, e_fd)
        refv = np.where(r_ad <= r_fd, ad, fd)
    g_bad = ~np.isfinite(g)
    r = np.where(g_bad, np.inf, r)
    err = np.where(g_bad, np.inf, err)
    unverifiable = ~finite_ref & ~g_bad
    r = np.where(unverifiable, 0.0, r)
    considered = (~excluded & ~unverifiable) | g_bad
    r_c = np.where(considered, r, -1.0)
    failing = r_c > 1.0
    i_worst = int(np.argmax(r_c))
    err_c = np.where(considered & np.isfinite(err), err, 0.0)
    with np.errstate(all="ignore"):
        rel = np.where(considered & np.isfinite(err), err / np.maximum(np.abs(refv), max(base, 1e-300)), 0.0)
    max_abs = float(np.inf) if g_bad.any() else float(np.max(err_c))
    max_rel = float(np.inf) if g_bad.any() else float(np.max(rel))
    notes = []
    if kinks:
        notes.append(f"{len(kinks)} kink(s) of surrogate_fun excluded: " + ", ".join(_x(k) for k in kinks))
    n_ad_bad = int(np.sum(~ad_ok & fd_ok & ~excluded))
    if n_ad_bad:
        notes.append(f"autodiff of surrogate_fun is not finite at {n_ad_bad} point(s) "
                     "(a jnp.where dead branch?); finite differences used there")
    if unverifiable.any():
        notes.append(f"{int(unverifiable.sum())} point(s) where surrogate_fun has no finite derivative were skipped")
    n_pts = int(considered.sum())
    # the two references must agree with each other, bar a few isolated points (autodiff of
    # jnp.sign at 0, a stencil across an undetected kink); a surrogate_fun whose autodiff is
    # not its derivative (a custom_jvp defined through surrogate_grad) would pass otherwise
    with np.errstate(all="ignore"):
        split_refs = considered & ad_ok & fd_ok & ~g_bad & (np.abs(ad - fd) > 4 * tol_fd)
    n_split = int(split_refs.sum())
    if n_split > max(10, n_pts // 200) and not failing.any():
        i_s = int(np.argmax(np.where(split_refs, np.abs(ad - fd), -1.0)))
        detail = (f"autodiff of surrogate_fun disagrees with its finite differences at {n_split} points "
                  f"(e.g. x={_x(float(x[i_s]))}: autodiff {_g(float(ad[i_s]))}, finite differences "
                  f"{_g(float(fd[i_s]))}): is its derivative defined by hand (custom_jvp)?")
        return (CheckResult("derivative", "fail", float(abs(g[i_s] - fd[i_s])),
                            float(abs(g[i_s] - fd[i_s]) / max(abs(fd[i_s]), base, 1e-300)), float(x[i_s]), detail),
                kinks, S)
    if failing.any():
        xs = x[failing]
        if g_bad.any():
            xb = x[g_bad]
            what = (f"surrogate_grad is {'nan' if np.isnan(g[g_bad]).any() else 'inf'} at "
                    f"{int(g_bad.sum())} point(s), e.g. x={_x(float(xb[0]))}")
            if not (failing & ~g_bad).any():
                detail = what
            else:
                detail = what + f"; and disagrees at {int((failing & ~g_bad).sum())} more"
        else:
            detail = (f"surrogate_grad != d/dx surrogate_fun at {int(failing.sum())} of {n_pts} points "
                      f"in [{_x(float(xs.min()))}, {_x(float(xs.max()))}]; worst at x={_x(float(x[i_worst]))}: "
                      f"grad={_g(float(g[i_worst]))}, derivative={_g(float(ref0[i_worst]))}")
        status = "fail"
    else:
        detail = f"{n_pts} points agree (autodiff and Richardson finite differences)"
        status = "pass"
    if notes:
        detail += "; " + "; ".join(notes)
    return CheckResult("derivative", status, max_abs, max_rel, float(x[i_worst]), detail), kinks, S


def _tail(x_out: float, x_in: float, g_out: float, g_in: float) -> float:
    """Area of a power-law tail beyond ``x_out`` fitted through two samples (inf if divergent)."""
    if g_out == 0.0:
        return 0.0
    if g_in <= 0 or g_out < 0:
        return math.nan
    p = -math.log(g_out / g_in) / math.log(abs(x_out) / abs(x_in))
    if p <= 1.0:
        return math.inf
    return g_out * abs(x_out) / (p - 1.0)


@dataclass
class _Panels:
    a: Any
    b: Any
    q1: Any  # 4-point rule on the panel
    q2: Any  # 4-point rule on each half (the value used)
    absq: Any  # the same rule on |g|
    df: Any  # f(b) - f(a), or None
    wiggly: Any  # the gradient changes sign twice or more across the panel's 8 nodes


def _panels(base: _Base, patch: _Patch, g0, gp, f_edges, f_b) -> _Panels:
    """The quadrature panels of one parameter set: base panels, those holding a breakpoint
    replaced by the two sub-panels on either side of it."""
    import numpy as np

    N = base.x.size
    E = base.edges.size - 1
    nb = patch.b.size
    qf = g0[N:N + 4 * E].reshape(E, 4)
    qh = g0[N + 4 * E:].reshape(E, 8)
    pqf = gp[nb:nb + 8 * nb].reshape(2 * nb, 4)
    pqh = gp[nb + 8 * nb:].reshape(2 * nb, 8)
    with np.errstate(all="ignore"):
        q1 = np.concatenate([np.sum(base.w_full * qf, axis=1), np.sum(patch.w_full * pqf, axis=1)])
        q2 = np.concatenate([np.sum(base.w_half * qh, axis=1), np.sum(patch.w_half * pqh, axis=1)])
        absq = np.concatenate([np.sum(np.abs(base.w_half * qh), axis=1), np.sum(np.abs(patch.w_half * pqh), axis=1)])
    with np.errstate(all="ignore"):
        signs = np.sign(np.concatenate([qh, pqh]))
        wiggly = np.sum(signs[:, 1:] * signs[:, :-1] < 0, axis=1) >= 2
    a = np.concatenate([base.edges[:-1], patch.sub_a.reshape(-1)])
    b = np.concatenate([base.edges[1:], patch.sub_b.reshape(-1)])
    keep = np.ones(a.size, dtype=bool)
    keep[patch.split[patch.split >= 0]] = False
    keep[E:] = np.repeat(patch.split >= 0, 2)
    df = None
    if f_edges is not None:
        fa_sub = np.stack([f_edges[np.clip(patch.split, 0, E)], f_b], axis=1)
        fb_sub = np.stack([f_b, f_edges[np.clip(patch.split, 0, E - 1) + 1]], axis=1)
        df = np.concatenate([np.diff(f_edges), (fb_sub - fa_sub).reshape(-1)])[keep]
    order = np.argsort(a[keep], kind="stable")
    pick = lambda v: v[keep][order]  # noqa: E731
    return _Panels(pick(a), pick(b), pick(q1), pick(q2), pick(absq), df[order] if df is not None else None,
                   pick(wiggly))


def _area(P: _Panels, kinks, closed: float | None, x, g_x, S: float, tol: _Tol, has_fun: bool):
    import numpy as np

    a, b = P.a, P.b
    Q1, Q2, absq = P.q1, P.q2, P.absq
    est = np.abs(Q1 - Q2)
    if not np.isfinite(Q2).all():
        i = int(np.flatnonzero(~np.isfinite(Q2))[0])
        return CheckResult("area", "fail", math.inf, math.inf, float((a[i] + b[i]) / 2),
                           f"surrogate_grad is not finite in the panel [{_x(a[i])}, {_x(b[i])}]")
    span = f"[{_x(a[0])}, {_x(b[-1])}]"
    if has_fun:
        df = P.df
        if not np.isfinite(df).all():
            i = int(np.flatnonzero(~np.isfinite(df))[0])
            return CheckResult("area", "fail", math.inf, math.inf, float(a[i]),
                               f"surrogate_fun is not finite near x={_x(a[i])}")
        d = Q2 - df
        kink_panel = np.zeros(a.size, dtype=bool)
        for k in kinks:
            pad = 1e-12 * max(1.0, abs(k))
            kink_panel |= (a < k + pad) & (b > k - pad)
        unresolved = (est > 1e-6 * absq + 1e-13 * max(S, 1e-300)) | P.wiggly
        use = ~kink_panel & ~unresolved
        A = float(np.sum(absq[use]))
        D = float(np.sum(d[use]))
        T = AREA_RTOL * max(A, 1e-300) + 10 * float(np.sum(est[use])) + 100 * _EPS * float(np.sum(np.abs(df[use])))
        i_w = int(np.argmax(np.where(use, np.abs(d), -1.0)))
        rel = abs(D) / A if A > 0 else (0.0 if D == 0 else math.inf)
        left = []
        if kink_panel.any():
            left.append(f"{int(kink_panel.sum())} panel(s) at kinks")
        if (unresolved & ~kink_panel).any():
            left.append(f"{int((unresolved & ~kink_panel).sum())} unresolved (oscillating) panel(s)")
        note = f" ({', '.join(left)} left out)" if left else ""
        wx = float((a[i_w] + b[i_w]) / 2)
        if abs(D) <= T:
            return CheckResult("area", "pass", abs(D), rel, wx,
                               f"integral of grad over {span} = {float(np.sum(Q2[use])):.10g} matches "
                               f"surrogate_fun(b) - surrogate_fun(a){note}")
        return CheckResult("area", "fail", abs(D), rel, wx,
                           f"integral of grad over {span} differs from surrogate_fun(b) - surrogate_fun(a) "
                           f"by {D:.3g} (tolerance {T:.2g}); largest panel error near x={_x(wx)}{note}")
    total = float(np.sum(Q2))
    if closed is None:
        return CheckResult("area", "skip", None, None, None,
                           f"gradient-only, no closed-form area to compare; integral over {span} = {total:.6g}")
    if not math.isfinite(closed):
        return CheckResult("area", "skip", None, None, None,
                           f"the closed-form area is infinite (heavy tails); integral over {span} = {total:.6g}")
    tl = _tail(float(x[0]), float(x[1]), float(g_x[0]), float(g_x[1]))
    tr = _tail(float(x[-1]), float(x[-2]), float(g_x[-1]), float(g_x[-2]))
    if not (math.isfinite(tl) and math.isfinite(tr)):
        return CheckResult("area", "fail", math.inf, math.inf, None,
                           f"the gradient's tails do not decay fast enough for the closed-form area {closed:.6g}")
    full = total + tl + tr
    D = full - closed
    T = AREA_RTOL * max(abs(closed), 1e-300) + 10 * float(np.sum(est)) + 0.1 * (tl + tr)
    rel = abs(D) / abs(closed) if closed else abs(D)
    status = "pass" if abs(D) <= T else "fail"
    word = "matches" if status == "pass" else f"differs by {D:.3g} from"
    return CheckResult("area", status, abs(D), rel, None,
                       f"integral of grad over the real line = {full:.10g} {word} the closed form {closed:.10g}"
                       + (f" (tails beyond |x| = {_x(x[-1])}: {tl + tr:.2g})" if tl + tr else ""))


def _spike_check(x, g, out, meta, S, tol: _Tol, tangent) -> CheckResult:
    import numpy as np

    N = x.size
    problems = []
    worst = 0.0
    worst_x = None
    base = tol.atol * S
    n_fwd = int(out["fwd_bad"])
    if n_fwd:
        problems.append(f"the forward pass differs from the Heaviside step at {n_fwd} point(s)")
    t = tangent[:N]
    c = tangent[::-1][:N]
    for label, got, want, xs, scale in (
        ("the jvp (tangent t)", out["jvp"][:N], g * t, x, np.abs(t)),
        ("the vjp (cotangent c)", out["vjp"][:N], g * c, x, np.abs(c)),
        ("grad of scalars under vmap", out["vmap"], g[:out["vmap"].size], x[:out["vmap"].size], 1.0),
    ):
        with np.errstate(all="ignore"):
            e = np.abs(got - want)
            lim = base * scale + tol.rtol * np.abs(want)
            bad = ~(e <= lim) & ~(got == want) & ~(np.isnan(got) & np.isnan(want))  # nan in, nan out
        if bad.any():
            idx = np.flatnonzero(bad)
            i = int(idx[np.argmax(np.where(np.isfinite(e[idx]), e[idx], np.inf))])
            problems.append(f"{label} through the spike != surrogate_grad x t at {int(bad.sum())} point(s), "
                            f"e.g. x={_x(xs[i])}: {_g(float(got[i]))} vs {_g(float(want[i]))}")
            if worst_x is None:
                worst_x = float(xs[i])
            worst = max(worst, float(e[i]) if np.isfinite(e[i]) else math.inf)
    for d in _DTYPES:
        sd, gd = meta.get(f"spike_dtype_{d}"), meta.get(f"spike_grad_dtype_{d}")
        if sd is not None and sd != d:
            problems.append(f"spike({d} input) returns {sd}")
        if gd is not None and gd != d:
            problems.append(f"the spike's gradient for a {d} input is {gd}")
    if problems:
        return CheckResult("spike", "fail", worst, None, worst_x, "; ".join(problems))
    return CheckResult("spike", "pass", worst, None, None,
                       "forward == Heaviside; grad, jvp, vjp == surrogate_grad x tangent/cotangent under jit "
                       "and vmap; scalar, 1-d and n-d inputs; dtype preserved")


def _legit_inf(d: str, f_extra, xs):
    """Where an infinite surrogate_fun in dtype ``d`` is the correctly rounded value: its exact
    value overflows ``d`` (judged in float64, or for float64 by the growth from x/1024)."""
    import jax.numpy as jnp
    import numpy as np

    m = _stability_inputs("float64").size
    big = float(jnp.finfo(jnp.dtype(d)).max)
    with np.errstate(all="ignore"):
        if d == "float64":
            return np.abs(f_extra[m:2 * m]) * 1024.0 > big / 2
        off = 2 * m
        for dd in _DTYPES[:3]:
            n = _stability_inputs(dd).size
            if dd == d:
                return np.abs(f_extra[off:off + n]) > big
            off += n
    return np.zeros(xs.size, dtype=bool)


def _stability_check(out, has_fun: bool, failed: dict, N: int) -> CheckResult:
    import numpy as np

    problems = []
    worst_x = None
    labels = ["surrogate_grad", "the spike's gradient", "surrogate_fun"]
    m = _stability_inputs("float64").size
    for d in _DTYPES:
        if d in failed:
            problems.append(f"{d}: {failed[d]}")
            continue
        if d == "float64":
            if "g_s64" not in out:
                continue
            rows = [np.isfinite(out["g_s64"])]
            rows.append(np.isfinite(out["vjp"][N:]) if "vjp" in out else rows[0])
            if "f_extra" in out:
                rows.append(out["f_extra"][:m])
        elif f"stab_{d}" in out:
            rows = list(np.asarray(out[f"stab_{d}"]))
            if has_fun and len(rows) > 2:
                rows[2] = out[f"stabf_{d}"]
        else:
            continue
        xs = _stability_inputs(d)
        for j, (row, label) in enumerate(zip(rows, labels)):
            if j == 2:  # surrogate_fun values: inf allowed where the exact value overflows
                vals = np.asarray(row, dtype=np.float64)
                ok = np.isfinite(vals) | (np.isinf(vals) & _legit_inf(d, out.get("f_extra"), xs))
            else:
                ok = np.asarray(row, dtype=bool)
            if not ok.all():
                i = int(np.flatnonzero(~ok)[0])
                problems.append(f"{label} is nan/inf in {d} at x={_x(xs[i])}")
                if worst_x is None:
                    worst_x = float(xs[i])
    if problems:
        return CheckResult("stability", "fail", None, None, worst_x, "; ".join(problems))
    what = "surrogate_fun, surrogate_grad and the spike's gradient" if has_fun else "surrogate_grad and the spike's gradient"
    return CheckResult("stability", "pass", None, None, None,
                       f"{what} finite for finite inputs (0 to the largest value) in float16, bfloat16, float32, "
                       "float64" + (" (surrogate_fun may overflow to +-inf only where its exact value does)"
                                    if has_fun else ""))


def _shape_check(x, g, f0, has_fun: bool, S: float, tol: _Tol, exceptions: Mapping[str, str], strict: bool,
                 kinks) -> CheckResult:
    import numpy as np

    results: dict[str, tuple[bool, str, float | None]] = {}
    fin = np.isfinite(g)
    gmin_i = int(np.argmin(np.where(fin, g, np.inf)))
    ok = bool(g[gmin_i] >= -tol.atol * S)
    results["grad_nonnegative"] = (ok, f"gradient {_g(float(g[gmin_i]))} < 0 at x={_x(x[gmin_i])}", float(x[gmin_i]))
    i0 = int(np.flatnonzero(x == 0.0)[0])
    gmax_i = int(np.argmax(np.where(fin, g, -np.inf)))
    g0 = float(g[i0])
    gmax = float(g[gmax_i])
    slack = tol.atol * S + tol.rtol * abs(gmax)
    ok = bool(gmax <= g0 + slack)
    # a gradient that jumps at 0 peaks at the threshold as a one-sided limit (g'(0-) or g'(0+)),
    # if the peak is there alone (not a plateau: a flat side as large is no peak at 0)
    near = (np.abs(x) <= 2e-6) & fin
    top = fin & (g >= gmax - slack)
    limit = (not ok) and bool(np.max(g[near]) >= gmax - slack) and bool(np.all(np.abs(x[top]) <= 1e-3))
    results["peak_at_zero"] = (ok or limit, f"gradient peak {_g(gmax)} at x={_x(x[gmax_i])}, not at 0 "
                               f"(g'(0) = {_g(g0)})", float(x[gmax_i]))
    if has_fun:
        df = np.diff(f0)
        with np.errstate(all="ignore"):
            lim = 8 * _EPS * (np.abs(f0[1:]) + np.abs(f0[:-1])) + tol.atol * S * np.diff(x)
        dec = ~(df >= -lim)
        if dec.any():
            i = int(np.argmin(np.where(dec, df, np.inf)))
            results["fun_monotone"] = (False, f"surrogate_fun decreases near x={_x(x[i])}", float(x[i]))
        else:
            results["fun_monotone"] = (True, "", None)
        f_at0 = float(f0[i0])
        ok = abs(f_at0 - 0.5) <= max(tol.rtol * 0.5, 1e-12)
        results["fun_half_at_zero"] = (ok, f"surrogate_fun(0) = {f_at0:.6g}, not 0.5", 0.0)
    failed = [k for k, v in results.items() if not v[0]]
    exempt = [k for k in failed if k in exceptions]
    real = [k for k in failed if k not in exceptions]
    parts = []
    if real:
        parts += [f"{k}: {results[k][1]}" for k in real]
    if exempt:
        parts += [f"{k} exempt by design: {exceptions[k]}" for k in exempt]
    skipped = [] if has_fun else ["fun_monotone", "fun_half_at_zero"]
    if real:
        status = "fail" if strict else "warn"
        return CheckResult("shape", status, None, None, results[real[0]][2], "; ".join(parts))
    passed = [k for k in results if results[k][0]]
    text = "; ".join(parts + ([f"{', '.join(passed)} ok"] if passed else []))
    if limit:
        text += f" (the peak {_g(gmax)} is the one-sided limit of the gradient at 0; g'(0) = {_g(g0)})"
    if skipped:
        text += "; no surrogate_fun: fun_monotone, fun_half_at_zero skipped"
    return CheckResult("shape", "pass", None, None, None, text)


# -- running ------------------------------------------------------------------------------


def _float_params(record, full: Mapping[str, Any]):
    ints = tuple((p.name, int(full[p.name])) for p in record.params if p.kind == "int")
    floats = {p.name: float(full[p.name]) for p in record.params if p.kind != "int"}
    return ints, floats


def _analyse(name, params, base: _Base, patch: _Patch, out, meta, has_fun, tol, strict, exceptions, closed,
             breakpoints, jit_result: CheckResult, skipped: dict, tangent, stab_failed) -> SurrogateReport:
    import numpy as np

    N = base.x.size
    nb = patch.b.size
    checks: dict[str, CheckResult] = {}
    kinks: list[float] = []
    x = np.concatenate([base.x, patch.b])
    order = np.argsort(x, kind="stable")
    x = x[order]
    h = np.concatenate([base.h, patch.h])[order]
    g = F = None
    S = 0.0
    if "g0" in out:
        g0 = np.asarray(out["g0"], dtype=np.float64)
        gp = np.asarray(out["gp"], dtype=np.float64)
        g = np.concatenate([g0[:N], gp[:nb]])[order]
    if g is not None and has_fun and "f0" in out:
        f0 = np.asarray(out["f0"], dtype=np.float64)
        fp = np.asarray(out["fp"], dtype=np.float64)
        F = np.concatenate([f0[:7 * N].reshape(7, N), fp.reshape(7, nb)], axis=1)[:, order]
        ad = np.asarray(out["ad"], dtype=np.float64)[order]
        res, kinks, S = _derivative(x, h, g, F, ad, tol, breakpoints)
        checks["derivative"] = res
    elif g is not None:
        S = float(np.max(np.abs(g[np.isfinite(g)]))) if np.isfinite(g).any() else 0.0
        if not has_fun and "derivative" not in skipped:
            checks["derivative"] = CheckResult("derivative", "skip",
                                               detail="no surrogate_fun (a gradient-only surrogate)")
    if g is not None and "area" not in skipped:
        f_edges = f_b = None
        if F is not None:
            f_edges = np.asarray(out["f0"], dtype=np.float64)[7 * N:]
            f_b = np.asarray(out["fp"], dtype=np.float64)[:nb]
        P = _panels(base, patch, g0, gp, f_edges, f_b)
        checks["area"] = _area(P, kinks, closed, x, g, S, tol, F is not None)
    if "fwd_bad" in out and g is not None:
        checks["spike"] = _spike_check(base.x, g0[:N], out, meta, S, tol, tangent)
    if "g_s64" in out or stab_failed:
        checks["stability"] = _stability_check(out, has_fun and F is not None, stab_failed, N)
    checks["jit"] = jit_result
    if g is not None:
        checks["shape"] = _shape_check(x, g, F[0] if F is not None else None, F is not None, S, tol,
                                       exceptions, strict, kinks)
    for cname, reason in skipped.items():
        if cname not in checks:
            checks[cname] = CheckResult(cname, reason[0], detail=reason[1])
    ordered = [checks.get(c) or CheckResult(c, "skip", detail="not run") for c in CHECKS]
    return SurrogateReport(name, dict(params), _overall(ordered), ordered, [float(k) for k in kinks])


def _tangent(n: int):
    import numpy as np

    return np.random.default_rng(7).normal(size=n)


@dataclass
class _Job:
    """One compiled kernel call: a built-in at one value of its integer parameters."""

    sub: Subject
    sets: list
    bps: list
    patches: list
    args: tuple
    tangent: Any
    key: tuple
    meta: dict
    future: Any = None  # compiled executable (or a Future of it)
    t_start: float = 0.0
    trace_s: float = 0.0


def _prepare_builtin(sub: Subject, pool) -> list[_Job]:
    """Trace and lower each group's kernel; compile in ``pool`` (overlaps the next trace)."""
    from ...library import builtin_class

    import jax
    import jax.numpy as jnp
    import numpy as np

    rec = sub.record
    groups: dict[tuple, list[dict]] = {}
    for full in sub.param_sets:
        ints, _ = _float_params(rec, full)
        groups.setdefault(ints, []).append(full)
    jobs = []
    parts = ("grad", "fun", "spike") + tuple(f"stab_{d}" for d in _DTYPES)
    base = _base()
    for ints, sets in groups.items():
        t0 = time.perf_counter()
        bps = [list(rec.breakpoints(**s)) if rec.breakpoints else [] for s in sets]
        n_bp = max((len(b) for b in bps), default=0)
        patches = [_patch(b, n_bp) for b in bps]
        tangent = _tangent(base.x.size + _stability_inputs("float64").size)
        batched = len(sets) > 1
        key = (rec.name, ints, n_bp, len(sets) if batched else 0)
        with jax.enable_x64(True):
            names = list(_float_params(rec, sets[0])[1])
            if batched:
                stack = lambda arrs: jnp.asarray(np.stack(arrs))  # noqa: E731
                floats = {k: jnp.asarray([_float_params(rec, s)[1][k] for s in sets], dtype=jnp.float64)
                          for k in names}
            else:
                stack = lambda arrs: jnp.asarray(arrs[0])  # noqa: E731
                floats = {k: jnp.asarray(_float_params(rec, sets[0])[1][k], dtype=jnp.float64) for k in names}
            args = (_device(base.xf), _device(base.xg), _device(base.x), jnp.asarray(tangent),
                    stack([p.xf for p in patches]), stack([p.xg for p in patches]), stack([p.b for p in patches]),
                    floats)
            entry = _COMPILED.get(key)
            if entry is None:
                static = dict(ints)
                meta: dict = {}

                def make_obj(fl, dtype, _static=static, _rec=rec):
                    return builtin_class(_rec)(**{k: v.astype(dtype) for k, v in fl.items()}, **_static)

                run = _kernel(make_obj, rec.has_fun, parts, meta)
                fn = jax.vmap(run, in_axes=(None, None, None, None, 0, 0, 0, 0)) if batched else run
                lowered = jax.jit(fn).lower(*args)
                future = pool.submit(_compile_lowered, lowered) if pool is not None else _compile_lowered(lowered)
                entry = (future, meta)
                _COMPILED[key] = entry
        jobs.append(_Job(sub, sets, bps, patches, args, tangent, key, entry[1], entry[0], t0,
                         time.perf_counter() - t0))
    return jobs


def _device(arr):
    """The shared grid arrays on the device, converted once per process."""
    import jax.numpy as jnp

    key = ("dev", id(arr))
    if key not in _GRID_CACHE:
        _GRID_CACHE[key] = jnp.asarray(arr)
    return _GRID_CACHE[key]


def _compile_lowered(lowered):
    """``(executable, seconds)``: XLA compilation (runs on the background thread)."""
    t = time.perf_counter()
    for i, options in enumerate(_COMPILER_OPTIONS):
        try:
            compiled = lowered.compile(options) if options else lowered.compile()
            break
        except Exception:  # noqa: BLE001 - an XLA build without these options
            if i == len(_COMPILER_OPTIONS) - 1:
                raise
    return compiled, time.perf_counter() - t


def _finish_builtin(job: _Job, tol: _Tol, strict: bool, timings: list) -> list[SurrogateReport]:
    import jax

    rec = job.sub.record
    t0 = time.perf_counter()
    got = job.future.result() if hasattr(job.future, "result") else job.future
    compiled, compile_s = got if isinstance(got, tuple) else (got, 0.0)
    if isinstance(got, tuple) and _COMPILED.get(job.key, (None,))[0] is job.future:
        _COMPILED[job.key] = (compiled, job.meta)
    else:
        compile_s = 0.0  # compiled by an earlier call (cached)
    t1 = time.perf_counter()
    with jax.enable_x64(True):
        out = jax.device_get(compiled(*job.args))
    t2 = time.perf_counter()
    jit_ok = CheckResult("jit", "pass", detail="every method traces under jax.jit (parameters traced, vmapped)")
    reports = []
    batched = len(job.sets) > 1
    for j, full in enumerate(job.sets):
        one = {k: (v[j] if batched else v) for k, v in out.items()}
        reports.append(_analyse(
            rec.name, full, _base(), job.patches[j], one, job.meta, rec.has_fun, tol, strict, rec.exceptions,
            rec.closed_area(**full) if not rec.has_fun else None, job.bps[j], jit_ok, {}, job.tangent, {},
        ))
    t3 = time.perf_counter()
    timings.append({"name": rec.name, "static": dict(job.key[1]), "sets": len(job.sets),
                    "trace_s": job.trace_s, "compile_s": compile_s, "compile_wait_s": t1 - t0,
                    "run_s": t2 - t1, "analyse_s": t3 - t2})
    return reports


def _run_user(sub: Subject, tol: _Tol, strict: bool, timings: list) -> list[SurrogateReport]:
    out_reports = []
    for params in sub.param_sets:
        out_reports.append(_run_user_one(sub, params, tol, strict, timings))
    return out_reports


def _run_user_one(sub: Subject, params: dict, tol: _Tol, strict: bool, timings: list) -> SurrogateReport:
    import jax
    import jax.numpy as jnp
    import numpy as np

    shown = sub.shown
    shown_params = dict(params) if params or not shown else dict(shown)
    obj = sub.make(**params)
    base = _base()
    patch = _patch([], 0)
    tangent = _tangent(base.x.size + _stability_inputs("float64").size)
    t0 = time.perf_counter()
    with jax.enable_x64(True):
        spike = spike_of(obj)
        p_grad = _probe(obj.surrogate_grad, 64, "surrogate_grad")
        fun_attr = getattr(obj, "surrogate_fun", None)
        if callable(fun_attr):
            p_fun = _probe(fun_attr, 64, "surrogate_fun")
        else:
            p_fun = _Probe(False, True, "no surrogate_fun", missing=True)
        has_fun = not p_fun.missing
        p_spike = _probe(lambda v: jax.grad(lambda u: jnp.sum(spike(u)))(v), 64, "the spike's gradient") \
            if p_grad.ok else p_grad
        traceable = p_grad.traceable and (p_fun.traceable or p_fun.missing) and p_spike.traceable
        skipped: dict[str, tuple[str, str]] = {}
        if traceable:
            jit_res = CheckResult("jit", "pass", detail="every method traces under jax.jit")
        else:
            bad = [p.message for p in (p_grad, p_fun, p_spike) if not p.traceable]
            jit_res = CheckResult("jit", "fail", detail=f"{bad[0].rstrip('.')}. {_JIT_HELP}")
            # eagerly, on arrays?
            if not p_grad.traceable:
                p_grad = _probe_eager(obj.surrogate_grad, "surrogate_grad")
            if has_fun and not p_fun.traceable:
                p_fun = _probe_eager(fun_attr, "surrogate_fun")
        parts = []
        if p_grad.ok:
            parts += ["grad", "spike"]
        else:
            reason_status = "skip" if not p_grad.traceable else "fail"
            for c in ("derivative", "area", "spike", "shape"):
                skipped[c] = (reason_status, p_grad.message if reason_status == "fail"
                              else f"skipped: {p_grad.message}")
        if has_fun:
            if p_fun.ok:
                parts.append("fun")
            else:
                st = "skip" if not p_fun.traceable else "fail"
                skipped["derivative"] = (st, p_fun.message)
                skipped["area"] = (st, p_fun.message)
        stab_failed: dict[str, str] = {}
        if p_grad.ok:
            for d in _DTYPES:
                pr = _probe_dtype(obj, spike, d, has_fun and p_fun.ok, traceable)
                if pr is None:
                    parts.append(f"stab_{d}")
                else:
                    stab_failed[d] = pr
        else:
            skipped.setdefault("stability", ("skip" if not p_grad.traceable else "fail",
                                             f"skipped: {p_grad.message}" if not p_grad.traceable
                                             else p_grad.message))
        if not traceable:
            parts = [p for p in parts if p != "spike"]
            skipped["spike"] = ("fail", f"the spike cannot be differentiated under jit/vmap: {jit_res.detail}")
        meta: dict = {}
        run = _kernel(lambda fl, dtype: obj, has_fun and "fun" in parts, tuple(parts), meta, _own_call(obj),
                      split=not traceable)
        args = (_device(base.xf), _device(base.xg), _device(base.x), jnp.asarray(tangent),
                jnp.asarray(patch.xf), jnp.asarray(patch.xg), jnp.asarray(patch.b), {})
        out = {}
        error = None
        compile_s = 0.0
        try:
            if traceable:
                compiled = _compile(run, args)
                compile_s = time.perf_counter() - t0
                out = jax.device_get(compiled(*args))
            else:
                out = jax.device_get(run(*args))
        except Exception as exc:  # noqa: BLE001 - user code failing at run time
            error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
        t2 = time.perf_counter()
    timings.append({"name": sub.name, "static": {}, "sets": 1, "trace_s": 0.0, "compile_s": compile_s,
                    "compile_wait_s": 0.0, "run_s": t2 - t0 - compile_s, "analyse_s": 0.0})
    if error is not None:
        checks = [CheckResult(c, "fail", detail=f"evaluation failed: {error}") if c != "jit" else jit_res
                  for c in CHECKS]
        return SurrogateReport(sub.name, shown_params, "fail", checks, [])
    out = {k: np.asarray(v) for k, v in out.items()}
    return _analyse(sub.name, shown_params, base, patch, out, meta, has_fun and "fun" in parts, tol, strict, {},
                    None, [], jit_res, skipped, tangent, stab_failed)


def _probe_dtype(obj, spike, d: str, with_fun: bool, traceable: bool) -> str | None:
    """None if the methods accept a ``d`` vector, else the problem (for the stability check)."""
    import jax
    import jax.numpy as jnp

    dt = jnp.dtype(d)
    fns = [("surrogate_grad", obj.surrogate_grad),
           ("the spike's gradient", lambda v: jax.grad(lambda u: jnp.sum(spike(u).astype(u.dtype)))(v))]
    if with_fun:
        fns.append(("surrogate_fun", obj.surrogate_fun))
    for name, fn in fns:
        try:
            if traceable:
                out = jax.eval_shape(fn, jax.ShapeDtypeStruct((8,), dt))
            else:
                out = fn(jnp.zeros((8,), dt))
        except Exception as exc:  # noqa: BLE001
            return f"{name} raised {type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
        if getattr(out, "shape", None) != (8,):
            return f"{name} returned shape {getattr(out, 'shape', None)} for a {d} vector of 8"
        if not jnp.issubdtype(out.dtype, jnp.floating):
            return f"{name} returned {out.dtype} for a {d} input"
    return None


def verify(
    obj: Any,
    *,
    params: Mapping[str, Any] | None = None,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    strict: bool = False,
    sweep: bool = False,
    config: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> VerifyReport:
    """Check one surrogate or several; return a :class:`VerifyReport` (never prints).

    ``obj``: a built-in name (any spelling), ``"file.py"`` (every surrogate class in
    it), ``"file.py:Class"``, ``"package.module:Class"``, a class (built with its
    defaults plus ``params``), an instance (a :class:`~surrogate_cli.Surrogate` or any
    object with ``surrogate_grad`` and optionally ``surrogate_fun``), or a list of these.
    ``sweep=True`` checks every built-in in ``obj`` over its grid from ``config``
    (default ``configs/verify.yaml``). ``rtol``/``atol``: see the module docstring.
    ``strict`` turns shape warnings into failures. ``progress(done, total, label)`` is
    called after each surrogate.

    Raises :class:`~surrogate_cli.errors.BadInput` for bad targets or parameters;
    problems of the surrogates themselves are failed checks in the report.
    """
    for label, v in (("rtol", rtol), ("atol", atol)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v) or v <= 0:
            raise BadInput(f"--{label} {v!r} must be a positive number", f"give e.g. --{label} 1e-6")
    tol = _Tol(float(rtol), float(atol))
    subjects = subjects_for(obj, params, sweep=sweep, config=config)
    reports: list[SurrogateReport] = []
    timings: list[dict] = []
    builtins = [s for s in subjects if s.record is not None]
    total = 2 * len(builtins) + (len(subjects) - len(builtins))
    step = [0]

    def tick(label: str) -> None:
        step[0] += 1
        if progress is not None:
            progress(step[0], total, label)

    jobs: dict[int, list[_Job]] = {}
    if builtins:
        # trace the kernels one after the other while XLA compiles the previous ones on
        # another thread (compilation releases the GIL)
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(max_workers=_WORKERS)
        try:
            for sub in builtins:
                jobs[id(sub)] = _prepare_builtin(sub, pool)
                tick(f"compiling {sub.name}")
            for sub in builtins:
                for job in jobs[id(sub)]:
                    job.reports = _finish_builtin(job, tol, strict, timings)  # type: ignore[attr-defined]
                tick(f"checked {sub.name}")
        except BaseException:
            # interrupted or failed: drop the queued compiles, do not wait for the running one
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    for sub in subjects:
        if sub.record is not None:
            by_id = {id(s): r for job in jobs[id(sub)] for s, r in zip(job.sets, job.reports)}
            reports += [by_id[id(s)] for s in sub.param_sets]
        else:
            reports += _run_user(sub, tol, strict, timings)
            tick(f"checked {sub.name}")
    return VerifyReport(reports, _summary(reports, strict, tol.rtol, tol.atol), timings)

