"""Shared test set-up: headless matplotlib, and JAX x64 scoped per test.

Users run with x64 off (JAX's default). Each test runs inside ``jax.enable_x64(True)`` (a
scoped context, as JAX's own tests do), so its float64 references are real float64,
except tests marked ``x64_off``, which run as users do; the global configuration is never
changed.
"""
import os
import tempfile

os.environ.setdefault("MPLBACKEND", "Agg")
# One compilation cache for the whole run: both xdist workers and every subprocess a test
# starts (they inherit the environment) compile each XLA program once between them. JAX's
# own persistent cache, public configuration; a fresh folder per run, so nothing carries over.
_OWN_XLA_CACHE = None  # the folder this process made (the controller's, removed at the end)
if "JAX_COMPILATION_CACHE_DIR" not in os.environ:
    _OWN_XLA_CACHE = os.environ["JAX_COMPILATION_CACHE_DIR"] = tempfile.mkdtemp(prefix="surrogate-tests-xla-")
    os.environ["JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS"] = "0"
    os.environ["JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES"] = "0"
    # JAX writes an entry in place, so a process may read one another is still writing: it
    # warns (on stderr, which the subprocess tests compare line by line) and compiles the
    # program itself. Only this shared folder does that (the CLI keeps no persistent cache),
    # so that one warning is ignored in every process of the run, and nothing else is.
    _IGNORE = "ignore:Error reading persistent compilation cache entry:UserWarning"
    os.environ["PYTHONWARNINGS"] = ",".join(w for w in (os.environ.get("PYTHONWARNINGS"), _IGNORE) if w)

import jax  # noqa: E402
import pytest  # noqa: E402


#: The files that take longest (seconds of one worker, setup included, measured on 2 cores,
#: 2026-12-03), run first: xdist gives each worker whole files (``--dist loadfile``) in
#: this order, so the short files fill in at the end and neither worker is left alone with
#: a long one. (xdist's own reordering, by number of tests, put the gallery's few long tests
#: last: ~30 s of one idle core; it is turned off in pyproject.toml.) A file not named runs
#: after these.
SLOWEST_FIRST = (
    "test_gallery.py",  # 43, and ~20 more since it runs the whole `gallery --check`
    "test_verify_blind_spots.py",  # 48
    "test_readme.py",  # 45
    "test_foreign.py",  # 38
    "test_surrogates.py",  # 36
    "test_verify_false_alarms_foreign.py",  # 33
    "test_train_network.py",  # 31
    "test_train_cli.py",  # 29
    "test_spike.py",  # 27
    "test_interrupt.py",  # 26
    "test_flow.py",  # 24
    "test_cli.py",  # 22
    "test_verify.py",  # 21
    "test_verify_false_alarms.py",  # 15
    "test_train_learning.py",  # 14
    "test_verify_false_alarms_builtins.py",  # 13
    "test_figures.py",  # 12
    "test_recipes.py",  # 11
)


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(os.path.basename(str(item.path)), len(rank)))  # stable


def pytest_unconfigure(config):
    if _OWN_XLA_CACHE is not None:  # the workers, which inherited it, have ended
        import shutil

        shutil.rmtree(_OWN_XLA_CACHE, ignore_errors=True)


def pytest_configure(config):
    config.addinivalue_line("markers", "x64_off: run with JAX's default precision (x64 off), as users do")


@pytest.fixture(autouse=True)
def _signal_handlers_kept():
    """A test leaves SIGINT's and SIGTERM's handlers as it found them: one that does not
    fails itself (and the next tests find them restored), instead of a later test in the
    same worker failing for it."""
    import signal

    kept = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    yield
    changed = {s: signal.getsignal(s) for s in kept if signal.getsignal(s) is not kept[s]}
    for s in changed:
        signal.signal(s, kept[s])
    assert not changed, f"the test left {', '.join(f'{s.name} -> {h!r}' for s, h in changed.items())}"


@pytest.fixture(autouse=True)
def _jax_precision(request):
    on = request.node.get_closest_marker("x64_off") is None
    with jax.enable_x64(on):
        yield


@pytest.fixture
def refusing_dir(tmp_path, monkeypatch):
    """A folder that refuses new files, as a read-only folder does for a normal user.

    Root writes anywhere, so as root the refusal is simulated where our code creates its
    temporary files (``tempfile.mkstemp`` in :mod:`surrogate_cli.render.files`).
    """
    from surrogate_cli.render import files as export

    ro = tmp_path / "ro"
    ro.mkdir()
    if os.geteuid() != 0:
        ro.chmod(0o555)
    else:
        real = export.tempfile.mkstemp

        def refuse(*args, dir=None, **kwargs):
            if dir and os.path.abspath(dir) == str(ro):
                raise PermissionError(13, "Permission denied")
            return real(*args, dir=dir, **kwargs)

        monkeypatch.setattr(export.tempfile, "mkstemp", refuse)
    yield ro
    ro.chmod(0o755)


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    """Run the test in an empty folder of its own (commands write their files there)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
