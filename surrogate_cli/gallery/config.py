"""The gallery's config (``configs/gallery.yaml``), validated: every error names file:line.

A built-in missing from the config is an error: the gallery is the picture book of the
whole library.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..catalog import REGISTRY, find_record, lookup_in_config, validate_value
from ..errors import BadInput
from ..render.files import FIGURE_FORMATS
from ..yamldoc import YamlDoc, config_path, load_yaml

__all__ = ["Entry", "GalleryConfig", "load_config", "default_config_path", "PANELS", "FORMATS", "MODES"]

PANELS = ("spike", "function", "gradient")
FORMATS = tuple(FIGURE_FORMATS.values())  # every figure format the package writes
MODES = ("grid", "zip")


@dataclass(frozen=True)
class Entry:
    """One surrogate's figure: its sweep, x range, panels and axis scale."""

    name: str
    sweep: dict[str, list]  # parameter -> values, in config order
    mode: str
    x_range: tuple[float, float]
    log: bool
    panels: tuple[str, ...]

    def param_sets(self) -> list[dict]:
        """The parameter sets of the sweep (grid or zip), each merged over the defaults."""
        from ..evaluation import expand, resolve

        return expand(resolve(self.name), self.sweep, self.mode)


@dataclass(frozen=True)
class GalleryConfig:
    """The validated gallery configuration."""

    path: str
    digest: str  # sha256 of the config file's bytes
    figsize: tuple[float, float]
    dpi: int
    points: int
    panels: tuple[str, ...]
    formats: tuple[str, ...]
    overview_columns: int
    overview_figsize: tuple[float, float]
    entries: tuple[Entry, ...] = field(default_factory=tuple)

    def entry(self, name: str) -> Entry:
        rec = find_record(name)
        for e in self.entries:
            if e.name == rec.name:
                return e
        raise BadInput(f"'{name}' is not in {self.path}", "add it under 'surrogates:'")


def default_config_path() -> str:
    """``configs/gallery.yaml`` here, else the packaged one (the same order as verify's)."""
    return config_path("gallery.yaml")


# -- validation helpers ----------------------------------------------------------------------


def _number(doc: YamlDoc, keys: tuple, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise doc.error(keys, f"{value!r} is not a number", "write a number, e.g. 1.5")
    if not math.isfinite(value):
        raise doc.error(keys, f"{value!r} is not finite", "write a finite number")
    return float(value)


def _pair(doc: YamlDoc, keys: tuple, value: Any, what: str, positive: bool = False) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise doc.error(keys, f"{what} must be a list of two numbers, got {value!r}", "write e.g. [-3, 3]")
    a, b = (_number(doc, keys + (i,), v) for i, v in enumerate(value))
    if positive and (a <= 0 or b <= 0):
        raise doc.error(keys, f"{what} must be positive, got {value!r}", "write e.g. [12, 3.6]")
    if not positive and not a < b:
        raise doc.error(keys, f"{what} [{a:g}, {b:g}] is empty or reversed", "write [low, high] with low < high")
    return a, b


def _int(doc: YamlDoc, keys: tuple, value: Any, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise doc.error(keys, f"{what} must be a whole number from {low} to {high}, got {value!r}",
                        f"write e.g. {low if low > 1 else high // 2}")
    return value


def _choices(doc: YamlDoc, keys: tuple, value: Any, allowed: Sequence[str], what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise doc.error(keys, f"{what} must be a non-empty list", f"choose from: {', '.join(allowed)}")
    for i, item in enumerate(value):
        if item not in allowed:
            raise doc.error(keys + (i,), f"unknown {what[:-1] if what.endswith('s') else what} '{item}'",
                            f"choose from: {', '.join(allowed)}")
    return tuple(dict.fromkeys(value))


def _bool(doc: YamlDoc, keys: tuple, value: Any) -> bool:
    if not isinstance(value, bool):
        raise doc.error(keys, f"expected true or false, got {value!r}", "write true or false")
    return value


def default_entry(rec, panels: tuple[str, ...]) -> Entry:
    """The figure of a built-in the config does not name: the parameter ``flow`` solves for
    (its width or steepness) at 1/2, 1 and 2 times its default, kept inside its valid range,
    over the record's range."""
    sweep: dict[str, list] = {}
    if rec.solve_param is not None:
        p = rec.param(rec.solve_param)
        sweep[p.name] = [float(v) for v in dict.fromkeys(p.default * f for f in (0.5, 1.0, 2.0)) if p.in_range(v)]
    return Entry(rec.name, sweep, "grid", (float(rec.x_range[0]), float(rec.x_range[1])), False, panels)


def _entry(doc: YamlDoc, name: Any, body: Any, defaults_panels: tuple[str, ...]) -> Entry:
    keys = ("surrogates", name)
    rec = lookup_in_config(doc, keys, name)
    body = {} if body is None else body
    doc.check_keys(keys, body, ("sweep", "mode", "range", "log", "panels"))
    sweep: dict[str, list] = {}
    raw = body.get("sweep", {}) or {}
    doc.check_keys(keys + ("sweep",), raw, rec.param_names)
    for pname, values in raw.items():
        pkeys = keys + ("sweep", pname)
        values = values if isinstance(values, list) else [values]
        if not values:
            raise doc.error(pkeys, f"empty sweep for '{pname}'", "give at least one value")
        out = []
        for i, v in enumerate(values):
            _number(doc, pkeys + (i,), v)
            try:
                v = validate_value(rec.param(pname), v, owner=rec.name)
            except BadInput as exc:
                raise doc.error(pkeys + (i,), exc.message, exc.hint) from None
            out.append(float(v) if rec.param(pname).kind == "float" else v)
        sweep[pname] = out
    mode = body.get("mode", "grid")
    if mode not in MODES:
        raise doc.error(keys + ("mode",), f"unknown mode '{mode}'", "write grid or zip")
    if mode == "zip" and len({len(v) for v in sweep.values()}) > 1:
        lengths = ", ".join(f"{k}: {len(v)}" for k, v in sweep.items())
        raise doc.error(keys + ("sweep",), f"zip needs lists of equal length ({lengths})",
                        "make the lists the same length or use mode: grid")
    x_range = _pair(doc, keys + ("range",), body["range"], "range") if "range" in body else rec.x_range
    log = _bool(doc, keys + ("log",), body["log"]) if "log" in body else False
    panels = (_choices(doc, keys + ("panels",), body["panels"], PANELS, "panels")
              if "panels" in body else defaults_panels)
    return Entry(rec.name, sweep, mode, (float(x_range[0]), float(x_range[1])), log, panels)


def load_config(path: str) -> GalleryConfig:
    """Read and validate a gallery config; any problem is a :class:`BadInput` with file:line."""
    doc = load_yaml(path)
    data = doc.data
    doc.check_keys((), data, ("defaults", "overview", "surrogates"), required=("surrogates",))
    d = data.get("defaults", {}) or {}
    doc.check_keys(("defaults",), d, ("figsize", "dpi", "points", "panels", "formats"))
    k = ("defaults",)
    figsize = _pair(doc, k + ("figsize",), d["figsize"], "figsize", positive=True) if "figsize" in d else (12.0, 3.6)
    dpi = _int(doc, k + ("dpi",), d["dpi"], 20, 600, "dpi") if "dpi" in d else 110
    points = _int(doc, k + ("points",), d["points"], 2, 10**6, "points") if "points" in d else 801
    panels = _choices(doc, k + ("panels",), d["panels"], PANELS, "panels") if "panels" in d else PANELS
    formats = _choices(doc, k + ("formats",), d["formats"], FORMATS, "formats") if "formats" in d else ("svg", "png")
    o = data.get("overview", {}) or {}
    doc.check_keys(("overview",), o, ("columns", "figsize"))
    columns = _int(doc, ("overview", "columns"), o["columns"], 1, len(REGISTRY), "columns") if "columns" in o else 6
    ofigsize = (_pair(doc, ("overview", "figsize"), o["figsize"], "figsize", positive=True)
                if "figsize" in o else (18.0, 9.0))
    surr = data["surrogates"]
    if not isinstance(surr, dict) or not surr:
        raise doc.error(("surrogates",), "'surrogates' must map each surrogate name to its settings",
                        "see configs/gallery.yaml in the repository for the format")
    entries = [_entry(doc, name, body, panels) for name, body in surr.items()]
    # the gallery is complete: a built-in without an entry is drawn with its default sweep
    entries += [default_entry(rec, panels) for name, rec in REGISTRY.items() if name not in surr]
    order = {n: i for i, n in enumerate(REGISTRY)}
    entries.sort(key=lambda e: order[e.name])
    with open(path, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    return GalleryConfig(path, digest, figsize, dpi, points, panels, formats, columns, ofigsize, tuple(entries))
