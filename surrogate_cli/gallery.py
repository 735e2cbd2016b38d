"""The documentation gallery: ``configs/gallery.yaml`` -> figures, CSV and an index.

:func:`load_config` validates the YAML (every error names the file and line);
:func:`build` draws one figure per surrogate plus an overview sheet of all gradients,
writes the curves behind each figure as CSV, a ``manifest.json`` and ``README.md``;
:func:`check` rebuilds the data into a temporary folder and lists what differs from a
committed gallery. The comparison is on the CSV numbers (to a relative 1e-9), the
index text and the manifest (config digest, library version, file list), never on
image bytes, so a different matplotlib patch release does not fail it.

A built-in missing from the config is an error: the gallery is the picture book of
the whole library.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from .config import YamlDoc, load_yaml
from .errors import BadInput
from .registry import REGISTRY, lookup, validate_value

__all__ = ["Entry", "GalleryConfig", "load_config", "build", "check", "expected_files"]

PANELS = ("spike", "function", "gradient")
FORMATS = ("svg", "png", "pdf")
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
        from .sweep import expand, resolve

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
        rec = lookup(name)
        for e in self.entries:
            if e.name == rec.name:
                return e
        raise BadInput(f"'{name}' is not in {self.path}", "add it under 'surrogates:'")


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


def _entry(doc: YamlDoc, name: Any, body: Any, defaults_panels: tuple[str, ...]) -> Entry:
    keys = ("surrogates", name)
    rec = doc.builtin(keys, name)
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
    columns = _int(doc, ("overview", "columns"), o["columns"], 1, 18, "columns") if "columns" in o else 6
    ofigsize = (_pair(doc, ("overview", "figsize"), o["figsize"], "figsize", positive=True)
                if "figsize" in o else (18.0, 9.0))
    surr = data["surrogates"]
    if not isinstance(surr, dict) or not surr:
        raise doc.error(("surrogates",), "'surrogates' must map each surrogate name to its settings",
                        "see configs/gallery.yaml in the repository for the format")
    entries = [_entry(doc, name, body, panels) for name, body in surr.items()]
    missing = [n for n in REGISTRY if n not in surr]
    if missing:
        raise doc.error(("surrogates",), f"built-ins missing from the gallery: {', '.join(missing)}",
                        "add an entry for each (an empty '{name}: {}' draws it at its defaults)")
    order = {n: i for i, n in enumerate(REGISTRY)}
    entries.sort(key=lambda e: order[e.name])
    with open(path, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    return GalleryConfig(path, digest, figsize, dpi, points, panels, formats, columns, ofigsize, tuple(entries))


# -- the index -------------------------------------------------------------------------------


def _fmt(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _sweep_text(entry: Entry) -> str:
    if not entry.sweep:
        return "defaults only"
    parts = [f"{k} = {', '.join(_fmt(v) for v in vals)}" for k, vals in entry.sweep.items()]
    if len(parts) == 1:
        return parts[0]
    return ("paired: " if entry.mode == "zip" else "grid: ") + "; ".join(parts)


def render_index(config: GalleryConfig, image_format: str) -> str:
    """The gallery's README.md: every figure with its formulas, parameters and reference."""
    from . import __version__

    lines = [
        "# Surrogate gallery",
        "",
        f"Generated by `surrogate gallery` (surrogate-cli {__version__}) from "
        f"`{os.path.basename(config.path)}`; do not edit by hand. "
        "Each figure shows the forward spike (Heaviside), the surrogate function `g` and the "
        "gradient `g'` that the spike backpropagates, one curve per parameter set. "
        "Gradient-only surrogates have no `g`: their middle panel is the numerical "
        "antiderivative of `g'`, anchored at `g(0) = 0.5`, drawn dashed. "
        "The numbers behind each figure are in the CSV next to it.",
        "",
        f"![All gradients](overview.{image_format})",
        "",
        "| surrogate | class | g | sweep |",
        "|---|---|---|---|",
    ]
    for e in config.entries:
        rec = REGISTRY[e.name]
        kind = "yes" if rec.has_fun else "gradient only"
        lines.append(f"| [{e.name}](#{e.name}) | `{rec.class_name}` | {kind} | {_sweep_text(e)} |")
    for e in config.entries:
        rec = REGISTRY[e.name]
        lines += ["", f"## {e.name}", ""]
        lines += [f"`{rec.class_name}`" + ("" if rec.has_fun else " (gradient only)") + f": {rec.description}", ""]
        lines += [f"![{e.name}]({e.name}.{image_format})", ""]
        if rec.fun_tex:
            lines.append(f"- ${rec.fun_tex}$")
        lines.append(f"- ${rec.grad_tex}$")
        params = ", ".join(f"`{p.name}={_fmt(p.default)}` ({p.range_text})" for p in rec.params)
        lines.append(f"- Parameters (defaults): {params}")
        lines.append(f"- Drawn: {_sweep_text(e)}, x in [{_fmt(e.x_range[0])}, {_fmt(e.x_range[1])}]"
                     f"; data: [{e.name}.csv]({e.name}.csv)")
        lines.append(f"- Reference: {rec.reference}")
    return "\n".join(lines) + "\n"


# -- building ----------------------------------------------------------------------------------


def normalized(config: GalleryConfig) -> dict:
    """The config as plain data (what the gallery depends on; comments and order do not count)."""
    return {
        "figsize": list(config.figsize),
        "dpi": config.dpi,
        "points": config.points,
        "formats": list(config.formats),
        "overview": {"columns": config.overview_columns, "figsize": list(config.overview_figsize)},
        "surrogates": {
            e.name: {"sweep": e.sweep, "mode": e.mode, "range": list(e.x_range), "log": e.log,
                     "panels": list(e.panels)}
            for e in config.entries
        },
    }


def expected_files(config: GalleryConfig, formats: Sequence[str] | None = None) -> list[str]:
    """Every file a full build writes, sorted."""
    formats = tuple(formats or config.formats)
    files = ["README.md", "manifest.json"]
    for e in config.entries:
        files += [f"{e.name}.csv"] + [f"{e.name}.{f}" for f in formats]
    files += [f"overview.{f}" for f in formats]
    return sorted(files)


def manifest_text(config: GalleryConfig, formats: Sequence[str] | None = None) -> str:
    from . import __version__

    data = {
        "generator": "surrogate gallery",
        "library_version": __version__,
        "config": normalized(config),
        "files": expected_files(config, formats),
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def _curves(config: GalleryConfig, entry: Entry, with_function: bool = True):
    from .sweep import evaluate, resolve

    return evaluate(resolve(entry.name), entry.param_sets(), entry.x_range, config.points, with_function)


def _render_entry(config_path: str, name: str, out_dir: str, formats: tuple[str, ...], data_only: bool) -> list[str]:
    """Draw one surrogate's figure(s) and write its CSV; returns the files written."""
    from .export import write_csv

    config = load_config(config_path)
    entry = config.entry(name)
    curves = _curves(config, entry)
    written = [os.path.join(out_dir, f"{name}.csv")]
    write_csv(curves, written[0])
    if not data_only:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from .plotting import freeze_layout, plot_curves, save_figure

        fig = plot_curves(curves, panels=entry.panels, log=entry.log, figsize=config.figsize)
        if len(formats) > 1:
            freeze_layout(fig)
        for fmt in formats:
            path = os.path.join(out_dir, f"{name}.{fmt}")
            save_figure(fig, path, dpi=config.dpi)
            written.append(path)
        plt.close(fig)
    return written


def _render_overview(config_path: str, out_dir: str, formats: tuple[str, ...]) -> list[str]:
    """All gradients as small multiples, one panel per surrogate, its sweep drawn in it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from .plotting import freeze_layout, save_figure

    config = load_config(config_path)
    cols = config.overview_columns
    rows = math.ceil(len(config.entries) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=config.overview_figsize, squeeze=False,
                             layout="constrained")
    cmap = matplotlib.colormaps["viridis"]
    for ax, entry in zip(axes.flat, config.entries):
        curves = _curves(config, entry, with_function=False)
        n = len(curves)
        for i, c in enumerate(curves):
            ax.plot(c.x, c.gradient, color=cmap(0.85 * i / max(n - 1, 1)), lw=1.3)
        rec = REGISTRY[entry.name]
        ax.set_title(rec.class_name + ("" if rec.has_fun else " (g' only)"), fontsize=10)
        ax.axhline(0.0, color="0.7", lw=0.6)
        ax.axvline(0.0, color="0.8", lw=0.6)
        ax.grid(True, color="0.92", lw=0.5)
        ax.tick_params(labelsize=8)
        ax.set_xlim(*entry.x_range)
        if entry.log:
            ax.set_yscale("log")
        lo = min(float(np.min(c.gradient)) for c in curves)
        if lo >= 0 and not entry.log:
            ax.set_ylim(bottom=0.0)
    for ax in list(axes.flat)[len(config.entries):]:
        ax.set_visible(False)
    fig.suptitle("Surrogate gradients g'(x) of all built-ins (each panel: its gallery sweep, "
                 "dark to light in sweep order)", fontsize=12)
    if len(formats) > 1:
        freeze_layout(fig)
    written = []
    for fmt in formats:
        path = os.path.join(out_dir, f"overview.{fmt}")
        save_figure(fig, path, dpi=config.dpi)
        written.append(path)
    plt.close(fig)
    return written


def _write_meta(config: GalleryConfig, out_dir: str, formats: Sequence[str]) -> list[str]:
    from .export import atomic_write

    image = "svg" if "svg" in formats else formats[0]
    paths = [os.path.join(out_dir, "README.md"), os.path.join(out_dir, "manifest.json")]
    atomic_write(paths[0], render_index(config, image))
    atomic_write(paths[1], manifest_text(config, formats))
    return paths


def _check_out_dir(out_dir: str) -> None:
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise BadInput(f"'{out_dir}' exists and is not a folder", "give a folder for --out")
    parent = os.path.dirname(os.path.abspath(out_dir))
    if not os.path.isdir(parent):
        raise BadInput(f"the parent folder of '{out_dir}' does not exist", "create it first")
    os.makedirs(out_dir, exist_ok=True)
    if not os.access(out_dir, os.W_OK):
        raise BadInput(f"cannot write to '{out_dir}'", "choose a writable folder for --out")


def build(
    config: GalleryConfig,
    out_dir: str,
    formats: Sequence[str] | None = None,
    only: Sequence[str] | None = None,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
    data_only: bool = False,
) -> list[str]:
    """Generate the gallery into ``out_dir``; returns the files written.

    ``only`` limits the figures to some surrogates (the overview is then skipped);
    ``jobs`` worker processes (default: the number of cores; 1 runs in-process);
    ``progress`` is called with a label after each task; ``data_only`` writes the CSV,
    index and manifest but no images (what :func:`check` compares).
    """
    formats = tuple(formats or config.formats)
    for f in formats:
        if f not in FORMATS:
            raise BadInput(f"unknown format '{f}'", f"choose from: {', '.join(FORMATS)}")
    names = [e.name for e in config.entries]
    if only:
        names = list(dict.fromkeys(config.entry(n).name for n in only))
    _check_out_dir(out_dir)
    tasks: list[tuple[Callable, tuple, str]] = [
        (_render_entry, (config.path, n, out_dir, formats, data_only), n) for n in names
    ]
    if not only and not data_only:
        # the overview is the longest task: start it first so the workers finish together
        tasks.insert(0, (_render_overview, (config.path, out_dir, formats), "overview"))
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    written: list[str] = []
    if jobs == 1 or len(tasks) == 1:
        for fn, args, label in tasks:
            written += fn(*args)
            if progress:
                progress(label)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        ctx = multiprocessing.get_context("spawn")  # jax is not fork-safe
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=ctx) as pool:
            futures = {pool.submit(fn, *args): label for fn, args, label in tasks}
            for fut in as_completed(futures):
                written += fut.result()
                if progress:
                    progress(futures[fut])
    written += _write_meta(config, out_dir, formats)
    return sorted(written)


# -- checking ----------------------------------------------------------------------------------


def _csv_differs(a_path: str, b_path: str, rtol: float = 1e-9, atol: float = 1e-12) -> str | None:
    import csv

    with open(a_path, newline="") as fa, open(b_path, newline="") as fb:
        ra, rb = list(csv.reader(fa)), list(csv.reader(fb))
    if not ra or not rb or ra[0] != rb[0]:
        return "columns differ"
    if len(ra) != len(rb):
        return f"{len(rb) - 1} rows committed, {len(ra) - 1} expected"
    for i, (x, y) in enumerate(zip(ra[1:], rb[1:]), start=2):
        if len(x) != len(y):
            return f"line {i}: field count differs"
        for col, u, v in zip(ra[0], x, y):
            if u == v:
                continue
            try:
                fu, fv = float(u), float(v)
            except ValueError:
                return f"line {i}, {col}: '{v}' (committed) vs '{u}' (expected)"
            if not abs(fu - fv) <= atol + rtol * max(abs(fu), abs(fv)):
                return f"line {i}, {col}: {v} (committed) vs {u} (expected)"
    return None


def check(config: GalleryConfig, out_dir: str, jobs: int | None = None,
          progress: Callable[[str], None] | None = None) -> list[str]:
    """Rebuild the gallery's data in a temporary folder; list how ``out_dir`` differs.

    An empty list means the committed gallery is what the code and config draw.
    """
    problems: list[str] = []
    if not os.path.isdir(out_dir):
        return [f"{out_dir}: the gallery folder does not exist (run 'surrogate gallery')"]
    with tempfile.TemporaryDirectory(prefix="surrogate-gallery-check-") as tmp:
        build(config, tmp, jobs=jobs, progress=progress, data_only=True)
        for name in expected_files(config):
            have = os.path.join(out_dir, name)
            if not os.path.isfile(have):
                problems.append(f"{have}: missing")
                continue
            if name.endswith(".csv"):
                why = _csv_differs(os.path.join(tmp, name), have)
                if why:
                    problems.append(f"{have}: data differ ({why})")
            elif name in ("README.md", "manifest.json"):
                with open(os.path.join(tmp, name), encoding="utf-8") as fa, open(have, encoding="utf-8") as fb:
                    if fa.read() != fb.read():
                        problems.append(f"{have}: differs from what the config and library give")
    return problems
