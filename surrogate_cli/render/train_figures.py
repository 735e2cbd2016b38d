"""The figure of ``surrogate train``: held-out test accuracy against the swept parameter (one
line per surrogate, mean over seeds with a band of +- one std, a marker at flow's chi = 1
value, chance level dashed) and the learning curves (test accuracy per epoch, mean over
seeds, one line per run group). Nothing is computed here beyond means over seeds."""
from __future__ import annotations

import math

from ..formatting import fmt

__all__ = ["train_figure"]


def train_figure(result):
    import numpy as np

    from .colors import log_spaced
    from .figures import new_figure

    fig = new_figure((11.0, 4.2))
    ax, lc = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    pname = result.swept[0] if result.swept else None
    names = list(dict.fromkeys(s.surrogate for s in result.summaries))
    import matplotlib

    cmap = matplotlib.colormaps["tab10"]
    all_x = []
    for k, name in enumerate(names):
        color = cmap(k % 10)
        rows = [s for s in result.summaries if s.surrogate == name]
        if pname is not None and all(pname in s.params for s in rows):
            xs = np.asarray([float(s.params[pname]) for s in rows])
        else:
            xs = np.arange(len(rows), dtype=float)
        order = np.argsort(xs)
        xs = xs[order]
        m = np.asarray([rows[i].final_test_acc[0] for i in order]) * 100
        sd = np.asarray([rows[i].final_test_acc[1] for i in order]) * 100
        all_x += list(xs)
        ax.plot(xs, m, marker="o", color=color, label=name, linewidth=1.6, markersize=4)
        ax.fill_between(xs, m - sd, m + sd, color=color, alpha=0.2, linewidth=0)
        div = [rows[i].diverged > 0 for i in order]
        if any(div):
            ax.plot(xs[np.asarray(div)], m[np.asarray(div)], marker="x", color="k", linestyle="none",
                    markersize=7)
        v = result.chi_one.get(name)
        if v is not None and math.isfinite(v):
            ax.axvline(v, color=color, linestyle=":", linewidth=1.2)
            ax.plot([v], [0.97], marker="v", color=color, markersize=8, linestyle="none",
                    transform=ax.get_xaxis_transform(), clip_on=False)
        epochs = None
        for i in order:
            runs = [r for r in result.runs if r.surrogate == name and r.params == rows[i].params]
            hist = np.asarray([r.test_acc for r in runs], dtype=float) * 100
            epochs = np.arange(1, hist.shape[1] + 1)
            lc.plot(epochs, np.nanmean(hist, axis=0), color=color, alpha=0.35 + 0.65 * (i == order[-1]),
                    linewidth=1.0)
    chance = result.chance * 100
    for a in (ax, lc):
        a.axhline(chance, color="0.5", linestyle="--", linewidth=1.0)
        a.set_ylabel("held-out test accuracy (%)")
        a.grid(alpha=0.3)
    if pname is not None and len(all_x) > 1 and min(all_x) > 0 and log_spaced(sorted(set(all_x))):
        ax.set_xscale("log")
    ax.set_xlabel(pname or "parameter set")
    ax.set_title(f"final accuracy over {result.config['seeds']} seeds (band: ±1 std; ▼ flow's χ = 1)",
                 fontsize=9)
    ax.legend(fontsize=8, loc="best")
    lc.set_xlabel("epoch")
    lc.set_title("learning curves (mean over seeds; one line per parameter value)", fontsize=9)
    lc.text(0.99, 0.02, f"chance {fmt(chance, 3)}%", transform=lc.transAxes, ha="right", va="bottom",
            fontsize=8, color="0.4")
    fig.suptitle(result.task["description"], fontsize=9)
    return fig
