"""What ``surrogate convert`` shows: text lines and a figure of both gradients (no printing)."""
from __future__ import annotations

from ..formatting import fmt

__all__ = ["convert_lines", "convert_figure"]


def _args(p: dict) -> str:
    return ", ".join(f"{k}={fmt(v)}" for k, v in p.items())


def convert_lines(c) -> list[str]:
    """The conversion as plain text lines: the equation, the measured error, notes and code."""
    src = f"{c.source}({_args(c.source_params)})"
    lo, hi = c.x_range
    where = f"over x in [{fmt(lo)}, {fmt(hi)}] ({c.points} points)"
    if c.kind == "exact":
        lines = [f"{src} = {c.expression()}   (exact)",
                 f"  max difference {fmt(c.max_rel_diff)} of the peak of g' {where}"]
        if c.edges:
            lines.append("  differs only at x = " + ", ".join(fmt(e) for e in c.edges)
                         + " (< versus <= at a breakpoint)")
    else:
        lines = [f"{src} ~ {c.expression()}   (closest fit, match={c.match}; no exact equivalent)",
                 f"  max deviation {fmt(c.deviation)} of the peak of g' {where}"]
    lines += [f"  note: {n}" for n in c.notes]
    if c.code:
        lines += ["code:"] + ["  " + line for line in c.code.splitlines()]
    return lines


def convert_figure(c, source_grad, target_grad, x):
    """Both gradients over the source's range: the source, and the (fitted) target."""
    from .figures import new_figure

    fig = new_figure((6.4, 3.6))
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(x, source_grad, lw=2.6, color="#1f77b4", label=f"{c.source}({_args(c.source_params)})")
    ax.plot(x, target_grad, lw=1.2, ls="--", color="#d62728", label=c.expression())
    ax.set_xlabel("x")
    ax.set_ylabel("g'(x)")
    kind = "exact" if c.kind == "exact" else f"fit ({c.match}), max deviation {fmt(c.deviation)}"
    ax.set_title(f"convert: {kind}", fontsize=10)
    ax.legend(fontsize=7, loc="lower center", framealpha=0.8)
    ax.grid(alpha=0.3)
    return fig
