"""The house rules of ARCHITECTURE.md, read from the code's own imports (ast, no import)."""
import ast
import os

import pytest

ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "surrogate_cli")

# lowest first; a module may import from its own layer or any layer before it
LAYERS = [
    ("errors", "formatting", "yamldoc", "checkpoints"),
    ("catalog",),
    ("library",),
    ("evaluation",),
    ("analysis",),
    ("render",),
    ("gallery",),
    ("testing",),
    ("cli", "__main__"),
]
RANK = {name: i for i, group in enumerate(LAYERS) for name in group}


def _modules():
    for folder, _, files in os.walk(ROOT):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(folder, f)
                rel = os.path.relpath(path, ROOT)[:-3].split(os.sep)
                yield path, rel


def _top(rel):
    """The layer of a module path relative to the package (``['cli', 'plot']`` -> ``cli``)."""
    return rel[0]


def _imports(path, rel):
    """(line, target module parts, imported names) for each import of the package itself."""
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    package = rel[:-1]  # the package the module lives in (for __init__, the package itself)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.startswith("surrogate_cli"):
                target = node.module.split(".")[1:]
            else:
                continue
            yield node.lineno, target, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("surrogate_cli."):
                    yield node.lineno, a.name.split(".")[1:], []


MODULES = sorted(_modules())


def test_every_module_has_a_layer():
    for _, rel in MODULES:
        if rel == ["__init__"]:
            continue
        assert _top(rel) in RANK, f"{'/'.join(rel)}.py is in no layer of ARCHITECTURE.md"


@pytest.mark.parametrize("path,rel", MODULES, ids=lambda v: "/".join(v) if isinstance(v, list) else "")
def test_imports_point_down_and_take_no_private_names(path, rel):
    if rel == ["__init__"]:
        return  # the lazy public API re-exports from every layer
    mine = RANK[_top(rel)]
    for line, target, names in _imports(path, rel):
        if not target:  # "from . import x" inside the package root
            continue
        layer = RANK.get(_top(target))
        assert layer is not None, f"{path}:{line} imports {'.'.join(target)}, which is in no layer"
        assert layer <= mine, f"{path}:{line} imports up, from {'.'.join(target)}"
        private = [n for n in names if n.startswith("_") and not n.startswith("__")]
        assert not private, f"{path}:{line} imports private names {private} from {'.'.join(target)}"


def test_no_module_is_past_about_500_lines():
    big = {"/".join(rel): n for path, rel in MODULES
           if (n := sum(1 for _ in open(path, encoding="utf-8"))) > 550}
    assert not big, f"modules asking to be split along a job boundary: {big}"


def test_a_plot_resolves_its_target_once_and_checks_each_value_once(tmp_path, monkeypatch):
    from surrogate_cli.cli.figure_job import Request
    from surrogate_cli.cli.plot import run_plot
    from surrogate_cli.evaluation import target as target_mod

    calls = {"lookup": 0, "value": 0}
    real_lookup, real_value = target_mod.find_record, target_mod.validate_value

    def counting_lookup(name):
        calls["lookup"] += 1
        return real_lookup(name)

    def counting_value(*args, **kwargs):
        calls["value"] += 1
        return real_value(*args, **kwargs)

    monkeypatch.setattr(target_mod, "find_record", counting_lookup)
    monkeypatch.setattr(target_mod, "validate_value", counting_value)
    req = Request(sweep={"alpha": "1,2,4"}, output=str(tmp_path / "s.svg"), points=50, panels="gradient")
    run_plot("sigmoid", req)
    assert calls == {"lookup": 1, "value": 3}


def _module_file(parts):
    """The file of a module path (``['cli', 'plot']``), or None when it is not a module."""
    base = os.path.join(ROOT, *parts)
    if os.path.isfile(base + ".py"):
        return base + ".py"
    if os.path.isfile(os.path.join(base, "__init__.py")):
        return os.path.join(base, "__init__.py")
    return None


def test_no_import_circles():
    """Every import of the package, module-level or inside a function, as an edge between files."""
    edges = {}
    for path, rel in MODULES:
        out = edges.setdefault(path, set())
        for _, target, names in _imports(path, rel):
            for name in names or [None]:
                sub = _module_file(target + [name]) if name else None
                dest = sub or _module_file(target)
                if dest and dest != path:
                    out.add(dest)
    seen, stack, circles = set(), [], []

    def visit(node):
        if node in stack:
            circles.append(stack[stack.index(node):] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            visit(nxt)
        stack.pop()

    for node in sorted(edges):
        visit(node)
    shown = [" -> ".join(os.path.relpath(p, ROOT) for p in c) for c in circles]
    assert not circles, "import circles:\n" + "\n".join(shown)
