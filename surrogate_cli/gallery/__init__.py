"""The documentation gallery: ``configs/gallery.yaml`` -> figures, CSV, index; ``--check``.

:func:`load_config` validates the YAML; :func:`build` draws one figure per surrogate
plus an overview sheet of all gradients and writes the curves behind each figure as CSV,
a ``manifest.json`` and ``README.md``; :func:`check` lists what a committed gallery lacks.
"""
from .build import build, check
from .config import FORMATS, MODES, PANELS, Entry, GalleryConfig, default_config_path, load_config
from .index import expected_files, manifest_text, canonical_config, render_index

__all__ = ["Entry", "GalleryConfig", "FORMATS", "MODES", "PANELS", "build", "check", "default_config_path",
           "expected_files",
           "load_config", "manifest_text", "canonical_config", "render_index"]
