"""Spyx (axn.py): forward where(x > 0, 1, 0)."""
from __future__ import annotations

import math
from typing import Any

from ..params import Param
from .base import *  # noqa: F401,F403 - the types and helpers every library module uses
from .base import Equivalence, Unavailable

#: where the formulas below were read (the PyPI release; main-branch differences noted)
SPYX = Source(
    "kmheckel/spyx", "src/spyx/axn.py", "spyx 1.0.0 (PyPI wheel)",
    "git tag v1.0.0 54057505 of 2026-07-06; identical on main 38374e9",
)
LIBRARY = register_library("spyx", "Spyx", SPYX)

RECORDS: list = []

# ---- Spyx (forward: heaviside = where(x > 0, 1, 0)) ----------------------------------------------

RECORDS.append(make_record(
    "spyx", "tanh", "SpyxTanh", (Param("k", 1.0, "slope factor"),),
    r"g'(x) = \frac{4}{(e^{-kx}+e^{kx})^{2}}", r"g(x) = \frac{1}{2}+\frac{\tanh(kx)}{k}",
    "sech^2(kx): height 1, area 2/k.", (-3.0, 3.0), "sigmoid", ">",
    equivalent=Equivalence(
        target="sigmoid", params=lambda k: {"alpha": 2.0 * k}, mapping="alpha = 2 k",
        factor=lambda k: 2.0 / k, factor_text="2/k",
        inverse=lambda tp, f, s, kk: ({"k": float(tp["alpha"]) / 2.0}
                                      if (close(f, 4.0 / float(tp["alpha"])) and s == 0 and close(kk, 1.0)) else None),
    ),
    code=spyx_code("tanh"),
))


def _boxcar_inverse(tp, f, s, k):
    if float(tp["c"]) != 0.0 or s != 0 or not close(k, 1.0):
        return None
    w = float(tp["w"])
    return {"width": 2.0 * w, "height": f / (2.0 * w)}


RECORDS.append(make_record(
    "spyx", "boxcar", "SpyxBoxcar",
    (Param("width", 2.0, "total width of the window"), Param("height", 0.5, "value inside the window")),
    r"g'(x) = h\ (|x|<\frac{w}{2});\ \ 0", r"g(x) = \frac{1}{2}+h\,\mathrm{clip}(x,\ -\frac{w}{2},\ \frac{w}{2})",
    "Boxcar of height h on |x| < w/2.", (-2.0, 2.0), "rectangle", ">",
    equivalent=Equivalence(
        target="piecewise_leaky_relu", params=lambda width, height: {"c": 0.0, "w": width / 2.0},
        mapping="c = 0, w = width/2", factor=lambda width, height: height * width, factor_text="height width",
        inverse=_boxcar_inverse, edges=lambda width, height: [-width / 2.0, width / 2.0],
        edges_text="x = +-width/2 (Spyx: 0 there; built-in: the window value)",
    ),
    oddities=("the docstring says |x| <= w/2; the code is heaviside(w/2 - |x|) with heaviside strict (x > 0), "
              "so the edges get 0",),
    code=spyx_code("boxcar"), breakpoints=lambda width, height: [-width / 2.0, width / 2.0],
    exceptions={"peak_at_zero": "the gradient is flat on the whole window, by design"},
))
RECORDS.append(make_record(
    "spyx", "triangular", "SpyxTriangular", (Param("k", 2.0, "scale factor: the support is |x| < 1/k"),),
    r"g'(x) = \max(0,\ 1-|kx|)",
    r"g(x) = \frac{1}{2}+x-\frac{k\,x|x|}{2}\ (|x|\leq\frac{1}{k});\ \ \frac{1}{2}\pm\frac{1}{2k}",
    "Triangle of height 1 on |x| < 1/k.", (-1.0, 1.0), "triangle", ">",
    equivalent=Equivalence(
        target="relu_grad", params=lambda k: {"alpha": k, "width": 1.0 / k}, mapping="alpha = k, width = 1/k",
        inverse=lambda tp, f, s, kk: ({"k": float(tp["alpha"])}
                                      if (close(f, 1.0) and s == 0 and close(kk, 1.0)
                                          and close(float(tp["alpha"]) * float(tp["width"]), 1.0)) else None),
    ),
    code=spyx_code("triangular"), breakpoints=lambda k: [-1.0 / k, 0.0, 1.0 / k],
))
RECORDS.append(make_record(
    "spyx", "arctan", "SpyxArctan", (Param("k", 2.0, "steepness"),),
    r"g'(x) = \frac{1}{\pi(1+(k\pi x)^{2})}", r"g(x) = \frac{1}{2}+\frac{\arctan(k\pi x)}{k\pi^{2}}",
    "Cauchy gradient of height 1/pi (area 1/(pi k)).", (-2.0, 2.0), "arctan", ">",
    equivalent=Equivalence(
        target="arctan", params=lambda k: {"alpha": 2.0 * k}, mapping="alpha = 2 k",
        factor=lambda k: 1.0 / (math.pi * k), factor_text="1/(pi k)",
        inverse=lambda tp, f, s, kk: ({"k": float(tp["alpha"]) / 2.0}
                                      if (close(f, 2.0 / (math.pi * float(tp["alpha"]))) and s == 0
                                          and close(kk, 1.0)) else None),
    ),
    oddities=("the height is 1/pi for every k, so the area 1/(pi k) shrinks as k grows",),
    code=spyx_code("arctan"),
))
RECORDS.append(make_record(
    "spyx", "superspike", "SpyxSuperspike", (Param("k", 25.0, STEEP),),
    r"g'(x) = \frac{1}{(1+k|x|)^{2}}", r"g(x) = \frac{1}{2}+\frac{x}{1+k|x|}",
    "SuperSpike / fast sigmoid: peak 1, tails ~ 1/x^2.", (-1.0, 1.0), "fast sigmoid", ">",
    equivalent=same_params("inv_square_grad", rename={"k": "alpha"}, names=("k",)),
    code=spyx_code("superspike"), breakpoints=lambda k: [0.0],
))
RECORDS.append(make_record(
    "spyx", "custom", "SpyxCustom", (),
    r"g'(x) = x", r"g(x) = \frac{1}{2}+\frac{x^{2}}{2}",
    "spyx.axn.custom() with its defaults: documented as the straight-through estimator, but the gradient is x.",
    (-2.0, 2.0), "linear", ">",
    oddities=("the default bwd is 'lambda x: x' and the backward is 'g * bwd(x)', so the gradient is g*x, "
              "not g as the docstring's STE claims (zero at the threshold, negative below it)",),
    code=lambda: "import spyx\nactivation = spyx.axn.custom()",
    exceptions={"grad_nonnegative": "spyx.axn.custom() multiplies by x: negative below the threshold, as released",
                "fun_monotone": "the gradient x changes sign at 0, so g falls then rises",
                "peak_at_zero": "the gradient x is 0 at the threshold and grows with |x|"},
))


#: Not deterministic spike surrogates, with the reason.
UNAVAILABLE: tuple = (
)
