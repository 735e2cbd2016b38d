"""NEST e-prop (eprop_archiving_node_recurrent_impl.h): forward v_m >= V_th."""
from __future__ import annotations

import math
from typing import Any

from ..params import Param
from .base import *  # noqa: F401,F403 - the types and helpers every library module uses
from .base import Equivalence, Unavailable

#: where the formulas below were read (the PyPI release; main-branch differences noted)
NEST = Source(
    "nest/nest-simulator", "nestkernel/eprop_archiving_node_recurrent_impl.h (models/eprop_iaf*.cpp)",
    "NEST 3.10 (nest-simulator 3.10.0 on PyPI)", "git tag v3.10 acca9704 of 2026-06-09; identical on main 84b06d8",
)
LIBRARY = register_library("nest", "NEST", NEST)

RECORDS: list = []

# ---- NEST e-prop (forward: v_m >= V_th; the gradient is 0 while refractory) ------------------------

_NEST_PARAMS = (
    Param("surrogate_gradient_height", 0.3, "height h of the pseudo-derivative"),
    Param("surrogate_gradient_width", 1.0, "width w, in mV"),
)
_NEST_ODD = ("NEST returns 0 while the neuron is refractory (r > 0); adaptive models take x = v_m - V_th_adapt",)


def _nest_eq(target: str, params, mapping: str, factor, factor_text: str, inverse) -> Equivalence:
    return Equivalence(target=target, params=params, mapping=mapping, factor=factor, factor_text=factor_text,
                       inverse=inverse)


RECORDS.append(make_record(
    "nest", "piecewise_linear", "NestPiecewiseLinear", _NEST_PARAMS,
    r"g'(x) = h\,\max(0,\ 1-\frac{|x|}{w})",
    r"g(x) = \frac{1}{2}+h(x-\frac{x|x|}{2w})\ (|x|\leq w);\ \ \frac{1}{2}\pm\frac{hw}{2}",
    "Triangle of height h and half-width w (Bellec et al. 2020).", (-3.0, 3.0), "triangle", ">=",
    equivalent=_nest_eq(
        "relu_grad",
        lambda surrogate_gradient_height, surrogate_gradient_width: {
            "alpha": surrogate_gradient_height / surrogate_gradient_width, "width": surrogate_gradient_width},
        "alpha = h/w, width = w", one, "1",
        lambda tp, f, s, k: ({"surrogate_gradient_height": float(tp["alpha"]) * float(tp["width"]) * f,
                              "surrogate_gradient_width": float(tp["width"])} if (s == 0 and close(k, 1.0)) else None),
    ),
    oddities=_NEST_ODD, code=nest_code("piecewise_linear"),
    breakpoints=lambda surrogate_gradient_height, surrogate_gradient_width: [
        -surrogate_gradient_width, 0.0, surrogate_gradient_width],
))
RECORDS.append(make_record(
    "nest", "exponential", "NestExponential", _NEST_PARAMS,
    r"g'(x) = h\,e^{-|x|/w}", r"g(x) = \frac{1}{2}+h\,w\,\mathrm{sgn}(x)(1-e^{-|x|/w})",
    "Exponential of height h and decay length w.", (-3.0, 3.0), "exponential", ">=",
    equivalent=_nest_eq(
        "slayer_grad",
        lambda surrogate_gradient_height, surrogate_gradient_width: {"alpha": 1.0 / surrogate_gradient_width},
        "alpha = 1/w", lambda surrogate_gradient_height, surrogate_gradient_width: surrogate_gradient_height, "h",
        lambda tp, f, s, k: ({"surrogate_gradient_height": f, "surrogate_gradient_width": 1.0 / float(tp["alpha"])}
                             if (s == 0 and close(k, 1.0)) else None),
    ),
    oddities=_NEST_ODD, code=nest_code("exponential"),
    breakpoints=lambda surrogate_gradient_height, surrogate_gradient_width: [0.0],
))
RECORDS.append(make_record(
    "nest", "fast_sigmoid_derivative", "NestFastSigmoidDerivative", _NEST_PARAMS,
    r"g'(x) = h\,(1+\frac{|x|}{w})^{-2}", r"g(x) = \frac{1}{2}+\frac{h\,x}{1+|x|/w}",
    "Fast-sigmoid derivative of height h and width w.", (-3.0, 3.0), "fast sigmoid", ">=",
    equivalent=_nest_eq(
        "inv_square_grad",
        lambda surrogate_gradient_height, surrogate_gradient_width: {"alpha": 1.0 / surrogate_gradient_width},
        "alpha = 1/w", lambda surrogate_gradient_height, surrogate_gradient_width: surrogate_gradient_height, "h",
        lambda tp, f, s, k: ({"surrogate_gradient_height": f, "surrogate_gradient_width": 1.0 / float(tp["alpha"])}
                             if (s == 0 and close(k, 1.0)) else None),
    ),
    oddities=_NEST_ODD, code=nest_code("fast_sigmoid_derivative"),
    breakpoints=lambda surrogate_gradient_height, surrogate_gradient_width: [0.0],
))
RECORDS.append(make_record(
    "nest", "arctan_derivative", "NestArctanDerivative", _NEST_PARAMS,
    r"g'(x) = \frac{h}{1+(x/w)^{2}}", r"g(x) = \frac{1}{2}+h\,w\arctan(\frac{x}{w})",
    "Arctan derivative (Cauchy) of height h and half-width w.", (-3.0, 3.0), "arctan", ">=",
    equivalent=_nest_eq(
        "arctan",
        lambda surrogate_gradient_height, surrogate_gradient_width: {"alpha": 2.0 / (math.pi * surrogate_gradient_width)},
        "alpha = 2/(pi w)",
        lambda surrogate_gradient_height, surrogate_gradient_width: (
            surrogate_gradient_height * math.pi * surrogate_gradient_width), "pi h w",
        lambda tp, f, s, k: ({"surrogate_gradient_height": f * float(tp["alpha"]) / 2.0,
                              "surrogate_gradient_width": 2.0 / (math.pi * float(tp["alpha"]))}
                             if (s == 0 and close(k, 1.0)) else None),
    ),
    oddities=_NEST_ODD, code=nest_code("arctan_derivative"),
))


#: Not deterministic spike surrogates, with the reason.
UNAVAILABLE: tuple = (
)
