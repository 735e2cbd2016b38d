"""What ``surrogate info`` shows: a JSON-ready dict and a Rich renderable (no printing here)."""
from __future__ import annotations

import math

from ..formatting import fmt, json_number

__all__ = ["info_data", "info_renderable"]


def _num(v) -> str:
    return fmt(v, 10, words=True)


def info_data(target, params: dict, props) -> dict:
    """Everything ``info`` knows, as plain JSON-able data."""
    rec = target.record
    data = {
        "name": target.name,
        "class": rec.class_name if rec else None,
        "builtin": rec is not None,
        "description": rec.description if rec else None,
        "g": rec.fun_tex if rec else None,
        "g_prime": rec.grad_tex if rec else None,
        "has_fun": props.has_fun,
        "reference": rec.reference if rec else None,
        "parameters": [],
        "properties": {},
    }
    if rec is not None:
        for p in rec.params:
            data["parameters"].append(
                {"name": p.name, "value": params[p.name], "default": p.default, "range": p.range_text, "doc": p.doc}
            )
    else:
        for name in target.param_names:
            data["parameters"].append({"name": name, "value": params.get(name), "default": target.defaults.get(name)})
    d = props.as_dict()
    detail: dict[str, str] = {}

    def _json_num(key, v):
        out = json_number(v)
        if out is None and v is not None:
            detail[key] = fmt(v)
        return out

    data["properties"] = {
        "peak_value": d["peak_value"],
        "peak_x": d["peak_x"],
        "plateau": (None if d["plateau"] is None else
                    {"from": _json_num("plateau.from", d["plateau"][0]), "to": _json_num("plateau.to", d["plateau"][1]),
                     "includes_from": d["plateau_closed"][0], "includes_to": d["plateau_closed"][1]}),
        "fwhm": _json_num("fwhm", d["fwhm"]),
        "half_max_interval": [_json_num(f"half_max_interval[{i}]", v) for i, v in enumerate(d["half_max_interval"])],
        "support": d["support_text"],
        "compact": d["compact"],
        "support_interval": d["support"],
        "left_tail": d["left"],
        "right_tail": d["right"],
        "area_numerical": _json_num("area_numerical", d["area_numerical"]),
        "area_closed_form": _json_num("area_closed_form", d["area_closed"]),
        "symmetric": d["symmetric"],
        "g0": d["g0"],
        "monotone": d["monotone"],
        "decreasing_at": d["decreasing_at"],
        "notes": d["notes"],
    }
    # JSON has no inf or nan: such a value is null, and "non_finite" says what it was
    data["properties"]["non_finite"] = detail
    data["noise"] = _noise(target, params)
    foreign = _foreign(rec, params)
    if foreign is not None:
        data["foreign"] = foreign
    return data


def _noise(target, params: dict) -> str | None:
    """The escape-noise reading of a built-in (catalog data), None for user surrogates."""
    if target.record is None:
        return None
    from ..catalog.noise import noise_text

    return noise_text(target.record, params)


def _foreign(rec, params: dict) -> dict | None:
    """A foreign record's library, source, forward convention, family, oddities, equivalent."""
    from ..catalog.foreign import ForeignRecord, equivalence_rule, equivalence_text

    if not isinstance(rec, ForeignRecord):
        return None
    s = rec.source
    return {
        "library": rec.library,
        "name_in_library": rec.source_name,
        "forward": f"x {rec.forward} 0",
        "family": rec.family,
        "source": {"repo": s.repo, "path": s.path, "version": s.version, "commit": s.commit,
                   "main_branch": s.main_note or None},
        "oddities": list(rec.oddities),
        "equivalent_rule": equivalence_rule(rec),
        "equivalent": equivalence_text(rec, **params),
        "code": rec.paste(**params),
    }


def info_renderable(target, params: dict, props):
    """A Rich group: header, formulas, parameters, reference, properties."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    rec = target.record
    parts = []
    head = Text(target.name, style="bold cyan")
    if rec is not None:
        head.append(f"  ({rec.class_name})", style="bold")
        parts.append(head)
        parts.append(Text(rec.description))
    else:
        head.append("  (user surrogate)", style="bold")
        parts.append(head)

    if rec is not None:
        f = Table.grid(padding=(0, 2))
        f.add_column(style="bold", no_wrap=True)
        f.add_column(overflow="fold")  # LaTeX has few spaces: fold it rather than cut it
        f.add_row("g(x)", rec.fun_tex.partition("=")[2].strip() if rec.fun_tex else "none (gradient only)")
        f.add_row("g'(x)", rec.grad_tex.partition("=")[2].strip())
        parts += [Text(""), Text("Formulas (LaTeX)", style="bold underline"), f]

    t = Table(title="Parameters", title_justify="left", title_style="bold underline")
    t.add_column("name", style="cyan")
    t.add_column("value")
    t.add_column("default")
    if rec is not None:
        t.add_column("valid range")
        t.add_column("meaning")
        for p in rec.params:
            t.add_row(p.name, _num(params[p.name]), _num(p.default), p.range_text, p.doc)
    else:
        for name in target.param_names:
            t.add_row(name, _num(params.get(name)), _num(target.defaults.get(name)))
    if rec is not None or target.param_names:
        parts += [Text(""), t]

    if rec is not None:
        parts += [Text(""), Text("Reference", style="bold underline"), Text(rec.reference)]
    foreign = _foreign(rec, params)
    if foreign is not None:
        ft = Table.grid(padding=(0, 2))
        ft.add_column(style="bold", no_wrap=True)
        ft.add_column(overflow="fold")
        src = foreign["source"]
        ft.add_row("library", f"{foreign['library']} (as {foreign['name_in_library']})")
        ft.add_row("source", f"{src['repo']} {src['path']}")
        ft.add_row("version", f"{src['version']}; {src['commit']}")
        if src["main_branch"]:
            ft.add_row("main branch", src["main_branch"])
        ft.add_row("forward", f"spikes where {foreign['forward']}")
        ft.add_row("family", foreign["family"])
        ft.add_row("equivalent", foreign["equivalent"] or "none among the built-ins (surrogate convert: closest fit)")
        if foreign["equivalent_rule"]:
            ft.add_row("in general", foreign["equivalent_rule"])
        for odd in foreign["oddities"]:
            ft.add_row("oddity", odd)
        ft.add_row("code", foreign["code"])
        parts += [Text(""), Text("Other library", style="bold underline"), ft]

    p = props
    pr = Table(title="Properties of g' at these parameters", title_justify="left",
               title_style="bold underline", show_header=False)
    pr.add_column(style="bold")
    pr.add_column()
    pr.add_row("peak of g'", p.peak_text(_num))
    if math.isfinite(p.fwhm):
        lo, hi = p.half_max_interval
        pr.add_row("full width at half maximum", f"{_num(p.fwhm)}  (from x = {_num(lo)} to {_num(hi)})")
    else:
        pr.add_row("full width at half maximum", "infinite (g' never falls to half its peak on one side)")
    pr.add_row("support", p.support_text)
    if p.area_numerical is None:
        area = "does not converge (the gradient does not decay)"
    else:
        area = f"{_num(p.area_numerical)} (numerical)"
    if p.area_closed is not None:
        area += f"; closed form {_num(p.area_closed)}"
    elif rec is not None:
        area += "; no closed form in the registry"
    pr.add_row("area under g'", area)
    pr.add_row("symmetric", "yes, g'(-x) = g'(x)" if p.symmetric else "no")
    pr.add_row("g(0)", _num(p.g0) if p.has_fun else "- (gradient only; plots anchor the integrated g at 0.5)")
    mono = "yes" if p.monotone else f"no (decreasing from x = {_num(p.decreasing_at)}, the nearest to 0)"
    pr.add_row("g monotone", mono)
    noise = _noise(target, params)
    if noise is not None:
        pr.add_row("as escape noise", noise)
    for note in p.notes:
        pr.add_row("note", note)
    parts += [Text(""), pr]
    return Group(*parts)
