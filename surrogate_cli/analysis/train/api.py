"""``surrogate_cli.train(...)``: resolve the surrogates once, expand their sweeps, build the
task, train every (parameter set, seed) as one vmapped program per surrogate, and return a
:class:`~.results.TrainResult` (plain dataclasses; nothing printed, no files written: the
caller's ``on_runs`` receives the finished runs as each surrogate finishes)."""
from __future__ import annotations

import json
import math
import numbers
from dataclasses import asdict
from typing import Any, Callable, Mapping, Sequence

from ...checkpoints import checkpoint
from ...errors import BadInput
from .loop import TrainConfig
from .network import NetConfig
from .randman import RandmanConfig
from .results import RunRecord, TrainResult, run_key, summarize

__all__ = ["train", "resume_document", "read_resume"]

_MEMBRANE_SAMPLES = 20000


def _as_list(v: Any) -> list:
    if isinstance(v, (str, bytes)) or isinstance(v, numbers.Real) or not isinstance(v, Sequence):
        return [v]
    return list(v)


def resume_document(result: TrainResult, membrane) -> dict:
    """What a resume file holds: the sweep's settings, the finished runs, the initial membrane sample."""
    return {"kind": "surrogate-train-runs", "version": 1, "task": result.task, "config": result.config,
            "membrane": [float(v) for v in membrane] if membrane is not None else None,
            "runs": [r.as_dict() for r in result.runs]}


def read_resume(resume: str | Mapping | None) -> dict | None:
    """A resume document from a path (a missing file is a fresh start) or a dict."""
    import os

    if resume is None or isinstance(resume, Mapping):
        return None if resume is None else dict(resume)
    if not os.path.exists(resume):
        return None
    try:
        with open(resume, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as exc:
        raise BadInput(f"resume {resume}: not a readable runs file ({exc})", "give a file written by train's resume",
                       subject="resume") from None
    if not isinstance(doc, dict) or doc.get("kind") != "surrogate-train-runs":
        raise BadInput(f"resume {resume}: not a train runs file", "give a file written by train's resume",
                       subject="resume")
    return doc


def _positive_int(name: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1:
        raise BadInput(f"{name}={v!r} is not a whole number >= 1", f"give {name} 1 or more", subject=name)
    return int(v)


def train(
    targets: str | Sequence,
    *,
    task: str = "randman",
    data: str | None = None,
    seeds: int = 3,
    epochs: int = 20,
    batch: int = 256,
    lr: float = 2e-3,
    hidden: int | Sequence[int] = 128,
    recurrent: bool = False,
    reset: str = "detached",
    readout: str = "max",
    init: str = "fluctuation",
    xi: float = 2.0,
    init_scale: float = 1.0,
    reg_strength: float = 0.0,
    reg_max: float = 10.0,
    tau_mem: float = 10e-3,
    tau_syn: float = 5e-3,
    dt: float = 1e-3,
    test_fraction: float = 0.2,
    data_seed: int = 0,
    randman: RandmanConfig | Mapping[str, Any] | None = None,
    steps: int = 100,
    max_time: float = 1.0,
    dtype: str = "float32",
    zip: bool = False,  # noqa: A002 - mirrors --zip
    params: Mapping[str, Any] | None = None,
    resume: str | Mapping | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    on_runs: Callable[[dict], None] | None = None,
    **values: Any,
) -> TrainResult:
    """Train a spiking network with each surrogate at each parameter set, ``seeds`` times.

    ``targets`` as in :func:`surrogate_cli.flow` (names, ``LIBRARY.NAME``, ``file.py:Class``,
    ``(name, {"alpha": 2})`` pairs); ``values`` (or ``params``) sweep parameters, e.g.
    ``alpha=[1, 4, 16]``. ``task``: ``"randman"`` (``randman``: a :class:`RandmanConfig` or a
    dict of its fields), ``"shd"`` or ``"file"`` with ``data=PATH`` (``steps``/``max_time``:
    SHD's time bins). The network: ``hidden`` sizes, ``recurrent``, ``reset``, ``readout``,
    ``init`` (``xi`` / ``init_scale``), ``reg_strength``/``reg_max``, time constants in seconds.
    ``resume``: a runs file (path) or document; runs already in it are not trained again.
    ``on_progress(done, total, label)`` after each epoch (counted in run-epochs);
    ``on_runs(document)`` after each surrogate with every finished run (for a resume file).

    Returns a :class:`~surrogate_cli.analysis.train.TrainResult`::

        res = surrogate_cli.train(["sigmoid", "piecewise_quadratic"], alpha=[1, 4, 16], seeds=2, epochs=5)
        res.summaries[0].final_test_acc, res.chance
    """
    import numpy as np

    from ...evaluation import MAX_CURVES, plan_sweep
    from .sweep import check_memory, float_params, memory_estimate, run_group
    from .tasks import load_task

    values = {**dict(params or {}), **values}
    seeds = _positive_int("seeds", seeds)
    hidden_t = tuple(_as_list(hidden))
    net = NetConfig(hidden=hidden_t, tau_mem=tau_mem, tau_syn=tau_syn, dt=dt, recurrent=bool(recurrent), reset=reset,
                    readout=readout, init=init, xi=xi, init_scale=init_scale, reg_strength=reg_strength,
                    reg_max=reg_max, dtype=dtype)
    net.check()
    tc = TrainConfig(epochs=epochs, batch=batch, lr=lr)
    tc.check()
    rm = randman if isinstance(randman, RandmanConfig) else RandmanConfig(**dict(randman or {}))
    rm.check()
    plan = plan_sweep(targets, values, mode="zip" if zip else "grid", limit=MAX_CURVES, unit="parameter sets")
    plans = list(plan)
    biggest = max(len(s) for _, s in plans) * seeds
    if str(task).strip().lower() == "randman" and data is None:  # its sizes are known before generating it
        n = rm.classes * rm.samples
        n_test = int(round(n * test_fraction)) if isinstance(test_fraction, float) else 0
        check_memory(memory_estimate((n - n_test, n_test, rm.steps, rm.units, rm.classes), net, tc, biggest))
    the_task = load_task(task, data=data, test_fraction=test_fraction, data_seed=data_seed, randman=rm, steps=steps,
                         max_time=max_time)
    tc.check(len(the_task.y_train))
    sizes = (len(the_task.y_train), len(the_task.y_test), the_task.x_train.shape[1], the_task.x_train.shape[2],
             the_task.classes)
    check_memory(memory_estimate(sizes, net, tc, biggest))
    task_info = {"name": the_task.name, "description": the_task.description, "classes": the_task.classes,
                 "n_train": int(len(the_task.y_train)), "n_test": int(len(the_task.y_test)),
                 "steps": int(the_task.x_train.shape[1]), "units": int(the_task.x_train.shape[2]),
                 "chance": the_task.chance}
    from .network import init_stds

    _, std0, (fan_in, _) = init_stds(net, task_info["units"], the_task.classes, the_task.input_rate)[0]
    config = {**asdict(net), "sigma_w": std0 * math.sqrt(fan_in), "hidden": list(net.hidden), **asdict(tc), "seeds": seeds,
              "test_fraction": test_fraction, "data_seed": data_seed,
              "randman": asdict(rm) if the_task.name == "randman" else None}
    doc = read_resume(resume)
    done: dict[str, RunRecord] = {}
    membrane = None
    if doc is not None:
        if doc.get("config") != json.loads(json.dumps(config)) or doc.get("task") != json.loads(json.dumps(task_info)):
            raise BadInput("resume: the runs file was written by a sweep with other settings (task, network or training)",
                           "give the same options as the interrupted run, or another runs file", subject="resume")
        done = {r.key: r for r in (RunRecord.from_dict(d) for d in doc.get("runs", []))}
        if doc.get("membrane"):
            membrane = np.asarray(doc["membrane"], dtype=np.float64)
    records: list[RunRecord] = []
    swept = list(plan.swept)
    todo = []  # (target, static, runs)
    for target, sets in plans:
        floats, statics = float_params(target)
        groups: dict[tuple, list] = {}
        for s in sets:
            st = tuple((k, s[k]) for k in statics)
            for seed in range(seeds):
                fl = {k: float(s[k]) for k in floats}
                groups.setdefault(st, []).append((fl, seed, dict(s)))
        for st, runs in groups.items():
            todo.append((target, dict(st), runs))
    total = sum(len(r) for _, _, r in todo) * tc.epochs
    progress = [sum(len([1 for _, seed, full in r if run_key(t.name, full, seed) in done]) for t, _, r in todo)
                * tc.epochs]

    def emit():
        if on_runs is not None:
            partial = TrainResult(task_info, config, list(records), [], tuple(swept))
            on_runs(resume_document(partial, membrane))

    for target, static, runs in todo:
        missing = [(fl, seed, full) for fl, seed, full in runs if run_key(target.name, full, seed) not in done]
        records += [done[run_key(target.name, full, seed)] for fl, seed, full in runs
                    if run_key(target.name, full, seed) in done]
        if not missing:
            continue
        checkpoint("train-group", target.name)
        base = progress[0]

        def tick(epoch, base=base, n=len(missing), label=target.name):
            progress[0] = base + epoch * n
            if on_progress is not None:
                on_progress(progress[0], total, label)

        res = run_group(target, static, [], [], the_task, net, tc, on_epoch=tick,
                        runs=[(fl, seed) for fl, seed, _ in missing])
        if membrane is None:
            mem = res.membrane
            stride = max(1, mem.size // _MEMBRANE_SAMPLES)
            membrane = mem[::stride][:_MEMBRANE_SAMPLES]
        for i, (fl, seed, full) in enumerate(missing):
            h = {m: [float(v) for v in res.metrics[m][i]] for m in res.metrics}
            diverged = not all(math.isfinite(v) for v in h["train_loss"] + h["test_loss"])
            records.append(RunRecord(target.name, full, seed, h["train_loss"], h["train_acc"], h["test_loss"],
                                     h["test_acc"], h["rate"],
                                     {n: float(res.grad_norms[i, j]) for j, n in enumerate(res.layer_names)},
                                     diverged))
        emit()
    summaries = summarize(records)
    result = TrainResult(task_info, config, records, summaries, tuple(swept))
    _add_flow(result, plans, membrane, len(net.hidden), result.config["sigma_w"])
    return result


def _add_flow(result: TrainResult, plans, membrane, layers: int, sigma_w: float) -> None:
    """flow's chi for each summary, for the measured initial membrane (v - theta of the first
    hidden layer) and the first layer's weight scale in flow's convention (``W ~ N(0,
    sigma_w^2 / fan_in)``), and the swept value where chi = 1 (solved from the middle of the sweep)."""
    if membrane is None:
        return
    from ..flow import empirical_membrane, flow_rows

    mem = empirical_membrane(membrane, sigma_w=sigma_w)
    for target, sets in plans:
        rows = flow_rows(target, sets, mem, layers, solve=False)
        by_params = {repr(sorted(r.params.items())): r.chi for r in rows}
        for s in result.summaries:
            if s.surrogate == target.name:
                s.chi = by_params.get(repr(sorted(s.params.items())), math.nan)
        pname = next((p for p in result.swept if p in target.param_names), None)
        if pname is None or not sets:
            continue
        kinds = {p.name: p.kind for p in target.record.params} if target.record is not None else {}
        if kinds.get(pname) == "int":
            continue
        vals = sorted(float(s[pname]) for s in sets)
        mid = sets[[float(s[pname]) for s in sets].index(vals[len(vals) // 2])]
        row = flow_rows(target, [mid], mem, layers, solve=pname)[0]
        result.chi_one[target.name] = row.solve.value if row.solve is not None else None
