"""The sweep config of ``verify --sweep`` (``configs/verify.yaml``): every built-in's grid of
parameter sets."""
from __future__ import annotations

from ...errors import BadInput
from ...yamldoc import config_path

__all__ = ["default_config_path", "load_sweep_config", "default_sets", "DEFAULT_FACTORS"]


def default_config_path() -> str:
    """``configs/verify.yaml`` here, else the packaged one (the same order as the gallery's)."""
    return config_path("verify.yaml")


def load_sweep_config(path: str | None = None) -> dict[str, list[dict]]:
    """Read ``configs/verify.yaml``: ``{name: [complete parameter set, ...]}`` for every built-in.

    Format (per built-in under ``surrogates:``): ``grid: {param: [values]}`` (Cartesian
    product) and/or ``cases: [{param: value, ...}]`` (extra single sets, e.g. edge
    cases); parameters not given keep their defaults; a built-in the file does not name
    gets :func:`default_sets`. Every problem (unknown surrogate or parameter, a value out
    of range) is a :class:`BadInput` starting with ``file:line``.
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
    for name, rec in REGISTRY.items():  # every built-in is swept: one not named gets the default grid
        if name not in out:
            out[name] = default_sets(rec)
    return {name: out[name] for name in REGISTRY}


#: the default grid of a built-in the config does not name: its ``solve_param`` (width or
#: steepness) at these multiples of its default, where they are valid
DEFAULT_FACTORS = (0.1, 0.3, 1.0, 3.0, 10.0)


def default_sets(rec) -> list[dict]:
    """The parameter sets ``verify --sweep`` checks for a built-in without an entry."""
    if rec.solve_param is None:
        return [dict(rec.defaults)]
    p = rec.param(rec.solve_param)
    values = dict.fromkeys(float(p.default * f) for f in DEFAULT_FACTORS)
    return [{**rec.defaults, p.name: v} for v in values if p.in_range(v)]
