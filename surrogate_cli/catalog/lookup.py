"""Finding a built-in by any spelling: the registry keyed by CLI name, and suggestions."""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from ..errors import BadInput, did_you_mean
from .builtins import RECORDS
from .record import Record, spelling_key

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..yamldoc import YamlDoc

__all__ = ["REGISTRY", "all_records", "find_record", "lookup_in_config", "names", "spelling_key", "builtin_records", "suggest"]

#: The registry, in the upstream order, keyed by CLI name.
REGISTRY: dict[str, Record] = {r.name: r for r in RECORDS}


_INDEX: dict[str, Record] = {spelling_key(s): r for r in RECORDS for s in r.spellings}


def names() -> list[str]:
    """The CLI names of every built-in, in registry order."""
    return list(REGISTRY)


def builtin_records() -> Iterator[Record]:
    """Every record, in registry order."""
    return iter(RECORDS)


def all_records() -> list[Record]:
    """Every record a command can take: the built-ins, then the other libraries' surrogates."""
    from .foreign import foreign_records  # foreign imports this module

    return [*RECORDS, *foreign_records()]


def suggest(name: str) -> str | None:
    """The closest CLI name to a misspelling, or None."""
    hint = did_you_mean(spelling_key(name), _INDEX)
    return _INDEX[hint.split("'")[1]].name if hint else None


def find_record(name: str) -> Record:
    """The record for any accepted spelling (CLI name, class name, kebab-case, any case).

    ``LIBRARY.NAME`` (``snntorch.atan``) is another library's surrogate, a
    :class:`~surrogate_cli.catalog.foreign.ForeignRecord`. Raises :class:`BadInput` with
    the closest name for a typo (within the library for a foreign name).
    """
    from .foreign import is_foreign_name, lookup_foreign  # foreign imports this module

    if is_foreign_name(name):
        return lookup_foreign(name)
    rec = _INDEX.get(spelling_key(name))
    if rec is not None:
        return rec
    close = suggest(name)
    hint = f"did you mean '{close}'? " if close else ""
    raise BadInput(
        f"unknown surrogate '{name}'",
        f"{hint}run 'surrogate list' to see all {len(REGISTRY)} built-ins, or give a "
        "user surrogate as path/to/file.py:ClassName",
    )


def lookup_in_config(doc: "YamlDoc", keys: Iterable[Any], name: Any) -> Record:
    """The record of the built-in named at ``keys`` of a YAML config, spelled as its CLI name.

    An unknown name (with the closest one) or another spelling is an error at its line.
    """
    keys = tuple(keys)
    try:
        rec = find_record(str(name))
    except BadInput as exc:
        raise doc.error(keys, exc.message, exc.hint) from None
    if rec.name != name:
        raise doc.error(keys, f"write the surrogate as '{rec.name}', not '{name}'",
                        "configs use the CLI names (surrogate list)")
    return rec
