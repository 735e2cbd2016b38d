"""Interrupted runs (issue 15): every command, each way of signalling.

Each scenario runs the real CLI as a subprocess in its own session, held at a known
point by the documented test hook (``SURROGATE_TEST_PAUSE``, see
:mod:`surrogate_cli.checkpoints`): a temporary file half-way to its destination, gallery
workers busy, a compile queued, explore's worker process busy. Then it gets SIGINT (to the whole process group, as a
terminal sends it, or to the main process only, as ``timeout -s INT`` does) or SIGTERM.
Asserted: the exit code (130/143), stderr is exactly one line, stdout is empty (no
verdict), the previous output is untouched, no temporary file or folder is left, and no
process of the group survives (gallery workers, the resource tracker).

All scenarios start together (one module fixture) so the file costs one slow start, not
eighteen.
"""
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG = os.path.join(ROOT, "configs", "gallery.yaml")
GALLERY = os.path.join(ROOT, "gallery")

MODES = {
    "group-SIGINT": (signal.SIGINT, True),
    "main-SIGINT": (signal.SIGINT, False),
    "SIGTERM": (signal.SIGTERM, True),
}
PREVIOUS = b"previous output, must survive\n"


def _group_members(pgid: int) -> list[int]:
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            pids.append(int(d))
    return pids


class Scenario:
    def __init__(self, command, mode, folder, args, pause, setup=None, stuck=False):
        self.command, self.mode, self.folder, self.args, self.pause = command, mode, folder, args, pause
        if setup:
            setup(folder)
        self.marker = os.path.join(os.path.dirname(folder), f"{os.path.basename(folder)}.marker")
        env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
                   SURROGATE_TEST_PAUSE=pause, SURROGATE_TEST_PAUSE_MARKER=self.marker, MPLBACKEND="Agg",
                   SURROGATE_TEST_PAUSE_STUBBORN="1" if stuck else "0")
        self.proc = subprocess.Popen([sys.executable, "-m", "surrogate_cli", *args], cwd=folder, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        self.out = self.err = b""
        self.code = None
        self.survivors: list[int] = []

    def ready(self) -> bool:
        return os.path.exists(self.marker) or self.proc.poll() is not None

    def signal(self) -> None:
        signum, group = MODES[self.mode]
        if group:
            os.killpg(self.proc.pid, signum)
        else:
            os.kill(self.proc.pid, signum)

    def finish(self) -> None:
        try:
            self.out, self.err = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:  # a hang: clean up, and fail below
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.out, self.err = self.proc.communicate()
            self.err += b"\n<hung: killed by the test>"
        self.code = self.proc.returncode
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # killed workers and the tracker take a moment
            self.survivors = _group_members(self.proc.pid)
            if not self.survivors:
                break
            time.sleep(0.05)
        for pid in self.survivors:
            os.kill(pid, signal.SIGKILL)


def _previous(*names):
    def setup(folder):
        for n in names:
            with open(os.path.join(folder, n), "wb") as fh:
                fh.write(PREVIOUS)
    return setup


def _previous_gallery(folder):
    shutil.copytree(GALLERY, os.path.join(folder, "g"))


# command -> (arguments, pause point for each mode, set-up of the previous output)
COMMANDS = {
    "list": (["list"], "start", None),
    "info": (["info", "sigmoid"], "start", None),
    "plot": (["plot", "sigmoid", "--alpha", "1,2", "--points", "50", "-o", "out.png"], "write@out.png",
             _previous("out.png")),
    "compare": (["compare", "sigmoid", "erf", "--points", "50", "--csv", "cmp.csv", "-o", "cmp.png"],
                "write@cmp.png", _previous("cmp.png")),
    "verify": (["verify", "sigmoid", "erf", "--json", "report.json"], "verify-compiling", _previous("report.json")),
    "gallery": (["gallery", "--config", CONFIG, "--out", "g", "--jobs", "2"], "gallery-task", _previous_gallery),
    # every built-in: enough work for a worker process (held once it has started)
    "explore": (["explore", "-o", "page.html"], "workers-busy", _previous("page.html")),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("interrupt")
    scenarios = {}
    for command, (args, pause, setup) in COMMANDS.items():
        for mode in MODES:
            if command == "gallery" and mode == "group-SIGINT":
                pause = "gallery-csv"  # workers have written into the staging folder
            folder = base / f"{command}-{mode}"
            folder.mkdir()
            scenarios[command, mode] = Scenario(command, mode, str(folder), args, pause, setup)
    # the main thread does not unwind (as in a long XLA compile): the watchdog ends the run
    args, pause, setup = COMMANDS["plot"]
    folder = base / "plot-stuck"
    folder.mkdir()
    scenarios["plot", "stuck"] = Scenario("plot", "group-SIGINT", str(folder), args, pause, setup, stuck=True)
    # the same with explore's worker process running: the watchdog stops it too (signalled
    # alone, as `timeout -s INT` does, so only the main process hears it)
    args, pause, setup = COMMANDS["explore"]
    folder = base / "explore-stuck"
    folder.mkdir()
    scenarios["explore", "stuck"] = Scenario("explore", "main-SIGINT", str(folder), args, pause, setup, stuck=True)
    try:
        deadline = time.monotonic() + 120
        pending = list(scenarios.values())
        while pending and time.monotonic() < deadline:
            for s in [s for s in pending if s.ready()]:
                if s.proc.poll() is None:
                    time.sleep(0.1)  # let the rest of the process reach its wait
                    s.signal()
                pending.remove(s)
            time.sleep(0.05)
        for s in scenarios.values():
            s.finish()
    finally:
        for s in scenarios.values():
            if s.proc.poll() is None:
                os.killpg(s.proc.pid, signal.SIGKILL)
    return scenarios


def _leftovers(folder: str) -> list[str]:
    found = []
    for where in (folder, os.path.dirname(folder)):
        for dirpath, dirnames, filenames in os.walk(where):
            found += [os.path.join(dirpath, n) for n in dirnames + filenames
                      if n.endswith((".tmp", ".partial")) or n.startswith(".surrogate-probe")]
            if where != folder:
                break
    return found


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_interrupted_command_stops_cleanly(runs, command, mode):
    s = runs[command, mode]
    signum = MODES[mode][0]
    err = s.err.decode()
    assert os.path.exists(s.marker), f"never reached the pause point; stderr: {err}"
    assert s.code == 128 + signum, err
    what = "interrupted" if signum == signal.SIGINT else "terminated"
    lines = err.splitlines()
    if command == "verify":  # the deprecated --json FILE (verify's only way to write a file) says so first
        from surrogate_cli.cli.verify import DEPRECATION

        assert lines[0] == DEPRECATION, err
        lines = lines[1:]
    if command == "compare":  # the CSV was complete before the figure was interrupted
        assert lines == [f"{what}; wrote cmp.csv before stopping, nothing else"]
        with open(os.path.join(s.folder, "cmp.csv")) as fh:
            rows = fh.read().splitlines()
        assert len(rows) == 1 + 2 * 50 and rows[0].startswith("surrogate,")
    else:
        assert lines == [f"{what}; nothing written"]
    assert s.out == b""  # nothing that looks like a verdict or a list of files
    assert _leftovers(s.folder) == []
    assert s.survivors == [], "processes of the command outlived it"


def test_a_run_that_does_not_unwind_is_ended_by_the_watchdog(runs):
    s = runs["plot", "stuck"]
    assert os.path.exists(s.marker)
    assert s.code == 130, s.err.decode()
    assert s.err.decode().splitlines() == ["interrupted; nothing written"]
    assert s.out == b"" and _leftovers(s.folder) == [] and s.survivors == []
    with open(os.path.join(s.folder, "out.png"), "rb") as fh:
        assert fh.read() == PREVIOUS


def test_the_watchdog_stops_explores_worker_process(runs):
    s = runs["explore", "stuck"]
    assert os.path.exists(s.marker)
    assert s.code == 130, s.err.decode()
    assert s.err.decode().splitlines() == ["interrupted; nothing written"]
    assert s.out == b"" and _leftovers(s.folder) == []
    assert s.survivors == [], "explore's worker process outlived the run"
    with open(os.path.join(s.folder, "page.html"), "rb") as fh:
        assert fh.read() == PREVIOUS


@pytest.mark.parametrize("name", ["out.png", "cmp.png", "report.json", "page.html"])
def test_previous_file_untouched(runs, name):
    command = {"out.png": "plot", "cmp.png": "compare", "report.json": "verify", "page.html": "explore"}[name]
    for mode in MODES:
        with open(os.path.join(runs[command, mode].folder, name), "rb") as fh:
            assert fh.read() == PREVIOUS, (command, mode)


def test_previous_gallery_whole_and_consistent(runs):
    """Byte for byte the gallery it was (so its index and manifest still match it), and
    no staging folder beside it."""
    want = {n: open(os.path.join(GALLERY, n), "rb").read() for n in os.listdir(GALLERY)}
    for mode in MODES:
        folder = runs["gallery", mode].folder
        got_dir = os.path.join(folder, "g")
        assert sorted(os.listdir(got_dir)) == sorted(want), mode
        for n, data in want.items():
            with open(os.path.join(got_dir, n), "rb") as fh:
                assert fh.read() == data, (mode, n)
        assert os.listdir(folder) == ["g"], mode


@pytest.fixture
def no_watchdog_exit(monkeypatch):
    """For the in-process tests of raising: the watchdog ends the process when a command has
    not unwound GRACE (0.8 s) after a signal, which here is the test worker itself, on a busy
    machine or behind a long collection of a big heap (it killed an xdist worker once). Its
    own behaviour is tested in a subprocess (test_a_run_that_does_not_unwind_is_ended_by_the_watchdog)."""
    from surrogate_cli.cli import signals

    monkeypatch.setattr(signals, "GRACE", 600.0)


def test_an_interrupt_raised_inside_a_gc_callback_is_not_lost_nor_printed(capfd, no_watchdog_exit):
    """jax's _xla_gc_callback runs on every collection; an interrupt landing in such a
    callback would be printed as "Exception ignored" and dropped: it is raised again."""
    import gc

    from surrogate_cli.cli import signals

    gc.collect()  # the heap the earlier tests of this worker left, collected outside the command

    fired = []
    before = signal.getsignal(signal.SIGINT)

    def callback(phase, info):
        if phase == "start" and not fired:
            fired.append(phase)
            os.kill(os.getpid(), signal.SIGINT)  # handled right here, inside the callback
            for _ in range(1000):  # a few bytecodes for the handler to run
                pass

    with signals.handling_interrupts():
        gc.callbacks.insert(0, callback)
        try:
            with pytest.raises(signals.Interrupted) as exc:
                gc.collect(0)  # the youngest generation: the callbacks run all the same
                for _ in range(100):
                    time.sleep(0.001)
        finally:
            gc.callbacks.remove(callback)
    assert fired and exc.value.signum == signal.SIGINT
    assert "Exception ignored" not in capfd.readouterr().err
    assert signal.getsignal(signal.SIGINT) is before  # restored


def test_an_interrupt_during_an_import_waits_for_the_import_to_finish(tmp_path, monkeypatch, no_watchdog_exit):
    """Raised inside an import, the exception can crash a C extension that is initializing
    (jaxlib did: a segfault, or an ImportError traceback); it is raised right after."""
    import importlib

    from surrogate_cli.cli import signals

    (tmp_path / "interrupt_probe_module.py").write_text(
        "import os, signal\n"
        "os.kill(os.getpid(), signal.SIGTERM)\n"
        "for _ in range(200000):\n"
        "    pass\n"
        "DONE = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with signals.handling_interrupts():
        with pytest.raises(signals.Interrupted) as exc:
            module = importlib.import_module("interrupt_probe_module")
            assert module.DONE  # the import finished before the interrupt
            for _ in range(200):
                time.sleep(0.001)
    assert exc.value.signum == signal.SIGTERM
    assert sys.modules.pop("interrupt_probe_module").DONE
