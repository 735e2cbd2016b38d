"""Figures of ``surrogate flow``: the chi heatmap per surrogate, and chi against the parameter."""
from __future__ import annotations

import math

from .flow_view import _num, membrane_text

__all__ = ["flow_figure", "heatmap_data"]


def _grid_values(current: float, param, n: int):
    import numpy as np

    base = current if current > 0 else 1.0
    lo, hi = base / 30.0, base * 30.0
    if param is not None:
        if param.low is not None and param.low > 0:
            lo = max(lo, param.low * (1.000001 if param.low_open else 1.0))
        if param.high is not None:
            hi = min(hi, param.high)
    return np.exp(np.linspace(math.log(lo), math.log(hi), n))


def heatmap_data(result, n_param: int = 60, n_std: int = 60):
    """Per distinct surrogate (its first parameter set): (row, param values, stds, chi grid)."""
    import numpy as np

    from ..analysis.flow import chi_grid
    from ..catalog.flow import SOLVE_PARAM
    from ..evaluation import resolve

    mem = result.membrane
    out = []
    seen = set()
    for r in result.rows:
        if r.surrogate in seen:
            continue
        seen.add(r.surrogate)
        target = resolve(r.surrogate) if r.surrogate in SOLVE_PARAM else None
        if target is None:
            continue  # user surrogates: the table has them; the heatmap needs the catalog
        pname = r.solve.param if r.solve is not None else SOLVE_PARAM[r.surrogate]
        rec = target.record
        values = _grid_values(float(r.params[pname]), rec.param(pname), n_param)
        s0 = mem.std if mem.std > 0 else 1.0
        stds = np.exp(np.linspace(math.log(s0 / 10.0), math.log(s0 * 10.0), n_std))
        fixed = mem.sigma_w if (mem.sigma_w_given and mem.kind != "network") or mem.kind == "empirical" else None
        grid = chi_grid(target, r.params, pname, values, stds, mem.mean, fixed)
        out.append((r, pname, values, stds, grid))
    return out


def flow_figure(result, panel: str = "heatmap"):
    """The figure: ``heatmap`` (log10 chi over parameter x membrane std, one panel per
    surrogate, chi = 1 contour, operating point) or ``gain`` (chi against the parameter)."""
    import numpy as np

    from .figures import new_figure

    if panel == "gain":
        return _gain_figure(result)
    maps = heatmap_data(result)
    n = max(1, len(maps))
    cols = min(3, n)
    rows = -(-n // cols)
    fig = new_figure((4.2 * cols, 3.6 * rows))
    mem = result.membrane
    with np.errstate(divide="ignore"):
        logs = [np.log10(m[4]) for m in maps]
    finite = [np.abs(z[np.isfinite(z)]) for z in logs]
    lim = min(6.0, max([1.0] + [float(f.max()) for f in finite if f.size]))
    for k, (r, pname, values, stds, grid) in enumerate(maps):
        ax = fig.add_subplot(rows, cols, k + 1)
        z = logs[k]
        mesh = ax.pcolormesh(values, stds, np.clip(z, -lim, lim), cmap="RdBu_r", vmin=-lim, vmax=lim,
                             shading="auto", rasterized=True)
        if np.nanmin(z) < 0 < np.nanmax(z):
            ax.contour(values, stds, z, levels=[0.0], colors="k", linewidths=1.2)
        ax.plot([r.params[pname]], [mem.std if mem.std > 0 else stds[len(stds) // 2]], marker="o",
                color="gold", markeredgecolor="k", markersize=7, linestyle="none")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.minorticks_off()  # log-axis minor ticks are most of the layout time
        ax.set_xlabel(pname)
        ax.set_ylabel("membrane std")
        ax.set_title(f"{r.surrogate}  (chi = {_num(r.chi)})", fontsize=9)
    if maps:
        fig.colorbar(mesh, ax=fig.axes, label="log10 chi", shrink=0.9)
    sub = f"mean v - theta = {_num(mem.mean)}; " + (
        f"sigma_w = {_num(mem.sigma_w)} fixed" if (mem.sigma_w_given and mem.kind != "network")
        or mem.kind == "empirical" else "sigma_w from the fixed point, std/sqrt(rate)")
    fig.suptitle(f"log10 chi per layer: black line chi = 1, dot = operating point\n{sub}", fontsize=9)
    return fig


def _gain_figure(result):
    import numpy as np

    from ..analysis.flow import grad_evaluator, moments
    from ..catalog.flow import SOLVE_PARAM
    from ..evaluation import resolve
    from .figures import new_figure

    fig = new_figure((6.4, 4.4))
    ax = fig.add_subplot(1, 1, 1)
    mem = result.membrane
    seen = set()
    samples = mem.samples if mem.kind == "empirical" else None
    for r in result.rows:
        if r.surrogate in seen or r.surrogate not in SOLVE_PARAM:
            continue
        seen.add(r.surrogate)
        target = resolve(r.surrogate)
        pname = r.solve.param if r.solve is not None else SOLVE_PARAM[r.surrogate]
        values = _grid_values(float(r.params[pname]), target.record.param(pname), 60)
        sets = [target.validate({**r.params, pname: float(v)}) for v in values]
        e2 = moments(grad_evaluator(target, sets), mem.mean, mem.std, samples=samples)[1]
        chi = mem.sigma_w ** 2 * e2
        line, = ax.plot(values, chi, label=f"{r.surrogate} ({pname})")
        ax.plot([r.params[pname]], [r.chi], marker="o", color=line.get_color(), linestyle="none")
    ax.axhline(1.0, color="k", linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("parameter value (each surrogate's own)")
    ax.set_ylabel("chi per layer")
    ax.set_title(membrane_text(mem), fontsize=7)
    ax.legend(fontsize=8)
    return fig
