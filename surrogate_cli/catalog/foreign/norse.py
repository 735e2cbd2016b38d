"""Norse (torch/functional/threshold.py, superspike.py): forward torch.gt(x, 0); alpha from LIFParameters."""
from __future__ import annotations

import math
from typing import Any

from ..params import Param
from .base import *  # noqa: F401,F403 - the types and helpers every library module uses
from .base import Equivalence, Unavailable

#: where the formulas below were read (the PyPI release; main-branch differences noted)
NORSE = Source(
    "norse/norse", "norse/torch/functional/threshold.py, superspike.py, heaviside.py",
    "norse 1.1.0 (PyPI sdist)", "git tag v1.1.0 4f729507 of 2024-03-18",
    "commit 1d2671a2 (#403, 2024-08-25, unreleased) makes 'super' use alpha: 1/(alpha|x|+1)^2",
)
LIBRARY = register_library("norse", "Norse", NORSE)

RECORDS: list = []

# ---- Norse (forward: heaviside = torch.gt(x, 0)); parameter alpha from LIFParameters ------------

_NORSE_ALPHA = "LIFParameters.alpha (default 100), passed to every method"
RECORDS.append(make_record(
    "norse", "super", "NorseSuper", (Param("alpha", 100.0, _NORSE_ALPHA + "; IGNORED by 1.1.0"),),
    r"g'(x) = \frac{1}{(|x|+1)^{2}}", r"g(x) = \frac{1}{2}+\frac{x}{1+|x|}",
    "SuperSpike as released in norse 1.1.0: alpha is ignored, the width is fixed at 1.",
    (-5.0, 5.0), "fast sigmoid", ">",
    equivalent=Equivalence(
        target="inv_square_grad", params=lambda alpha: {"alpha": 1.0}, mapping="alpha = 1 (whatever alpha)",
        inverse=lambda tp, f, s, k: ({"alpha": 100.0} if (close(float(tp["alpha"]), 1.0) and close(f, 1.0)
                                                          and s == 0 and close(k, 1.0)) else None),
    ),
    oddities=("norse 1.1.0 ignores alpha: the backward is grad/(|x|+1)^2; main (commit 1d2671a2, #403, "
              "unreleased) computes grad/(alpha|x|+1)^2 = inv_square_grad(alpha)",),
    code=norse_code("super"), breakpoints=lambda alpha: [0.0],
))
RECORDS.append(make_record(
    "norse", "triangle", "NorseTriangle", (Param("alpha", 100.0, _NORSE_ALPHA + "; triangle_fn's own default is 0.3"),),
    r"g'(x) = \alpha\,\max(0,\ 1-|x|)",
    r"g(x) = \frac{1}{2}+\alpha(x-\frac{x|x|}{2})\ (|x|\leq 1);\ \ \frac{1}{2}\pm\frac{\alpha}{2}",
    "Triangle of half-width 1 and height alpha (100 through LIFParameters).", (-2.0, 2.0), "triangle", ">",
    equivalent=same_params("relu_grad", extra={"width": 1.0}, names=("alpha",)),
    code=norse_code("triangle"), breakpoints=lambda alpha: [-1.0, 0.0, 1.0],
))


def _tanh_params(alpha):
    return {"alpha": 2.0 * alpha}


RECORDS.append(make_record(
    "norse", "tanh", "NorseTanh", (Param("alpha", 100.0, _NORSE_ALPHA),),
    r"g'(x) = 1-\tanh^{2}(\alpha x)", r"g(x) = \frac{1}{2}+\frac{\tanh(\alpha x)}{\alpha}",
    "sech^2 gradient of height 1 and width ~ 1/alpha.", (-0.05, 0.05), "sigmoid", ">",
    equivalent=Equivalence(
        target="sigmoid", params=_tanh_params, mapping="alpha = 2 alpha",
        factor=lambda alpha: 2.0 / alpha, factor_text="2/alpha",
        inverse=lambda tp, f, s, k: ({"alpha": float(tp["alpha"]) / 2.0}
                                     if (close(f, 4.0 / float(tp["alpha"])) and s == 0 and close(k, 1.0)) else None),
    ),
    oddities=("the docstring's h(x,k) = 1/2 + tanh(kx)/2 has derivative (k/2)(1 - tanh^2(kx)); the backward "
              "returns 1 - tanh^2(kx), 2/k times that",),
    code=norse_code("tanh"),
))
RECORDS.append(make_record(
    "norse", "circ", "NorseCirc", (Param("alpha", 100.0, _NORSE_ALPHA),),
    r"g'(x) = \frac{\alpha^{3}}{(\alpha^{2}+x^{2})^{3/2}}", r"g(x) = \frac{1}{2}+\frac{\alpha x}{\sqrt{\alpha^{2}+x^{2}}}",
    "Circ: height 1 at 0, half-width ~ 0.77 alpha, tails ~ 1/|x|^3.", (-500.0, 500.0), "circ", ">",
    oddities=("the backward is 2 alpha times the derivative of the docstring's h(x, alpha) = 1/2 + "
              "x/(2 sqrt(x^2 + alpha^2)); with the default alpha = 100 the gradient is about 1 over |x| < 50",
              "the library computes (-(x^2/(2 r2^1.5)) + 1/(2 sqrt(r2))) * 2 alpha, r2 = alpha^2 + x^2: two "
              "nearly equal terms cancel for |x| >> alpha (float32 loses every digit beyond |x| ~ 3000 alpha) "
              "and x^2 overflows to inf/inf = nan; here the same value is computed as (alpha/hypot(alpha, x))^3",),
    code=norse_code("circ"),
))
RECORDS.append(make_record(
    "norse", "heavi_erfc", "NorseHeaviErfc", (Param("alpha", 100.0, _NORSE_ALPHA),),
    r"g'(x) = \frac{2}{\sqrt{\pi}}e^{-\alpha^{2}x^{2}}", r"g(x) = \frac{1}{2}+\frac{\mathrm{erf}(\alpha x)}{\alpha}",
    "Gaussian gradient of height 2/sqrt(pi) (area 2/alpha).", (-0.05, 0.05), "gaussian", ">",
    equivalent=Equivalence(
        target="erf", params=lambda alpha: {"alpha": alpha}, mapping="alpha = alpha",
        factor=lambda alpha: 2.0 / alpha, factor_text="2/alpha",
        inverse=lambda tp, f, s, k: ({"alpha": float(tp["alpha"])}
                                     if (close(f, 2.0 / float(tp["alpha"])) and s == 0 and close(k, 1.0)) else None),
    ),
    oddities=("the docstring's h(x,k) = 1/2 + erfc(kx)/2 decreases; the backward is +2/sqrt(pi) exp(-(kx)^2) "
              "(the magnitude of d erfc/d(kx), without the chain-rule factor k)",),
    code=norse_code("heavi_erfc"),
))


#: Not deterministic spike surrogates, with the reason.
UNAVAILABLE: tuple = (
    Unavailable("norse", "heaviside", "the true step (torch.gt): no surrogate, its gradient is zero", NORSE),
    Unavailable("norse", "logistic", "stochastic: Logistic samples a Bernoulli spike with p = 1/2 + tanh(kx)/2 "
                "(its backward is 1 - tanh^2(kx), as norse.tanh)", NORSE),
    Unavailable("norse", "circ_dist", "stochastic: CircDist samples a Bernoulli spike (its backward is "
                "norse.circ's)", NORSE),
)
