"""Benchmark: the evaluator's kernels compiled with ``KERNEL_OPTIONS`` against XLA's defaults.

    python benchmarks/kernels.py [--repeat R]

For every built-in (from the registry) at every 4th slider position of ``explore``'s default
sliders, each kind of kernel the evaluator builds (``grad`` on ``info``'s grid of about 2e5
points, ``curve`` on 301 points, ``fun`` on ``info``'s grid), compiled twice in this process:
with ``surrogate_cli.evaluation.kernels.KERNEL_OPTIONS`` (what the package uses) and with
XLA's defaults (the baseline), each of the two first for half the programs. Printed: the total compile seconds of each and their ratio,
the run time of each (R calls per kernel, synchronised) and their ratio, and how far the two
disagree: the number of outputs that are not bit-identical and the largest difference
relative to the peak of |value| of that output (the package's claim: rounding level).
"""
from __future__ import annotations

import argparse
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import jax
    import jax.numpy as jnp
    import numpy as np

    from surrogate_cli.analysis.explore import plan_sliders
    from surrogate_cli.analysis.metrics import _grids
    from surrogate_cli.catalog import builtin_records
    from surrogate_cli.evaluation import resolve
    from surrogate_cli.evaluation.kernels import KERNEL_OPTIONS, _program, _scalars, kernel_options

    if not kernel_options():
        raise SystemExit("this jax/XLA does not take KERNEL_OPTIONS: the package uses XLA's defaults")
    comp = {"options": 0.0, "defaults": 0.0}
    run = {"options": 0.0, "defaults": 0.0}
    outputs = differ = order = 0
    worst = (0.0, "")
    for rec in builtin_records():
        t = resolve(rec.name)
        S = max(abs(v) for v in t.default_range)
        grid = _grids(S, (0.0,))[2]
        x301 = np.linspace(*t.default_range, 301)
        for s in plan_sliders(t)[3][::4]:
            static, traced = rec.split(s)
            p = _scalars(traced)
            kinds = [("grad", grid), ("curve", x301)] + ([("fun", grid)] if rec.has_fun else [])
            with jax.enable_x64(True):
                for kind, x in kinds:
                    prog = _program(rec, static, kind)
                    xj = jnp.asarray(x)
                    res = {}
                    pair = [("options", jax.jit(prog, compiler_options=KERNEL_OPTIONS)), ("defaults", jax.jit(prog))]
                    order += 1
                    for label, jf in pair[::1 if order % 2 else -1]:  # each goes first half the time
                        t0 = time.perf_counter()
                        c = jf.lower(xj, p).compile()
                        comp[label] += time.perf_counter() - t0
                        jax.block_until_ready(c(xj, p))
                        t0 = time.perf_counter()
                        for _ in range(args.repeat):
                            out = jax.block_until_ready(c(xj, p))
                        run[label] += time.perf_counter() - t0
                        res[label] = [np.asarray(o) for o in (out if isinstance(out, tuple) else (out,))]
                    for a, b in zip(res["options"], res["defaults"]):
                        outputs += 1
                        if np.array_equal(a, b, equal_nan=True):
                            continue
                        differ += 1
                        fin = np.isfinite(b)
                        rel = float(np.max(np.abs(a[fin] - b[fin])) / max(float(np.max(np.abs(b[fin]))), 1e-300))
                        if rel > worst[0]:
                            worst = (rel, f"{rec.name} {kind} {s}")
    print(f"evaluator kernels, 18 built-ins, {outputs} outputs; options {KERNEL_OPTIONS} vs XLA's defaults "
          "(same process, same programs)")
    print(f"{'':<10}{'options':>10}{'defaults':>10}{'ratio':>8}")
    print(f"{'compile s':<10}{comp['options']:>10.2f}{comp['defaults']:>10.2f}"
          f"{comp['defaults'] / comp['options']:>7.2f}x")
    print(f"{'run s':<10}{run['options']:>10.2f}{run['defaults']:>10.2f}{run['defaults'] / run['options']:>7.2f}x")
    print(f"not bit-identical: {differ} of {outputs} outputs; largest difference {worst[0]:.2g} of the "
          f"output's peak |value| ({worst[1]})")


if __name__ == "__main__":
    main()
