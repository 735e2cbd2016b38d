"""A surrogate to evaluate, resolved once: a built-in (its catalog record) or a user's
class or instance (``path/to/file.py:Class``, ``package.module:Class``)."""
from __future__ import annotations

import inspect
import math
import numbers
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..catalog import Record, find_record, unknown_param, validate_value
from ..errors import BadInput
from ..formatting import fmt
from .loading import load_object

__all__ = ["ParamSet", "Target", "UserParam", "resolve", "looks_like_file", "surrogate_classes", "defines_fun",
           "check_surrogate_like", "user_params", "spike_of"]


class ParamSet(dict):
    """A complete parameter set whose values were checked against the target (by
    :meth:`Target.validate` or :func:`~.sweep.expand`), so it is not checked again."""


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

    ``make(params)`` builds the surrogate with its defaults updated by ``params``;
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

    def __reduce_ex__(self, protocol):
        """A catalogued target pickles as its catalog name (a worker process looks its
        record up again); a user's pickles as its class or instance does, if it does."""
        if self.record is not None and self.factory is None and self.instance is None:
            return (_catalogued, (self.record.name, self.name))
        return super().__reduce_ex(protocol)

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

    def check_name(self, name: str) -> None:
        """Raise :class:`BadInput` (listing the parameters it has) unless ``name`` is one."""
        if self.record is not None:
            self.record.param(name)
        elif name not in self.param_names:
            raise unknown_param(self.name, name, self.param_names)

    def check_value(self, name: str, value: Any) -> Any:
        """One parameter's value, checked (and coerced to int for an integer parameter)."""
        if self.record is not None:
            return validate_value(self.record.param(name), value, owner=self.name)
        self.check_name(name)
        p = next(q for q in self.user_params if q.name == name)
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise BadInput(f"{self.name}: {name}={value!r} is not a number", "give a number")
        v = float(value)
        if not math.isfinite(v):
            raise BadInput(f"{self.name}: {name}={value!r} is not finite", "give a finite number")
        return int(v) if p.kind == "int" and v.is_integer() else v

    def complete(self, checked: Mapping[str, Any]) -> "ParamSet":
        """The defaults updated by already checked values; every required parameter present."""
        out = ParamSet(self.defaults)
        out.update(checked)
        missing = [p.name for p in self.user_params if p.required and p.name not in out]
        if missing:
            raise BadInput(
                f"{self.name} needs parameter{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                "(no default in its constructor)",
                "give " + ", ".join(f"{m}=VALUE" for m in missing),
            )
        return out

    def validate(self, params: Mapping[str, Any]) -> "ParamSet":
        """The full parameter set (defaults updated by ``params``), every value checked.

        A :class:`ParamSet` (the output of this method or of :func:`~.sweep.expand`) is
        returned as it is: it was checked already.
        """
        if isinstance(params, ParamSet):
            return params
        return self.complete({name: self.check_value(name, value) for name, value in params.items()})

    def make(self, params: Mapping[str, Any] | None = None, **kwargs: Any):
        """Construct the surrogate (defaults updated by ``params`` and ``kwargs``, validated once)."""
        full = self.validate(params if params is not None and not kwargs else {**(params or {}), **kwargs})
        if self.record is not None:
            from ..library import builtin_class

            return builtin_class(self.record)(**full)
        if self.factory is None:
            return self.instance
        try:
            obj = self.factory(**full)
        except BadInput:
            raise
        except Exception as exc:  # noqa: BLE001 - user code
            args = ", ".join(f"{k}={fmt(v)}" for k, v in full.items())
            raise BadInput(
                f"{self.name}({args}) failed: {type(exc).__name__}: {exc}",
                "check the parameter values against that class",
            ) from exc
        check_surrogate_like(obj, self.name)
        return obj

    @property
    def has_fun(self) -> bool:
        """Whether the surrogate defines ``surrogate_fun`` (built-ins: from the registry)."""
        if self.record is not None:
            return self.record.has_fun
        probe = self.factory if self.factory is not None else type(self.instance)
        return defines_fun(probe)


def defines_fun(cls: Any) -> bool:
    from ..library import Surrogate  # noqa: F401 - jax is needed for user surrogates anyway

    fun = getattr(cls, "surrogate_fun", None)
    if fun is None or not callable(fun):
        return False
    return fun is not getattr(Surrogate, "surrogate_fun")


def check_surrogate_like(obj: Any, name: str) -> None:
    grad = getattr(obj, "surrogate_grad", None)
    if grad is None or not callable(grad):
        raise BadInput(
            f"{name} is not a surrogate: it has no surrogate_grad method",
            "subclass surrogate_cli.Surrogate or define surrogate_grad(self, x)",
        )


def user_params(cls: type, name: str) -> tuple[UserParam, ...]:
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


def looks_like_file(name: str) -> bool:
    """Whether a target without ``:Class`` is a path to a Python file (not a built-in name)."""
    return name.endswith(".py") or "/" in name or "\\" in name


def surrogate_classes(path: str) -> list[type]:
    """The surrogate classes a user file defines (not those it imports), in file order."""
    from ..library import Surrogate
    from .loading import load_module

    module = load_module(path)
    found = []
    for attr, value in vars(module).items():
        if not isinstance(value, type) or attr.startswith("_") or value is Surrogate:
            continue
        if value.__module__ != module.__name__:
            continue
        grad = getattr(value, "surrogate_grad", None)
        if callable(grad) and grad is not getattr(Surrogate, "surrogate_grad", None):
            found.append(value)
    return found


def _catalogued(record_name: str, name: str) -> Target:
    return Target(name=name, record=find_record(record_name))


def resolve(name: str) -> Target:
    """A :class:`Target` for a built-in spelling or a user target (``file.py:Cls``, ``pkg.mod:Cls``).

    Raises :class:`BadInput` for an unknown name (closest suggested), a missing file, a
    file that fails to import, a missing class, or an object without ``surrogate_grad``.
    """
    name = name.strip()
    if ":" not in name and looks_like_file(name):
        classes = [c.__name__ for c in surrogate_classes(name)]
        raise BadInput(
            f"'{name}' names a file, not a surrogate",
            (f"give one class as {name}:ClassName; it defines: {', '.join(classes)}" if classes
             else "it defines no surrogate class (a class with a surrogate_grad method)"),
        )
    if ":" not in name:
        rec = find_record(name)
        return Target(name=rec.name, record=rec)
    obj = load_object(name)
    display = name.rpartition(":")[2]
    if isinstance(obj, type):
        from ..library import record_of_class

        rec = record_of_class(obj)
        if rec is not None:
            return Target(name=rec.name, record=rec)
        check_surrogate_like(obj, display)
        return Target(name=display, factory=obj, user_params=user_params(obj, display))
    check_surrogate_like(obj, display)
    return Target(name=display, instance=obj)



class _Adapter:
    """Wraps an object that only has ``surrogate_grad``/``surrogate_fun`` into a spike."""

    def __new__(cls, obj):
        from ..library import Surrogate

        class Wrapped(Surrogate):
            def surrogate_grad(self, x):
                return obj.surrogate_grad(x)

        return Wrapped()


def spike_of(obj: Any):
    from ..library import Surrogate

    return obj if isinstance(obj, Surrogate) else _Adapter(obj)


