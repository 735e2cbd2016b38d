"""YAML loading with the file and line in every error.

:func:`load_yaml` returns a :class:`YamlDoc`: the plain data plus a map from key paths
to source lines, so validators can say ``configs/gallery.yaml:12: unknown key 'alpah'``.
Every problem is a :class:`~surrogate_cli.errors.BadInput` (exit code 2 in the CLI).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .errors import BadInput, did_you_mean

__all__ = ["YamlDoc", "load_yaml", "config_path"]

Path = tuple  # a key path: ("surrogates", "sigmoid", "sweep", "alpha")


@dataclass
class YamlDoc:
    """A parsed YAML file: ``data`` plus the line (1-based) of every key path."""

    path: str
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, keys: Iterable[Any]) -> int | None:
        """The line of the node at ``keys``, or of its closest ancestor that has one."""
        keys = tuple(keys)
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return self.lines.get((), 1)

    def where(self, keys: Iterable[Any]) -> str:
        line = self.line_of(keys)
        return f"{self.path}:{line}" if line else self.path

    def error(self, keys: Iterable[Any], message: str, hint: str | None = None) -> BadInput:
        """A :class:`BadInput` whose message starts with ``file:line:``."""
        return BadInput(f"{self.where(keys)}: {message}", hint)

    def check_keys(
        self, keys: Iterable[Any], mapping: Any, allowed: Iterable[str], required: Iterable[str] = ()
    ) -> None:
        """Raise on a non-mapping, an unknown key (with the closest allowed one), or a missing one."""
        keys = tuple(keys)
        allowed = list(allowed)
        if not isinstance(mapping, Mapping):
            raise self.error(keys, f"expected a mapping, got {type(mapping).__name__}",
                             f"allowed keys: {', '.join(allowed)}")
        for key in mapping:
            if key not in allowed:
                raise self.error(keys + (key,), f"unknown key '{key}'",
                                 f"{did_you_mean(key, allowed)}allowed keys: {', '.join(allowed)}")
        for key in required:
            if key not in mapping:
                raise self.error(keys, f"missing key '{key}'", f"add '{key}:'")



def _index(node: Any, path: Path, out: dict[Path, int]) -> None:
    import yaml

    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            _index(value_node, path + (key,), out)
            out[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, path + (i,), out)


def _scalar(node: Any) -> Any:
    import yaml

    return yaml.safe_load(yaml.serialize(node))


def load_yaml(path: str) -> YamlDoc:
    """Read and parse ``path``; raise :class:`BadInput` (with the line) on any problem."""
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise BadInput(f"config file '{path}' not found", "check the path") from None
    except IsADirectoryError:
        raise BadInput(f"config path '{path}' is a folder", "give a .yaml file") from None
    except OSError as exc:
        raise BadInput(f"cannot read config file '{path}': {exc.strerror}", "check its permissions") from None
    except UnicodeDecodeError:
        raise BadInput(f"config file '{path}' is not UTF-8 text", "give a YAML text file") from None
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BadInput(f"{path}{line}: invalid YAML: {problem}", "fix the syntax at that line") from None
    doc = YamlDoc(path=path, data=data)
    if node is not None:
        _index(node, (), doc.lines)
    if data is None:
        raise doc.error((), "the file is empty", "see the documented format in the README")
    return doc


def config_path(name: str) -> str:
    """``configs/NAME`` in the working folder, else the one installed with the package
    (``surrogate_cli/configs/``, see pyproject.toml), else the one of the source checkout
    the package runs from."""
    import os

    here = os.path.join("configs", name)
    if os.path.isfile(here):
        return here
    package = os.path.dirname(os.path.abspath(__file__))
    installed = os.path.join(package, "configs", name)
    if os.path.isfile(installed):
        return installed
    return os.path.join(os.path.dirname(package), "configs", name)
