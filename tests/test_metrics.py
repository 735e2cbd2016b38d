"""Curve properties for `info`, against closed forms written here."""
import math

import pytest

from surrogate_cli.analysis.metrics import properties_of
from surrogate_cli.catalog import REGISTRY
from surrogate_cli.evaluation import resolve

_CACHE = {}


def props(name, **params):
    key = (name, tuple(sorted(params.items())))
    if key not in _CACHE:
        _CACHE[key] = properties_of(resolve(name), params)
    return _CACHE[key]


# peak, where, FWHM, support, area and g(0) of every built-in: tests/test_info_closed_forms.py


def test_sigmoid_closed_forms():
    a = 3.0
    p = props("sigmoid", alpha=a)
    assert p.peak_value == pytest.approx(a / 4, rel=1e-12) and p.peak_x == 0
    # s(1 - s) = 1/8  <=>  a x = log(3 + 2 sqrt 2)
    assert p.fwhm == pytest.approx(2 * math.log(3 + 2 * math.sqrt(2)) / a, rel=1e-9)
    assert p.left.kind == p.right.kind == "exponential"
    assert p.right.rate == pytest.approx(a, rel=1e-3)
    assert p.symmetric and p.monotone and p.g0 == 0.5 and not p.compact


def test_gaussian_fwhm_and_tail():
    p = props("gaussian_grad", sigma=0.7, alpha=2.0)
    assert p.fwhm == pytest.approx(2 * math.sqrt(2 * math.log(2)) * 0.7, rel=1e-9)
    assert p.peak_value == pytest.approx(2.0 / (math.sqrt(2 * math.pi) * 0.7), rel=1e-12)
    assert p.right.kind == "gaussian"


@pytest.mark.parametrize("alpha", [0.5, 2.0])
def test_compact_support_of_the_triangles(alpha):
    p = props("piecewise_quadratic", alpha=alpha)
    assert p.compact and p.support == pytest.approx((-1 / alpha, 1 / alpha), rel=1e-9)
    assert p.fwhm == pytest.approx(1 / alpha, rel=1e-9)
    q = props("relu_grad", alpha=0.3, width=1.7)
    assert q.compact and q.support == pytest.approx((-1.7, 1.7), rel=1e-9)
    assert q.support_text.startswith("compact")


@pytest.mark.parametrize(
    "name, params, exponent",
    [("soft_sign", {}, 2), ("arctan", {"alpha": 3.0}, 2), ("nonzero_sign_log", {}, 1),
     ("q_pseudo_spike", {"alpha": 1.5}, 1.5), ("inv_square_grad", {"alpha": 10.0}, 2)],
)
def test_power_law_tails(name, params, exponent):
    p = props(name, **params)
    for tail in (p.left, p.right):
        assert tail.kind == "power law"
        assert tail.exponent == pytest.approx(exponent, rel=2e-3)


def test_asymmetric_and_constant_tails():
    p = props("leaky_relu", alpha=0.2, beta=1.0)
    assert not p.symmetric and p.fwhm == math.inf
    assert (p.left.kind, p.left.value) == ("constant", 0.2)
    assert (p.right.kind, p.right.value) == ("constant", 1.0)
    assert p.area_numerical == math.inf and p.g0 == 0.0
    s = props("s2nn")
    assert s.left.kind == "exponential" and s.right.kind == "power law" and s.right.exponent == pytest.approx(1, rel=1e-3)
    lt = props("log_tailed_relu")
    assert lt.left.kind == "compact" and lt.left.boundary == 0.0 and lt.right.kind == "power law"


def test_non_monotone_and_oscillating():
    p = props("squarewave_fourier_series")
    assert p.left.kind == p.right.kind == "oscillating" and not p.monotone
    m = props("multi_gaussian_grad")
    assert not m.monotone and m.decreasing_at is not None and m.symmetric


def test_leaky_box_with_zero_leak_is_compact():
    p = props("piecewise_leaky_relu", c=0.0, w=0.8)
    assert p.compact and p.support == pytest.approx((-0.8, 0.8), rel=1e-9)
    assert p.area_numerical == pytest.approx(1.0, rel=1e-9)
