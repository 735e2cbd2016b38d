"""evaluation.parallel: map_threads and map_processes give the results in the order of the
inputs, whatever order (and process) the jobs ran in."""
import os
import threading
import time

import pytest

from surrogate_cli.evaluation.parallel import map_threads


def test_results_in_input_order_and_the_costliest_starts_first(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    started = []
    lock = threading.Lock()
    both = threading.Barrier(2)  # the first two jobs run side by side: neither ends before both began

    def job(item):
        with lock:
            started.append(item)
            first_two = len(started) <= 2
        if first_two:
            both.wait(timeout=30)
        time.sleep(0.01 * (item % 3))
        return item * item

    items = [1, 5, 2, 9, 3]
    assert map_threads(job, items, cost=lambda i: i) == [1, 25, 4, 81, 9]
    assert set(started[:2]) == {9, 5}  # the two costliest were handed out first
    assert sorted(started) == sorted(items)


def test_one_at_a_time_off_the_main_thread_or_with_one_core(monkeypatch):
    threads = []

    def job(item):
        threads.append(threading.current_thread())
        return -item

    out = {}
    worker = threading.Thread(target=lambda: out.setdefault("r", map_threads(job, [1, 2, 3])))
    worker.start()
    worker.join()
    assert out["r"] == [-1, -2, -3] and set(threads) == {worker}
    threads.clear()
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert map_threads(job, [4, 5]) == [-4, -5] and set(threads) == {threading.main_thread()}


def test_an_error_is_raised_in_the_caller(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)

    def job(item):
        if item == 2:
            raise ValueError("bad item 2")
        return item

    with pytest.raises(ValueError, match="bad item 2"):
        map_threads(job, [1, 2, 3])


# -- map_processes: this process and worker processes --------------------------------------

def _pid_and_square(item):
    if item == "boom":
        raise ValueError("bad item boom")
    return os.getpid(), item * item


def test_processes_share_the_work_in_input_order_and_user_objects_stay_here(monkeypatch):
    from surrogate_cli.evaluation import parallel

    monkeypatch.setattr("os.cpu_count", lambda: 2)
    items = [3, 1, 4, 1, 5, 9, 2, 6]
    out = parallel.map_processes(_pid_and_square, items, cost=lambda i: i, portable=lambda i: i != 9)
    assert [sq for _, sq in out] == [i * i for i in items]
    pids = {pid for pid, _ in out}
    assert os.getpid() in pids and len(pids) == 2  # a worker did its share
    assert out[items.index(9)][0] == os.getpid()  # not portable: done here
    assert parallel._RUNNING == set()


def test_processes_below_the_threshold_or_with_one_core_stay_here(monkeypatch):
    from surrogate_cli.evaluation import parallel

    monkeypatch.setattr("os.cpu_count", lambda: 2)
    out = parallel.map_processes(_pid_and_square, [1, 2, 3], cost=lambda i: i, min_total=100)
    assert out == [(os.getpid(), 1), (os.getpid(), 4), (os.getpid(), 9)]
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert parallel.map_processes(_pid_and_square, [5, 6], cost=lambda i: i) == [(os.getpid(), 25), (os.getpid(), 36)]


def test_a_workers_error_is_raised_here_and_an_error_here_stops_the_worker(monkeypatch):
    from surrogate_cli.evaluation import parallel

    monkeypatch.setattr("os.cpu_count", lambda: 2)
    # "boom" is the costliest: the worker gets it (this process's share starts at 0, the
    # worker's at the startup cost 0 too, ties go here: so make the local share the cheap one)
    with pytest.raises(ValueError, match="bad item boom"):
        parallel.map_processes(_pid_and_square, ["boom", 1], cost=lambda i: 1 if i == 1 else 10,
                               portable=lambda i: i == "boom")
    started = []
    real = parallel._Worker

    class Watched(real):
        def __init__(self, *a):
            super().__init__(*a)
            started.append(self.proc)

    monkeypatch.setattr(parallel, "_Worker", Watched)
    with pytest.raises(ValueError, match="bad item boom"):
        parallel.map_processes(_pid_and_square, [7, "boom"], cost=lambda i: 1,
                               portable=lambda i: i != "boom")  # "boom" fails here
    assert len(started) == 1 and started[0].poll() is not None  # the worker was ended
    assert parallel._RUNNING == set()


def test_a_script_without_a_main_guard_can_use_worker_processes(tmp_path):
    """Workers are plain subprocesses: they never import the caller's __main__ (as
    multiprocessing's spawn does, which runs an unguarded script again)."""
    import subprocess
    import sys

    script = tmp_path / "unguarded.py"
    script.write_text(
        "import os\n"
        "os.cpu_count = lambda: 2\n"
        "from surrogate_cli.evaluation.parallel import map_processes\n"
        "print('top level ran')\n"
        "out = map_processes(abs, [-1, -2, -3, -4], cost=lambda i: 1)\n"
        "print(out)\n")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root)
    res = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == ["top level ran", "[1, 2, 3, 4]"]


def test_a_worker_ignores_ctrl_c_and_ends_on_sigterm():
    """A terminal's Ctrl-C reaches the whole process group: the worker leaves it to the main
    process (which ends it); a SIGTERM of its own ends it (the mask it started with, held by
    the main process while it started, is lifted)."""
    import signal

    from surrogate_cli.evaluation import parallel

    w = parallel._Worker(time.sleep, [30])
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # until its interpreter has set its handlers
            with open(f"/proc/{w.proc.pid}/status") as fh:
                fields = dict(line.split(":\t", 1) for line in fh.read().splitlines() if ":\t" in line)
            if int(fields["SigIgn"], 16) & (1 << (signal.SIGINT - 1)) and int(fields["SigBlk"], 16) == 0:
                break
            time.sleep(0.05)
        assert int(fields["SigIgn"], 16) & (1 << (signal.SIGINT - 1)), fields["SigIgn"]
        assert int(fields["SigBlk"], 16) & (1 << (signal.SIGTERM - 1)) == 0, fields["SigBlk"]
        os.kill(w.proc.pid, signal.SIGINT)
        time.sleep(0.2)
        assert w.proc.poll() is None  # still running
        os.kill(w.proc.pid, signal.SIGTERM)
        assert w.proc.wait(timeout=10) == -signal.SIGTERM
    finally:
        w.kill()
    assert parallel._RUNNING == set()


def test_a_worker_that_cannot_start_leaves_its_share_to_this_process(monkeypatch):
    from surrogate_cli.evaluation import parallel

    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.setattr(parallel, "WORKER_MODULE", "surrogate_cli.no_such_module")
    out = parallel.map_processes(_pid_and_square, [1, 2, 3, 4], cost=lambda i: 1)
    assert out == [(os.getpid(), i * i) for i in [1, 2, 3, 4]]
    assert parallel._RUNNING == set()


def _warn_and_negate(item):
    import warnings

    warnings.warn(f"item {item} is odd", UserWarning, stacklevel=1)
    return -item


@pytest.mark.filterwarnings("ignore:item 1 is odd")  # the share done here: pytest's to record
def test_a_workers_warnings_reach_this_process_stderr(monkeypatch, capfd):
    from surrogate_cli.evaluation import parallel

    monkeypatch.setattr("os.cpu_count", lambda: 2)
    # 1 stays here (not portable), so the worker gets 7
    out = parallel.map_processes(_warn_and_negate, [1, 7], cost=lambda i: 1, portable=lambda i: i == 7)
    assert out == [-1, -7]
    assert "item 7 is odd" in capfd.readouterr().err
