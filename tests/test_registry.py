"""The registry: metadata against the code, find_record (lookup by any spelling), formulas, areas, shape exceptions."""
from __future__ import annotations

import inspect
import io
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import surrogate_cli
from surrogate_cli.library import builtin_class, builtin_function, make_builtin
from surrogate_cli import catalog as registry
from surrogate_cli.errors import BadInput
from surrogate_cli.catalog import REGISTRY, SHAPE_CHECKS, find_record, builtin_records
from surrogate_cli.library.spike import Surrogate

NAMES = list(REGISTRY)


# -- metadata against the constructors and the functional twins -----------------------------


@pytest.mark.parametrize("name", NAMES)
def test_params_match_constructor_and_twin_signatures(name):
    rec = REGISTRY[name]
    ctor = inspect.signature(builtin_class(rec).__init__).parameters
    assert list(ctor)[1:] == list(rec.param_names)  # after self
    twin = inspect.signature(builtin_function(rec)).parameters
    assert list(twin) == ["x", *rec.param_names]
    for p in rec.params:
        assert ctor[p.name].default == p.default, p.name
        assert twin[p.name].default == p.default, p.name
        assert type(ctor[p.name].default) is type(twin[p.name].default)
        assert p.kind in ("float", "int")
        assert isinstance(p.default, int if p.kind == "int" else float), p.name
        assert p.in_range(p.default), p.name
        assert p.doc
    # an instance stores each parameter under its own name
    s = builtin_class(rec)()
    for p in rec.params:
        assert getattr(s, p.name) == p.default
    assert builtin_class(rec).__name__ == rec.class_name
    assert builtin_function(rec).__name__ == rec.name
    assert getattr(surrogate_cli, rec.class_name) is builtin_class(rec)
    assert getattr(surrogate_cli, rec.name) is builtin_function(rec)


@pytest.mark.parametrize("name", NAMES)
def test_has_fun_and_formulas_agree_with_the_class(name):
    rec = REGISTRY[name]
    overrides = builtin_class(rec).surrogate_fun is not Surrogate.surrogate_fun
    assert issubclass(builtin_class(rec), Surrogate)
    assert rec.has_fun == overrides
    assert (rec.fun_tex is None) == (not rec.has_fun)
    assert rec.grad_tex.startswith("g'(x)")
    if rec.fun_tex:
        assert rec.fun_tex.startswith("g(x)")
    assert rec.description and rec.description.endswith(".") and "\n" not in rec.description
    assert rec.reference and len(rec.reference) > 20
    lo, hi = rec.x_range
    assert lo < 0 < hi
    assert rec.family and rec.family == rec.family.lower()  # list shows it beside the other libraries'


def test_only_n_is_an_integer_and_names_are_unique():
    ints = [(r.name, p.name) for r in builtin_records() for p in r.params if p.kind == "int"]
    assert ints == [("squarewave_fourier_series", "n")]
    assert len({r.class_name for r in builtin_records()}) == len(REGISTRY)
    assert [r.name for r in builtin_records()] == NAMES
    # upstream's public names, all exported
    assert set(surrogate_cli.__all__) >= {r.class_name for r in builtin_records()} | set(NAMES)


# -- find_record ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_lookup_by_every_spelling_in_any_case(name):
    rec = REGISTRY[name]
    kebab = name.replace("_", "-")
    for spelling in (name, rec.class_name, kebab, name.upper(), rec.class_name.lower(),
                     kebab.upper(), rec.class_name.upper(), f" {name.title()}".strip()):
        assert find_record(spelling) is rec, spelling
    for s in rec.spellings:
        assert find_record(s) is rec


@pytest.mark.parametrize("name", NAMES)
def test_typo_gets_a_did_you_mean(name):
    rec = REGISTRY[name]
    # drop one character from the middle of the class name
    cn = rec.class_name
    typo = cn[: len(cn) // 2] + cn[len(cn) // 2 + 1:] if len(cn) > 3 else cn + "x"
    if registry.spelling_key(typo) in {registry.spelling_key(s) for r in builtin_records() for s in r.spellings}:
        pytest.skip("the typo is itself a spelling")
    with pytest.raises(BadInput) as err:
        find_record(typo + "zz")
    assert isinstance(err.value, ValueError)
    assert "unknown surrogate" in str(err.value) and (typo + "zz") in str(err.value)
    assert registry.suggest(typo) == name, (typo, registry.suggest(typo))
    with pytest.raises(BadInput, match=f"did you mean '{name}'"):
        find_record(typo)


def test_nonsense_has_no_suggestion_but_lists_the_way_out():
    with pytest.raises(BadInput) as err:
        find_record("qqqqqqqqqqqqqq")
    assert "did you mean" not in str(err.value)
    assert "surrogate list" in str(err.value)


def test_unknown_parameter_is_bad_input_with_a_suggestion():
    rec = REGISTRY["gaussian_grad"]
    with pytest.raises(BadInput, match="did you mean 'sigma'"):
        rec.validate({"sigm": 1.0})
    assert rec.validate({"sigma": 2.0}) == {"sigma": 2.0, "alpha": 0.5}
    assert make_builtin(rec, sigma=2.0) == builtin_class(rec)(sigma=2.0)
    with pytest.raises(ValueError, match="sigma"):
        make_builtin(rec, sigma=-2.0)


# -- formulas render with matplotlib mathtext ----------------------------------------------


def test_every_formula_renders_with_mathtext():
    from matplotlib import mathtext

    for rec in builtin_records():
        for tex in (rec.fun_tex, rec.grad_tex):
            if tex is None:
                continue
            buf = io.BytesIO()
            mathtext.math_to_image(f"${tex}$", buf, dpi=40, format="png")
            assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n", (rec.name, tex)


# -- closed-form areas against a numerical integral -----------------------------------------


_AREA_FN = {}


def _numerical_area(rec, params, x_max):
    """Trapezoid integral of g' on [-x_max, x_max]: nodes x = c*sinh(u) (tails of every
    kind decay in u), plus every breakpoint and its neighbours (jumps and kinks exact)."""
    c = 1e-3  # node spacing ~ c * du near 0, where the narrowest peaks are
    u_max = math.asinh(x_max / c)
    x = c * np.sinh(np.linspace(-u_max, u_max, 400_001))
    bps = np.asarray(rec.breakpoints(**params) if rec.breakpoints else [], dtype=float)
    x = np.sort(np.concatenate([x, bps, bps - 1e-12, bps + 1e-12]))
    if rec.name not in _AREA_FN:  # one compile per surrogate: parameters are traced
        def grad(x, *vals):
            return builtin_class(rec)(**dict(zip(rec.param_names, vals))).surrogate_grad(x)

        _AREA_FN[rec.name] = jax.jit(grad)
    g = np.asarray(_AREA_FN[rec.name](jnp.asarray(x), *[params[n] for n in rec.param_names]))
    return float(np.trapezoid(g, x))


def _param_sets(rec):
    """The defaults, and each parameter that may be 0 set to 0 (finite/infinite switches)."""
    out = [dict(rec.defaults)]
    for p in rec.params:
        if p.low == 0 and not p.low_open:
            out.append({**rec.defaults, p.name: 0.0})
    if rec.name == "leaky_relu":
        out.append({"alpha": 0.0, "beta": 0.0})
    return out


@pytest.mark.parametrize("name", NAMES)
def test_closed_form_area_matches_a_numerical_integral(name):
    rec = REGISTRY[name]
    if rec.area is None:
        assert rec.closed_area() is None
        assert rec.name == "squarewave_fourier_series"  # periodic: no area
        return
    for params in _param_sets(rec):
        closed = rec.closed_area(**params)
        small = _numerical_area(rec, params, 1e3)
        big = _numerical_area(rec, params, 1e8)
        if math.isinf(closed):
            # diverges: the integral keeps growing with the window (at least like log)
            assert big > small + 0.5 * abs(small) or big - small > 1.0, (params, small, big)
        else:
            assert big == pytest.approx(closed, rel=1e-5, abs=1e-9), params
            assert small == pytest.approx(closed, rel=1e-2, abs=1e-2), params


# -- shape exceptions ------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_shape_exceptions_name_only_known_checks_and_the_rest_hold(name):
    rec = REGISTRY[name]
    assert set(rec.exceptions) <= set(SHAPE_CHECKS)
    for why in rec.exceptions.values():
        assert why and "design" in why
    s = make_builtin(rec)
    x = np.linspace(-8, 8, 16001)  # includes 0
    fun = s.surrogate_fun if rec.has_fun else (lambda v: jnp.zeros_like(v))
    g, f = (np.asarray(a) for a in jax.jit(lambda v: (s.surrogate_grad(v), fun(v)))(jnp.asarray(x)))
    i0 = int(np.flatnonzero(x == 0)[0])
    if "grad_nonnegative" not in rec.exceptions:
        assert g.min() >= 0
    else:
        assert g.min() < 0  # the exception is real
    if "peak_at_zero" not in rec.exceptions:
        assert g.max() <= g[i0] + 1e-12
    if rec.has_fun:
        if "fun_monotone" not in rec.exceptions:
            assert np.all(np.diff(f) >= -1e-12)
        else:
            assert np.any(np.diff(f) < 0)
        g0 = float(f[i0])
        if "fun_half_at_zero" not in rec.exceptions:
            assert g0 == pytest.approx(0.5, abs=1e-6)  # S2NN: 0.5 + beta*log(1 + epsilon)
        else:
            assert g0 != pytest.approx(0.5, abs=1e-3)
    else:
        assert not {"fun_monotone", "fun_half_at_zero"} & set(rec.exceptions)


def test_breakpoints_are_where_the_formulas_switch():
    for rec in builtin_records():
        if rec.breakpoints is None:
            continue
        bps = rec.breakpoints(**rec.defaults)
        assert bps == sorted(bps) and all(math.isfinite(b) for b in bps)
        h = 1e-4
        xs = jnp.asarray([[b - 2 * h, b - h, b + h, b + 2 * h] for b in bps])
        vals = np.asarray(jax.jit(make_builtin(rec).surrogate_grad)(xs))
        for b, (gl2, gl1, gr1, gr2) in zip(bps, vals):
            # g' is not smooth there: one-sided slopes of g' differ, or g' jumps
            left, right = (gl1 - gl2) / h, (gr2 - gr1) / h
            jump = abs(gr1 - gl1)
            assert jump > 1e-6 or abs(left - right) > 1e-3, (rec.name, b)


@pytest.mark.parametrize("name", NAMES)
def test_class_docstrings_are_written_from_the_record(name):
    """help(Class) states the record's formulas, every parameter's range and default, and
    the reference: one source, so the two cannot drift."""
    rec = REGISTRY[name]
    doc = builtin_class(rec).__doc__
    assert doc.startswith(rec.description)
    assert rec.grad_tex in doc and (rec.fun_tex is None or rec.fun_tex in doc)
    for p in rec.params:
        assert f"    {p.name}: {p.doc} ({p.range_text}; default {p.default})." in doc, p.name
    assert rec.reference in doc
