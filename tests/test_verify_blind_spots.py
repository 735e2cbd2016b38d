"""verify without blind spots (issue 11): for each kind of wrong gradient that used to pass, a
wrong surrogate that must fail, located within 0.01 of its fault, and its corrected twin that
must pass. One verify() call runs them all (each user class compiles once)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from surrogate_cli import Surrogate, verify


def _tanh_f(x, a):
    return 0.5 * jnp.tanh(a * x) + 0.5


def _tanh_g(x, a):
    return 0.5 * a * (1 - jnp.tanh(a * x) ** 2)


class Tanh(Surrogate):
    def __init__(self, alpha=2.0):
        super().__init__()
        self.alpha = alpha

    def surrogate_fun(self, x):
        return _tanh_f(x, self.alpha)

    def surrogate_grad(self, x):
        return _tanh_g(x, self.alpha)


# 1. next to a kink: a ramp clip(0.5 + x/2) has kinks at +-1; the box's edge is 0.002 too far out


class Ramp(Surrogate):
    EDGE = 1.0

    def surrogate_fun(self, x):
        return jnp.clip(0.5 + x / 2, 0.0, 1.0)

    def surrogate_grad(self, x):
        return jnp.where(jnp.abs(x) < self.EDGE, 0.5, 0.0)


class RampSliver(Ramp):
    EDGE = 1.002


# 2. a jump that sits on a kink: one-sided exponentials meeting at 0 with different values


class OneSided(Surrogate):
    LEFT = 0.5  # continuous at 0 (the twin); the wrong one starts the right branch at 0.5, the left at 0.1

    def surrogate_fun(self, x):
        return jnp.where(x < 0, self.LEFT * jnp.exp(jnp.minimum(x, 0.0)), 1.0 - 0.5 * jnp.exp(-jnp.maximum(x, 0.0)))

    def surrogate_grad(self, x):
        return jnp.where(x < 0, self.LEFT * jnp.exp(jnp.minimum(x, 0.0)), 0.5 * jnp.exp(-jnp.maximum(x, 0.0)))


class OneSidedJump(OneSided):
    LEFT = 0.1


# 3. a fault in a quadrature panel that does not resolve (the gradient's edge inside the panel)


class Box(Surrogate):
    EDGE = 0.5

    def surrogate_fun(self, x):
        return jnp.clip(x + 0.5, 0.0, 1.0)

    def surrogate_grad(self, x):
        return jnp.where((x > -0.5) & (x < self.EDGE), 1.0, 0.0)


class BoxLong(Box):
    EDGE = 0.5013  # a 0.0013 sliver beyond the kink at 0.5, its far edge inside a 0.005 panel


# 4. narrow faults: 0.0002 wide in [-8, 8], 0.002 wide out to |x| = 40


class Narrow(Tanh):
    def __init__(self, alpha=2.0, centre=0.7123, half=0.0001):
        super().__init__(alpha)
        self.centre, self.half = centre, half

    def surrogate_grad(self, x):
        g = _tanh_g(x, self.alpha)
        return jnp.where(jnp.abs(x - self.centre) < self.half, 1.05 * g, g)


# 5. wrong only in float32 (a branch on the dtype) or only in float16 (an overflow that clips)


class Float32Branch(Tanh):
    def surrogate_grad(self, x):
        g = _tanh_g(x, self.alpha)
        if x.dtype == jnp.float32:
            return jnp.where(jnp.abs(x - 0.5) < 0.005, 1.1 * g, g)
        return g


class Lorentz(Surrogate):
    """g = a / (pi (1 + (a x)^2)) computed as a/pi * 1e4 / (1e4 + (100 a x)^2), upcast to float32:
    right in every dtype. The wrong one stays in x's dtype and clips the square at the dtype's
    largest value, as a guard against overflow: in float16 (beyond |x| ~ 1.178) g is wrong."""

    def __init__(self, alpha=2.0, clip=False):
        super().__init__()
        self.alpha, self.clip = alpha, clip

    def surrogate_fun(self, x):
        return 0.5 + jnp.arctan(self.alpha * x) / jnp.pi

    def surrogate_grad(self, x):
        v = x if self.clip else x.astype(jnp.promote_types(x.dtype, jnp.float32))
        s = (100.0 * self.alpha * v) ** 2
        if self.clip:
            s = jnp.minimum(s, jnp.finfo(x.dtype).max)
        return (self.alpha / jnp.pi * 1e4 / (1e4 + s)).astype(x.dtype)


CASES = {
    # name: (wrong, right, check, fault x or None)
    "kink": (RampSliver(), Ramp(), "derivative", 1.001),
    "jump": (OneSidedJump(), OneSided(), "derivative", 0.0),
    "panel": (BoxLong(), Box(), "area", 0.5006),
    "narrow": (Narrow(), Tanh(), "derivative", 0.7123),
    "narrow_wide": (Narrow(alpha=0.05, centre=33.3337, half=0.001), Tanh(alpha=0.05), "derivative", 33.3337),
    "float32": (Float32Branch(), Tanh(), "dtypes", 0.5),
    "float16": (Lorentz(clip=True), Lorentz(), "dtypes", None),
}


@pytest.fixture(scope="module")
def reports():
    objs = []
    for wrong, right, _, _ in CASES.values():
        objs += [wrong, right]
    report = verify(objs, defaults_only=True)
    reps = report.surrogates
    return {name: (reps[2 * i], reps[2 * i + 1]) for i, name in enumerate(CASES)}


@pytest.mark.parametrize("name", list(CASES))
def test_wrong_fails_located_and_twin_passes(reports, name):
    wrong, right = reports[name]
    _, _, check, fault = CASES[name]
    c = wrong.check(check)
    assert c.status == "fail", c
    if name == "float16":  # wrong wherever 1e4 + (200 x)^2 overflows float16: |x| > 1.178
        assert abs(c.worst_x) > 1.178 and "float16" in c.detail and "float32" not in c.detail, c
    else:
        assert abs(abs(c.worst_x) - abs(fault)) <= 0.01, c
    assert right.status in ("pass", "warn"), [(k.name, k.status, k.detail) for k in right.checks if k.status == "fail"]


def test_jump_is_reported_as_a_jump_with_its_size(reports):
    c = reports["jump"][0].check("derivative")
    assert "jumps by 0.4" in c.detail and "Dirac" in c.detail, c.detail


def test_area_prints_the_whole_integral(reports):
    right = reports["panel"][1].check("area")
    assert "= 1 matches" in right.detail and "left out" not in right.detail, right.detail


# 6. a right function computed in float32 (mixed precision) passes; 0.1% off near 0.3 fails


class Float32Inside(Tanh):
    def __init__(self, alpha=2.0, rel=0.0):
        super().__init__(alpha)
        self.rel = rel

    def surrogate_fun(self, x):
        return _tanh_f(x.astype(jnp.float32), self.alpha).astype(x.dtype)

    def surrogate_grad(self, x):
        g = _tanh_g(x.astype(jnp.float32), self.alpha)
        return jnp.where(jnp.abs(x - 0.3) < 0.005, g * (1 + self.rel), g).astype(x.dtype)


def test_float32_inside_passes_with_its_precision_found_and_a_fault_still_fails():
    right, wrong = verify([Float32Inside(), Float32Inside(rel=1e-3)]).surrogates
    c = right.check("derivative")
    assert right.status == "pass" and "float32 precision" in c.detail, [(k.name, k.detail) for k in right.checks]
    c = wrong.check("derivative")
    assert c.status == "fail" and abs(c.worst_x - 0.3) <= 0.01, c


# 7. bugs away from the defaults: the gradient uses alpha**2 where the function uses alpha


class TanhOne(Tanh):
    def __init__(self, alpha=1.0):
        super().__init__(alpha)


class AlphaSquared(TanhOne):
    def surrogate_grad(self, x):
        return 0.5 * self.alpha ** 2 * (1 - jnp.tanh(self.alpha * x) ** 2)


class Refuses(TanhOne):
    def __init__(self, alpha=1.0):
        if alpha > 1.5:
            raise ValueError("alpha must be at most 1.5")
        super().__init__(alpha)


def test_automatic_sweep_finds_a_bug_away_from_the_defaults():
    report = verify([AlphaSquared, TanhOne, Refuses])
    by = {}
    for s in report.surrogates:
        by.setdefault(s.name, []).append(s)
    assert [s.params["alpha"] for s in by["AlphaSquared"]] == [1.0, 0.5, 2.0]
    assert [s.status for s in by["AlphaSquared"]] == ["pass", "fail", "fail"]
    c = by["AlphaSquared"][2].check("derivative")
    assert abs(c.worst_x) <= 0.01, c  # wrong by a factor alpha everywhere: most at the peak
    assert all(s.status == "pass" for s in by["TanhOne"])
    assert [s.params["alpha"] for s in by["Refuses"]] == [1.0, 0.5]
    assert "alpha=2 refused by the constructor" in by["Refuses"][0].check("derivative").detail
    only = verify(AlphaSquared, defaults_only=True)
    assert len(only.surrogates) == 1 and only.ok
    grid = verify(AlphaSquared, params={"alpha": [1.0, 3.0]})
    assert [s.params["alpha"] for s in grid.surrogates] == [1.0, 3.0] and not grid.ok


# 8. one failure must not poison the other checks


class ScalarSpikeFails(Tanh):
    def __call__(self, x):
        if jnp.ndim(x) == 0:
            raise ValueError("no scalars here")
        return super().__call__(x)


@jax.custom_vjp
def _ramp(x):
    return _tanh_f(x, 2.0)


_ramp.defvjp(lambda x: (_ramp(x), x), lambda x, ct: (ct * _tanh_g(x, 2.0),))


class FunNoJvp(Tanh):
    """surrogate_fun is a custom_vjp function: forward-mode autodiff (jvp) of it fails."""

    def surrogate_fun(self, x):
        return _ramp(x)


class EagerOnly(Tanh):
    """Python control flow on values (does not trace) and refuses empty arrays."""

    def surrogate_grad(self, x):
        if x.size == 0:
            raise ValueError("empty array")
        if float(jnp.max(jnp.abs(x))) > 1e308:
            return x
        return _tanh_g(x, self.alpha)

    def surrogate_fun(self, x):
        if x.size == 0:
            raise ValueError("empty array")
        return _tanh_f(x, self.alpha)


def test_each_check_stands_on_its_own():
    scalar, nojvp, eager = verify([ScalarSpikeFails(), FunNoJvp(), EagerOnly()]).surrogates
    assert scalar.check("spike").status == "fail" and "no scalars here" in scalar.check("spike").detail
    for name in ("derivative", "area", "stability", "dtypes", "shape"):
        assert scalar.check(name).status == "pass", scalar.check(name)
    assert nojvp.check("derivative").status == "fail" and "surrogate_fun" in nojvp.check("derivative").detail
    for name in ("spike", "stability", "dtypes", "jit"):
        assert nojvp.check(name).status == "pass", nojvp.check(name)
    assert eager.check("jit").status == "fail"
    for name in ("derivative", "area"):
        assert eager.check(name).status == "pass", eager.check(name)
    assert "empty" not in " ".join(c.detail for c in eager.checks)


# 9. messages a researcher can act on


def test_piped_output_one_line_per_finding_and_a_closed_pipe_ends_quietly(tmp_path):
    import subprocess
    import sys

    (tmp_path / "mine.py").write_text(
        "import jax.numpy as jnp\nfrom surrogate_cli import Surrogate\n\n"
        "class Bad(Surrogate):\n"
        "    def surrogate_fun(self, x):\n        return 0.5 * jnp.tanh(x) + 0.5\n"
        "    def surrogate_grad(self, x):\n        return 0.5005 * (1 - jnp.tanh(x) ** 2)\n")
    cmd = [sys.executable, "-m", "surrogate_cli", "verify"]
    res = subprocess.run(cmd + ["mine.py:Bad", "--defaults-only"], cwd=tmp_path, capture_output=True, text=True)
    assert res.returncode == 1, res.stderr
    lines = res.stdout.splitlines()
    header = next(line for line in lines if "surrogate" in line and "deriv" in line)
    assert all(w in header for w in ("deriv", "area", "spike", "stab", "dtype", "jit", "shape"))
    fail = [line for line in lines if line.startswith("FAIL Bad() derivative:")]
    assert len(fail) == 1 and "relative error 0.001" in fail[0] and fail[0].rstrip().endswith(")"), lines
    # 7 significant digits: the gradient and the derivative at the worst point differ visibly
    assert "x=0: grad=0.5005, derivative=0.5 (" in fail[0], fail[0]
    proc = subprocess.Popen(cmd + ["sigmoid"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 0 and err == "", err


def test_sweep_config_reaches_the_extremes_of_every_float_parameter():
    from surrogate_cli.analysis.verify import load_sweep_config
    from surrogate_cli.catalog import builtin_records

    grid = load_sweep_config()
    for rec in builtin_records():
        for p in rec.params:
            if p.kind != "float":
                continue
            vals = [s[p.name] for s in grid[rec.name]]
            low_ok = min(vals) <= (p.default / 10 if p.low_open else p.low)
            assert low_ok and max(vals) >= max(3 * p.default, 1e-7 if p.name == "epsilon" else 1.0), \
                (rec.name, p.name, min(vals), max(vals))


# 10. exactly the upstream library


@pytest.mark.parametrize("alpha", [0.5, 2.0, 4.0])
def test_piecewise_quadratic_parameter_gradient_at_the_edge_matches_upstream(alpha):
    from surrogate_cli.library import PiecewiseQuadratic

    with jax.enable_x64(True):
        for edge in (1 / alpha, -1 / alpha):
            got = jax.grad(lambda a: PiecewiseQuadratic(alpha=a).surrogate_grad(jnp.asarray(edge)))(alpha)
            # upstream: where(|x| > 1/a, 0, a - a^2 |x|) takes the inner branch at |x| = 1/a:
            # d/da (a - a^2 |x|) = 1 - 2 a |x| = -1 there
            np.testing.assert_allclose(float(got), 1 - 2 * alpha * abs(edge), atol=1e-12)
