"""How a :class:`~surrogate_cli.analysis.verify.VerifyReport` looks: a Rich table (one row
per surrogate and parameter set, one column per check), the problems and exemptions
under it, and a summary line. Used by ``surrogate verify`` and, as plain text, by
:func:`surrogate_cli.testing.assert_surrogate`. Builds renderables; prints nothing.
"""
from __future__ import annotations

import io

from ..formatting import fmt

__all__ = ["cell_text", "report_renderables", "report_text", "summary_line"]

_STYLE = {"pass": "green", "fail": "bold red", "warn": "yellow", "skip": "dim"}


def _num(v) -> str:
    return fmt(v, 2, missing="")


def cell_text(check) -> str:
    """``pass``, ``skip``, ``warn`` (``pass*`` when exempt by design), or ``FAIL`` with the
    worst relative (else absolute) error and the x where it is: ``FAIL 0.1 @-0.04``."""
    if check.status == "fail":
        bits = ["FAIL"]
        err = check.max_rel_error if check.max_rel_error is not None else check.max_abs_error
        if err is not None:
            bits.append(_num(err))
        if check.worst_x is not None:
            bits.append("@" + fmt(check.worst_x, 4))
        return " ".join(bits)
    if check.status == "pass" and "exempt by design" in check.detail:
        return "pass*"
    return check.status


def _params_text(params: dict, empty: str = "-") -> str:
    return ", ".join(f"{k}={fmt(v)}" for k, v in params.items()) or empty


def summary_line(report) -> str:
    s = report.summary
    verdict = "OK" if report.ok else "FAILED"
    return (f"{verdict}: {s['surrogates']} surrogate(s), {s['parameter_sets']} parameter set(s): "
            f"{s['pass']} pass, {s['warn']} warn, {s['fail']} fail"
            + (f", {s['skip']} skip" if s["skip"] else "")
            + f" (rtol={s['rtol']:g}, atol={s['atol']:g}{', strict' if s['strict'] else ''})")


def report_renderables(report, verbose: bool = False, width: int = 160) -> list:
    """The table, the notes (failures, warnings, exemptions) and the summary line.

    Narrower than 100 columns, the kinks move from a table column to the notes.
    """
    from rich.table import Table
    from rich.text import Text

    from ..analysis.verify import CHECKS

    table = Table(title=f"surrogate verify: {len(report.surrogates)} row(s)", title_justify="left",
                  caption="pass* = a shape exception by design (see below); FAIL <error> @<x>",
                  caption_justify="left", show_edge=False)
    table.add_column("surrogate", style="bold cyan", overflow="fold", min_width=14)
    short = {"derivative": "deriv", "stability": "stab", "dtypes": "dtype"}
    for name in CHECKS:
        table.add_column(short.get(name, name), min_width=5)
    kinks_column = width >= 100
    if kinks_column:
        table.add_column("kinks", overflow="fold", min_width=5, max_width=14)
    for s in report.surrogates:
        cells = [Text(cell_text(c), style=_STYLE[c.status]) for c in s.checks]
        kinks = ", ".join(f"{k:.4g}" for k in s.kinks) or "-"
        params = _params_text(s.params)
        table.add_row(Text(s.name) + Text(f" {params}" if params != "-" else "", style="default"), *cells,
                      *([kinks] if kinks_column else []))
    notes: list[str] = []
    if not kinks_column:
        notes += [f"kinks of {s.name}({_params_text(s.params, '')}) at x = {', '.join(f'{k:.4g}' for k in s.kinks)}"
                  for s in report.surrogates if s.kinks]
    exempt_seen: set = set()
    for s in report.surrogates:
        label = f"{s.name}({_params_text(s.params, '')})"
        for c in s.checks:
            if c.status in ("fail", "warn") and c.name in ("stability", "dtypes"):  # one line per dtype
                notes += [_verdict(c, label, part) for part in c.detail.split("; ")]
            elif c.status in ("fail", "warn") or (verbose and c.status != "pass"):
                notes.append(_verdict(c, label, c.detail))
            elif c.status == "pass" and "exempt by design" in c.detail and (s.name, c.detail) not in exempt_seen:
                exempt_seen.add((s.name, c.detail))
                why = "; ".join(p.replace(" exempt by design", "") for p in c.detail.split("; ")
                                if "exempt by design" in p)
                notes.append(f"exempt by design: {s.name} {why}")
    out: list = [table]
    for n in notes:
        style = "red" if n.startswith("FAIL") else "yellow" if n.startswith("WARN") else "dim"
        out.append(Text(n, style=style))
    out.append(Text(summary_line(report), style="bold green" if report.ok else "bold red"))
    return out



def _verdict(check, label: str, detail: str) -> str:
    """``FAIL name(params) check: [rule] detail``: every verdict line names the rule that made it
    (a part that names its own rule, a warning beside failures, keeps it and its severity)."""
    status = check.status.upper()
    if detail.startswith("[") and "] " in detail:
        rule = detail[1:detail.index("] ")]
        from ..analysis.verify.report import RULES

        if rule in RULES:
            status = RULES[rule][0].upper()
        return f"{status} {label} {check.name}: {detail}"
    rule = f"[{check.rule}] " if check.rule and check.status in ("fail", "warn") else ""
    return f"{status} {label} {check.name}: {rule}{detail}"


def report_text(report, width: int = 160, verbose: bool = False) -> str:
    """The report as plain text (no colour), e.g. for an ``AssertionError``."""
    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system=None, force_terminal=False, soft_wrap=False)
    for r in report_renderables(report, verbose=verbose, width=console.width):
        console.print(r)
    return buf.getvalue()
