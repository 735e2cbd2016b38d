"""What ``surrogate list`` shows: rows as data (JSON-ready) and a Rich table."""
from __future__ import annotations

from typing import Iterable

from ..catalog import Record

__all__ = ["list_rows", "list_table"]


def list_rows(records: Iterable[Record]) -> list[dict]:
    """One JSON-ready row per record: name, class, parameter defaults, has_fun, family,
    description; a foreign record adds its library, forward convention, exact equivalent
    (or None) and source."""
    from ..catalog.foreign import ForeignRecord, equivalence_rule

    rows = []
    for r in records:
        row = {"name": r.name, "class": r.class_name, "params": r.defaults, "has_fun": r.has_fun,
               "family": r.family, "description": r.description}
        if isinstance(r, ForeignRecord):
            row.update({"library": r.library, "forward": f"x {r.forward} 0",
                        "equivalent": equivalence_rule(r), "source": r.source.text()})
        rows.append(row)
    return rows


def list_table(rows: list[dict], width: int, title: str | None = None):
    """The rows as a Rich table; from 120 columns the class and kind get columns of their own."""
    from rich.table import Table

    wide = width >= 120  # room for a class column; else the class goes under the name
    title = title or f"{len(rows)} built-in surrogates"
    table = Table(title=title, title_justify="left", show_lines=not wide)
    table.add_column("name", style="bold cyan", no_wrap=True)
    if wide:
        table.add_column("class", no_wrap=True)
    table.add_column("parameters (defaults)", min_width=14)
    if wide:
        table.add_column("defines", no_wrap=True)
    table.add_column("family", min_width=8)
    table.add_column("description", ratio=1, min_width=20)
    for row in rows:
        params = "\n".join(f"{k}={v}" for k, v in row["params"].items()) or "-"
        kind = "g, g'" if row["has_fun"] else "g' only"
        family = row["family"]
        desc = row["description"]
        if "library" in row:
            desc += f"\n[dim]spikes where {row['forward']}; = {row['equivalent'] or 'no built-in'}[/dim]"
        if wide:
            cells = [row["name"], row["class"], params, kind, family, desc]
        else:
            name = f"{row['name']}\n[dim]{row['class']}[/dim]"
            if not row["has_fun"]:
                name += "\n[yellow]g' only[/yellow]"
            cells = [name, params, family, desc]
        table.add_row(*cells)
    return table
