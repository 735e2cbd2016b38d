"""The base class of the built-in surrogates: validated parameters from the catalog,
upstream ``repr``, value equality and hashing, and a one-kernel eager call."""
from __future__ import annotations

import functools
import inspect

import jax
import jax.numpy as jnp

from ..catalog import REGISTRY, Record, validate_value
from .spike import Surrogate

__all__ = ["BuiltinSurrogate", "class_doc", "params_equal", "param_hash_key", "record_signature"]


def params_equal(a, b) -> bool:
    """Parameter equality: same shape and values; a tracer equals only itself."""
    if a is b:
        return True
    if isinstance(a, jax.core.Tracer) or isinstance(b, jax.core.Tracer):
        return False
    a, b = jnp.asarray(a), jnp.asarray(b)
    return a.shape == b.shape and bool(jnp.all(a == b))


def param_hash_key(value):
    """A hashable stand-in for a parameter, consistent with :func:`params_equal`."""
    if isinstance(value, jax.core.Tracer):
        return ("tracer", id(value))
    try:
        return hash(value)
    except TypeError:  # arrays
        import numpy as np

        arr = np.asarray(value)
        if arr.size == 1:
            return hash(arr.reshape(()).item())
        return hash((arr.shape, tuple(arr.reshape(-1).tolist())))


class BuiltinSurrogate(Surrogate):
    """Shared plumbing of the built-ins: validated parameters, repr, equality, hash."""

    _repr_order: tuple[str, ...] = ()

    def __init_subclass__(cls, record: str | None = None, **kwargs):
        super().__init_subclass__(**kwargs)
        if record is None:
            return  # a user's subclass of a built-in inherits its record
        rec = REGISTRY[record]
        if rec.class_name != cls.__name__:
            raise TypeError(f"record '{record}' names class {rec.class_name}, not {cls.__name__}")
        cls._record = rec
        cls._exact = cls
        cls._repr_order = rec.repr_order or rec.param_names
        if "__init__" not in cls.__dict__:
            cls.__init__ = _init_from_record(cls, rec)
        if cls.__doc__ is None:
            cls.__doc__ = class_doc(rec)

    def __call__(self, x):
        # The spike of an exact built-in runs as one jitted function of (x, parameters):
        # outside jit, calling it is one compiled kernel instead of one dispatch (and
        # one pass over memory) per operation of surrogate_grad, and its first call
        # compiles once. Inside jit/grad/vmap it inlines; semantics are unchanged.
        x = jnp.asarray(x)
        cls = type(self)
        if cls is not getattr(cls, "_exact", None) or not jnp.issubdtype(x.dtype, jnp.inexact):
            return super().__call__(x)
        static = tuple((p.name, getattr(self, p.name)) for p in self._record.params if p.kind == "int")
        try:
            hash(static)
        except TypeError:  # an array-valued integer parameter
            return super().__call__(x)
        dynamic = tuple(getattr(self, p.name) for p in self._record.params if p.kind != "int")
        return _jitted_spike(cls, static, dynamic, x)

    def _set(self, **params):
        for name, value in params.items():
            p = self._record.param(name)
            setattr(self, name, validate_value(p, value, owner=type(self).__name__))

    def _params(self) -> tuple:
        return tuple(getattr(self, n) for n in self._repr_order)

    def __repr__(self):
        inner = ", ".join(f"{n}={getattr(self, n)}" for n in self._repr_order)
        return f"{type(self).__name__}({inner})"

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(params_equal(a, b) for a, b in zip(self._params(), other._params()))

    def __hash__(self):
        return hash((type(self), tuple(param_hash_key(p) for p in self._params())))


def class_doc(rec: Record) -> str:
    """A built-in class's docstring, written from its record: the catalog states each
    formula, range and default once, and ``help(Sigmoid)`` shows them."""
    lines = [f"{rec.description}", ""]
    if rec.fun_tex:
        lines.append(f":math:`{rec.fun_tex}`,")
    lines += [f":math:`{rec.grad_tex}`.", "", "Args:"]
    for p in rec.params:
        lines.append(f"    {p.name}: {p.doc} ({p.range_text}; default {p.default}).")
    if rec.repr_order and rec.repr_order != rec.param_names:
        lines += ["", f"The arguments are in upstream's order ({', '.join(rec.param_names)}); so is "
                      f"``repr``'s ({', '.join(rec.repr_order)})."]
    if not rec.has_fun:
        lines += ["", "Gradient only: ``surrogate_fun`` raises ``NotImplementedError``."]
    lines += ["", f"Reference: {rec.reference}."]
    return "\n".join(lines)


def record_signature(rec: Record, first: tuple[str, ...] = ()) -> inspect.Signature:
    """The signature ``(first..., p1=default1, ...)`` of a record's parameters, in its order."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    return inspect.Signature([inspect.Parameter(n, kind) for n in first]
                             + [inspect.Parameter(p.name, kind, default=p.default) for p in rec.params])


def _init_from_record(cls: type, rec: Record):
    """``__init__(self, p1=default1, ...)``: the catalog's parameters and defaults, validated."""
    sig = record_signature(rec)

    def __init__(self, *args, **kwargs):
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError as exc:
            raise TypeError(f"{cls.__name__}(): {exc}") from None
        bound.apply_defaults()
        self._set(**bound.arguments)

    __init__.__signature__ = record_signature(rec, ("self",))
    __init__.__qualname__ = f"{cls.__name__}.__init__"
    __init__.__doc__ = f"{cls.__name__}({', '.join(f'{p.name}={p.default}' for p in rec.params)})"
    return __init__


@functools.partial(jax.jit, static_argnums=(0, 1))
def _jitted_spike(cls, static, dynamic, x):
    obj = object.__new__(cls)
    for name, value in static:
        setattr(obj, name, value)
    for p, value in zip((p for p in cls._record.params if p.kind != "int"), dynamic):
        setattr(obj, p.name, value)
    return Surrogate.__call__(obj, x)

