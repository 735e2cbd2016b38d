"""The gallery's ``explore.html``: the explore page of every built-in the config lists.

Each surrogate's part of the page is computed by its own task (so the gallery's worker
processes share the work) and left in the staging folder as a hidden JSON file; the page
is put together from the parts, in the config's order, once every task is done.
:func:`page_differs` is ``--check``'s comparison: the page around the data must be the
same text, the data the same numbers (float32 curves to a few units in their last
place, other numbers to 1e-9 relative), so a different JAX patch release does not fail it.
"""
from __future__ import annotations

import json
import math
import os
from typing import Any

from .config import GalleryConfig

__all__ = ["EXPLORE_FILE", "explore_part", "assemble_explore", "page_differs"]

EXPLORE_FILE = "explore.html"
#: Slider positions per parameter on the gallery's page (fewer than ``surrogate explore``'s
#: 33: ``gallery --check`` recomputes the page, and each position is one ``info``)
STEPS = 17
_PART = ".explore-{}.json"


def explore_part(config: GalleryConfig, name: str, dest: str) -> list[str]:
    """Compute one surrogate's part of the page into ``dest`` (returns no published file)."""
    from ..analysis.explore import explore_data
    from ..render.explore_page import surrogate_payload
    from ..render.files import atomic_write

    data = explore_data([name], steps=STEPS)
    part = surrogate_payload(data.surrogates[0], data.stds)
    atomic_write(os.path.join(dest, _PART.format(name)), json.dumps(part, sort_keys=True))
    return []


def assemble_explore(config: GalleryConfig, dest: str) -> list[str]:
    """Put the page together from the parts in ``dest`` (removing them); returns its name."""
    from ..analysis.explore import STDS, ExploreData
    from ..render.explore_page import html_from_payload, page_payload
    from ..render.files import atomic_write

    parts = []
    for e in config.entries:
        path = os.path.join(dest, _PART.format(e.name))
        with open(path, encoding="utf-8") as f:
            parts.append(json.load(f))
        os.remove(path)
    frame = ExploreData([], STDS, 0.0, 0, None)
    html = html_from_payload(page_payload(frame, parts), "surrogate explore: the gallery's built-ins")
    atomic_write(os.path.join(dest, EXPLORE_FILE), html.encode("utf-8"), binary=True)
    return [EXPLORE_FILE]


def _numbers_differ(a: Any, b: Any, where: str) -> str | None:
    from ..render.explore_page import decode_block

    if isinstance(a, dict) and isinstance(b, dict):
        if sorted(a) != sorted(b):
            return f"{where}: keys differ"
        for k in sorted(a):
            if k == "block":
                fa, fb = decode_block(a[k]), decode_block(b[k])
                if fa.shape != fb.shape:
                    return f"{where}.block: {fb.size} values committed, {fa.size} expected"
                bad = ~(abs(fa - fb) <= 8 * 2.0 ** -23 * (abs(fa) + abs(fb)) + 1e-30)
                if bad.any():
                    return f"{where}.block: {int(bad.sum())} curve values differ"
                continue
            why = _numbers_differ(a[k], b[k], f"{where}.{k}")
            if why:
                return why
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{where}: {len(b)} items committed, {len(a)} expected"
        for i, (u, v) in enumerate(zip(a, b)):
            why = _numbers_differ(u, v, f"{where}[{i}]")
            if why:
                return why
        return None
    if isinstance(a, float) and isinstance(b, (int, float)) or isinstance(b, float) and isinstance(a, (int, float)):
        if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12):
            return f"{where}: {b} (committed) vs {a} (expected)"
        return None
    if a != b:
        return f"{where}: {b!r} (committed) vs {a!r} (expected)"
    return None


def page_differs(expected_path: str, committed_path: str) -> str | None:
    """Why the committed page is not the one the code gives, or None (see the module doc)."""
    from ..render.explore_page import payload_of_html

    with open(expected_path, encoding="utf-8") as fa, open(committed_path, encoding="utf-8") as fb:
        a, b = fa.read(), fb.read()
    if a == b:
        return None
    try:
        (pa, ra), (pb, rb) = payload_of_html(a), payload_of_html(b)
    except ValueError:
        return "not an explore page"
    if ra != rb:
        return "the page around the data differs"
    return _numbers_differ(pa, pb, "data")
