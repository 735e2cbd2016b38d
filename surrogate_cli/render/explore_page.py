"""``surrogate explore``'s page: the computed :class:`~surrogate_cli.analysis.explore.ExploreData`
as one self-contained HTML file (the template ``explore_template.html`` beside this module,
its data inline; no request leaves the page).

The curves go in as one block per surrogate: float32 little-endian arrays, byte-shuffled
(all first bytes, then all second bytes, ...) and deflated, base64 text; the page inflates
them with the browser's own ``DecompressionStream``. Everything else (slider values, the
properties ``info`` shows, the convert equivalents, texts for people) is JSON with sorted
keys and round-trip floats, so the same data gives the same bytes.
"""
from __future__ import annotations

import base64
import json
import math
import re
import zlib
from dataclasses import dataclass
from importlib import resources
from typing import Any, Mapping, Sequence

from ..formatting import exact, fmt, json_number
from .files import atomic_write, check_output_path

__all__ = ["ExploreResult", "surrogate_payload", "page_payload", "page_html", "html_from_payload", "write_page",
           "explore", "formula_text", "formula_template", "encode_block", "decode_block", "payload_of_html"]

_SYMBOLS = {"alpha": "α", "beta": "β", "epsilon": "ε", "sigma": "σ", "t_period": "T", "width": "w"}
_TEX = [
    (r"\alpha", "α"), (r"\beta", "β"), (r"\epsilon", "ε"), (r"\sigma", "σ"), (r"\omega", "ω"), (r"\pi", "π"),
    (r"\Sigma", "Σ"), (r"\mathcal{N}", "N"), (r"\leq", "≤"), (r"\geq", "≥"), (r"\cdot", "·"), (r"\sqrt", "√"),
    (r"\max", " max"), (r"\log", " log"), (r"\ln", " ln"), (r"\cos", " cos"), (r"\tanh", " tanh"),
    (r"\sign", " sign"),
    (r"\mathrm{sign}", "sign"), (r"\,", " "), (r"\ ", " "), (r"\;", " "), (r"\!", ""), (r"\left", ""),
    (r"\right", ""), (r"\quad", "  "), (r"\infty", "∞"), (r"\operatorname", ""), (r"\lbrack", "["),
]


def formula_text(tex: str | None) -> str | None:
    """Readable Unicode for a catalog formula (mathtext): ``\\frac{a}{b}`` -> ``(a)/(b)``,
    Greek letters, ``^{2}`` -> ``^2``; what is left of TeX is dropped, never an error."""
    if tex is None:
        return None
    s = tex.replace("$", "")
    frac = re.compile(r"\\frac\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")
    for _ in range(6):
        s2 = frac.sub(lambda m: f"({m.group(1)})/({m.group(2)})", s)
        if s2 == s:
            break
        s = s2
    s = re.sub(r"\\mathrm\{([^{}]*)\}", r"\1", s)
    for a, b in _TEX:
        s = s.replace(a, b)
    s = re.sub(r"\^\{([^{}]*)\}", r"^\1", s)
    s = re.sub(r"_\{([^{}]*)\}", r"_\1", s)
    s = re.sub(r"\\([A-Za-z]+)", r"\1", s)
    s = re.sub(r"\(([0-9.]+|[A-Za-zα-ωπ])\)/", r"\1/", s)  # (1)/(2w) -> 1/(2w), never 1/2w
    s = re.sub(r"/\(([0-9.]+|[A-Za-zα-ωπ])\)", r"/\1", s)
    return re.sub(r"\s+", " ", s.replace("{", "").replace("}", "")).strip()


def formula_template(text: str | None, names: Sequence[str]) -> str | None:
    """``text`` (a :func:`formula_text`) with each parameter's symbol as ``{name}``, for the
    page to put the current numbers in; None when no symbol is found."""
    if text is None:
        return None
    out = text
    for name in names:
        sym = _SYMBOLS.get(name, name)
        pattern = r"(?<![A-Za-zα-ω])" + re.escape(sym) + r"(?![A-Za-zα-ω(])"
        out = re.sub(pattern, "{" + name + "}", out)
    # a number put next to a digit, a letter or a bracket gets a multiplication dot
    out = re.sub(r"(?<=[0-9A-Za-zα-ωπ)}])(\{\w+\})", r"·\1", out)
    out = re.sub(r"(\{\w+\})(?=[0-9A-Za-zα-ωπ({])", r"\1·", out)
    return out if out != text else None


def encode_block(arrays: Sequence[Any]) -> str:
    """float32 LE arrays, concatenated, byte-shuffled, deflated (zlib, level 9), base64."""
    import numpy as np

    flat = np.concatenate([np.asarray(a, dtype=np.float64).reshape(-1) for a in arrays]).astype("<f4")
    planes = flat.view(np.uint8).reshape(-1, 4).T.copy()
    return base64.b64encode(zlib.compress(planes.tobytes(), 9)).decode("ascii")


def decode_block(text: str):
    """The float32 values of an :func:`encode_block` text."""
    import numpy as np

    raw = zlib.decompress(base64.b64decode(text))
    return np.frombuffer(raw, dtype=np.uint8).reshape(4, -1).T.copy().view("<f4").reshape(-1)


def _num(v: Any):
    """A JSON number (round-trip), None for None/nan/inf."""
    return json_number(v)


def _properties(p) -> dict:
    """What `info` shows of one parameter set (numbers, and text for people)."""
    area = p.area_numerical
    area_text = "does not converge (oscillating tail)" if area is None else fmt(area, 10, words=True)
    if p.area_closed is not None:
        area_text += f" (closed form {fmt(p.area_closed, 10, words=True)})"
    return {
        "peak_value": _num(p.peak_value), "peak_x": _num(p.peak_x), "peak_text": p.peak_text(lambda v: fmt(v, 10, words=True)),
        "fwhm": _num(p.fwhm), "fwhm_text": fmt(p.fwhm, 10, words=True),
        "area_numerical": _num(area), "area_closed_form": _num(p.area_closed), "area_text": area_text,
        "support": p.support_text,
    }


def _source_text(target, source: str) -> str:
    return target.name if target.record is not None else source


def surrogate_payload(s, stds: Sequence[float]) -> dict:
    """One surrogate of the page (JSON-ready; the page is these in order, see :func:`page_payload`)."""
    from ..catalog.foreign import ForeignRecord

    import numpy as np

    rec = s.target.record
    # the forward step of another library's surrogate may move with a parameter: then
    # every setting carries its own spike
    shared = all(np.array_equal(st.spike, s.spike) for st in s.settings)
    arrays = [s.x] + ([s.spike] if shared else [])
    for st in s.settings:
        arrays += [st.gradient, st.function, st.chi] + ([] if shared else [st.spike])
    sliders = []
    for sl in s.sliders:
        catalog = rec is not None
        sliders.append({
            "name": sl.name, "symbol": _SYMBOLS.get(sl.name, sl.name), "kind": sl.kind, "start": sl.start,
            "values": [_num(v) for v in sl.values], "texts": [exact(v) for v in sl.values],
            "option": ("--" + sl.name.replace("_", "-")) if catalog else None,
        })
    settings = []
    for st in s.settings:
        item = {"peak": _num(st.peak), "area": _num(st.area), "props": _properties(st.properties)}
        if st.convert is not None:
            c = st.convert
            item["convert"] = {
                "kind": c.kind, "expression": c.expression(),
                "detail": (f"exact, largest difference {fmt(c.max_rel_diff, 3)} of the peak" if c.kind == "exact"
                           else f"closest fit ({c.match}), largest deviation {fmt(c.deviation, 3)} of the peak"),
            }
        settings.append(item)
    foreign = isinstance(rec, ForeignRecord)
    return {
        "name": s.name, "source": _source_text(s.target, s.source), "builtin": rec is not None,
        "library": rec.library if foreign else None,
        "class_name": rec.class_name if rec is not None else None,
        "description": rec.description if rec is not None else None,
        "g": formula_text(rec.fun_tex) if rec is not None else None,
        "gp": formula_text(rec.grad_tex) if rec is not None else None,
        "gp_numbers": formula_template(formula_text(rec.grad_tex), [sl.name for sl in s.sliders]) if rec else None,
        "forward": rec.forward_text if foreign else None,
        "integrated": bool(s.integrated), "x_range": [_num(s.x[0]), _num(s.x[-1])], "points": int(len(s.x)),
        "mode": s.mode, "sliders": sliders, "spike_shared": bool(shared), "nstd": len(stds),
        "keys": [",".join(str(i) for i in pos) for pos in s.index],
        "settings": settings, "block": encode_block(arrays),
    }


def page_payload(data, parts: Sequence[dict] | None = None) -> dict:
    """The page's data as JSON-ready dict (curves as :func:`encode_block` text). ``parts``:
    the surrogates' :func:`surrogate_payload` when computed elsewhere (the gallery's workers);
    ``data`` then needs only ``stds`` and ``v_mean``."""
    stds = list(data.stds)
    start = min(range(len(stds)), key=lambda i: (abs(math.log(stds[i])), i))
    if parts is None:
        parts = [surrogate_payload(s, stds) for s in data.surrogates]
    return {
        "version": 1, "stds": [_num(v) for v in stds], "std_texts": [fmt(v) for v in stds], "std_start": start,
        "v_mean": _num(data.v_mean), "surrogates": list(parts),
    }


def _template() -> str:
    return resources.files(__package__).joinpath("explore_template.html").read_text(encoding="utf-8")


_DATA_OPEN = '<script id="explore-data" type="application/json">'


def html_from_payload(payload: Mapping[str, Any], title: str = "surrogate explore") -> str:
    """The page for a :func:`page_payload` (the same payload gives the same text)."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    text = text.replace("</", "<\\/")  # never close the script element early
    return _template().replace("__TITLE__", title).replace(_DATA_OPEN + "__DATA__", _DATA_OPEN + text)


def payload_of_html(html: str) -> tuple[dict, str]:
    """``(payload, the page without it)``: what :func:`html_from_payload` put together."""
    start = html.index(_DATA_OPEN) + len(_DATA_OPEN)
    end = html.index("</script>", start)
    return json.loads(html[start:end]), html[:start] + html[end:]


def page_html(data, title: str = "surrogate explore") -> str:
    """The whole page as text (the same data gives the same text)."""
    return html_from_payload(page_payload(data), title)


def write_page(data, path: str, title: str = "surrogate explore") -> int:
    """Write the page atomically; returns its size in bytes."""
    text = page_html(data, title)
    blob = text.encode("utf-8")
    atomic_write(path, blob, binary=True)
    return len(blob)


@dataclass
class ExploreResult:
    """What :func:`explore` wrote: the path, its size in bytes, and the data on the page."""

    path: str
    size: int
    data: Any


def explore(
    names: Any = None,
    output: str = "explore.html",
    *,
    steps: int | None = None,
    points: int | None = None,
    x_range: tuple[float, float] | None = None,
    stds: Sequence[float] | None = None,
    params: Mapping[str, Any] | None = None,
    jobs: int | None = None,
    **values: Any,
) -> ExploreResult:
    """Write one self-contained HTML page to play with surrogates' parameters (``surrogate explore``).

    ``names``: surrogates (any spelling, ``LIBRARY.NAME``, ``file.py:Class``, or
    ``(name, {param: value})`` for a slider's centre); None: every built-in. ``values``:
    slider values per parameter (a list), for every surrogate that has it; ``params``
    the same for names that clash with the arguments here. ``jobs``: processes sharing the
    work (see :func:`~surrogate_cli.analysis.explore.explore_data`). Everything on the page is
    computed now by the package; the page only picks and draws::

        surrogate_cli.explore(["sigmoid", "arctan"], "explore.html", alpha=[1, 2, 4])
    """
    from ..analysis.explore import POINTS, STDS, STEPS, explore_data

    check_output_path(output, {".html": "html", ".htm": "html"}, "output")
    sweep = {**dict(params or {}), **values}
    sweep = {k: [v] if isinstance(v, (int, float)) and not isinstance(v, bool) else list(v) for k, v in sweep.items()}
    if isinstance(names, str):
        names = [names]
    data = explore_data(names, sweep, steps=STEPS if steps is None else steps,
                        points=POINTS if points is None else points, x_range=x_range,
                        stds=STDS if stds is None else stds, jobs=jobs)
    size = write_page(data, output)
    return ExploreResult(output, size, data)

