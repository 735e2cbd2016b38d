"""Membrane statistics for the gradient-flow prediction: Gaussian, network fixed point, empirical."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

from ...errors import BadInput

__all__ = ["Membrane", "log_bisect", "normal_cdf", "gaussian_membrane", "network_membrane", "empirical_membrane",
           "load_membrane"]


def normal_cdf(z):
    """The standard normal CDF, elementwise, float64 (``z`` may be +-inf)."""
    import numpy as np

    z = np.asarray(z, dtype=np.float64)
    return 0.5 * np.vectorize(math.erfc, otypes=[np.float64])(-z / math.sqrt(2.0))


# -- membrane statistics ---------------------------------------------------------------------



def log_bisect(above: Callable[[float], bool], lo: float, hi: float, rtol: float) -> float:
    """The point between positive ``lo`` (where ``above`` holds) and ``hi`` (where it does
    not) where it switches, bisected in log scale to a relative width ``rtol``."""
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        if above(mid):
            lo = mid
        else:
            hi = mid
        if hi - lo <= rtol * hi:
            break
    return 0.5 * (lo + hi)


@dataclass(frozen=True)
class Membrane:
    """The distribution of membrane potential minus threshold, ``u = v - theta``.

    ``kind`` is ``gaussian``, ``network`` (a Gaussian at the solved fixed point) or
    ``empirical`` (``samples``). ``rate`` is ``P(u >= 0)``, the firing rate.
    ``sigma_w`` is the weight scale the chi formula uses: given, solved (network) or
    implied by the fixed point ``sigma_w^2 = std^2 / rate`` (Gaussian, empirical).
    ``std == 0`` is a point mass (a silent network).
    """

    kind: str
    mean: float
    std: float
    rate: float
    sigma_w: float
    sigma_w_given: bool = False
    bias: float | None = None
    theta: float | None = None
    source: str | None = None
    samples: Any = field(default=None, repr=False, compare=False)
    notes: tuple[str, ...] = ()

    @property
    def is_gaussian(self) -> bool:
        return self.kind != "empirical"

    def as_dict(self) -> dict:
        out = {
            "kind": self.kind, "v_mean": self.mean, "v_std": self.std, "rate": self.rate,
            "sigma_w": self.sigma_w, "sigma_w_given": self.sigma_w_given,
        }
        if self.kind == "network":
            out.update(bias=self.bias, theta=self.theta)
        if self.kind == "empirical":
            out.update(source=self.source, samples=int(len(self.samples)))
        out["notes"] = list(self.notes)
        return out


def positive_number(name: str, value: Any, allow_zero: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise BadInput(f"{name}={value!r} is not a number", f"give {name} as a finite number", subject=name) from None
    if not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise BadInput(f"{name}={value!r} must be a finite number {bound}", f"give {name} {bound}", subject=name)
    return v


def finite_number(name: str, value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise BadInput(f"{name}={value!r} is not a number", f"give {name} as a finite number", subject=name) from None
    if not math.isfinite(v):
        raise BadInput(f"{name}={value!r} is not finite", f"give {name} as a finite number", subject=name)
    return v


def gaussian_membrane(v_mean: float = 0.0, v_std: float = 1.0, sigma_w: float | None = None) -> Membrane:
    """``u ~ N(v_mean, v_std^2)``; ``sigma_w`` defaults to the fixed point's ``v_std/sqrt(rate)``."""
    m = finite_number("v_mean", v_mean)
    s = positive_number("v_std", v_std)
    rate = float(normal_cdf(m / s))
    given = sigma_w is not None
    if given:
        sw = positive_number("sigma_w", sigma_w)
    elif rate <= 0.0:
        raise BadInput(
            f"v_mean={m:g}, v_std={s:g}: no membrane value reaches the threshold (rate 0), "
            "so no weight scale is implied",
            "give sigma_w=, or a v_mean closer to 0",
        )
    else:
        sw = s / math.sqrt(rate)
    return Membrane("gaussian", m, s, rate, sw, given)


def network_membrane(sigma_w: float, bias: float = 0.0, theta: float = 0.0) -> Membrane:
    """The fixed point of the Heaviside stack: solve ``r = Phi((bias - theta)/(sigma_w sqrt r))``.

    The largest root in ``(0, 1]`` is the stable state reached from an active input; with
    none the network falls silent (``r = 0``, ``u = bias - theta`` exactly).
    """
    sw = positive_number("sigma_w", sigma_w)
    b = finite_number("bias", bias)
    th = finite_number("theta", theta)
    m = b - th

    def h(r: float) -> float:
        return 0.5 * math.erfc(-m / (sw * math.sqrt(r)) / math.sqrt(2.0)) - r

    notes: tuple[str, ...] = ()
    if h(1.0) >= 0.0:
        r = 1.0
    else:
        grid = [10.0 ** (-k / 10.0) for k in range(0, 301)]
        hi, lo = None, None
        for a, c in zip(grid[:-1], grid[1:]):
            if h(c) >= 0.0:
                hi, lo = a, c
                break
        if hi is None:
            r = 0.0
            notes = ("the network falls silent: no fixed point with rate > 0, so u = bias - theta exactly",)
        else:
            r = log_bisect(lambda v: h(v) >= 0.0, lo, hi, 1e-15)
    std = sw * math.sqrt(r)
    return Membrane("network", m, std, r, sw, True, bias=b, theta=th, notes=notes)


def load_membrane(path: str):
    """Membrane potentials minus threshold from ``.npy``, ``.npz`` or CSV, as float64 1-D.

    ``path`` may end in ``:NAME`` to pick an array of an ``.npz`` or a CSV column by name.
    Otherwise an ``.npz`` must hold one array, and a CSV gives its first numeric column.
    """
    import os

    import numpy as np

    key = None
    base = path
    if not os.path.exists(path) and ":" in path:
        base, _, key = path.rpartition(":")
    if not os.path.exists(base):
        raise BadInput(f"membrane file '{base}' does not exist", "check the path", subject="membrane")
    if os.path.isdir(base):
        raise BadInput(f"membrane file '{base}' is a folder", "give a .npy, .npz or .csv file", subject="membrane")
    ext = os.path.splitext(base)[1].lower()
    try:
        if ext == ".npy":
            arr = np.load(base, allow_pickle=False)
        elif ext == ".npz":
            with np.load(base, allow_pickle=False) as z:
                names = list(z.files)
                if key is None:
                    if len(names) != 1:
                        raise BadInput(
                            f"membrane file '{base}' holds {len(names)} arrays ({', '.join(names) or 'none'})",
                            f"pick one: '{base}:NAME'",
                        )
                    key = names[0]
                if key not in names:
                    raise BadInput(f"membrane file '{base}' has no array '{key}'",
                                   f"it holds: {', '.join(names) or 'nothing'}", subject="membrane")
                arr = z[key]
        elif ext in (".csv", ".txt"):
            arr = _csv_column(base, key)
        else:
            raise BadInput(f"membrane file '{base}': unknown extension '{ext or 'none'}'",
                           "give a .npy, .npz or .csv file", subject="membrane")
    except BadInput:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable file is bad input
        raise BadInput(f"membrane file '{base}' cannot be read: {type(exc).__name__}: {exc}",
                       "give a .npy, .npz or .csv file of numbers", subject="membrane") from exc
    if arr.dtype.kind not in "iuf":
        raise BadInput(f"membrane file '{base}' holds no numbers (dtype {arr.dtype})",
                       "save the membrane potentials as a float array", subject="membrane")
    arr = np.asarray(arr, dtype=np.float64).reshape(-1)
    if arr.size == 0:
        raise BadInput(f"membrane file '{base}' is empty", "record some membrane potentials first", subject="membrane")
    bad = int(np.count_nonzero(~np.isfinite(arr)))
    if bad:
        raise BadInput(f"membrane file '{base}' has {bad} non-finite value(s) (nan or inf)",
                       "drop or fix them before the analysis", subject="membrane")
    return arr


def _csv_column(path: str, key: str | None):
    import csv

    import numpy as np

    with open(path, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.reader(fh) if any(c.strip() for c in r)]
    if not rows:
        raise BadInput(f"membrane file '{path}' is empty", "record some membrane potentials first", subject="membrane")

    def number(text: str):
        try:
            return float(text)
        except ValueError:
            return None

    header = None if all(number(c) is not None for c in rows[0]) else [c.strip() for c in rows[0]]
    body = rows if header is None else rows[1:]
    ncol = max(len(r) for r in rows)
    if key is not None:
        if header is None or key not in header:
            have = ", ".join(header) if header else "no header"
            raise BadInput(f"membrane file '{path}' has no column '{key}'", f"its columns: {have}", subject="membrane")
        cols = [header.index(key)]
    else:
        cols = list(range(ncol))
    for j in cols:
        vals = [number(r[j]) if j < len(r) else None for r in body]
        if body and all(v is not None for v in vals):
            return np.asarray(vals, dtype=np.float64)
    if not body:
        raise BadInput(f"membrane file '{path}' has a header but no rows", "record some membrane potentials", subject="membrane")
    what = f"column '{key}' is not numeric" if key is not None else "has no numeric column"
    raise BadInput(f"membrane file '{path}' {what}", "give a CSV column of numbers (membrane minus threshold)", subject="membrane")


def empirical_membrane(samples, sigma_w: float | None = None, source: str | None = None) -> Membrane:
    """The empirical distribution of ``samples`` (array, or a path for :func:`load_membrane`)."""
    import numpy as np

    if isinstance(samples, str):
        source = source or samples
        arr = load_membrane(samples)
    else:
        arr = np.asarray(samples, dtype=np.float64).reshape(-1)
        if arr.size == 0:
            raise BadInput("membrane=: empty array", "give at least one membrane value", subject="membrane")
        if not np.all(np.isfinite(arr)):
            raise BadInput("membrane=: non-finite values (nan or inf)", "drop or fix them first", subject="membrane")
    m = float(arr.mean())
    s = float(arr.std())
    rate = float(np.mean(arr >= 0.0))
    given = sigma_w is not None
    if given:
        sw = positive_number("sigma_w", sigma_w)
    elif rate == 0.0 or s == 0.0:
        raise BadInput(
            "the membrane sample " + ("never reaches the threshold (rate 0)" if rate == 0.0 else "has zero spread")
            + ", so no weight scale is implied",
            "give sigma_w=",
        )
    else:
        sw = s / math.sqrt(rate)
    return Membrane("empirical", m, s, rate, sw, given, source=source, samples=arr)


