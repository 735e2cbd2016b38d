"""Benchmark: `surrogate flow` (table, heatmap, --simulate), each beside its floor, in one run.

    python benchmarks/flow.py [--repeat R]

Whole processes, wall time (what a user waits for), medians over R alternating runs:

* floor, tables: `python -c "import jax, rich, surrogate_cli.library, surrogate_cli.analysis.flow"`
  (interpreter, jax, the package: paid before any number is computed),
* table: `surrogate flow <all 18 built-ins> --network sigma_w=3` (moments, active fraction,
  chi = 1 solved for every surrogate),
* floor, figures: the tables floor plus matplotlib, and one empty figure saved as PNG,
* heatmap: `surrogate flow <6 surrogates> --network sigma_w=3 --no-solve -o F.png`
  (a 60 x 60 grid of chi per surrogate),
* simulate: `surrogate flow sigmoid --network sigma_w=3 --simulate --layers 20 --width 1000
  --no-solve` (a random 20 x 1000 stack, batch 16, beside the prediction).

Targets on 2 cores (from issue 13): table under 1 s beyond its floor, heatmap under 3 s,
--simulate under 5 s (both printed beyond their floor and as absolute seconds).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile

from _timing import run_timed

FLOOR_TABLE = "import jax, rich, surrogate_cli.library, surrogate_cli.analysis.flow"
FLOOR_FIGURE = (
    FLOOR_TABLE + "; import matplotlib; matplotlib.use('Agg'); "
    "from surrogate_cli.render.figures import new_figure, save_figure; import sys; "
    "save_figure(new_figure((4, 3)), sys.argv[1])"
)
SIX = ["sigmoid", "arctan", "erf", "piecewise_quadratic", "inv_square_grad", "slayer_grad"]


def _time(cmd: list[str]) -> float:
    return run_timed(cmd, env={**os.environ, "MPLBACKEND": "Agg"})[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from surrogate_cli.catalog import names

    py = sys.executable
    tmp = tempfile.mkdtemp()
    fig_floor = os.path.join(tmp, "floor.png")
    fig = os.path.join(tmp, "flow.png")
    cmds = {
        "floor (tables)": [py, "-c", FLOOR_TABLE],
        "table, all 18": [py, "-m", "surrogate_cli", "flow", *names(), "--network", "sigma_w=3"],
        "floor (figures)": [py, "-c", FLOOR_FIGURE, fig_floor],
        "heatmap 60x60, 6 surrogates": [py, "-m", "surrogate_cli", "flow", *SIX, "--network", "sigma_w=3",
                                        "--no-solve", "-o", fig],
        "simulate 20 x 1000": [py, "-m", "surrogate_cli", "flow", "sigmoid", "--network", "sigma_w=3",
                               "--simulate", "--layers", "20", "--width", "1000", "--no-solve"],
    }
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(args.repeat):
        for name, cmd in cmds.items():
            times[name].append(_time(cmd))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"surrogate flow, medians of {args.repeat} runs (wall seconds, whole process)")
    print(f"{'':<30}{'seconds':>9}{'beyond floor':>14}{'x floor':>9}{'target':>22}")
    rows = [
        ("floor (tables)", None, ""),
        ("table, all 18", "floor (tables)", "< 1 s beyond floor"),
        ("floor (figures)", None, ""),
        ("heatmap 60x60, 6 surrogates", "floor (figures)", "< 3 s (beyond floor)"),
        ("simulate 20 x 1000", "floor (tables)", "< 5 s (beyond floor)"),
    ]
    for name, floor, target in rows:
        t = med[name]
        if floor is None:
            print(f"{name:<30}{t:>9.2f}")
        else:
            f = med[floor]
            print(f"{name:<30}{t:>9.2f}{t - f:>14.2f}{t / f:>9.2f}{target:>22}")


if __name__ == "__main__":
    main()
