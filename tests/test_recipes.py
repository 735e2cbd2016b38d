"""ARCHITECTURE.md's recipes, each performed: the test makes the change the recipe names, and
only that change, in a copy of the package, and finds the result everywhere it should be."""
import json
import os
import shutil
import subprocess
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

NEW_RECORD = '''

RECORDS = RECORDS + (
    Record(
        name="tanh_grad",
        class_name="TanhGrad",
        params=(Param("alpha", 2.0, "steepness; larger is closer to the step"),),
        has_fun=True,
        fun_tex=r"g(x) = \\frac{1}{2}(1 + \\tanh(\\alpha x))",
        grad_tex=r"g'(x) = \\frac{\\alpha}{2}\\,\\mathrm{sech}^{2}(\\alpha x)",
        description="Hyperbolic tangent: a sigmoid of steepness 2 alpha, written another way.",
        reference="A test of the recipe for a new built-in (tests/test_recipes.py)",
        x_range=(-3.0, 3.0),
        area=lambda alpha: 1.0,
        family="sigmoid",
        solve_param="alpha",
        noise=Noise("logistic", "1/(2*alpha)", lambda alpha: 0.5 / alpha),
    ),
)
'''

NEW_CLASS = '''


class TanhGrad(BuiltinSurrogate, record="tanh_grad"):
    def surrogate_fun(self, x):
        return 0.5 * (1.0 + jnp.tanh(self.alpha * x))

    def surrogate_grad(self, x):
        t = jnp.tanh(self.alpha * x)
        return 0.5 * self.alpha * (1.0 - t * t)


__all__ = [*__all__, "TanhGrad"] if "TanhGrad" not in __all__ else __all__
'''

# Runs inside the copy: every command in one process, each as a user would call it.
SCRIPT = r'''
import contextlib, io, json, sys
from surrogate_cli.cli import main

def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(argv))
        except SystemExit as exc:
            code = exc.code or 0
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}

res = {
    "list": run("list", "--json"),
    "info": run("info", "tanh-grad", "--alpha", "3", "--json"),
    "plot": run("plot", "tanh_grad", "--alpha", "1,2", "--points", "101", "-o", "t.png", "--csv", "t.csv"),
    "compare": run("compare", "sigmoid:alpha=4", "tanh_grad", "--points", "101", "--csv", "-", "-o", "c.png"),
    "verify": run("verify", "tanh_grad"),
    "verify_all": run("verify", "--all"),
    "flow": run("flow", "tanh_grad", "--json"),
    "convert": run("convert", "tanh_grad", "--to", "snntorch"),
    "convert_from": run("convert", "snntorch.sigmoid"),
}
from surrogate_cli import gallery
cfg = gallery.load_config("configs/gallery.yaml")
res["gallery"] = [e.name for e in cfg.entries]
json.dump(res, sys.stdout)
'''


def _copy_with_new_builtin(tmp_path):
    dst = tmp_path / "repo"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(os.path.join(ROOT, "surrogate_cli"), dst / "surrogate_cli", ignore=ignore)
    shutil.copytree(os.path.join(ROOT, "configs"), dst / "configs")
    with open(dst / "surrogate_cli" / "catalog" / "builtins.py", "a", encoding="utf-8") as fh:
        fh.write(NEW_RECORD)  # the record ...
    with open(dst / "surrogate_cli" / "library" / "surrogates.py", "a", encoding="utf-8") as fh:
        fh.write(NEW_CLASS)  # ... and its class: nothing else is edited
    return dst


def test_a_19th_builtin_is_one_record_and_one_class(tmp_path):
    repo = _copy_with_new_builtin(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(repo)
    env["MPLBACKEND"] = "Agg"
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT)], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    res = json.loads(proc.stdout)
    for name, r in res.items():
        if name not in ("gallery", "convert"):
            assert r["code"] == 0, (name, r["err"])

    listed = {s["name"]: s for s in json.loads(res["list"]["out"])}
    assert "tanh_grad" in listed and listed["tanh_grad"]["family"] == "sigmoid"
    assert len(listed) == 19

    info = json.loads(res["info"]["out"])
    assert info["name"] == "tanh_grad" and info["class"] == "TanhGrad"
    assert [(p["name"], p["value"]) for p in info["parameters"]] == [("alpha", 3.0)]
    assert abs(info["properties"]["peak_value"] - 1.5) < 1e-9  # alpha / 2 at x = 0
    assert info["noise"].startswith("g is the CDF of logistic noise")

    assert "wrote t.png" in res["plot"]["err"] and (repo / "t.png").exists()
    rows = (repo / "t.csv").read_text().splitlines()
    assert rows[0].startswith("surrogate,") and sum(r.startswith("tanh_grad,") for r in rows) == 2 * 101

    cmp_rows = [r.split(",") for r in res["compare"]["out"].splitlines()[1:]]
    header = res["compare"]["out"].splitlines()[0].split(",")
    gi = header.index("gradient")
    sig = [float(r[gi]) for r in cmp_rows if r[0] == "sigmoid"]
    tanh = [float(r[gi]) for r in cmp_rows if r[0] == "tanh_grad"]
    assert len(sig) == len(tanh) == 101  # tanh(x) = 2 sigmoid(2x) - 1: the same gradient at alpha = 2 vs 4
    assert max(abs(a - b) for a, b in zip(sig, tanh)) < 1e-12

    assert "tanh_grad alpha=2" in res["verify"]["out"]
    assert "OK: 1 surrogate(s), 1 parameter set(s): 1 pass, 0 warn, 0 fail" in res["verify"]["out"]
    assert "tanh_grad" in res["verify_all"]["out"]

    flow = json.loads(res["flow"]["out"])
    row = flow["rows"][0]
    assert row["surrogate"] == "tanh_grad" and row["solve"]["param"] == "alpha"

    # no exact snnTorch counterpart is known to the catalog: exit 2 naming the closest fit, which is exact
    assert res["convert"]["code"] == 2
    assert "closest fit (lsq): snntorch.sigmoid(slope=4), max deviation" in res["convert"]["err"]
    # snnTorch's sigmoid (slope k) is the built-in sigmoid; the new one is an exact match too (alpha = k/2)
    assert "sigmoid" in res["convert_from"]["out"]

    assert res["gallery"][-1] == "tanh_grad" and len(res["gallery"]) == 19
