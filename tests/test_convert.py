"""Conversions between libraries: exact equivalents on a dense grid, fits recomputed.

The sources are evaluated with the NumPy transcriptions of test_foreign.py (written from
each library's code); the built-in targets with their own classes (tested against closed
forms in test_surrogates.py). Each exact equivalence of the catalogue is checked at five
parameter sets; each fit's reported deviation is recomputed here.
"""
import json
import math

import jax.numpy as jnp
import numpy as np
import pytest

import surrogate_cli

from surrogate_cli.analysis.convert import EXACT_RTOL, convert, exact_in_library
from surrogate_cli.catalog import find_record
from surrogate_cli.catalog.foreign import FOREIGN, LIBRARIES, foreign_records
from surrogate_cli.errors import BadInput
from test_foreign import SOURCE
from cli_helpers import run

EXACT = [r.name for r in foreign_records() if r.equivalent is not None]


def five_sets(rec):
    """Five parameter sets (the defaults first) at which the equivalence holds."""
    out = []
    for i, (scale, shift) in enumerate(((1, 0), (0.5, -0.5), (2.0, 0.5), (0.3, -1.0), (3.5, 1.0))):
        p = {}
        for q in rec.params:
            d = q.default
            if q.kind == "int":
                v = d + i
            elif q.low is None:
                v = d + shift
            elif d == q.low:
                v = q.low + 0.2 * i
            else:
                v = q.low + (d - q.low) * scale
            p[q.name] = v
        p = rec.validate(p)
        if rec.equivalent.params(**p) is None:  # e.g. sinabs.MultiGaussian needs mu = 0
            p = rec.validate({k: (v if rec.param(k).low is not None else rec.defaults[k]) for k, v in p.items()})
        out.append(p)
    return out


def _ref(name, x, params):
    with np.errstate(all="ignore"):
        return np.asarray(SOURCE[name][0](x, **params), dtype=float) * np.ones_like(x)


def _builtin_grad(name, params, x):
    return np.asarray(surrogate_cli.lookup(name)(**params).surrogate_grad(jnp.asarray(x)))


def _rel(a, b, skip):
    """The largest difference relative to the peak (away from the named edge points)."""
    keep = ~skip
    peak = max(np.max(np.abs(a[keep])), np.max(np.abs(b[keep])))
    return float(np.max(np.abs(a - b)[keep]) / peak) if peak > 0 else 0.0


@pytest.mark.parametrize("name", EXACT)
def test_exact_equivalence_on_a_dense_grid(name):
    rec = FOREIGN[name]
    eq = rec.equivalent
    lo, hi = rec.x_range
    x = np.linspace(lo, hi, 4001)
    for p in five_sets(rec):
        tp = eq.params(**p)
        assert tp is not None, (name, p)
        f, s, k = eq.factor(**p), eq.shift(**p), eq.x_scale(**p)
        want = _ref(name, x, p)
        got = f * _builtin_grad(eq.target, tp, k * (x - s))
        skip = np.zeros(x.shape, bool)
        for e in (eq.edges(**p) if eq.edges else []):
            skip |= np.abs(x - e) <= 1e-12 * max(1.0, abs(e))
        assert _rel(want, got, skip) <= EXACT_RTOL, (name, p)


@pytest.mark.parametrize("name", EXACT)
def test_convert_reports_the_exact_equivalent(name):
    rec = FOREIGN[name]
    c = convert(name)
    assert c.kind == "exact" and c.max_rel_diff <= EXACT_RTOL
    found = rec.equivalent.params(**rec.defaults)
    assert c.target == rec.equivalent.target and c.target_params == find_record(c.target).validate(found)
    assert c.factor == pytest.approx(rec.equivalent.factor(**rec.defaults), rel=1e-15)


def test_edges_are_where_the_inequalities_differ():
    """SpikingJelly's Rect is alpha on |x| < 1/(2 alpha); the built-in window includes its edges."""
    rec = FOREIGN["spikingjelly.Rect"]
    edges = rec.equivalent.edges(alpha=2.0)
    x = np.array(edges)
    assert np.all(_ref("spikingjelly.Rect", x, {"alpha": 2.0}) == 0.0)
    assert np.all(_builtin_grad("piecewise_leaky_relu", {"c": 0.0, "w": 0.25}, x) == 2.0)


@pytest.mark.parametrize("lib", list(LIBRARIES))
def test_every_exact_library_counterpart_holds(lib):
    """For every foreign source, its exact counterpart in ``lib`` (if any) equals it on a grid,
    both sides evaluated with the NumPy transcriptions of the two libraries' code."""
    found = 0
    for rec in foreign_records():
        c = exact_in_library(rec.name, None, lib)
        if c is None:
            continue
        found += 1
        lo, hi = rec.x_range
        x = np.linspace(lo, hi, 2001)
        a = _ref(rec.name, x, c.source_params)
        b = _ref(c.target, x, c.target_params)
        skip = np.zeros(x.shape, bool)
        for e in c.edges:
            skip |= np.abs(x - e) <= 1e-12 * max(1.0, abs(e))
        assert _rel(a, b, skip) <= EXACT_RTOL, (rec.name, c.target, c.target_params)
        assert c.code and find_record(c.target).paste(**c.target_params) == c.code
    assert found >= 3  # each library holds at least its own surrogates


def test_to_a_library_gives_its_code():
    c = convert("snntorch.atan", {"alpha": 2.0}, to="spikingjelly")
    assert (c.kind, c.target, c.target_params) == ("exact", "spikingjelly.ATan", {"alpha": 2.0})
    assert c.code == ("from spikingjelly.activation_based import surrogate\n"
                      "surrogate_function = surrogate.ATan(alpha=2.0)")
    c = convert("spikingjelly.ATan", {"alpha": 2.0}, to="snntorch")
    assert c.code == "from snntorch import surrogate\nspike_grad = surrogate.atan(alpha=2.0)"
    c = convert("sinabs.SingleExponential", to="lava_dl")
    assert c.target == "lava_dl.slayer" and c.target_params == {"tau_rho": 0.5, "scale_rho": 2.0}
    c = convert("sigmoid", {"alpha": 4.0}, to="snntorch")  # a built-in to a library
    assert c.target == "snntorch.sigmoid" and c.target_params == {"slope": 4.0}


def test_fit_deviation_recomputed():
    """FakeNumericalGradient has no equivalent; the fit's deviation is recomputed from scratch."""
    name = "spikingjelly.FakeNumericalGradient"
    for match in ("lsq", "shape"):
        c = convert(name, to="arctan", match=match)
        assert c.kind == "fit" and c.target == "arctan"
        x = np.linspace(*c.x_range, c.points)
        src = _ref(name, x, c.source_params)
        alpha = c.target_params["alpha"]
        tgt = alpha / (2 * (1 + (math.pi / 2 * alpha * x) ** 2))  # the built-in arctan's g'
        dev = np.max(np.abs(src - c.factor * tgt)) / np.max(np.abs(src))
        assert c.deviation == pytest.approx(dev, rel=1e-9)
        assert 0.01 < dev < 0.5
        if match == "shape":  # peak height and FWHM match the source's
            assert c.factor * alpha / 2 == pytest.approx(np.max(src), rel=1e-9)
            fwhm_t = 2 * 2 / (math.pi * alpha)  # arctan: half max at |x| = 2/(pi alpha)
            fwhm_s = 2 * (2 / 0.3)  # min(0.3, 1/|x|) = 0.15 at |x| = 1/0.15
            assert fwhm_t == pytest.approx(fwhm_s, rel=2e-3)


def test_lsq_is_a_least_squares_minimum():
    c = convert("norse.circ", to="erf")
    x = np.linspace(*c.x_range, c.points)
    src = _ref("norse.circ", x, c.source_params)

    def cost(a):
        g = a / math.sqrt(math.pi) * np.exp(-(a * x) ** 2)
        f = np.dot(src, g) / np.dot(g, g)
        return np.sum((src - f * g) ** 2)

    a0 = c.target_params["alpha"]
    assert cost(a0) <= min(cost(a0 * 1.01), cost(a0 / 1.01))


def test_cli_convert(capsys, tmp_path):
    code, out, _ = run(["convert", "snntorch.spike_rate_escape", "--slope", "10", "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["kind"] == "exact" and data["target"] == "slayer_grad"
    assert (data["factor"], data["shift"], data["target_params"]) == (10.0, 1.0, {"alpha": 1.0})
    assert data["max_rel_diff"] <= EXACT_RTOL
    code, out, _ = run(["convert", "snntorch.atan", "--alpha", "2", "--to", "spikingjelly"], capsys)
    assert code == 0 and "surrogate.ATan(alpha=2.0)" in out and "(exact)" in out
    fig = tmp_path / "c.png"
    code, out, err = run(["convert", "norse.circ", "--to", "arctan", "-o", str(fig)], capsys)
    assert code == 0 and fig.exists() and "closest fit" in out and err == f"wrote {fig}\n"


@pytest.mark.parametrize("argv,line", [
    (["convert", "snntorc.atan"], "error: unknown library 'snntorc'; did you mean 'snntorch'?"),
    (["convert", "snntorch.atn"], "error: snntorch has no surrogate 'atn'; did you mean 'snntorch.atan'?"),
    (["convert", "snntorch.atan", "--slope", "2"], "error: snntorch.atan has no parameter 'slope'"),
    (["convert", "snntorch.atan", "--to", "pytorch"], "error: --to 'pytorch' is neither a surrogate nor a library"),
    (["convert", "snntorch.atan", "--match", "best"], "error: --match 'best' is not a fitting method"),
    (["convert", "sigmoid"], "error: sigmoid is a built-in: say what to convert it to"),
    (["convert", "snntorch.triangular", "--to", "nest"],
     "error: NEST has no exact counterpart of snntorch.triangular(threshold=1); closest fit (lsq): nest."),
    (["convert", "snntorch.SSO"], "error: snntorch.SSO is not available: stochastic"),
])
def test_cli_convert_errors(argv, line, capsys):
    code, _, err = run(argv, capsys)
    assert code == 2 and err.startswith(line) and err.count("\n") == 1, err


def test_no_counterpart_error_gives_the_fit(capsys):
    with pytest.raises(BadInput) as exc:
        convert("snntorch.triangular", to="nest")
    assert "max deviation" in exc.value.hint and "nest." in exc.value.hint


@pytest.mark.parametrize("name", [n for n in EXACT if FOREIGN[n].equivalent.factor(**FOREIGN[n].defaults) != 1
                                  or FOREIGN[n].equivalent.shift(**FOREIGN[n].defaults) != 0
                                  or FOREIGN[n].equivalent.x_scale(**FOREIGN[n].defaults) != 1])
def test_code_of_a_scaled_or_shifted_equivalent_runs_and_matches(name):
    """The printed code wraps the built-in with the factor, shift and x scale: it is the source."""
    c = convert(name)
    namespace: dict = {}
    exec(c.code, namespace)
    lo, hi = c.x_range
    x = np.linspace(lo, hi, 801)
    got = np.asarray(namespace["spike"].surrogate_grad(jnp.asarray(x)))
    assert _rel(_ref(name, x, c.source_params), got, np.zeros(x.shape, bool)) <= EXACT_RTOL
