"""What ``train`` returns: one :class:`RunRecord` per (surrogate, parameter set, seed), one
:class:`Summary` per (surrogate, parameter set) over its seeds, and the :class:`TrainResult`
around them; all plain dataclasses, with ``as_dict``/``from_dict`` for ``--json`` and the
resume file."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

__all__ = ["RunRecord", "Summary", "TrainResult", "summarize", "run_key"]


def run_key(surrogate: str, params: dict, seed: int) -> str:
    """The identity of a run in a resume file."""
    items = ",".join(f"{k}={float(v)!r}" for k, v in sorted(params.items()))
    return f"{surrogate}|{items}|{seed}"


@dataclass
class RunRecord:
    """One training run: per-epoch histories (lists, one value per epoch) and its outcome."""

    surrogate: str
    params: dict
    seed: int
    train_loss: list[float]
    train_acc: list[float]
    test_loss: list[float]
    test_acc: list[float]
    rate: list[float]  # hidden firing rate, Hz (test set)
    grad_norms: dict[str, float]  # per weight matrix, at initialisation
    diverged: bool = False  # a loss became nan or inf

    @property
    def key(self) -> str:
        return run_key(self.surrogate, self.params, self.seed)

    @property
    def finite_epochs(self) -> int:
        """Epochs before the first non-finite loss."""
        for i, (a, b) in enumerate(zip(self.train_loss, self.test_loss)):
            if not (math.isfinite(a) and math.isfinite(b)):
                return i
        return len(self.train_loss)

    @property
    def best_epoch(self) -> int | None:
        """1-based epoch of the best test accuracy before any divergence (None if none)."""
        n = self.finite_epochs
        if n == 0:
            return None
        acc = self.test_acc[:n]
        return max(range(n), key=lambda i: acc[i]) + 1

    @property
    def best_test_acc(self) -> float:
        e = self.best_epoch
        return math.nan if e is None else self.test_acc[e - 1]

    @property
    def final_test_acc(self) -> float:
        return math.nan if self.diverged else self.test_acc[-1]

    def as_dict(self) -> dict:
        d = asdict(self)
        d.update(best_epoch=self.best_epoch, best_test_acc=self.best_test_acc, final_test_acc=self.final_test_acc)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "RunRecord":
        names = ("surrogate", "params", "seed", "train_loss", "train_acc", "test_loss", "test_acc", "rate",
                 "grad_norms", "diverged")
        return cls(**{k: d[k] for k in names})


def _mean_std(vals: Sequence[float]) -> tuple[float, float]:
    v = [x for x in vals if math.isfinite(x)]
    if not v:
        return math.nan, math.nan
    m = sum(v) / len(v)
    s = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1)) if len(v) > 1 else 0.0
    return m, s


@dataclass
class Summary:
    """One surrogate at one parameter set, over its seeds (diverged runs counted, and left out
    of the means and standard deviations)."""

    surrogate: str
    params: dict
    seeds: int
    diverged: int
    best_test_acc: tuple[float, float]  # mean, std over seeds
    final_test_acc: tuple[float, float]
    best_epoch: float  # mean
    train_acc: float  # final, mean
    train_loss: float
    test_loss: float
    rate: float  # Hz
    grad_norms: dict[str, float]  # mean over seeds
    chi: float = math.nan  # flow's prediction for the initial membrane statistics

    def as_dict(self) -> dict:
        return asdict(self)


def summarize(records: Sequence[RunRecord]) -> list[Summary]:
    """Group runs by (surrogate, parameters), in first-seen order."""
    groups: dict[tuple, list[RunRecord]] = {}
    for r in records:
        groups.setdefault((r.surrogate, tuple(sorted((k, float(v)) for k, v in r.params.items()))), []).append(r)
    out = []
    for (name, _), rs in groups.items():
        ok = [r for r in rs if not r.diverged]
        last = (lambda key: _mean_std([getattr(r, key)[-1] for r in ok])[0])
        norms = {k: _mean_std([r.grad_norms[k] for r in rs])[0] for k in rs[0].grad_norms}
        epochs = [r.best_epoch for r in rs if r.best_epoch is not None]
        out.append(Summary(
            name, dict(rs[0].params), len(rs), len(rs) - len(ok),
            _mean_std([r.best_test_acc for r in rs]), _mean_std([r.final_test_acc for r in rs]),
            sum(epochs) / len(epochs) if epochs else math.nan,
            last("train_acc"), last("train_loss"), last("test_loss"), last("rate"), norms))
    return out


@dataclass
class TrainResult:
    """Everything ``train`` measured."""

    task: dict  # name, description, classes, n_train, n_test, steps, units, chance
    config: dict  # the network and training settings
    runs: list[RunRecord]
    summaries: list[Summary]
    swept: tuple[str, ...] = ()  # the swept surrogate parameters
    chi_one: dict[str, float | None] = field(default_factory=dict)  # surrogate -> swept value where chi = 1
    interrupted: bool = False

    @property
    def chance(self) -> float:
        return self.task["chance"]

    def as_dict(self) -> dict:
        return {"task": self.task, "config": self.config, "swept": list(self.swept), "chi_one": self.chi_one,
                "interrupted": self.interrupted, "summaries": [s.as_dict() for s in self.summaries],
                "runs": [r.as_dict() for r in self.runs]}
