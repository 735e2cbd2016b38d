"""The escape-noise reading of a surrogate (``Record.noise``) and the noise line of ``info``
(no jax, no numpy).

The *escape-noise* reading (Gygax & Zenke 2025). When ``g`` is a
  non-decreasing map of the real line onto ``[0, A]``, ``g(x) = A * P(eta <= x)`` for a
  noise ``eta`` with density ``g'/A``, and ``E[H(x + eta)] = P(-eta <= x)``; every
  distribution below is symmetric, so ``d/dx E[H(x + eta)] = g'(x) / A``. ``A`` is the
  area under ``g'`` (the record's closed-form ``area``): ``1`` for the families whose ``g``
is a CDF, a parameter-dependent
  constant for the peak-normalised ones (then ``g`` is a CDF only where ``A = 1``).
  Where no such distribution exists, :attr:`Noise.why_none` says why.

Each identity was checked against the formulas of the spec (``g``, ``g'`` columns):

* Sigmoid: ``expit(alpha x)`` is the logistic CDF with scale ``1/alpha``.
* ERF: ``(1 + erf(alpha x))/2 = Phi(sqrt(2) alpha x)``: Gaussian, ``sigma = 1/(sqrt(2) alpha)``.
* Arctan: ``1/2 + arctan(pi alpha x / 2)/pi`` is the Cauchy CDF with scale ``2/(pi alpha)``.
* PiecewiseExp: ``g' = alpha/2 exp(-alpha|x|)`` is the Laplace density with scale ``1/alpha``.
* PiecewiseQuadratic: ``g' = alpha - alpha^2|x|`` on ``|x| <= 1/alpha`` is the symmetric
  triangular density on ``[-1/alpha, 1/alpha]``.
* SoftSign: ``g' = alpha / (2 (1 + alpha|x|)^2)`` is a symmetric Lomax (Pareto II, shape 1)
  density with scale ``1/alpha`` (heavy tails: no mean).
* PiecewiseLeakyRelu with ``c = 0``: uniform on ``[-w, w]`` (``g' = 1/(2w)``).
* GaussianGrad: ``alpha * N(x; 0, sigma^2)``: Gaussian with ``sigma``, times ``A = alpha``.
* SlayerGrad: ``exp(-alpha|x|)``: Laplace with scale ``1/alpha``, times ``A = 2/alpha``.
* InvSquareGrad: ``1/(alpha|x| + 1)^2``: symmetric Lomax (shape 1) with scale ``1/alpha``,
  times ``A = 2/alpha``.
* ReluGrad: ``max(0, alpha (width - |x|))``: triangular on ``[-width, width]``, times
  ``A = alpha width^2``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

__all__ = ["Noise", "NEG_LOBES", "noise_text"]


@dataclass(frozen=True)
class Noise:
    """The escape-noise reading of one surrogate (see the module docstring).

    ``distribution`` is one of ``logistic``, ``gaussian``, ``cauchy``, ``laplace``,
    ``triangular``, ``uniform``, ``lomax`` (symmetric, centred at 0), or None with
    ``why_none`` set. ``scale(**params)`` is its scale parameter (``sigma`` for gaussian,
    the half-width for triangular and uniform); ``area_text`` is ``A`` in words (its value
    is the record's closed-form ``area``);
    ``applies(**params)`` is False where the reading does not hold for those values;
    ``where`` updates the defaults to values where it does.
    """

    distribution: str | None
    scale_text: str = ""
    scale: Callable[..., float] | None = None
    area_text: str = "1"
    applies: Callable[..., bool] = lambda **_: True
    why_none: str = ""
    why_not_here: str = ""  # why the reading fails where ``applies`` is False
    where: Mapping[str, float] = field(default_factory=dict)  # values (beyond defaults) where it holds


#: why the surrogates whose gradient has negative lobes have no noise reading
NEG_LOBES = "g' has negative lobes, so g is not monotone: no noise density"


def noise_text(record: Any, params: Mapping[str, float]) -> str | None:
    """One line for ``info``: the noise reading of a record at ``params``, or why there is none.

    None for a record without a reading (another library's surrogate).
    """
    entry = getattr(record, "noise", None)
    if entry is None:
        return None
    if entry.distribution is None:
        return f"none: {entry.why_none}"
    if not entry.applies(**params):
        return f"none here: {entry.why_not_here}"
    scale = entry.scale(**params)
    area = record.closed_area(**params)
    text = f"{entry.distribution} noise, scale {entry.scale_text} = {scale:.6g}"
    if entry.area_text == "1":
        return f"g is the CDF of {text}"
    return (
        f"g'/A is the density of {text}; A = {entry.area_text} = {area:.6g}"
        + (" (g is then a CDF)" if area == 1.0 else " (g is a CDF only where A = 1)")
    )
