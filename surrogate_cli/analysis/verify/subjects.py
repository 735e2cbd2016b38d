"""What to check: ``verify``'s first argument (names, files, classes, instances) turned into
:class:`Subject` s, each a surrogate with its parameter sets."""
from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ...errors import BadInput
from ...formatting import fmt
from .config import load_sweep_config

__all__ = ["AUTO_FACTORS", "Subject", "subjects_for", "user_classes", "is_surrogate_like", "params_of_instance"]

#: The automatic sweep of a user class: its defaults, then each float parameter times these.
AUTO_FACTORS = (0.5, 2.0)


@dataclass
class Subject:
    """One surrogate to check over one or more parameter sets."""

    name: str
    record: Any = None  # registry Record for built-ins
    param_sets: list[dict] = field(default_factory=list)
    make: Callable[..., Any] | None = None  # params -> object (user surrogates)
    shown: dict | None = None  # parameters to report for a user object built without params
    factory: Any = None  # the user class (its float parameters may be traced), or None
    notes: list[str] = field(default_factory=list)  # e.g. values the constructor refused


def is_surrogate_like(obj: Any) -> bool:
    return callable(getattr(obj, "surrogate_grad", None))


def user_classes(module) -> list[type]:
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


def params_of_instance(obj: Any) -> dict:
    out = {}
    for k, v in sorted(vars(obj).items()) if hasattr(obj, "__dict__") else []:
        if k.startswith("_") or isinstance(v, bool):
            continue
        if isinstance(v, numbers.Real):
            out[k] = v
    return out


def _is_list(v: Any) -> bool:
    return isinstance(v, (list, tuple)) or (hasattr(v, "__len__") and not isinstance(v, (str, bytes)))


def subject_for_target(target, params: Mapping[str, Any], automatic: bool = False) -> Subject:
    """A :class:`Subject` for a resolved :class:`~surrogate_cli.evaluation.Target`.

    ``params`` values may be lists (a grid, as ``plot`` sweeps). ``automatic``: a user class
    given no lists is checked at its defaults and at each float parameter scaled by 0.5 and 2
    (a value the constructor refuses is left out, with a note).
    """
    from ...evaluation import expand

    lists = {k: list(v) for k, v in params.items() if _is_list(v)}
    singles = {k: v for k, v in params.items() if not _is_list(v)}
    if lists:
        sets = expand(target, lists, "grid", base=singles)
    else:
        sets = [target.validate(dict(singles))]
    if target.record is not None:
        return Subject(target.record.name, target.record, sets)
    notes: list[str] = []
    if automatic and not lists and target.factory is not None:
        full = sets[0]
        for p in target.user_params:
            v = full.get(p.name)
            if p.kind != "float" or p.name in singles or isinstance(v, bool) or not isinstance(v, numbers.Real) \
                    or not v or v != v or abs(v) == float("inf"):
                continue
            for factor in AUTO_FACTORS:
                trial = {**full, p.name: float(v) * factor}
                try:
                    target.make(**trial)
                except BadInput as exc:
                    notes.append(f"{p.name}={fmt(trial[p.name])} refused by the constructor ({exc.message}): "
                                 f"{p.name} left at its default there")
                    continue
                sets.append(trial)

    def make(**p):
        return target.make(**p)

    shown = sets[0] if target.factory is not None else (
        params_of_instance(target.instance) if target.instance is not None else {})
    return Subject(target.name, None, sets, make, shown, target.factory, notes)


def subjects_for(
    items: Any,
    params: Mapping[str, Any] | None = None,
    *,
    sweep: bool = False,
    config: str | None = None,
    defaults_only: bool = False,
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
        raise BadInput("no surrogate to verify", "give one or more built-in names, files, classes or instances")
    out: list[Subject] = []
    loaded = None
    for item in seq:
        if isinstance(item, str):
            text = item.strip()
            if ":" not in text and (text.endswith(".py") or "/" in text):
                module = load_module(text)
                classes = user_classes(module)
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
                if not is_surrogate_like(item):
                    raise BadInput(f"{item.__name__} is not a surrogate: it has no surrogate_grad method",
                                   "subclass surrogate_cli.Surrogate or define surrogate_grad(self, x)")
                targets = [Target(name=item.__name__, factory=item,
                                  user_params=user_params(item, item.__name__))]
        elif is_surrogate_like(item):
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
                               params_of_instance(item)))
            continue
        else:
            raise BadInput(f"{item!r} is not a surrogate",
                           "give a name, a file.py[:Class], a class or an object with surrogate_grad")
        for target in targets:
            if sweep and target.record is None:  # a user surrogate's sweep is the automatic one
                if params:
                    raise BadInput("sweep takes its parameters from the automatic sweep, not from params",
                                   "drop params, or drop sweep", subject="sweep")
                out.append(subject_for_target(target, {}, automatic=True))
            elif sweep:
                if params:
                    raise BadInput("sweep takes its parameters from the config, not from params",
                                   "drop params, or drop sweep to check one parameter set", subject="sweep")
                if loaded is None:
                    loaded = load_sweep_config(config)
                grid = loaded[target.record.name]
                out.append(Subject(target.record.name, target.record, grid))
            else:
                out.append(subject_for_target(target, params, automatic=not defaults_only))
    return out

