"""``surrogate flow``: the mean-field gradient-flow prediction against independent references.

- Quadrature against a large seeded Monte Carlo (the spike's own jax.grad at sampled
  membranes), every built-in, three membrane distributions, within 4 MC standard errors.
- Predicted chi against the measured per-layer ratio of a random 20 x 1000 stack, every
  built-in, two weight scales, within 3 %.
- Poole et al. (2016): tanh forward and backward, zero bias: critical at sigma_w^2 = 1.
- The escape-noise readings of the catalog: a seeded Monte Carlo of d/dx E[H(x + eta)].
- The solver: chi at the returned parameter is 1 within 1e-6.
- The network fixed point against a direct iteration; the membrane file readers; every
  CLI error path (one line, exit 2, no file left); the README numbers.
"""
import json
import math
import os
import re

import numpy as np
import pytest

from surrogate_cli.analysis import flow as F
from surrogate_cli.catalog import REGISTRY
from surrogate_cli.catalog.noise import noise_text
from surrogate_cli.evaluation import resolve
from cli_helpers import run

NAMES = list(REGISTRY)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def spike_grad(name, params):
    """g'(x) as the spike really backpropagates it: jax.grad through s(x), float64."""
    from surrogate_cli.evaluation import grad_function

    return grad_function(resolve(name).make(**params))


# -- the catalog tables cover every built-in ------------------------------------------------


def test_every_builtin_record_carries_its_flow_facts():
    for name, rec in REGISTRY.items():
        assert rec.noise is not None, name  # a reading, or why there is none
        assert (rec.noise.distribution is None) == bool(rec.noise.why_none), name
        assert rec.solve_param is not None and rec.param(rec.solve_param).kind == "float", name


# -- quadrature against Monte Carlo -----------------------------------------------------------

MEMBRANES = [(0.0, 1.0), (-0.7, 0.4), (1.2, 2.5)]
MC_N = 100_000


@pytest.mark.parametrize("name", NAMES)
def test_quadrature_matches_monte_carlo(name):
    target = resolve(name)
    params = target.validate({})
    grad = spike_grad(name, params)
    rng = np.random.default_rng(1234)
    z = rng.standard_normal((len(MEMBRANES), MC_N))
    ev = F.grad_evaluator(target, [params] * len(MEMBRANES))
    means = np.array([m for m, _ in MEMBRANES])
    stds = np.array([s for _, s in MEMBRANES])
    e1, e2, _ = F.moments(ev, means, stds)
    for k, (m, s) in enumerate(MEMBRANES):
        g = grad(m + s * z[k])
        for quad, sample in ((e1[k], g), (e2[k], g * g)):
            err = sample.std(ddof=1) / math.sqrt(MC_N)
            assert abs(quad - sample.mean()) <= 4 * err + 1e-12 * abs(quad), (name, m, s, quad, sample.mean(), err)


def test_empirical_expectations_are_sample_means():
    u = np.random.default_rng(5).normal(-0.3, 1.1, 5000)
    mem = F.empirical_membrane(u)
    target = resolve("arctan")
    params = target.validate({"alpha": 2.0})
    row = F.flow_rows(target, [params], mem, 10, solve=False)[0]
    g = spike_grad("arctan", params)(u)
    assert row.mean_grad == pytest.approx(g.mean(), rel=1e-12)
    assert row.mean_grad_sq == pytest.approx((g * g).mean(), rel=1e-12)
    assert mem.rate == np.mean(u >= 0) and mem.sigma_w == pytest.approx(u.std() / math.sqrt(mem.rate))
    assert row.chi == pytest.approx(mem.sigma_w**2 * (g * g).mean(), rel=1e-12)


def test_active_fraction_is_the_share_inside_the_fwhm_or_support():
    # independent closed forms: sigmoid(4) half maximum at |x| = ln(3 + 2 sqrt 2)/4;
    # piecewise_quadratic(alpha) support |x| <= 1/alpha
    mem = F.gaussian_membrane(0.2, 0.8)
    rows = F.flow_rows(resolve("sigmoid"), [{"alpha": 4.0}], mem, 5, solve=False)
    h = math.log(3 + 2 * math.sqrt(2)) / 4
    assert rows[0].active_interval == pytest.approx((-h, h), rel=1e-9)
    phi = lambda t: 0.5 * math.erfc(-t / math.sqrt(2))  # noqa: E731
    assert rows[0].active_fraction == pytest.approx(phi((h - 0.2) / 0.8) - phi((-h - 0.2) / 0.8), rel=1e-9)
    rows = F.flow_rows(resolve("piecewise_quadratic"), [{"alpha": 2.0}], mem, 5, solve=False)
    assert rows[0].active_interval == pytest.approx((-0.5, 0.5), rel=1e-12)


# -- the network fixed point ------------------------------------------------------------------


@pytest.mark.parametrize("sw,bias,theta", [(3.0, 0.5, 1.0), (1.5, 1.0, 0.0), (2.0, 0.0, 0.0)])
def test_network_fixed_point_matches_iteration(sw, bias, theta):
    mem = F.network_membrane(sw, bias, theta)
    r = 1.0
    for _ in range(5000):  # plain iteration of r <- Phi((b - theta) / (sigma_w sqrt r))
        r = 0.5 * math.erfc(-(bias - theta) / (sw * math.sqrt(r)) / math.sqrt(2))
    assert mem.rate == pytest.approx(r, rel=1e-9)
    assert mem.std == pytest.approx(sw * math.sqrt(r), rel=1e-9) and mem.mean == bias - theta


def test_silent_network_is_a_point_mass():
    mem = F.network_membrane(0.5, 0.0, 2.0)
    assert mem.rate == 0.0 and mem.std == 0.0 and mem.notes
    row = F.flow_rows(resolve("erf"), [{"alpha": 1.0}], mem, 3, solve=False)[0]
    g = spike_grad("erf", {"alpha": 1.0})(np.array([-2.0]))[0]
    assert row.chi == pytest.approx(0.25 * g * g, rel=1e-12)


def test_gaussian_membrane_is_the_fixed_point_of_its_implied_network():
    mem = F.gaussian_membrane(-0.5, 1.5)
    net = F.network_membrane(mem.sigma_w, -0.5, 0.0)
    assert net.std == pytest.approx(1.5, rel=1e-9) and net.rate == pytest.approx(mem.rate, rel=1e-9)


# -- prediction against simulation -----------------------------------------------------------

SIM = dict(layers=20, width=1000, batch=16)


@pytest.fixture(scope="module")
def weights():
    return F.random_weights(SIM["layers"], SIM["width"], 0)


def _sim_params(target, mem):
    """Defaults; where g' is active for under 5 % of the membranes (too few units for a
    1000-wide layer to average), the parameter value that puts the stack at chi = 1."""
    params = target.validate({})
    row = F.flow_rows(target, [params], mem, SIM["layers"], solve=False)[0]
    if row.active_fraction < 0.05:
        row = F.flow_rows(target, [params], mem, SIM["layers"])[0]
        params = target.validate({**params, row.solve.param: row.solve.value})
    return params


@pytest.mark.parametrize("name", NAMES)
def test_predicted_chi_matches_simulated_stack(name, weights):
    target = resolve(name)
    params = _sim_params(target, F.network_membrane(2.0))
    for mem in (F.network_membrane(2.0), F.network_membrane(4.0, 0.5, 1.0)):
        row = F.flow_rows(target, [params], mem, SIM["layers"], solve=False)[0]
        sim = F.simulate_stack(target, params, mem, row.chi, seed=0, weights=weights, **SIM)
        assert abs(sim.rel_error) < 0.03, (name, mem.sigma_w, row.chi, sim.measured)


def test_lif_unroll_reports_its_error_honestly():
    target = resolve("sigmoid")
    mem = F.network_membrane(2.0, 0.5, 1.0)
    row = F.flow_rows(target, [{"alpha": 4.0}], mem, 2, solve=False)[0]
    lif = F.simulate_lif(target, {"alpha": 4.0}, mem, row.chi, layers=2, width=64, batch=2, steps=3,
                         leak=0.0, seed=0)
    # leak 0 and a detached reset: no gradient path back in time from the last-step readout
    assert lif.per_step[0] == 0.0
    assert len(lif.per_layer) == 1 and lif.measured > 0
    assert lif.rel_error == pytest.approx(lif.measured / row.chi - 1)
    assert any("formula" in n for n in lif.notes)


# -- Poole et al. 2016 / Schoenholz et al. 2017 -------------------------------------------------


def test_tanh_critical_point_is_sigma_w_squared_one():
    dtanh = lambda h: 1.0 - np.tanh(h) ** 2  # noqa: E731
    for sw in (0.3, 0.7, 0.95):  # ordered phase: q* = 0, chi = sigma_w^2 phi'(0)^2 = sigma_w^2
        q, chi = F.smooth_chi(np.tanh, dtanh, sw)
        assert q == 0.0 and chi == pytest.approx(sw * sw, rel=1e-12)
    q, chi = F.smooth_chi(np.tanh, dtanh, 1.5)
    assert q > 0 and chi > 1  # chaotic phase
    sol = F.solve_root(lambda s: np.array([F.smooth_chi(np.tanh, dtanh, v)[1] for v in s]), 0.5, 2.0,
                       param="sigma_w", points=7)
    # chi - 1 is linear in sigma_w below 1 and quadratic above, so the root is exact to ~sqrt(eps)
    assert sol.roots == (sol.value,) and abs(sol.value**2 - 1.0) < 1e-6


# -- escape noise -----------------------------------------------------------------------------


def _sample(dist, scale, rng, n):
    if dist == "logistic":
        return rng.logistic(0.0, scale, n)
    if dist == "gaussian":
        return rng.normal(0.0, scale, n)
    if dist == "cauchy":
        return scale * rng.standard_cauchy(n)
    if dist == "laplace":
        return rng.laplace(0.0, scale, n)
    if dist == "triangular":
        return rng.triangular(-scale, 0.0, scale, n)
    if dist == "uniform":
        return rng.uniform(-scale, scale, n)
    if dist == "lomax":  # numpy's pareto(a) is Lomax(a) with scale 1
        return scale * rng.pareto(1.0, n) * rng.choice([-1.0, 1.0], n)
    raise AssertionError(dist)


@pytest.mark.parametrize("name", [n for n, r in REGISTRY.items() if r.noise.distribution])
def test_escape_noise_identity(name):
    """d/dx E[H(x + eta)] = g'(x)/A: the MC probability that -eta falls in a window
    [x - h, x + h] against the integral of g'/A over it (Gauss-Legendre, fine); A is the
    record's closed-form area."""
    entry = REGISTRY[name].noise
    params = resolve(name).validate(dict(entry.where))
    assert entry.applies(**params)
    scale, area = entry.scale(**params), REGISTRY[name].closed_area(**params)
    rng = np.random.default_rng(7)
    n = 2_000_000
    eta = _sample(entry.distribution, scale, rng, n)
    grad = spike_grad(name, params)
    t, w = np.polynomial.legendre.leggauss(40)
    for x in np.array([-1.3, -0.4, 0.0, 0.25, 0.9]) * scale:
        h = 0.1 * scale
        k = np.count_nonzero((eta >= -x - h) & (eta < -x + h))
        est = k / n
        err = math.sqrt(est * (1 - est) / n)
        exact = 0.0
        for a, b in ((x - h, x), (x, x + h)):  # split at x: kinks sit at 0
            exact += 0.5 * (b - a) * np.sum(w * grad(0.5 * (a + b) + 0.5 * (b - a) * t)) / area
        assert abs(est - exact) <= 4 * err, (name, x, est, exact, err)


def test_info_prints_the_noise_line(capsys):
    code, out, _ = run(["info", "arctan", "--alpha", "2", "--json"], capsys)
    assert code == 0
    assert json.loads(out)["noise"] == f"g is the CDF of cauchy noise, scale 2/(pi*alpha) = {1 / math.pi:.6g}"
    assert noise_text(REGISTRY["multi_gaussian_grad"], {}).startswith("none: g' has negative lobes")
    assert noise_text(REGISTRY["piecewise_leaky_relu"], {"c": 0.01, "w": 1.0}).startswith("none here:")


# -- the solver ------------------------------------------------------------------------------------


def test_solver_hits_chi_one():
    mem = F.network_membrane(3.0, 0.5, 1.0)
    solved = 0
    for name in NAMES:
        target = resolve(name)
        row = F.flow_rows(target, [target.validate({})], mem, 10)[0]
        s = row.solve
        if s.value is None:
            assert not (s.reachable[0] <= 1.0 <= s.reachable[1]), name
            continue
        solved += 1
        params = target.validate({**row.params, s.param: s.value})
        chi = F.flow_rows(target, [params], mem, 10, solve=False)[0].chi
        assert abs(chi - 1.0) < 1e-6, (name, chi)
    assert solved >= len(NAMES) - 4


def test_solver_on_a_known_function():
    sol = F.solve_root(lambda p: np.asarray(p) ** 2, 0.1, 10.0, current=3.0)
    assert sol.value == pytest.approx(1.0, rel=1e-14) and sol.chi_at == pytest.approx(1.0, rel=1e-14)
    none = F.solve_root(lambda p: 2 + np.asarray(p), 0.1, 10.0)
    assert none.value is None and none.reachable == pytest.approx((2.1, 12.0))


# -- membrane files --------------------------------------------------------------------------------


def test_membrane_files(tmp_path):
    u = np.random.default_rng(3).normal(0.1, 0.7, 400)
    np.save(tmp_path / "v.npy", u)
    np.savez(tmp_path / "v.npz", v=u, other=u[:3])
    (tmp_path / "v.csv").write_text("t,v\n" + "".join(f"{i},{float(x)!r}\n" for i, x in enumerate(u)))
    (tmp_path / "bare.csv").write_text("".join(f"{float(x)!r}\n" for x in u))
    for path in ("v.npy", "v.npz:v", "v.csv:v", "bare.csv"):
        np.testing.assert_array_equal(F.load_membrane(str(tmp_path / path)), u)
    # the first numeric column of a CSV with a header is 't' (0, 1, 2, ...)
    assert F.load_membrane(str(tmp_path / "v.csv"))[3] == 3.0


# -- API and CLI -----------------------------------------------------------------------------------


def test_python_api_matches_the_cli(capsys):
    import surrogate_cli

    res = surrogate_cli.flow(["sigmoid", ("arctan", {"alpha": 2.0})], network="sigma_w=3,bias=0.5,theta=1",
                             layers=10)
    code, out, _ = run(["flow", "sigmoid", "arctan:alpha=2", "--network", "sigma_w=3,bias=0.5,theta=1",
                        "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and [r["chi"] for r in data["rows"]] == [r.chi for r in res.rows]
    assert data["rows"][0]["chi_layers"] == pytest.approx(res.rows[0].chi ** 10)
    assert data["membrane"]["rate"] == res.membrane.rate


def test_csv_is_tidy(tmp_path, capsys):
    out_csv = tmp_path / "f.csv"
    code, _, err = run(["flow", "erf", "--alpha", "1,2", "--csv", str(out_csv)], capsys)
    assert code == 0 and str(out_csv) in err
    lines = out_csv.read_text().splitlines()
    assert lines[0] == "surrogate,params,statistic,value"
    chis = [float(line.rsplit(",", 1)[1]) for line in lines if ",chi," in line]
    res = F.flow(["erf"], alpha=[1.0, 2.0])
    assert chis == [r.chi for r in res.rows]


def test_figures(tmp_path, capsys):
    path = tmp_path / "heatmap.png"
    code, _, _ = run(["flow", "sigmoid", "--no-solve", "-o", str(path)], capsys)
    assert code == 0 and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from surrogate_cli.render.flow_figures import gain_figure

    res = F.flow(["sigmoid", "arctan"], solve=False)
    curves = F.chi_curves(res, 9)
    fig = gain_figure(curves, res.membrane)
    assert [line.get_label() for line in fig.axes[0].lines if not line.get_label().startswith("_")] == [
        "sigmoid (alpha)", "arctan (alpha)"]
    # each curve passes through its row's chi at the current value (the grid holds it: 1/30 to 30, odd n)
    for c, row in zip(curves, res.rows):
        assert c.chi[4] == pytest.approx(row.chi, rel=1e-9) and c.values[4] == pytest.approx(c.current)


def test_heatmap_grid_is_the_row_chi_at_the_operating_point():
    res = F.flow(["sigmoid"], network="sigma_w=3")
    m, = F.chi_maps(res, 5, 5)
    # the grids are log-spaced and symmetric about the operating point, so the centre is it
    assert m.values[2] == pytest.approx(m.current) and m.stds[2] == pytest.approx(res.membrane.std)
    assert m.chi[2, 2] == pytest.approx(res.rows[0].chi, rel=1e-6) and m.chi.shape == (5, 5)


def _bad_inputs(tmp_path):
    np.save(tmp_path / "empty.npy", np.zeros(0))
    np.save(tmp_path / "nan.npy", np.array([0.1, np.nan]))
    (tmp_path / "words.csv").write_text("name\nfoo\nbar\n")
    (tmp_path / "empty.csv").write_text("")
    return [
        (["--membrane", str(tmp_path / "missing.npy")], "does not exist"),
        (["--membrane", str(tmp_path / "empty.npy")], "is empty"),
        (["--membrane", str(tmp_path / "empty.csv")], "is empty"),
        (["--membrane", str(tmp_path / "nan.npy")], "non-finite"),
        (["--membrane", str(tmp_path / "words.csv")], "no numeric column"),
        (["--network", "sigma_w=0"], "must be > 0"),
        (["--network", "sigma_w=-1,bias=0.5"], "must be > 0"),
        (["--network", "sigma_x=1"], "did you mean 'sigma_w'"),
        (["--network", "bias=1"], "sigma_w is missing"),
        (["--solve", "beta"], "no parameter 'beta'"),
        (["--layers", "0"], "--layers 0 is not a positive whole number"),
        (["--layers", "-3"], "--layers -3 is not a positive whole number"),
        (["--layers", "2.5"], "--layers"),
        (["--layers", "ten"], "--layers"),
        (["--v-std", "0"], "--v-std"),
        (["--v-mean", "0", "--network", "sigma_w=1"], "given twice"),
        (["--leak", "0.5"], "--leak needs --steps"),
        (["--steps", "5", "--leak", "2"], "outside [0, 1]"),
        (["--alpha", "-1"], "out of range"),
        (["--panels", "heatmp"], "did you mean 'heatmap'"),
        (["--solve", "alpha", "--no-solve"], "contradict"),
    ]


def test_every_error_path_is_one_line_exit_2_and_no_file(tmp_path, capsys):
    fig = tmp_path / "out.png"
    table = tmp_path / "out.csv"
    for extra, expected in _bad_inputs(tmp_path):
        code, out, err = run(["flow", "sigmoid", *extra, "-o", str(fig), "--csv", str(table)], capsys)
        assert code == 2, (extra, err)
        assert err.startswith("error: ") and err.count("\n") == 1 and expected in err, (extra, err)
        assert not fig.exists() and not table.exists(), extra
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    code, _, err = run(["flow", "sigmod"], capsys)
    assert code == 2 and "did you mean 'sigmoid'" in err
    code, _, err = run(["flow", "squarewave_fourier_series", "--solve", "n"], capsys)
    assert code == 2 and "integer parameter" in err


def test_python_errors_speak_python():
    with pytest.raises(ValueError, match=r"^layers=0 is not a positive whole number"):
        F.flow("sigmoid", layers=0)
    with pytest.raises(ValueError, match=r"^network: sigma_w=0 must be > 0"):
        F.flow("sigmoid", network={"sigma_w": 0})
    with pytest.raises(ValueError, match=r"beta: none of the targets has this parameter"):
        F.flow("sigmoid", beta=1.0)


# -- the README's worked example --------------------------------------------------------------------


def test_readme_worked_example_is_what_the_code_computes():
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    rows = re.findall(r"^\| (\w+) \| ([0-9.]+) \| ([0-9.e+-]+) \| ([0-9.]+) \|$", text, flags=re.M)
    assert {r[0] for r in rows} == {"sigmoid", "arctan", "inv_square_grad"}
    res = F.flow([r[0] for r in rows], network="sigma_w=3", layers=10)
    for (name, default_chi, chi10, alpha), row in zip(rows, res.rows):
        assert row.surrogate == name
        assert float(default_chi) == pytest.approx(row.chi, rel=5e-4)
        assert float(chi10) == pytest.approx(row.chi_layers, rel=5e-3)
        assert float(alpha) == pytest.approx(row.solve.value, rel=5e-4)
