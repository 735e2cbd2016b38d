"""Other libraries' surrogates against NumPy transcriptions of their sources.

Each transcription below is written from the library's own backward code (the release
named in the catalogue), line by line in NumPy, not from surrogate_cli's JAX code. Every
foreign record is checked at its defaults and two other parameter sets: the gradient on a
grid through the breakpoints, the forward step at and around x = 0 (the library's own
convention: x > 0 or x >= 0), and that every command takes it.
"""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import surrogate_cli
from surrogate_cli.library import make_builtin
from surrogate_cli.catalog import find_record
from surrogate_cli.catalog.foreign import FOREIGN, UNAVAILABLE, foreign_records, library_records
from surrogate_cli.errors import BadInput


def _gauss(x, mu, sigma):  # sinabs.activation.surrogate_gradient_fn.gaussian
    return np.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * np.sqrt(2 * np.float64(math.pi)))


def _sinabs_periodic(v_mem, spike_threshold, grad_width, grad_scale):
    vmem_normalized = v_mem / spike_threshold - 0.5
    vmem_periodic = vmem_normalized - np.floor(vmem_normalized)
    vmem_periodic = spike_threshold * (2 * vmem_periodic - 1)
    vmem_below = (v_mem - spike_threshold) * (v_mem < spike_threshold)
    vmem_above = vmem_periodic * (v_mem >= spike_threshold)
    return grad_scale * np.exp(-np.abs(vmem_above + vmem_below) / grad_width)


def _sj_fake_numerical(x, alpha):
    with np.errstate(divide="ignore"):
        return np.minimum(((x >= 0.0) * 2.0 - 1.0) / x, alpha)  # torch.clamp_max


def _sj_squarewave(x, n, T_period):
    grad_x = 0.0
    w = math.pi * 2.0 / T_period
    for i in range(1, n):
        grad_x = grad_x + np.cos((2 * i - 1.0) * w * x)
    return grad_x * (4.0 / T_period) + 0 * x


def _sj_log_tailed(x, alpha):
    grad_x = np.ones_like(x)
    gt1 = x > 1.0
    grad_x[gt1] = 1.0 / x[gt1]
    grad_x[x <= 0.0] = alpha
    return grad_x


def _lava_cuba(x, threshold, tau_grad, scale_grad):
    # neuron/base.py: _threshold = int(threshold * w_scale) / w_scale, tau_rho = tau_grad * _threshold;
    # cuba.py: Spike.apply(v, threshold + threshold_eps, tau_rho * 100, scale_rho * 0.1, ...)
    th = int(threshold * 64) / 64
    eps = 0.01 / (64 * 64)
    tau_rho, scale_rho = tau_grad * th * 100, scale_grad * 0.1
    v = x + threshold
    return scale_rho / 2 / tau_rho * np.exp(-np.abs(v - (th + eps)) / tau_rho)


PI = math.pi

#: name -> (gradient(x, **params) as the library writes it, forward "x > 0" or "x >= 0")
SOURCE = {
    # snntorch/surrogate.py (1.0.0); forward everywhere: (input_ > 0).float()
    "snntorch.straight_through_estimator": (lambda x: np.ones_like(x), ">"),
    "snntorch.triangular": (lambda x, threshold: np.where(x >= 0, -1.0, 1.0) * threshold, ">"),
    "snntorch.fast_sigmoid": (lambda x, slope: 1 / (slope * np.abs(x) + 1.0) ** 2, ">"),
    "snntorch.atan": (lambda x, alpha: alpha / 2 / (1 + (PI / 2 * alpha * x) ** 2), ">"),
    "snntorch.heaviside": (lambda x: (x > 0).astype(float), ">"),
    "snntorch.sigmoid": (lambda x, slope: slope * np.exp(-slope * x) / ((np.exp(-slope * x) + 1) ** 2), ">"),
    "snntorch.spike_rate_escape": (lambda x, beta, slope: slope * np.exp(-beta * np.abs(x - 1)), ">"),
    "snntorch.SFS": (lambda x, slope, B: 1 / (slope * np.abs(x) + 1.0) ** 2 * (x > B), ">"),
    # spikingjelly/activation_based/surrogate.py (2.0.0); forward heaviside: (x >= 0)
    "spikingjelly.PiecewiseQuadratic": (
        lambda x, alpha: np.where(np.abs(x) > 1 / alpha, 0.0, -(alpha**2) * np.abs(x) + alpha), ">="),
    "spikingjelly.PiecewiseExp": (lambda x, alpha: alpha / 2 * np.exp(-alpha * np.abs(x)), ">="),
    "spikingjelly.Sigmoid": (lambda x, alpha: (1.0 - 1 / (1 + np.exp(-x * alpha))) / (1 + np.exp(-x * alpha)) * alpha,
                             ">="),
    "spikingjelly.SoftSign": (lambda x, alpha: 1 / (2 * alpha * (1 / alpha + np.abs(x)) ** 2), ">="),
    "spikingjelly.SuperSpike": (lambda x, alpha: alpha / (np.abs(x) + 1.0) ** 2, ">="),
    "spikingjelly.ATan": (lambda x, alpha: (alpha / 2) / (1 + (PI * alpha / 2 * x) ** 2), ">="),
    "spikingjelly.NonzeroSignLogAbs": (lambda x, alpha: 1 / (1 / alpha + np.abs(x)), ">="),
    "spikingjelly.Erf": (lambda x, alpha: np.exp(-((x * alpha) ** 2)) * (alpha / math.sqrt(PI)), ">="),
    "spikingjelly.PiecewiseLeakyReLU": (lambda x, w, c: np.where(np.abs(x) < w, 1 / (2 * w), c), ">="),
    "spikingjelly.SquarewaveFourierSeries": (_sj_squarewave, ">="),
    "spikingjelly.S2NN": (lambda x, alpha, beta: np.where(
        x < 0.0, alpha / (1 + np.exp(-alpha * x)) * (1 - 1 / (1 + np.exp(-alpha * x))), beta / (x + 1.0)), ">="),
    "spikingjelly.QPseudoSpike": (lambda x, alpha: (1 + 2 / (alpha - 1) * np.abs(x)) ** (-alpha), ">="),
    "spikingjelly.LeakyKReLU": (lambda x, leak, k: (x >= 0.0) * k + (1.0 - (x >= 0.0)) * leak, ">="),
    "spikingjelly.FakeNumericalGradient": (_sj_fake_numerical, ">="),
    "spikingjelly.LogTailedReLU": (_sj_log_tailed, ">="),
    "spikingjelly.DeterministicPass": (lambda x: np.ones_like(x), ">="),
    "spikingjelly.Rect": (lambda x, alpha: alpha * (np.abs(x) < 0.5 / alpha), ">="),
    # norse/torch/functional (1.1.0); forward heaviside: torch.gt(x, 0)
    "norse.super": (lambda x, alpha: 1 / (np.abs(x) + 1.0) ** 2, ">"),  # 1.1.0 ignores alpha
    "norse.triangle": (lambda x, alpha: alpha * np.maximum(1 - np.abs(x), 0), ">"),
    "norse.tanh": (lambda x, alpha: 1 - np.tanh(x * alpha) ** 2, ">"),
    "norse.circ": (lambda x, alpha: (-(x**2 / (2 * (alpha**2 + x**2) ** 1.5)) + 1 / (2 * np.sqrt(alpha**2 + x**2)))
                   * 2 * alpha, ">"),
    "norse.heavi_erfc": (lambda x, alpha: 2 * np.exp(-((alpha * x) ** 2)) / np.sqrt(PI), ">"),
    # sinabs/activation/surrogate_gradient_fn.py (3.1.3), called with (v_mem, spike_threshold), v_mem = x + theta;
    # forward (SingleSpike): v_mem - spike_threshold >= 0
    "sinabs.Heaviside": (lambda x, window, spike_threshold:
                         (x + spike_threshold >= spike_threshold - window) / spike_threshold, ">="),
    "sinabs.Gaussian": (lambda x, mu, sigma, grad_scale: _gauss(x, mu, sigma) * grad_scale, ">="),
    "sinabs.MultiGaussian": (lambda x, mu, sigma, h, s, grad_scale: (
        (1 + h) * _gauss(x, mu, sigma) - h * _gauss(x, sigma, s * sigma) - h * _gauss(x, -sigma, s * sigma))
        * grad_scale, ">="),
    "sinabs.SingleExponential": (lambda x, grad_width, grad_scale, spike_threshold: grad_scale / (
        spike_threshold * grad_width) * np.exp(-np.abs(x) / (spike_threshold * grad_width)), ">="),
    "sinabs.PeriodicExponential": (lambda x, grad_width, grad_scale, spike_threshold: _sinabs_periodic(
        x + spike_threshold, spike_threshold, grad_width, grad_scale), ">="),
    # spyx/axn.py (1.0.0); forward heaviside: where(x > 0, 1, 0)
    "spyx.tanh": (lambda x, k: 4 / (np.exp(-k * x) + np.exp(k * x)) ** 2, ">"),
    "spyx.boxcar": (lambda x, width, height: height * (-(np.abs(x) - width / 2) > 0), ">"),
    "spyx.triangular": (lambda x, k: np.maximum(0, 1 - np.abs(k * x)), ">"),
    "spyx.arctan": (lambda x, k: 1 / ((1 + (k * PI * x) ** 2) * PI), ">"),
    "spyx.superspike": (lambda x, k: 1 / (1 + k * np.abs(x)) ** 2, ">"),
    "spyx.custom": (lambda x: x, ">"),  # g * bwd(x) with the default bwd = lambda x: x
    # lava/lib/dl/slayer/spike/spike.py (0.6.0): forward voltage >= threshold
    "lava_dl.slayer": (lambda x, tau_rho, scale_rho: scale_rho / 2 / tau_rho * np.exp(-np.abs(x) / tau_rho), ">="),
    "lava_dl.cuba": (_lava_cuba, ">="),
    # nestkernel/eprop_archiving_node_recurrent_impl.h (3.10), x = v_m - v_th; forward v_m >= V_th
    "nest.piecewise_linear": (lambda x, surrogate_gradient_height, surrogate_gradient_width:
                              surrogate_gradient_height * np.maximum(0.0, 1.0 - np.abs(x) / surrogate_gradient_width),
                              ">="),
    "nest.exponential": (lambda x, surrogate_gradient_height, surrogate_gradient_width:
                         surrogate_gradient_height * np.exp(-np.abs(x) / surrogate_gradient_width), ">="),
    "nest.fast_sigmoid_derivative": (lambda x, surrogate_gradient_height, surrogate_gradient_width:
                                     surrogate_gradient_height * (1.0 + np.abs(x) / surrogate_gradient_width) ** -2.0,
                                     ">="),
    "nest.arctan_derivative": (lambda x, surrogate_gradient_height, surrogate_gradient_width:
                               surrogate_gradient_height / (1.0 + (x / surrogate_gradient_width) ** 2.0), ">="),
}


def other_sets(rec):
    """Two parameter sets besides the defaults, inside each parameter's valid range."""
    out = []
    for scale, shift in ((0.5, -0.5), (2.0, 0.75)):
        p = {}
        for q in rec.params:
            d = q.default
            if q.kind == "int":
                v = d + (1 if scale < 1 else 2)
            elif q.low is None:
                v = d + shift
            elif d == q.low:
                v = q.low + (0.25 if scale < 1 else 0.5)
            else:
                v = q.low + (d - q.low) * scale
            p[q.name] = v
        out.append(rec.validate(p))
    return out


def param_sets(rec):
    return [dict(rec.defaults), *other_sets(rec)]


def test_every_record_has_a_transcription_and_a_class():
    assert set(SOURCE) == set(FOREIGN)
    for rec in foreign_records():
        assert rec.source is not None and rec.source.version and rec.source.commit, rec.name
        assert rec.family, rec.name
        assert rec.name == f"{rec.library}.{rec.source_name}"


N_GRID = 640  # one array shape for every case, so eager jax ops compile once


def _grid(rec, params):
    """The range, plus x = 0 and every breakpoint with its neighbours, always N_GRID points."""
    lo, hi = rec.x_range
    extra = [0.0, -1e-12, 1e-12]
    if rec.breakpoints is not None:
        bps = [float(b) for b in rec.breakpoints(**params)]
        extra += bps + [b + d for b in bps for d in (-1e-9, 1e-9)]
    x = np.linspace(lo, hi, N_GRID - len(extra))
    return np.sort(np.concatenate([x, extra]))


NAMES = [rec.name for rec in foreign_records()]


@pytest.mark.parametrize("name", NAMES)
def test_gradient_matches_the_source(name):
    """At the defaults and two other parameter sets, on a grid through every breakpoint."""
    rec = FOREIGN[name]
    ref, _ = SOURCE[name]
    for params in param_sets(rec):
        x = _grid(rec, params)
        with np.errstate(all="ignore"):
            want = np.asarray(ref(x, **params), dtype=float) * np.ones_like(x)
        got = np.asarray(make_builtin(rec, **params).surrogate_grad(jnp.asarray(x)))
        peak = np.max(np.abs(want))
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12 * peak, err_msg=f"{name} {params}")


@pytest.mark.parametrize("name", NAMES)
def test_forward_follows_the_library(name):
    """The step at and around x = 0 for all three parameter sets; the gradient through it."""
    rec = FOREIGN[name]
    _, forward = SOURCE[name]
    for which, params in enumerate(param_sets(rec)):
        off = 0.0
        if name == "lava_dl.cuba":  # spikes at v >= theta_q + 0.01/4096, x = v - threshold
            off = int(params["threshold"] * 64) / 64 + 0.01 / 4096 - params["threshold"]
        x = np.array([-1.0, -1e-9, 0.0, 1e-9, 1.0]) + off
        want = (x - off > 0) if forward == ">" else (x - off >= 0)
        s = make_builtin(rec, **params)
        np.testing.assert_array_equal(np.asarray(s(jnp.asarray(x))), want.astype(float), err_msg=name)
        if which == 0:  # the gradient through the spike is the surrogate gradient
            g = jax.grad(lambda v: jnp.sum(s(v)))(jnp.asarray(x))
            np.testing.assert_allclose(np.asarray(g), np.asarray(s.surrogate_grad(jnp.asarray(x))), rtol=1e-15)


def test_forward_at_zero_is_the_library_convention():
    zeros = jnp.zeros(5)  # the shape of test_forward_follows_the_library's inputs (compiled already)
    at_zero = {name: float(make_builtin(FOREIGN[name])(zeros)[2]) for name in FOREIGN if name != "lava_dl.cuba"}
    for name, value in at_zero.items():
        assert value == (0.0 if SOURCE[name][1] == ">" else 1.0), name
    # snnTorch, Norse and Spyx spike where x > 0: a membrane exactly at threshold does not fire
    assert at_zero["snntorch.atan"] == 0.0 and at_zero["norse.super"] == 0.0 and at_zero["spyx.superspike"] == 0.0
    assert at_zero["spikingjelly.ATan"] == 1.0 and at_zero["nest.exponential"] == 1.0


@pytest.mark.parametrize("name", [r.name for r in foreign_records() if r.has_fun])
def test_fun_is_an_antiderivative(name):
    """surrogate_fun' == surrogate_grad by central float64 differences, away from breakpoints."""
    rec = FOREIGN[name]
    s = make_builtin(rec)
    lo, hi = rec.x_range
    x = np.linspace(lo, hi, 97)
    bps = [float(b) for b in rec.breakpoints(**rec.defaults)] if rec.breakpoints else []
    h = 1e-6 * (hi - lo)
    keep = np.array([all(abs(v - b) > 10 * h for b in bps) for v in x])
    f = lambda v: np.asarray(s.surrogate_fun(jnp.asarray(v)))  # noqa: E731
    fd = (f(x + h) - f(x - h)) / (2 * h)
    g = np.asarray(s.surrogate_grad(jnp.asarray(x)))
    np.testing.assert_allclose(fd[keep], g[keep], rtol=1e-5, atol=1e-6 * np.max(np.abs(g)), err_msg=name)
    assert abs(float(f(np.array([0.0]))[0]) - 0.5) < 1e-12  # g(0) = 1/2 + integral from 0


def test_snntorch_sigmoid_nan_is_documented_not_reproduced():
    """The literal formula overflows to nan in float32 at slope*x < -88.7; ours is the finite value."""
    ref, _ = SOURCE["snntorch.sigmoid"]
    x32 = np.array([-5.0, -1.0, 0.0, 0.5], dtype=np.float32)
    with np.errstate(all="ignore"):
        literal = ref(x32, np.float32(25))
    assert np.isnan(literal[0]) and np.all(np.isfinite(literal[1:]))
    ours = np.asarray(surrogate_cli.lookup("snntorch.sigmoid")().surrogate_grad(jnp.asarray(x32)))
    assert np.all(np.isfinite(ours))
    np.testing.assert_allclose(ours[1:], literal[1:], rtol=1e-5, atol=1e-30)
    assert any("nan" in o for o in FOREIGN["snntorch.sigmoid"].oddities)


def test_norse_super_ignores_alpha_as_released():
    s1, s2 = surrogate_cli.lookup("norse.super")(alpha=1.0), surrogate_cli.lookup("norse.super")(alpha=100.0)
    x = jnp.linspace(-3, 3, 13)
    np.testing.assert_array_equal(np.asarray(s1.surrogate_grad(x)), np.asarray(s2.surrogate_grad(x)))
    assert "1d2671a2" in FOREIGN["norse.super"].source.main_note


def test_python_api_returns_a_usable_surrogate():
    s = surrogate_cli.lookup("snntorch.atan")(alpha=2.0)
    assert isinstance(s, surrogate_cli.Surrogate)
    assert repr(s) == "snntorch.atan(alpha=2.0)"
    x = jnp.array([-1.0, 0.0, 0.5])
    np.testing.assert_array_equal(np.asarray(s(x)), [0.0, 0.0, 1.0])
    g = jax.jit(jax.grad(lambda v: jnp.sum(s(v))))(x)
    np.testing.assert_allclose(np.asarray(g), 1.0 / (1 + (math.pi * np.asarray(x)) ** 2), rtol=1e-14)
    # built-ins are records too, and calling a record builds its surrogate
    assert repr(surrogate_cli.lookup("sigmoid")(alpha=2.0)) == "Sigmoid(alpha=2.0)"


def test_lookup_errors_suggest():
    with pytest.raises(BadInput, match=r"unknown library 'snntorc'; did you mean 'snntorch'\?"):
        find_record("snntorc.atan")
    with pytest.raises(BadInput, match=r"snntorch has no surrogate 'atn'; did you mean 'snntorch.atan'\?"):
        find_record("snntorch.atn")
    with pytest.raises(BadInput, match=r"snntorch.atan has no parameter 'slope'"):
        surrogate_cli.lookup("snntorch.atan")(slope=2.0)
    with pytest.raises(BadInput, match="out of range"):
        surrogate_cli.lookup("snntorch.atan")(alpha=-1.0)
    # spellings: any case, _ or - ignored, within the library
    assert find_record("SpikingJelly.atan") is FOREIGN["spikingjelly.ATan"]
    assert find_record("lava-dl.slayer") is FOREIGN["lava_dl.slayer"]


@pytest.mark.parametrize("u", UNAVAILABLE, ids=lambda u: f"{u.library}.{u.name}")
def test_unavailable_ones_say_why(u):
    with pytest.raises(BadInput) as exc:
        find_record(f"{u.library}.{u.name}")
    assert "not available" in str(exc.value) and u.reason.split(":")[0] in str(exc.value)


def test_stochastic_ones_are_listed():
    reasons = {f"{u.library}.{u.name}": u.reason for u in UNAVAILABLE}
    assert reasons["snntorch.SSO"].startswith("stochastic")
    assert reasons["spikingjelly.PoissonPass"].startswith("stochastic")


def test_verify_passes_every_foreign_surrogate_and_names_the_oddities():
    report = surrogate_cli.verify([r.name for r in foreign_records()])
    assert report.ok, [(s.name, c.name, c.detail) for s, c in report.failures]
    assert {s.name for s in report.surrogates} == set(FOREIGN)
    tri = report.find("snntorch.triangular")[0]
    shape = tri.check("shape")
    reason = FOREIGN["snntorch.triangular"].exceptions["grad_nonnegative"]
    assert reason in shape.detail  # the sign flip is reported with the catalogue's reason


def test_cli_takes_foreign_names(capsys, tmp_path, monkeypatch):
    import json

    from surrogate_cli.cli import main

    monkeypatch.chdir(tmp_path)

    def run(*argv):
        with pytest.raises(SystemExit) as exc:
            main(list(argv))
        out, err = capsys.readouterr()
        return exc.value.code, out, err

    code, out, _ = run("list", "--library", "snntorch", "--json")
    data = json.loads(out)
    assert code == 0 and [r["name"] for r in data["surrogates"]] == [r.name for r in library_records("snntorch")]
    assert {r["family"] for r in data["surrogates"]} >= {"arctan", "sign flip", "sparse fast sigmoid"}
    assert {u["name"] for u in data["unavailable"]} == {"snntorch.SSO", "snntorch.LSO", "snntorch.custom_surrogate"}
    code, out, _ = run("list", "--json")
    assert all("family" in r for r in json.loads(out))
    code, out, _ = run("info", "spyx.arctan", "--k", "3", "--json")
    info = json.loads(out)
    assert code == 0 and info["foreign"]["forward"] == "x > 0"
    assert info["foreign"]["equivalent"] == "0.1061032954 * arctan(alpha=6)"
    code, _, err = run("plot", "norse.triangle", "--alpha", "1,2", "--points", "50", "-o", "t.png", "--csv", "t.csv")
    assert code == 0 and (tmp_path / "t.png").exists()
    code, _, _ = run("compare", "snntorch.atan", "spikingjelly.ATan:alpha=4", "--points", "50", "-o", "c.svg")
    assert code == 0
    for argv, msg in (
        (("info", "torch.atan"), "error: unknown library 'torch'; did you mean 'snntorch'?"),
        (("info", "snntorch.atn"), "error: snntorch has no surrogate 'atn'; did you mean 'snntorch.atan'?"),
        (("info", "snntorch.atan", "--slope", "2"), "error: snntorch.atan has no parameter 'slope'"),
        (("list", "--library", "snntorc"), "error: unknown library 'snntorc'; did you mean 'snntorch'?"),
    ):
        code, _, err = run(*argv)
        assert code == 2 and err.startswith(msg) and err.count("\n") == 1, (argv, err)


def test_readme_foreign_claims():
    """The README's convert section: its example does what it says; the versions it names are
    the catalogue's; the conventions it states are each library's."""
    import os
    import re

    from surrogate_cli.catalog.foreign import LIBRARIES

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
    section = readme[readme.index("### convert"):readme.index("### gallery")]
    for lib, (_, source) in LIBRARIES.items():
        version = source.version.split(" (")[0]  # e.g. "snntorch 1.0.0"
        assert version.replace("NEST", "NEST") in section, version
    for lib, display in (("snntorch", "snnTorch"), ("norse", "Norse"), ("spyx", "Spyx")):
        assert {r.forward for r in library_records(lib)} == {">"}, lib
    for lib in ("spikingjelly", "sinabs", "lava_dl", "nest"):
        assert {r.forward for r in library_records(lib)} == {">="}, lib
    assert "snnTorch, Norse and Spyx spike where `x > 0`" in section
    block = re.search(r"```python\n(.*?)```", section, flags=re.S).group(1)
    ns: dict = {}
    exec(block, ns)
    np.testing.assert_array_equal(np.asarray(ns["fired"]), [0.0, 0.0, 1.0])
    x = np.array([-0.5, 0.0, 0.5])
    np.testing.assert_allclose(np.asarray(ns["slopes"]), 1.0 / (1 + (math.pi * x) ** 2), rtol=1e-12)
    c = ns["c"]
    assert (c.target, c.target_params, c.max_rel_diff) == ("spikingjelly.ATan", {"alpha": 2.0}, 0.0)
    from surrogate_cli.analysis.convert import EXACT_RTOL

    assert "below 1e-12" in section and EXACT_RTOL == 1e-12
