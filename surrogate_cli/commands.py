"""The work behind ``surrogate info``, ``plot`` and ``compare``, callable from Python.

``cli.py`` parses options and calls these functions; they validate everything that can
be checked cheaply first (output paths, panels, points, display), so a bad option fails
before jax is imported and before any file is touched, then sweep -> evaluate ->
plot/export. They return what they wrote; only the CLI prints.
"""
from __future__ import annotations

import math
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from .errors import BadInput

__all__ = ["Request", "run_plot", "run_compare", "run_info", "NORMALIZE"]

NORMALIZE = ("none", "peak", "area")
MAX_DPI = 2400


@dataclass
class Request:
    """The options shared by ``plot`` and ``compare``, as given on the command line."""

    sweep: dict[str, str] = field(default_factory=dict)  # --alpha etc.: name -> "1,2,4"
    params: Sequence[str] = ()  # --param NAME=VALUES items
    zip: bool = False
    x_range: str | None = None
    points: int = 1000
    log: bool = False
    panels: str = "spike,function,gradient"
    output: str | None = None
    dpi: int | None = None
    show: bool = False
    csv: str | None = None


@dataclass
class Result:
    written: list[str] = field(default_factory=list)  # files written (figure, CSV)
    csv_to_stdout: bool = False


def parse_panels(text: str) -> tuple[str, ...]:
    from .plotting import PANELS

    items = [p.strip().lower() for p in (text or "").split(",")]
    if not any(items):
        raise BadInput("--panels: no panel given", f"choose from {','.join(PANELS)}")
    out = []
    for p in items:
        if not p:
            raise BadInput(f"--panels '{text}': empty item", f"choose from {','.join(PANELS)}")
        if p not in PANELS:
            import difflib

            close = difflib.get_close_matches(p, PANELS, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise BadInput(f"--panels: unknown panel '{p}'", f"{hint}choose from {','.join(PANELS)}")
        if p not in out:
            out.append(p)
    return tuple(out)


def _check_display() -> None:
    backend = os.environ.get("MPLBACKEND", "").lower()
    if backend in ("agg", "pdf", "svg", "ps", "cairo", "template", "module://matplotlib_inline.backend_inline"):
        raise BadInput(
            f"--show needs an interactive matplotlib backend, but MPLBACKEND={backend}",
            "unset MPLBACKEND, or write a file with -o FILE.png instead",
        )
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            raise BadInput(
                "--show needs a display, and none is available (DISPLAY is not set)",
                "write a file instead with -o FILE.png (or .svg/.pdf)",
            )


def _safe_stem(text: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("._") or "surrogate"
    return stem[:120]


def _check_outputs(req: Request, default_stem: str) -> tuple[tuple[str, ...], str | None]:
    """Validate everything cheap before any work; return (panels, figure path or None)."""
    from .export import FIGURE_FORMATS, check_output_path
    from .sweep import parse_points

    panels = parse_panels(req.panels)
    parse_points(int(req.points))
    if req.dpi is not None and not 1 <= req.dpi <= MAX_DPI:
        raise BadInput(f"--dpi {req.dpi} is out of range", f"give a resolution from 1 to {MAX_DPI}")
    if req.show:
        _check_display()
    fig_path = req.output
    if fig_path is None and not req.show:
        fig_path = default_stem + ".png"
    if fig_path is not None:
        check_output_path(fig_path, FIGURE_FORMATS, "-o" if req.output is not None else "output")
    if req.csv is not None and req.csv != "-":
        check_output_path(req.csv, {".csv": "csv"}, "--csv")
        if fig_path is not None and os.path.abspath(req.csv) == os.path.abspath(fig_path):
            raise BadInput("--csv and -o name the same file", "give them different names")
    return panels, fig_path


def _values(target, req: Request, applies=None) -> dict[str, list[float]]:
    """The swept values for ``target`` (``applies``: names to keep; None = all, checked)."""
    from .sweep import parse_assignments, parse_values

    texts = dict(req.sweep)
    for name, text in parse_assignments(req.params).items():
        if name in texts:
            raise BadInput(
                f"parameter '{name}' given twice (--{name.replace('_', '-')} and --param)",
                "give each parameter once",
            )
        texts[name] = text
    out = {}
    for name, text in texts.items():
        if applies is not None and name not in applies:
            continue
        target.check_name(name)
        out[name] = parse_values(text, name)
    return out


def _finish(curves, req: Request, panels, fig_path, plot_kwargs) -> Result:
    from .export import write_csv

    res = Result()
    fig = None
    if fig_path is not None or req.show:
        from .plotting import plot_curves

        figure = None
        if req.show:
            import matplotlib.pyplot as plt

            figure = plt.figure()
        fig = plot_curves(curves, panels=panels, log=req.log, figure=figure, **plot_kwargs)
    if req.csv is not None:
        write_csv(curves, req.csv)
        if req.csv == "-":
            res.csv_to_stdout = True
        else:
            res.written.append(req.csv)
    if fig_path is not None:
        from .plotting import save_figure

        save_figure(fig, fig_path, dpi=req.dpi)
        res.written.insert(0, fig_path)
    if req.show:
        import matplotlib.pyplot as plt

        plt.show()
    return res


def run_plot(name: str, req: Request) -> Result:
    """``surrogate plot NAME``: sweep, evaluate, draw, write."""
    from .sweep import evaluate, expand, parse_range, resolve

    if ":" in name and "=" in name.rpartition(":")[2]:
        raise BadInput(
            f"'{name}': NAME:param=value is for compare",
            "for plot give the parameters as options, e.g. --alpha 2",
        )
    if ":" in name:
        default_stem = _safe_stem(name.rpartition(":")[2])
    else:
        from .registry import lookup

        default_stem = lookup(name).name  # an unknown name fails here, before any work
    panels, fig_path = _check_outputs(req, default_stem)
    target = resolve(name)
    values = _values(target, req)
    sets = expand(target, values, "zip" if req.zip else "grid")
    x_range = parse_range(req.x_range, target.default_range)
    curves = evaluate(target, sets, x_range, req.points)
    return _finish(curves, req, panels, fig_path, {})


def run_compare(specs: Sequence[str], req: Request, normalize: str = "none") -> Result:
    """``surrogate compare NAME [NAME ...]``: several surrogates overlaid."""
    import difflib

    from .sweep import evaluate, expand, parse_range, parse_spec, resolve

    if not specs:
        raise BadInput("compare needs at least one surrogate", "e.g. surrogate compare sigmoid arctan")
    norm = (normalize or "none").strip().lower()
    if norm not in NORMALIZE:
        close = difflib.get_close_matches(norm, NORMALIZE, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise BadInput(f"--normalize: unknown mode '{normalize}'", f"{hint}choose from {', '.join(NORMALIZE)}")
    parsed = [parse_spec(s) for s in specs]
    from .registry import lookup

    stems = [_safe_stem(t.rpartition(":")[2]) if ":" in t else lookup(t).name for t, _ in parsed]
    panels, fig_path = _check_outputs(req, _safe_stem("_vs_".join(stems)))
    targets = [resolve(t) for t, _ in parsed]

    # A swept option applies to every surrogate that has the parameter; one that none has is an error.
    from .sweep import parse_assignments

    swept = set(req.sweep) | set(parse_assignments(req.params))
    for name in sorted(swept):
        if not any(name in t.param_names for t in targets):
            have = sorted({p for t in targets for p in t.param_names})
            raise BadInput(
                f"none of the compared surrogates has parameter '{name}'",
                f"their parameters are: {', '.join(have) or 'none'}",
            )
    if req.x_range is None:
        lo = min(t.default_range[0] for t in targets)
        hi = max(t.default_range[1] for t in targets)
        x_range = (lo, hi)
    else:
        x_range = parse_range(req.x_range, (0.0, 1.0))
    plans = []
    for target, (_, inline) in zip(targets, parsed):
        values = _values(target, req, applies=set(target.param_names))
        for key in inline:
            target.check_name(key)
        plans.append((target, expand(target, values, "zip" if req.zip else "grid", base=inline)))
    total = sum(len(s) for _, s in plans)
    from .sweep import MAX_CURVES

    if total > MAX_CURVES:
        raise BadInput(f"the comparison makes {total} curves", f"at most {MAX_CURVES}")
    curves = []
    for target, sets in plans:
        curves += evaluate(target, sets, x_range, req.points)
    label = None
    if norm != "none":
        _normalize(curves, norm)
        label = "$g'(x)$ / peak" if norm == "peak" else "$g'(x)$ / area"
    return _finish(curves, req, panels, fig_path, {"gradient_label": label, "with_names": True})


def _normalize(curves, mode: str) -> None:
    import numpy as np

    for c in curves:
        g = c.gradient
        if mode == "peak":
            scale = float(np.max(np.abs(g)))
            what = "its peak"
        else:
            scale = float(np.sum(0.5 * (g[1:] + g[:-1]) * np.diff(c.x)))
            what = "its area over the range"
        if not (math.isfinite(scale) and scale > 0):
            raise BadInput(
                f"cannot normalize {c.surrogate} by {what} ({scale:g})",
                "use --normalize none, or a --range where the gradient is positive",
            )
        c.gradient = g / scale


def run_info(name: str, values: Mapping[str, str]):
    """``surrogate info NAME``: the target, its parameter set, and its properties."""
    from .analysis.metrics import properties_of
    from .sweep import parse_values, resolve

    target = resolve(name)
    params: dict[str, Any] = {}
    for key, text in values.items():
        target.check_name(key)
        vals = parse_values(text, key)
        if len(vals) != 1:
            raise BadInput(
                f"--{key.replace('_', '-')}: info takes one value, got {len(vals)}",
                "give a single number, e.g. --alpha 2 (sweeps are for plot and compare)",
            )
        params[key] = vals[0]
    full = target.validate(params)
    props = properties_of(target, full)
    return target, full, props
