"""``surrogate list``: every built-in surrogate, as a table or JSON."""
from __future__ import annotations

import json
import sys
from typing import Optional

import typer

from .options import json_option

__all__ = ["register"]


def list_cmd(
    as_json: bool = json_option(),
    library: Optional[str] = typer.Option(
        None, "--library", help="Another library's surrogates instead (snntorch, spikingjelly, norse, sinabs, "
        "spyx, lava_dl, nest), or 'all' for every one."),
):
    """List every built-in surrogate (or another library's): name, class, parameters, kind, family."""
    from ..catalog import builtin_records
    from ..catalog.foreign import LIBRARIES, UNAVAILABLE, foreign_records, library_of, library_records
    from ..render.list_view import list_rows, list_table

    if library is None:
        recs, title, libs = list(builtin_records()), None, []
    elif library.strip().lower() == "all":
        recs, libs = list(foreign_records()), list(LIBRARIES)
        title = f"{len(recs)} surrogates of {len(libs)} other libraries"
    else:
        lib = library_of(library)
        recs, libs = library_records(lib), [lib]
        title = f"{len(recs)} {LIBRARIES[lib][0]} surrogates ({LIBRARIES[lib][1].version})"
    rows = list_rows(recs)
    missing = [{"name": f"{u.library}.{u.name}", "reason": u.reason} for u in UNAVAILABLE if u.library in libs]
    if as_json:
        out = rows if library is None else {"surrogates": rows, "unavailable": missing}
        sys.stdout.write(json.dumps(out, indent=2) + "\n")
        return
    from .console import make_console

    console = make_console()
    console.print(list_table(rows, console.width, title))
    for m in missing:
        console.print(f"[yellow]not available[/yellow] {m['name']}: {m['reason']}")
    if library is None:
        n = sum(1 for _ in foreign_records())
        console.print(f"and {n} surrogates of other libraries by their own names (snntorch.atan, ...): "
                      f"surrogate list --library {'|'.join(LIBRARIES)}|all")


def register(app: typer.Typer) -> None:
    app.command("list")(list_cmd)
