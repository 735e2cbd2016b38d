"""Benchmark: `surrogate explore` for all 18 built-ins, beside baselines measured in the same run.

    python benchmarks/explore.py [--repeat R] [--steps N]

Whole processes, wall time (what a user waits for), medians over R alternating runs:

* floor: `python -c "import jax, surrogate_cli.evaluation"` (interpreter, jax, the package),
* curves: the same curves as the page (every slider position of every built-in, 301 points)
  evaluated by the package and written as `plot --csv` writes them: what the page costs
  beyond `info`'s properties and `flow`'s chi,
* explore, one process: `surrogate explore --jobs 1` (this process alone, two threads: how
  the page was written before its worker processes), the same-run baseline of
* explore: `surrogate explore -o F.html` (every built-in, 33 positions per slider; this
  process and a worker process per further core), and the size of the page it writes
  (the two pages are checked to be the same bytes);

then, in headless Chromium (selenium and /usr/bin/chromedriver, where installed), the
redraw time of one slider move with 6 surrogates overlaid (3 panels), median of 20 moves.

Targets (issue 21): the page under 3 MB; writing it under 10 s; a redraw within 50 ms.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile

from _timing import run_timed

FLOOR = "import jax, surrogate_cli.evaluation"
CURVES = r"""
import sys
from surrogate_cli.analysis.explore import POINTS, plan_sliders
from surrogate_cli.catalog import names
from surrogate_cli.evaluation import evaluate, resolve
from surrogate_cli.render.csv import write_csv
steps = int(sys.argv[2])
out = []
for name in names():
    t = resolve(name)
    out += evaluate(t, plan_sliders(t, steps=steps)[3], None, POINTS)
write_csv(out, sys.argv[1])
print(len(out))
"""
SIX = ["sigmoid", "arctan", "erf", "piecewise_quadratic", "gaussian_grad", "snntorch.atan"]
#: The README's figure before this version (commit ecaa22a, load 2): explore, all 18, wall seconds.
BASELINE = 18.9


def _time(cmd: list[str]) -> tuple[float, str]:
    return run_timed(cmd)


def _redraw(page: str) -> str:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import WebDriverWait

        opts = Options()
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1300,1400"):
            opts.add_argument(arg)
        opts.binary_location = "/usr/bin/chromium"
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    except Exception as exc:  # noqa: BLE001
        return f"not measured ({type(exc).__name__}: {exc})"
    try:
        driver.get("file://" + os.path.abspath(page))
        WebDriverWait(driver, 60).until(lambda d: d.execute_script("return !!(window.explore && explore.ready)"))
        driver.execute_script(f"explore.select({SIX!r})")
        slider = driver.find_element(By.ID, "slider-arctan-alpha")
        ms = []
        for key in [Keys.ARROW_LEFT] * 10 + [Keys.ARROW_RIGHT] * 10:
            slider.send_keys(key)
            ms.append(driver.execute_script("return explore.lastRedrawMs()"))
        return (f"{statistics.median(ms):.1f} ms median, {max(ms):.1f} ms max over {len(ms)} moves "
                f"(6 surrogates, 3 panels, 301 points each; JavaScript and layout)")
    finally:
        driver.quit()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--steps", type=int, default=33)
    args = ap.parse_args()
    py = sys.executable
    tmp = tempfile.mkdtemp()
    page = os.path.join(tmp, "explore.html")
    page1 = os.path.join(tmp, "explore-one-process.html")
    csv_path = os.path.join(tmp, "curves.csv")
    cmds = {
        "floor": [py, "-c", FLOOR],
        "curves (plot's CSV)": [py, "-c", CURVES, csv_path, str(args.steps)],
        "explore, one process": [py, "-m", "surrogate_cli", "explore", "-o", page1, "--steps", str(args.steps),
                                 "--jobs", "1"],
        "explore, all 18": [py, "-m", "surrogate_cli", "explore", "-o", page, "--steps", str(args.steps)],
    }
    times: dict[str, list[float]] = {k: [] for k in cmds}
    count = ""
    for _ in range(args.repeat):
        for name, cmd in cmds.items():
            dt, out = _time(cmd)
            times[name].append(dt)
            if name.startswith("curves"):
                count = out
    med = {k: statistics.median(v) for k, v in times.items()}
    floor = med["floor"]
    print(f"surrogate explore, all 18 built-ins, {args.steps} positions per slider ({count} parameter sets), "
          f"medians of {args.repeat} run(s), wall seconds")
    print(f"{'':<24}{'seconds':>9}{'beyond floor':>14}")
    for name in cmds:
        extra = "" if name == "floor" else f"{med[name] - floor:>14.2f}"
        print(f"{name:<24}{med[name]:>9.2f}{extra}")
    ratio = (med["explore, all 18"] - floor) / max(med["curves (plot's CSV)"] - floor, 1e-9)
    print(f"explore / curves: {ratio:.1f}x beyond the floor")
    pairs = [a / b for a, b in zip(times["explore, all 18"], times["explore, one process"])]
    print(f"explore / explore --jobs 1: {statistics.median(pairs):.2f} (median of the {len(pairs)} runs' ratios, "
          f"each pair measured back to back)")
    print(f"explore, all 18: {med['explore, all 18']:.2f} s (target: under 10 s; the README's figure before "
          f"worker threads, ecaa22a: {BASELINE} s; wall times follow the host's load)")
    with open(page, "rb") as a, open(page1, "rb") as b:
        same = a.read() == b.read()
    print(f"the two pages are {'the same bytes' if same else 'DIFFERENT (a bug)'}")
    size = os.path.getsize(page)
    print(f"page size: {size} bytes ({size / 1e6:.2f} MB; target under 3 MB); the curves' CSV: "
          f"{os.path.getsize(csv_path) / 1e6:.1f} MB")
    print(f"redraw in headless Chromium: {_redraw(page)}")


if __name__ == "__main__":
    main()
