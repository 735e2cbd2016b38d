"""What ``surrogate train`` shows: JSON-ready data, the Rich table per surrogate and parameter
set, and tidy CSV with one row per run and epoch (no printing)."""
from __future__ import annotations

from typing import Any

from ..formatting import exact, fmt, json_number

__all__ = ["train_data", "train_renderable", "train_csv_text", "task_text"]


def _json(v: Any):
    if isinstance(v, dict):
        return {k: _json(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_json(x) for x in v]
    if isinstance(v, float):
        return json_number(v)
    return v


def _params_text(params: dict) -> str:
    return ",".join(f"{k}={fmt(v, 4)}" for k, v in params.items()) or "-"


def _pct(v: float) -> str:
    return fmt(100 * v, 3) if v == v else "-"


def task_text(result) -> str:
    t = result.task
    return (f"{t['description']}; {t['n_train']} train / {t['n_test']} held-out test samples, "
            f"{t['steps']} steps x {t['units']} units, {t['classes']} classes; chance {_pct(t['chance'])}%")


def train_data(result) -> dict:
    """Everything as plain JSON-able data (non-finite numbers as null)."""
    return _json(result.as_dict())


def train_renderable(result):
    """A Rich group: the task line, one table row per surrogate and parameter set, notes."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=True, header_style="bold", pad_edge=False)
    for col, just in (("surrogate", "left"), ("params", "left"), ("test acc % final", "right"),
                      ("best (epoch)", "right"), ("train acc %", "right"), ("test loss", "right"),
                      ("rate Hz", "right"), ("|grad| at init", "right"), ("chi (flow)", "right"),
                      ("diverged", "right")):
        table.add_column(col, justify=just)
    for s in result.summaries:
        m, sd = s.final_test_acc
        b, bsd = s.best_test_acc
        norms = " ".join(f"{k}:{fmt(v, 3)}" for k, v in s.grad_norms.items())
        table.add_row(s.surrogate, _params_text(s.params), f"{_pct(m)} ± {_pct(sd)}",
                      f"{_pct(b)} ± {_pct(bsd)} ({fmt(s.best_epoch, 3)})", _pct(s.train_acc), fmt(s.test_loss, 4),
                      fmt(s.rate, 3), norms, fmt(s.chi, 3, words=True), f"{s.diverged}/{s.seeds}")
    lines = [Text(task_text(result))]
    cfg = result.config
    lines.append(Text(f"network: hidden {cfg['hidden']}, {'recurrent, ' if cfg['recurrent'] else ''}"
                      f"reset {cfg['reset']}, readout {cfg['readout']}, init {cfg['init']}; "
                      f"{cfg['epochs']} epochs, batch {cfg['batch']}, Adam lr {fmt(cfg['lr'])}; "
                      f"mean ± std over {cfg['seeds']} seeds"))
    lines.append(table)
    notes = ["final: the last epoch's held-out test accuracy; best: the best epoch's (chosen on the test "
             "set, so optimistic)"]
    for name, v in result.chi_one.items():
        notes.append(f"{name}: flow predicts chi = 1 at {result.swept[0] if result.swept else 'the parameter'}"
                     f" = {fmt(v, 4)}" if v is not None else f"{name}: flow finds no chi = 1 value in range")
    if result.interrupted:
        notes.append("interrupted: only finished runs are shown")
    lines += [Text(n, style="dim") for n in notes]
    return Group(*lines)




def train_csv_text(result) -> str:
    """Tidy CSV: one row per run and epoch; parameters as their own columns."""
    names = list(dict.fromkeys(k for r in result.runs for k in r.params))
    head = ["surrogate", *names, "seed", "epoch", "train_loss", "train_acc", "test_loss", "test_acc", "rate_hz",
            "diverged"]
    rows = [",".join(head)]
    for r in result.runs:
        for e in range(len(r.train_loss)):
            vals = [r.surrogate, *[exact(r.params[n]) if n in r.params else "" for n in names], str(r.seed),
                    str(e + 1), *[exact(getattr(r, k)[e]) for k in ("train_loss", "train_acc", "test_loss",
                                                                      "test_acc", "rate")],
                    "true" if r.diverged else "false"]
            rows.append(",".join(vals))
    return "\n".join(rows) + "\n"
