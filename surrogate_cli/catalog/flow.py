"""Catalog data for ``surrogate flow`` and the noise line of ``info`` (no jax, no numpy).

Two facts per built-in, keyed by its catalog name, read (never copied) by the flow
analysis, ``info`` and the tests:

* :data:`SOLVE_PARAM`: the parameter ``flow`` solves for ``chi = 1`` by default: the
  width (or steepness) parameter where the surrogate has one, else its gradient level.
* :data:`NOISE`: the *escape-noise* reading (Gygax & Zenke 2025). When ``g`` is a
  non-decreasing map of the real line onto ``[0, A]``, ``g(x) = A * P(eta <= x)`` for a
  noise ``eta`` with density ``g'/A``, and ``E[H(x + eta)] = P(-eta <= x)``; every
  distribution below is symmetric, so ``d/dx E[H(x + eta)] = g'(x) / A``. ``A`` is the
  area under ``g'``: ``1`` for the families whose ``g`` is a CDF, a parameter-dependent
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

import math
from dataclasses import dataclass, field
from typing import Callable, Mapping

__all__ = ["Noise", "NOISE", "SOLVE_PARAM", "noise_text"]


@dataclass(frozen=True)
class Noise:
    """The escape-noise reading of one surrogate (see the module docstring).

    ``distribution`` is one of ``logistic``, ``gaussian``, ``cauchy``, ``laplace``,
    ``triangular``, ``uniform``, ``lomax`` (symmetric, centred at 0), or None with
    ``why_none`` set. ``scale(**params)`` is its scale parameter (``sigma`` for gaussian,
    the half-width for triangular and uniform); ``area(**params)`` is ``A``;
    ``applies(**params)`` is False where the reading does not hold for those values;
    ``where`` updates the defaults to values where it does.
    """

    distribution: str | None
    scale_text: str = ""
    scale: Callable[..., float] | None = None
    area_text: str = "1"
    area: Callable[..., float] = lambda **_: 1.0
    applies: Callable[..., bool] = lambda **_: True
    why_none: str = ""
    why_not_here: str = ""  # why the reading fails where ``applies`` is False
    where: Mapping[str, float] = field(default_factory=dict)  # values (beyond defaults) where it holds


_NEG_LOBES = "g' has negative lobes, so g is not monotone: no noise density"

#: The escape-noise reading of every built-in, by catalog name.
NOISE: Mapping[str, Noise] = {
    "sigmoid": Noise("logistic", "1/alpha", lambda alpha: 1.0 / alpha),
    "piecewise_quadratic": Noise("triangular", "half-width 1/alpha", lambda alpha: 1.0 / alpha),
    "piecewise_exp": Noise("laplace", "1/alpha", lambda alpha: 1.0 / alpha),
    "soft_sign": Noise("lomax", "1/alpha", lambda alpha: 1.0 / alpha),
    "arctan": Noise("cauchy", "2/(pi*alpha)", lambda alpha: 2.0 / (math.pi * alpha)),
    "nonzero_sign_log": Noise(None, why_none="infinite area: g' ~ 1/|x| and g is unbounded"),
    "erf": Noise("gaussian", "1/(sqrt(2)*alpha)", lambda alpha: 1.0 / (math.sqrt(2.0) * alpha)),
    "piecewise_leaky_relu": Noise(
        "uniform", "half-width w", lambda c, w: w,
        applies=lambda c, w: c == 0,
        why_not_here="with c > 0 the leak c gives g' infinite area and g is unbounded",
        where={"c": 0.0},
    ),
    "squarewave_fourier_series": Noise(None, why_none=_NEG_LOBES + " (a periodic, ringing series)"),
    "s2nn": Noise(None, why_none="infinite area: g' ~ beta/(x+1) above threshold, g is unbounded"),
    "q_pseudo_spike": Noise(
        None, why_none="area (alpha+1)/(alpha-1) > 1 for alpha > 1 and infinite otherwise: g is not a CDF"),
    "leaky_relu": Noise(None, why_none="constant gradient on each side: infinite area, g is unbounded"),
    "log_tailed_relu": Noise(None, why_none="infinite area: a constant and a 1/x tail, g is unbounded"),
    "relu_grad": Noise(
        "triangular", "half-width width", lambda alpha, width: width,
        "alpha*width^2", lambda alpha, width: alpha * width * width,
    ),
    "gaussian_grad": Noise("gaussian", "sigma", lambda sigma, alpha: sigma, "alpha", lambda sigma, alpha: alpha),
    "inv_square_grad": Noise("lomax", "1/alpha", lambda alpha: 1.0 / alpha, "2/alpha", lambda alpha: 2.0 / alpha),
    "multi_gaussian_grad": Noise(
        None, why_none=_NEG_LOBES,
        # at h = 0 it is a scaled Gaussian, but h > 0 is the point of the family
    ),
    "slayer_grad": Noise("laplace", "1/alpha", lambda alpha: 1.0 / alpha, "2/alpha", lambda alpha: 2.0 / alpha),
}

#: The parameter ``flow`` solves for by default (``solve=None``), by catalog name.
SOLVE_PARAM: Mapping[str, str] = {
    "sigmoid": "alpha",
    "piecewise_quadratic": "alpha",
    "piecewise_exp": "alpha",
    "soft_sign": "alpha",
    "arctan": "alpha",
    "nonzero_sign_log": "alpha",
    "erf": "alpha",
    "piecewise_leaky_relu": "w",
    "squarewave_fourier_series": "t_period",
    "s2nn": "alpha",
    "q_pseudo_spike": "alpha",
    "leaky_relu": "beta",  # no width: the gradient level above threshold
    "log_tailed_relu": "alpha",  # no width: its only parameter
    "relu_grad": "width",
    "gaussian_grad": "sigma",
    "inv_square_grad": "alpha",
    "multi_gaussian_grad": "sigma",
    "slayer_grad": "alpha",
}


def noise_text(name: str, params: Mapping[str, float]) -> str | None:
    """One line for ``info``: the noise reading at ``params``, or why there is none.

    None for a name without an entry (user surrogates).
    """
    entry = NOISE.get(name)
    if entry is None:
        return None
    if entry.distribution is None:
        return f"none: {entry.why_none}"
    if not entry.applies(**params):
        return f"none here: {entry.why_not_here}"
    scale = entry.scale(**params)
    area = entry.area(**params)
    text = f"{entry.distribution} noise, scale {entry.scale_text} = {scale:.6g}"
    if entry.area_text == "1":
        return f"g is the CDF of {text}"
    return (
        f"g'/A is the density of {text}; A = {entry.area_text} = {area:.6g}"
        + (" (g is then a CDF)" if area == 1.0 else " (g is a CDF only where A = 1)")
    )
