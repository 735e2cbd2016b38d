"""evaluation.parallel.map_threads: the order of the inputs, whatever order the jobs ran in."""
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
