"""Parameter sweeps and curve evaluation: the data behind ``plot``, ``compare``, ``--csv``.

The pipeline, each step usable from Python::

    target = resolve("sigmoid")                       # or "my_file.py:MySurrogate"
    values = {"alpha": parse_values("1,2,4", "alpha")}
    sets = expand(target, values, mode="grid")        # -> [{"alpha": 1.0}, ...] (validated)
    curves = evaluate(target, sets, x_range=(-2, 2), points=1000)

A :class:`Curve` is a plain dataclass of float64 NumPy arrays. The gradient is the
one the spike really backpropagates: ``jax.grad`` of ``sum(s(x))``, not
``surrogate_grad`` called directly. For a gradient-only surrogate the ``function`` is
the numerical antiderivative of the gradient, anchored at ``g(0) = 0.5``, and the
curve is flagged ``integrated``.

Precision: the evaluation runs inside ``jax.enable_x64(True)`` (a scoped context
manager), so curves are float64 without changing the global JAX configuration of the
caller. This module imports jax only inside the functions that evaluate.
"""
from __future__ import annotations

import inspect
import itertools
import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from .errors import BadInput
from .registry import Record, lookup, load_object, record_for_class, validate_value

__all__ = [
    "Curve",
    "Target",
    "MAX_POINTS",
    "MAX_CURVES",
    "parse_values",
    "parse_range",
    "parse_spec",
    "parse_assignments",
    "resolve",
    "expand",
    "x_grid",
    "evaluate",
    "evaluate_one",
    "format_value",
    "curves",
]

#: The largest ``--points``.
MAX_POINTS = 10**6
#: The most curves one sweep may produce.
MAX_CURVES = 1000
#: The most samples (curves x points) one evaluation may hold in memory.
MAX_SAMPLES = 2 * 10**7


def format_value(v: Any) -> str:
    """A short, exact-enough text for a parameter value (legends, file names)."""
    if isinstance(v, numbers.Integral):
        return str(int(v))
    v = float(v)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.6g}"


# -- parsing ---------------------------------------------------------------------------


def _number(text: str, what: str) -> float:
    t = text.strip()
    if not t:
        raise BadInput(f"{what}: empty value", "give a number, e.g. 1.5")
    try:
        v = float(t)
    except ValueError:
        raise BadInput(f"{what}: '{t}' is not a number", "give a number, e.g. 1.5 or 2e-3") from None
    if not math.isfinite(v):
        raise BadInput(f"{what}: '{t}' is not finite", "give a finite number (no nan or inf)")
    return v


def _count(text: str, what: str) -> int:
    t = text.strip()
    try:
        n = int(t)
    except ValueError:
        raise BadInput(
            f"{what}: count '{t}' is not a whole number", "write start:stop:count, e.g. 0.5:4:8"
        ) from None
    if n < 1:
        raise BadInput(f"{what}: count {n} must be at least 1", "write start:stop:count with count >= 1")
    if n > MAX_CURVES:
        raise BadInput(f"{what}: count {n} is too large", f"at most {MAX_CURVES} values per sweep")
    return n


def parse_values(text: str, name: str = "value") -> list[float]:
    """Parse a sweep: ``"1,2,4"``, ``"start:stop:count"`` or ``"log:start:stop:count"``.

    Returns floats (finite). Raises :class:`BadInput` for an empty list, a non-number,
    nan/inf, a bad count, or a log range that does not stay positive.
    """
    what = f"--{name.replace('_', '-')}" if name != "value" else "value"
    t = (text or "").strip()
    if not t:
        raise BadInput(f"{what}: empty list of values", "give values like 1,2,4 or a range 1:4:4")
    if t.lower().startswith("log:"):
        parts = t[4:].split(":")
        if len(parts) != 3:
            raise BadInput(
                f"{what}: '{t}' is not a log range", "write log:start:stop:count, e.g. log:0.1:10:5"
            )
        a, b = _number(parts[0], what), _number(parts[1], what)
        n = _count(parts[2], what)
        if a <= 0 or b <= 0:
            raise BadInput(
                f"{what}: log range '{t}' needs positive start and stop",
                "use a linear range start:stop:count for values <= 0",
            )
        if n == 1:
            return [a]
        ratio = (b / a) ** (1.0 / (n - 1))
        vals = [a * ratio**i for i in range(n)]
        vals[-1] = b
        return vals
    if ":" in t:
        parts = t.split(":")
        if len(parts) != 3:
            raise BadInput(
                f"{what}: '{t}' is not a range", "write start:stop:count, e.g. 0.5:4:8 (or a list 1,2,4)"
            )
        a, b = _number(parts[0], what), _number(parts[1], what)
        n = _count(parts[2], what)
        if n == 1:
            return [a]
        step = (b - a) / (n - 1)
        vals = [a + i * step for i in range(n)]
        vals[-1] = b
        return vals
    items = t.split(",")
    if any(not it.strip() for it in items):
        raise BadInput(f"{what}: empty item in '{t}'", "give values separated by single commas, e.g. 1,2,4")
    return [_number(it, what) for it in items]


def parse_range(text: str | None, default: tuple[float, float]) -> tuple[float, float]:
    """Parse ``--range A,B`` (finite, ``A < B``); None gives ``default``."""
    if text is None:
        return (float(default[0]), float(default[1]))
    parts = text.split(",")
    if len(parts) != 2:
        raise BadInput(f"--range: '{text}' is not an interval", "write --range A,B, e.g. --range=-3,3")
    a, b = _number(parts[0], "--range"), _number(parts[1], "--range")
    if not a < b:
        kind = "empty" if a == b else "reversed"
        raise BadInput(
            f"--range {text}: the interval is {kind}",
            "give A,B with A < B, e.g. --range=-3,3",
        )
    return (a, b)


def parse_points(n: int) -> int:
    """Check ``--points``: more than 1, at most :data:`MAX_POINTS`."""
    if n <= 1:
        raise BadInput(f"--points {n}: need at least 2 points", "give e.g. --points 1000")
    if n > MAX_POINTS:
        raise BadInput(f"--points {n}: too many", f"at most {MAX_POINTS} points")
    return n


def parse_assignments(items: Sequence[str], what: str = "--param") -> dict[str, str]:
    """Parse ``NAME=VALUES`` items (``--param``) into ``{name: "VALUES"}``."""
    out: dict[str, str] = {}
    for item in items:
        name, eq, value = item.partition("=")
        name = name.strip().replace("-", "_")
        if not eq or not name:
            raise BadInput(f"{what} '{item}' is not NAME=VALUES", "write e.g. --param alpha=1,2,4")
        if not name.isidentifier():
            raise BadInput(f"{what} '{item}': '{name}' is not a parameter name", "write NAME=VALUES")
        if name in out:
            raise BadInput(f"{what}: parameter '{name}' given twice", "give each parameter once")
        out[name] = value
    return out


def parse_spec(spec: str) -> tuple[str, dict[str, float]]:
    """Split a compare spec ``NAME:alpha=2,beta=1`` into the target and its values.

    ``file.py:Class`` and ``pkg.mod:Class`` (no ``=`` after the last colon) are targets;
    ``file.py:Class:alpha=2`` gives one its parameters.
    """
    head, sep, tail = spec.rpartition(":")
    if not sep or "=" not in tail:
        return spec, {}
    if not head:
        raise BadInput(f"'{spec}' names no surrogate", "write NAME:alpha=2,beta=1")
    values: dict[str, float] = {}
    for item in tail.split(","):
        name, eq, value = item.partition("=")
        name = name.strip().replace("-", "_")
        if not eq or not name:
            raise BadInput(f"'{spec}': '{item}' is not NAME=VALUE", "write NAME:alpha=2,beta=1")
        if name in values:
            raise BadInput(f"'{spec}': parameter '{name}' given twice", "give each parameter once")
        values[name] = _number(value, f"{head}:{name}")
    return head, values


# -- targets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UserParam:
    """A parameter of a user class, read from its constructor signature."""

    name: str
    default: Any  # inspect.Parameter.empty when required
    kind: str = "float"

    @property
    def required(self) -> bool:
        return self.default is inspect.Parameter.empty


@dataclass
class Target:
    """A surrogate to evaluate: a built-in (with its registry record) or a user object.

    ``make(**params)`` builds the surrogate with its defaults updated by ``params``;
    ``validate(params)`` checks names and values (the registry does it for built-ins).
    """

    name: str
    record: Record | None = None
    factory: Callable[..., Any] | None = None  # user class, or None for a ready instance
    instance: Any = None
    user_params: tuple[UserParam, ...] = ()

    @property
    def is_builtin(self) -> bool:
        return self.record is not None

    @property
    def param_names(self) -> tuple[str, ...]:
        if self.record is not None:
            return self.record.param_names
        return tuple(p.name for p in self.user_params)

    @property
    def defaults(self) -> dict[str, Any]:
        if self.record is not None:
            return dict(self.record.defaults)
        return {p.name: p.default for p in self.user_params if not p.required}

    @property
    def default_range(self) -> tuple[float, float]:
        return self.record.x_range if self.record is not None else (-3.0, 3.0)

    def _no_param(self, name: str) -> BadInput:
        import difflib

        have = ", ".join(self.param_names) or "none"
        close = difflib.get_close_matches(name, self.param_names, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return BadInput(f"{self.name} has no parameter '{name}'", f"{hint}its parameters are: {have}")

    def check_name(self, name: str) -> None:
        """Raise :class:`BadInput` (listing the parameters it has) unless ``name`` is one."""
        if self.record is not None:
            self.record.param(name)
        elif name not in self.param_names:
            raise self._no_param(name)

    def validate(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """The full parameter set (defaults updated by ``params``), every value checked."""
        if self.record is not None:
            return self.record.validate(params)
        out = self.defaults
        for name, value in params.items():
            self.check_name(name)
            p = next(q for q in self.user_params if q.name == name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise BadInput(f"{self.name}: {name}={value!r} is not a number", "give a number")
            v = float(value)
            if not math.isfinite(v):
                raise BadInput(f"{self.name}: {name}={value!r} is not finite", "give a finite number")
            out[name] = int(v) if p.kind == "int" and v.is_integer() else v
        missing = [p.name for p in self.user_params if p.required and p.name not in out]
        if missing:
            raise BadInput(
                f"{self.name} needs parameter{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                "(no default in its constructor)",
                " ".join(f"--param {m}=VALUE" for m in missing),
            )
        return out

    def make(self, **params: Any):
        """Construct the surrogate (defaults updated by ``params``, validated)."""
        full = self.validate(params)
        if self.record is not None:
            return self.record.cls(**full)
        if self.factory is None:
            return self.instance
        try:
            obj = self.factory(**full)
        except BadInput:
            raise
        except Exception as exc:  # noqa: BLE001 - user code
            args = ", ".join(f"{k}={format_value(v)}" for k, v in full.items())
            raise BadInput(
                f"{self.name}({args}) failed: {type(exc).__name__}: {exc}",
                "check the parameter values against that class",
            ) from exc
        _check_surrogate_like(obj, self.name)
        return obj

    @property
    def has_fun(self) -> bool:
        """Whether the surrogate defines ``surrogate_fun`` (built-ins: from the registry)."""
        if self.record is not None:
            return self.record.has_fun
        probe = self.factory if self.factory is not None else type(self.instance)
        return _defines_fun(probe)


def _defines_fun(cls: Any) -> bool:
    from .spike import Surrogate  # noqa: F401 - jax is needed for user surrogates anyway

    fun = getattr(cls, "surrogate_fun", None)
    if fun is None or not callable(fun):
        return False
    return fun is not getattr(Surrogate, "surrogate_fun")


def _check_surrogate_like(obj: Any, name: str) -> None:
    grad = getattr(obj, "surrogate_grad", None)
    if grad is None or not callable(grad):
        raise BadInput(
            f"{name} is not a surrogate: it has no surrogate_grad method",
            "subclass surrogate_cli.Surrogate or define surrogate_grad(self, x)",
        )


def _user_params(cls: type, name: str) -> tuple[UserParam, ...]:
    try:
        sig = inspect.signature(cls)
    except (TypeError, ValueError):
        return ()
    out = []
    for p in sig.parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.name == "self":
            continue
        kind = "int" if isinstance(p.default, numbers.Integral) and not isinstance(p.default, bool) else "float"
        out.append(UserParam(p.name, p.default, kind))
    return tuple(out)


def resolve(name: str) -> Target:
    """A :class:`Target` for a built-in spelling or a user target (``file.py:Cls``, ``pkg.mod:Cls``).

    Raises :class:`BadInput` for an unknown name (closest suggested), a missing file, a
    file that fails to import, a missing class, or an object without ``surrogate_grad``.
    """
    name = name.strip()
    if ":" not in name:
        return Target(name=lookup(name).name, record=lookup(name))
    obj = load_object(name)
    display = name.rpartition(":")[2]
    if isinstance(obj, type):
        rec = record_for_class(obj)
        if rec is not None:
            return Target(name=rec.name, record=rec)
        _check_surrogate_like(obj, display)
        return Target(name=display, factory=obj, user_params=_user_params(obj, display))
    _check_surrogate_like(obj, display)
    return Target(name=display, instance=obj)


# -- sweeps ----------------------------------------------------------------------------


def expand(
    target: Target,
    values: Mapping[str, Sequence[float]],
    mode: str = "grid",
    base: Mapping[str, float] | None = None,
) -> list[dict[str, Any]]:
    """Parameter sets of a sweep: the grid (Cartesian product) or ``zip`` of ``values``.

    ``base`` holds fixed values (e.g. from ``NAME:alpha=2``). Names are checked against
    the target and every value against its valid range; each returned set is complete
    (defaults filled in). The first swept parameter varies slowest in a grid.
    """
    if mode not in ("grid", "zip"):
        raise BadInput(f"unknown sweep mode '{mode}'", "use grid or zip")
    base = dict(base or {})
    for key in list(values) + list(base):
        target.check_name(key)
    both = set(values) & set(base)
    if both:
        raise BadInput(f"parameter '{sorted(both)[0]}' given twice", "give each parameter once")
    # order the swept parameters as the surrogate declares them
    order = [n for n in target.param_names if n in values]
    lists = []
    for n in order:
        vals = list(values[n])
        if not vals:
            raise BadInput(f"--{n.replace('_', '-')}: empty list of values", "give at least one value")
        # check each value alone first, so the message names the offending value
        for v in vals:
            target.validate({**base, n: v})
        lists.append(vals)
    if mode == "zip" and lists:
        lengths = {n: len(v) for n, v in zip(order, lists)}
        if len(set(lengths.values())) > 1:
            text = ", ".join(f"{n} has {k}" for n, k in lengths.items())
            raise BadInput(
                f"--zip needs lists of equal length ({text})",
                "give every swept parameter the same number of values, or drop --zip for a grid",
            )
        combos = list(zip(*lists))
    else:
        total = math.prod(len(v) for v in lists) if lists else 1
        if total > MAX_CURVES:
            raise BadInput(
                f"the sweep makes {total} curves", f"at most {MAX_CURVES}; use fewer values or --zip"
            )
        combos = list(itertools.product(*lists))
    return [target.validate({**base, **dict(zip(order, combo))}) for combo in combos]


# -- evaluation ------------------------------------------------------------------------


@dataclass
class Curve:
    """One evaluated curve: float64 arrays over ``x``.

    ``function`` is ``surrogate_fun`` (or, with ``integrated`` set, the numerical
    antiderivative of the gradient anchored at ``g(0) = 0.5``; None when not computed).
    ``swept`` names the parameters that vary across the sweep (for legends).
    """

    surrogate: str
    params: dict[str, Any]
    x: Any
    spike: Any
    gradient: Any
    function: Any = None
    integrated: bool = False
    swept: tuple[str, ...] = ()
    record: Record | None = field(default=None, repr=False)

    @property
    def has_fun(self) -> bool:
        """True when ``function`` is the surrogate's own ``surrogate_fun``."""
        return self.function is not None and not self.integrated


def x_grid(x_range: tuple[float, float], points: int):
    """``points`` evenly spaced float64 samples over ``x_range`` (both ends included)."""
    import numpy as np

    a, b = float(x_range[0]), float(x_range[1])
    return np.linspace(a, b, int(points), dtype=np.float64)


class _Adapter:
    """Wraps an object that only has ``surrogate_grad``/``surrogate_fun`` into a spike."""

    def __new__(cls, obj):
        from .spike import Surrogate

        class Wrapped(Surrogate):
            def surrogate_grad(self, x):
                return obj.surrogate_grad(x)

        return Wrapped()


def _spike_of(obj: Any):
    from .spike import Surrogate

    return obj if isinstance(obj, Surrogate) else _Adapter(obj)


def _user_error(name: str, what: str, exc: BaseException) -> BadInput:
    return BadInput(
        f"{name}: {what} failed: {type(exc).__name__}: {exc}",
        "check that it works on a float64 jax array (run it in Python to see the traceback)",
    )


def _integrate_from_zero(x, grad, anchor, anchor_grad):
    """0.5 + the integral of the gradient from 0 to each x (trapezoid rule).

    ``anchor``/``anchor_grad`` sample [0, x[0]] (empty when x[0] == 0), giving the
    integral from 0 to the first grid point.
    """
    import numpy as np

    cum = np.concatenate([[0.0], np.cumsum(0.5 * (grad[1:] + grad[:-1]) * np.diff(x))])
    start = 0.0
    if anchor.size:
        start = float(np.sum(0.5 * (anchor_grad[1:] + anchor_grad[:-1]) * np.diff(anchor)))
    return 0.5 + start + cum


_JITTED: dict = {}


def _builtin_kernel(record: Record, static: tuple):
    """A jitted ``(x, float_params) -> (spike, grad, fun or grad)`` for one built-in.

    Integer parameters (``n``) are static (they drive Python loops); float parameters are
    traced, so a sweep over them compiles once. Cached per record and static values.
    """
    import jax
    import jax.numpy as jnp

    key = (record.name, static)
    fn = _JITTED.get(key)
    if fn is not None:
        return fn
    static_map = dict(static)

    def kernel(x, floats):
        obj = record.cls(**floats, **static_map)
        spike = obj(x)
        grad = jax.grad(lambda v: jnp.sum(obj(v)))(x)
        fun = obj.surrogate_fun(x) if record.has_fun else grad
        return spike, grad, fun

    fn = jax.jit(kernel)
    _JITTED[key] = fn
    return fn


def _eval_builtin(record: Record, full: Mapping[str, Any], xs):
    import jax
    import jax.numpy as jnp
    import numpy as np

    ints = {p.name for p in record.params if p.kind == "int"}
    static = tuple((k, int(full[k])) for k in record.param_names if k in ints)
    floats = {k: float(full[k]) for k in record.param_names if k not in ints}
    fn = _builtin_kernel(record, static)
    with jax.enable_x64(True):
        out = fn(jnp.asarray(xs, dtype=jnp.float64), {k: jnp.float64(v) for k, v in floats.items()})
        return tuple(np.asarray(o, dtype=np.float64) for o in out)


def evaluate_one(
    target: Target,
    params: Mapping[str, Any],
    x,
    with_function: bool = True,
    swept: Sequence[str] = (),
) -> Curve:
    """Evaluate one parameter set on the float64 grid ``x``.

    Built-ins run as one jitted kernel per surrogate (float parameters traced, so a
    sweep compiles once); user surrogates run eagerly (they need not be jittable).
    """
    import numpy as np

    full = target.validate(params)
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[0]
    need_integral = with_function and not target.has_fun
    # a gradient-only surrogate's g is anchored at 0: also sample [0, x[0]] in the same call
    anchor = np.linspace(0.0, x[0], 4001) if (need_integral and x[0] != 0.0) else np.zeros(0)
    xs = np.concatenate([x, anchor])
    if target.record is not None:
        s, g, f = _eval_builtin(target.record, full, xs)
    else:
        s, g, f = _eval_user(target, full, xs, with_function)
    function = None
    integrated = False
    if with_function:
        if target.has_fun and f is not None:
            function = np.broadcast_to(f, xs.shape)[:n].copy()
        else:
            function = _integrate_from_zero(x, g[:n], anchor, g[n:])
            integrated = True
    return Curve(
        surrogate=target.name,
        params=dict(full),
        x=x,
        spike=np.broadcast_to(s, xs.shape)[:n].copy(),
        gradient=np.broadcast_to(g, xs.shape)[:n].copy(),
        function=function,
        integrated=integrated,
        swept=tuple(swept),
        record=target.record,
    )


def _eval_user(target: Target, full: Mapping[str, Any], xs, with_function: bool):
    import jax
    import jax.numpy as jnp
    import numpy as np

    with jax.enable_x64(True):
        obj = target.make(**full)
        spike = _spike_of(obj)
        xj = jnp.asarray(xs, dtype=jnp.float64)
        try:
            s = np.asarray(spike(xj), dtype=np.float64)
            g = np.asarray(jax.grad(lambda v: jnp.sum(spike(v)))(xj), dtype=np.float64)
        except BadInput:
            raise
        except Exception as exc:  # noqa: BLE001 - user code
            raise _user_error(target.name, "the spike or its gradient", exc) from exc
        f = None
        if with_function and target.has_fun:
            try:
                f = np.asarray(obj.surrogate_fun(xj), dtype=np.float64)
            except NotImplementedError:
                f = None
            except Exception as exc:  # noqa: BLE001
                raise _user_error(target.name, "surrogate_fun", exc) from exc
    for name, arr in (("the spike", s), ("the gradient", g), ("surrogate_fun", f)):
        if arr is not None and arr.shape not in (xs.shape, ()):
            raise BadInput(
                f"{target.name}: {name} has shape {arr.shape} for an input of shape {xs.shape}",
                "return an array of the same shape as x (elementwise)",
            )
    return s, g, f


def evaluate(
    target: Target,
    param_sets: Sequence[Mapping[str, Any]],
    x_range: tuple[float, float] | None = None,
    points: int = 1000,
    with_function: bool = True,
) -> list[Curve]:
    """Evaluate every parameter set of a sweep on ``points`` samples of ``x_range``.

    ``x_range`` defaults to the registry's range for a built-in (``(-3, 3)`` otherwise).
    """
    parse_points(int(points))
    if x_range is None:
        x_range = target.default_range
    if len(param_sets) * int(points) > MAX_SAMPLES:
        raise BadInput(
            f"{len(param_sets)} curves x {points} points is too much to evaluate",
            f"keep curves x points at most {MAX_SAMPLES}",
        )
    x = x_grid(x_range, points)
    swept = swept_names(param_sets)
    return [evaluate_one(target, p, x, with_function, swept) for p in param_sets]


def swept_names(param_sets: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The parameters whose value differs between the sets (in declaration order)."""
    if len(param_sets) < 2:
        return ()
    names = list(param_sets[0])
    return tuple(n for n in names if len({repr(p.get(n)) for p in param_sets}) > 1)


def curves(
    name: str,
    *,
    x_range: tuple[float, float] | None = None,
    points: int = 1000,
    zip: bool = False,  # noqa: A002 - mirrors the CLI option --zip
    with_function: bool = True,
    **values: Any,
) -> list[Curve]:
    """The curves of one surrogate over a sweep, in one call (for scripts and notebooks).

    ``values`` maps parameter names to one number or a sequence of numbers; several
    sequences form a grid, or are paired with ``zip=True``. Parameters not given keep
    their defaults. ``name`` is any spelling of a built-in or a user target
    (``"file.py:Class"``)::

        cs = curves("sigmoid", alpha=[1, 2, 4], x_range=(-2, 2))
        cs[0].x, cs[0].function, cs[0].gradient      # float64 NumPy arrays
    """
    target = resolve(name)
    swept = {
        k: [v] if isinstance(v, numbers.Real) or not isinstance(v, Sequence) else list(v)
        for k, v in values.items()
    }
    sets = expand(target, swept, "zip" if zip else "grid")
    return evaluate(target, sets, x_range, points, with_function)

