"""ARCHITECTURE.md's recipes, each performed: the test makes the change the recipe names, and
only that change, in a copy of the package, and finds the result everywhere it should be."""
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

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

# -- another library: its module (source, records), named in table.py; its gradient in library/foreign.py
NEW_LIBRARY = '''"""Mylib (a test of the recipe for another library): forward x > 0."""
from __future__ import annotations

from ..params import Param
from .base import *  # noqa: F401,F403
from .base import Equivalence

MYLIB = Source("someone/mylib", "mylib/spikes.py", "mylib 1.2.3 (PyPI wheel)", "git tag v1.2.3 0123abcd")
LIBRARY = register_library("mylib", "MyLib", MYLIB)

RECORDS: list = []
UNAVAILABLE: list = []

RECORDS.append(make_record(
    LIBRARY, "sig", "MylibSig", (Param("k", 2.0, "slope"),),
    r"g'(x) = k\\,\\sigma(kx)(1-\\sigma(kx))", r"g(x) = \\sigma(kx)",
    "A logistic sigmoid of slope k.", (-3.0, 3.0), "sigmoid", ">",
    equivalent=Equivalence(target="sigmoid", params=lambda k: {"alpha": k}, mapping="alpha = k"),
    code=lambda k: f"import mylib\\nspike = mylib.sig(k={k})",
))
'''

NEW_LIBRARY_GRAD = '''

_impl("mylib.sig", lambda x, k: jax.nn.sigmoid(k * x))(lambda x, k: k * jax.nn.sigmoid(k * x) * jax.nn.sigmoid(-k * x))
'''

# -- a command: cli/NAME.py with register(app), named in app.py's import and loop
NEW_COMMAND = '''"""``surrogate hello``: a test of the recipe for a new command."""
import typer

from .options import json_option


def hello_cmd(as_json: bool = json_option()):
    """Say hello (a test command)."""
    typer.echo('{"hello": 1}' if as_json else "hello")


def register(app: typer.Typer) -> None:
    app.command("hello")(hello_cmd)
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
    "lib_list": run("list", "--library", "mylib", "--json"),
    "lib_info": run("info", "mylib.sig", "--k", "3", "--json"),
    "lib_convert": run("convert", "mylib.sig", "--k", "3"),
    "lib_verify": run("verify", "mylib.sig"),
    "hello": run("hello", "--json"),
    "help": run("--help"),
    "jpg": run("plot", "sigmoid", "--points", "51", "-o", "s.jpg"),
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
    pkg = dst / "surrogate_cli"
    # another library: its module, its name in table.py's _MODULES, its gradient
    (pkg / "catalog" / "foreign" / "mylib.py").write_text(NEW_LIBRARY)
    _edit(pkg / "catalog" / "foreign" / "table.py", [(r"from \. import ([\w, ]+)\n", r"from . import \1, mylib\n"),
                                                     (r"_MODULES = \(([\w, ]+)\)", r"_MODULES = (\1, mylib)")])
    _edit(pkg / "library" / "foreign.py", [(r"\n# -- the classes -", NEW_LIBRARY_GRAD.replace("\\", "\\\\") + r"\n# -- the classes -")])
    # a command: its module, named in app.py's import and loop
    (pkg / "cli" / "hello.py").write_text(NEW_COMMAND)
    _edit(pkg / "cli" / "app.py", [(r"from \. import ([\w, ]+)\n", r"from . import \1, hello\n"),
                                   (r"for _module in \(([\w, ]+)\):", r"for _module in (\1, hello):")])
    # an output format: one entry in FIGURE_FORMATS
    _edit(pkg / "render" / "files.py", [(r'FIGURE_FORMATS = \{', 'FIGURE_FORMATS = {".jpg": "jpg", ')])
    return dst


def _edit(path, subs):
    text = path.read_text()
    for pattern, repl in subs:
        text, n = re.subn(pattern, repl, text, count=1)
        assert n == 1, (path, pattern)
    path.write_text(text)


@pytest.fixture(scope="module")
def performed(tmp_path_factory):
    """Every recipe performed in one copy of the package, every command run in one process."""
    repo = _copy_with_new_builtin(tmp_path_factory.mktemp("recipes"))
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
    return repo, res


def test_a_19th_builtin_is_one_record_and_one_class(performed):
    repo, res = performed

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


def test_another_library_is_one_module_named_in_the_table_and_its_gradient(performed):
    _, res = performed
    (rec,) = json.loads(res["lib_list"]["out"])["surrogates"]
    assert rec["name"] == "mylib.sig" and rec["family"] == "sigmoid"
    info = json.loads(res["lib_info"]["out"])
    assert abs(info["properties"]["peak_value"] - 0.75) < 1e-9  # k/4 at x = 0
    assert "sigmoid(alpha=3)" in res["lib_convert"]["out"] and "exact" in res["lib_convert"]["out"]
    assert "1 pass, 0 warn, 0 fail" in res["lib_verify"]["out"]


def test_a_command_is_one_module_named_in_the_app(performed):
    _, res = performed
    assert json.loads(res["hello"]["out"]) == {"hello": 1}
    assert "hello" in res["help"]["out"] and "Say hello" in res["help"]["out"]


def test_a_figure_format_is_one_entry_in_figure_formats(performed):
    repo, res = performed
    assert res["jpg"]["err"] == "wrote s.jpg\n"
    assert (repo / "s.jpg").read_bytes()[:3] == b"\xff\xd8\xff"  # JPEG
