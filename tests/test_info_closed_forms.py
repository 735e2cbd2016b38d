"""Every property `info` reports, against closed forms, for every built-in.

The closed forms below are written from the formulas of the spec
(/work/shared/spec/surrogates.md), independently of the library and of the catalog's own
area lambdas. They are keyed by the registry's names: a new built-in without an entry
here fails `test_every_builtin_has_closed_forms`. Where a property has no closed form
(a FWHM of a sum of cosines or of Gaussians), the expected value is the root of the
spec's formula, transcribed here in NumPy and found by bisection (an independent
numerical reference), and says so.

Each entry maps parameters to the expected properties:
``peak`` (value), ``where`` (x of the peak, or ``("plateau", a, b, closed_a, closed_b)``),
``half`` (the half-maximum interval ``(lo, hi)``; the FWHM is ``hi - lo``), ``support``
(``(a, b)`` for compact support, ``None`` for unbounded), ``area`` (``None``: does not
converge), ``g0`` (``None``: gradient only), ``decreasing`` (where g starts to decrease,
nearest to 0; ``None``: monotone).
"""
import math

import numpy as np
import pytest

from surrogate_cli.analysis.metrics import properties_of
from surrogate_cli.catalog import REGISTRY

INF = math.inf
LN2 = math.log(2.0)
SIGMOID_HALF = math.log(3 + 2 * math.sqrt(2))  # s(1 - s) = 1/8  <=>  |a x| = log(3 + 2 sqrt 2)


def _bisect(f, a, b, n=200):
    fa = f(a)
    for _ in range(n):
        m = 0.5 * (a + b)
        if (f(m) > 0) == (fa > 0):
            a, fa = m, f(m)
        else:
            b = m
    return 0.5 * (a + b)


def _sym(h):
    return (-h, h)


def sigmoid(alpha):
    return dict(peak=alpha / 4, where=0.0, half=_sym(SIGMOID_HALF / alpha), support=None, area=1.0, g0=0.5,
                tails=(("exponential", alpha),) * 2)


def piecewise_quadratic(alpha):
    return dict(peak=alpha, where=0.0, half=_sym(0.5 / alpha), support=(-1 / alpha, 1 / alpha), area=1.0, g0=0.5,
                tails=(("compact", -1 / alpha), ("compact", 1 / alpha)))


def piecewise_exp(alpha):
    return dict(peak=alpha / 2, where=0.0, half=_sym(LN2 / alpha), support=None, area=1.0, g0=0.5,
                tails=(("exponential", alpha),) * 2)


def soft_sign(alpha):
    return dict(peak=alpha / 2, where=0.0, half=_sym((math.sqrt(2) - 1) / alpha), support=None, area=1.0, g0=0.5,
                tails=(("power law", 2),) * 2)


def arctan(alpha):
    return dict(peak=alpha / 2, where=0.0, half=_sym(2 / (math.pi * alpha)), support=None, area=1.0, g0=0.5,
                tails=(("power law", 2),) * 2)


def nonzero_sign_log(alpha):
    return dict(peak=alpha, where=0.0, half=_sym(1 / alpha), support=None, area=INF, g0=0.0,
                tails=(("power law", 1),) * 2)


def erf(alpha):
    return dict(peak=alpha / math.sqrt(math.pi), where=0.0, half=_sym(math.sqrt(LN2) / alpha), support=None,
                area=1.0, g0=0.5,
                tails=(("gaussian", None),) * 2)


def piecewise_leaky_relu(c, w):
    box = 1 / (2 * w)
    assert c < box / 2  # the cases below: the window is the peak, and c is below half of it
    return dict(peak=box, where=("plateau", -w, w, True, True), half=(-w, w),
                support=(-w, w) if c == 0 else None, area=1.0 if c == 0 else INF, g0=0.5,
                tails=(("compact", -w), ("compact", w)) if c == 0 else (("constant", c),) * 2)


def squarewave_fourier_series(n, t_period):
    om = 2 * math.pi / t_period

    def g1(x):  # the spec's g'
        return 4 / t_period * sum(math.cos((2 * i - 1) * om * x) for i in range(1, n + 1))

    peak = 4 * n / t_period
    # no closed form for the half maximum: the first root of g' - peak/2 beyond 0 (bisection)
    h = _bisect(lambda x: g1(x) - peak / 2, 0.0, t_period / (4 * n))
    # sum_i cos((2i-1) a) = sin(2 n a) / (2 sin a): first zero at a = pi / (2n), x = T / (4n)
    return dict(peak=peak, where=0.0, half=_sym(h), support=None, area=None, g0=0.5,
                decreasing=t_period / (4 * n),
                tails=(("oscillating", None),) * 2)


def s2nn(alpha, beta, epsilon):
    # left: alpha s(1-s) (x < 0), right: beta/(x+1) (x >= 0); with alpha/4 == beta the peak is beta at 0
    assert alpha / 4 == beta
    return dict(peak=beta, where=0.0, half=(-SIGMOID_HALF / alpha, 1.0), support=None,
                area=INF, g0=beta * math.log(1 + epsilon) + 0.5,
                tails=(("exponential", alpha), ("power law", 1)), symmetric=False)


def q_pseudo_spike(alpha):
    h = (alpha + 1) * (2 ** (1 / alpha) - 1) / 2
    return dict(peak=1.0, where=0.0, half=_sym(h), support=None,
                area=(alpha + 1) / (alpha - 1) if alpha > 1 else INF, g0=0.5,
                tails=(("power law", alpha),) * 2)


def leaky_relu(alpha, beta):
    assert alpha < beta / 2  # beta on x >= 0 is the peak, and the left side is below half of it
    return dict(peak=beta, where=("plateau", 0.0, INF, True, True), half=(0.0, INF), support=None,
                area=INF, g0=0.0,
                tails=(("constant", alpha), ("constant", beta)), symmetric=False)


def log_tailed_relu(alpha):
    assert alpha < 0.5  # the (0, 1] window is the peak, and the left side is below half of it
    # g' = 1 on (0, 1] (not at 0, where g' = alpha), 1/x beyond: 1/x = 1/2 at x = 2
    return dict(peak=1.0, where=("plateau", 0.0, 1.0, False, True), half=(0.0, 2.0), support=None,
                area=INF, g0=0.0,
                tails=(("compact", 0.0) if alpha == 0 else ("constant", alpha), ("power law", 1)), symmetric=False)


def relu_grad(alpha, width):
    return dict(peak=alpha * width, where=0.0, half=_sym(width / 2), support=(-width, width),
                area=alpha * width * width, g0=None,
                tails=(("compact", -width), ("compact", width)))


def gaussian_grad(sigma, alpha):
    return dict(peak=alpha / (math.sqrt(2 * math.pi) * sigma), where=0.0, half=_sym(math.sqrt(2 * LN2) * sigma),
                support=None, area=alpha, g0=None,
                tails=(("gaussian", None),) * 2)


def inv_square_grad(alpha):
    return dict(peak=1.0, where=0.0, half=_sym((math.sqrt(2) - 1) / alpha), support=None, area=2 / alpha, g0=None,
                tails=(("power law", 2),) * 2)


def multi_gaussian_grad(h, s, sigma, scale):
    def normal(x, mu, sd):
        return math.exp(-((x - mu) ** 2) / (2 * sd * sd)) / (math.sqrt(2 * math.pi) * sd)

    def g1(x):  # the spec's g'
        return scale * ((1 + h) * normal(x, 0, sigma) - h * normal(x, sigma, s * sigma)
                        - h * normal(x, -sigma, s * sigma))

    peak = g1(0.0)
    # no closed form: the half-maximum point and the first zero of g' beyond 0, by bisection
    zero = _bisect(g1, 0.0, 10 * sigma)
    half = _bisect(lambda x: g1(x) - peak / 2, 0.0, zero)
    return dict(peak=peak, where=0.0, half=_sym(half), support=None, area=scale * (1 - h), g0=None,
                decreasing=zero,
                tails=(("gaussian", None),) * 2)


def slayer_grad(alpha):
    return dict(peak=1.0, where=0.0, half=_sym(LN2 / alpha), support=None, area=2 / alpha, g0=None,
                tails=(("exponential", alpha),) * 2)


CLOSED = {f.__name__: f for f in (
    sigmoid, piecewise_quadratic, piecewise_exp, soft_sign, arctan, nonzero_sign_log, erf,
    piecewise_leaky_relu, squarewave_fourier_series, s2nn, q_pseudo_spike, leaky_relu, log_tailed_relu,
    relu_grad, gaussian_grad, inv_square_grad, multi_gaussian_grad, slayer_grad,
)}

#: A second parameter set per built-in (besides its defaults), to catch a formula that
#: only holds at the defaults.
OTHER = {
    "sigmoid": {"alpha": 2.5}, "piecewise_quadratic": {"alpha": 2.0}, "piecewise_exp": {"alpha": 3.0},
    "soft_sign": {"alpha": 0.5}, "arctan": {"alpha": 3.0}, "nonzero_sign_log": {"alpha": 2.0},
    "erf": {"alpha": 0.7}, "piecewise_leaky_relu": {"c": 0.0, "w": 0.8},
    "squarewave_fourier_series": {"n": 4, "t_period": 6.0}, "s2nn": {"alpha": 8.0, "beta": 2.0},
    "q_pseudo_spike": {"alpha": 1.5}, "leaky_relu": {"alpha": 0.2, "beta": 2.0},
    "log_tailed_relu": {"alpha": 0.3}, "relu_grad": {"alpha": 0.5, "width": 1.7},
    "gaussian_grad": {"sigma": 0.7, "alpha": 2.0}, "inv_square_grad": {"alpha": 10.0},
    "multi_gaussian_grad": {"h": 0.3, "sigma": 0.4}, "slayer_grad": {"alpha": 2.0},
}


def test_every_builtin_has_closed_forms():
    assert set(REGISTRY) <= set(CLOSED), f"write the closed forms of {sorted(set(REGISTRY) - set(CLOSED))} here"
    assert set(REGISTRY) <= set(OTHER)


CASES = [(name, which) for name in REGISTRY for which in ("defaults", "other")]


@pytest.mark.parametrize("name, which", CASES)
def test_info_properties_match_closed_forms(name, which):
    rec = REGISTRY[name]
    given = {} if which == "defaults" else OTHER[name]
    full = {**rec.defaults, **given}
    want = {"decreasing": None, "symmetric": True, **CLOSED[name](**full)}
    p = properties_of(name, given)
    tag = f"{name} {full}"

    assert p.peak_value == pytest.approx(want["peak"], rel=1e-12), tag
    if isinstance(want["where"], tuple):
        _, a, b, ca, cb = want["where"]
        assert p.plateau == (a, b) and p.plateau_closed == (ca, cb), (tag, p.plateau, p.plateau_closed)
        assert p.peak_x == (0.0 if ca and a <= 0 <= b else p.peak_x)
        assert a <= p.peak_x <= b
    else:
        assert p.plateau is None, tag
        assert p.peak_x == pytest.approx(want["where"], abs=1e-12), tag

    lo, hi = want["half"]
    assert p.half_max_interval[0] == pytest.approx(lo, rel=1e-8, abs=1e-12), tag
    assert p.half_max_interval[1] == pytest.approx(hi, rel=1e-8, abs=1e-12), tag
    assert p.fwhm == pytest.approx(hi - lo, rel=1e-8), tag

    if want["support"] is None:
        assert not p.compact and p.support is None, tag
    else:
        assert p.compact and p.support == pytest.approx(want["support"], rel=1e-9), tag

    for tail, (kind, value) in zip((p.left, p.right), want["tails"]):
        assert tail.kind == kind, (tag, tail)
        got = {"exponential": tail.rate, "power law": tail.exponent, "constant": tail.value,
               "compact": tail.boundary}.get(kind)
        if value is not None:
            assert got == pytest.approx(value, rel=2e-3, abs=1e-12), (tag, tail)
    assert p.symmetric == want["symmetric"], tag

    if want["area"] is None:
        assert p.area_numerical is None, tag
    elif math.isinf(want["area"]):
        assert p.area_numerical == INF, tag
    else:
        assert p.area_numerical == pytest.approx(want["area"], rel=1e-8), tag
    assert p.area_closed == (None if want["area"] is None else pytest.approx(want["area"], rel=1e-12)), tag

    if want["g0"] is None:
        assert p.g0 is None and not p.has_fun, tag
    else:
        assert p.g0 == pytest.approx(want["g0"], rel=1e-12, abs=1e-15), tag

    if want["decreasing"] is None:
        assert p.monotone and p.decreasing_at is None, tag
    else:
        assert not p.monotone and p.decreasing_at == pytest.approx(want["decreasing"], rel=1e-8), tag


def test_info_text_says_plateaus_and_where_g_first_decreases(capsys):
    from surrogate_cli.cli import main

    def info(*argv):
        with pytest.raises(SystemExit):
            main(["info", *argv])
        return capsys.readouterr().out

    out = info("log_tailed_relu")
    assert "1 on (0, 1] (a plateau)" in out and "(from x = 0 to 2)" in out
    assert "at x = 0" not in out.split("peak of g'")[1].splitlines()[0]
    assert "0.5 on [-1, 1] (a plateau)" in info("piecewise_leaky_relu")
    assert "decreasing from x = 1," in info("squarewave_fourier_series")


def test_info_json_has_the_plateau(capsys):
    import json

    from surrogate_cli.cli import main

    with pytest.raises(SystemExit):
        main(["info", "leaky_relu", "--json"])
    d = json.loads(capsys.readouterr().out)["properties"]
    assert d["plateau"] == {"from": 0.0, "to": None, "includes_from": True, "includes_to": True}
    assert d["non_finite"]["plateau.to"] == "inf"
    np.testing.assert_equal(d["peak_value"], 1.0)
