"""``surrogate explore``: the slider values, the page's numbers (against closed forms and the
package's own ``info``/``flow``), the encoding of the curves, byte-reproducible pages, and the
command's error paths. The page in a real browser is tests/test_explore_browser.py."""
import base64
import json
import os
import math
import re
import zlib

import numpy as np
import pytest

from cli_helpers import run
from surrogate_cli.analysis.explore import GRID_MAX, explore_data, slider_values
from surrogate_cli.catalog import find_record
from surrogate_cli.render.explore_page import encode_block, formula_text, page_html, page_payload


def _decode(text):
    """The inverse of the page's encoding, written out independently: base64 -> inflate ->
    planes of bytes back to float32 little-endian."""
    raw = zlib.decompress(base64.b64decode(text))
    n = len(raw) // 4
    planes = np.frombuffer(raw, dtype=np.uint8).reshape(4, n)
    return planes.T.copy().view("<f4").reshape(-1)


def test_slider_values_log_around_the_default_inside_the_range():
    vals = slider_values(4.0, 33)
    assert len(vals) == 33 and vals[16] == 4.0
    assert vals[0] == pytest.approx(0.4, rel=5e-3) and vals[-1] == pytest.approx(40.0, rel=5e-3)
    ratios = np.diff(np.log10(vals))
    assert np.allclose(ratios, 1 / 16, atol=4.4e-3)  # 3-digit rounding moves each value by < 0.5 % (0.0022 in log10)
    assert all(float(f"{v:.3g}") == v for v in vals)  # the decimals a person would type
    # an upper bound clips, a closed lower bound at 0 with a zero default steps linearly from it
    assert max(slider_values(1.0, 33, high=2.0)) <= 2.0
    zero = slider_values(0.0, 33, low=0.0, low_open=False)
    assert zero[0] == 0.0 and zero[1] == pytest.approx(1 / 32, rel=1e-2) and zero[-1] == 1.0
    assert slider_values(2, kind="int", low=1, low_open=False) == [1, 2, 3, 4, 5, 6, 7, 8]
    # every catalog default sits on its slider, every value is valid
    from surrogate_cli.catalog import all_records
    from surrogate_cli.catalog.params import validate_value

    for rec in all_records():
        for p in rec.params:
            vals = slider_values(p.default, 33, kind=p.kind, low=p.low, low_open=p.low_open, high=p.high)
            assert p.default in vals, (rec.name, p.name)
            for v in vals:
                validate_value(p, v)


def test_page_numbers_are_the_packages():
    """Sigmoid against its closed form; properties and chi against info and flow at the same
    parameters; a two-parameter surrogate's sets form a grid when small."""
    import surrogate_cli
    from surrogate_cli.analysis.metrics import properties_of

    data = explore_data(["sigmoid", ("relu_grad", {"width": 2.0})], {"alpha": [1.0, 2.5]}, steps=5, points=41,
                        stds=(0.5,))
    sig, relu = data.surrogates
    assert [s.name for s in sig.sliders] == ["alpha"] and sig.sliders[0].values == [1.0, 2.5]
    for st in sig.settings:
        a = st.params["alpha"]
        x = sig.x
        s = 1 / (1 + np.exp(-a * x))
        assert np.allclose(st.gradient, a * s * (1 - s), rtol=1e-12, atol=0)
        assert np.allclose(st.function, s, rtol=1e-12, atol=0)
        assert st.peak == pytest.approx(a / 4, rel=1e-12) and st.area == pytest.approx(1.0, rel=1e-9)
        ref = properties_of("sigmoid", {"alpha": a})
        assert st.properties.fwhm == pytest.approx(ref.fwhm, rel=1e-9)
        assert st.properties.peak_value == pytest.approx(ref.peak_value, rel=1e-12)
        assert st.properties.support_text == ref.support_text
        for std, chi in zip(data.stds, st.chi):
            row = surrogate_cli.flow("sigmoid", v_mean=0.0, v_std=std, alpha=a, solve=False).rows[0]
            assert chi == pytest.approx(row.chi, rel=1e-9)
    assert np.array_equal(sig.x, np.linspace(-2.0, 2.0, 41))
    # relu_grad: alpha from the sweep, width centred at the fixed 2 (5 values): 10 sets <= GRID_MAX
    assert relu.mode == "grid" and len(relu.settings) == 2 * 5 <= GRID_MAX
    assert relu.sliders[1].values[relu.sliders[1].start] == 2.0
    st = relu.setting_at(alpha=2.5, width=2.0)
    assert np.allclose(st.gradient, np.maximum(0.0, 2.5 * (2.0 - np.abs(relu.x))), rtol=1e-12, atol=1e-15)
    assert st.properties.support == (-2.0, 2.0)


def test_padded_curves_are_plots_to_the_bit():
    """A surrogate without a closed-form area has its curves padded to the whole-line area's
    length (one compilation for both): the same float64 numbers as plot's unpadded curves,
    and the same area as compare's."""
    from surrogate_cli.evaluation import evaluate, resolve
    from surrogate_cli.evaluation.normalize import normalize_curves

    name = "squarewave_fourier_series"
    data = explore_data([name], {"n": [2, 3]}, steps=2, points=301, stds=(1.0,))
    (sq,) = data.surrogates
    target = resolve(name)
    for st in sq.settings:
        (ref,) = evaluate(target, [st.params], None, 301)
        for a, b in ((st.gradient, ref.gradient), (st.function, ref.function), (st.spike, ref.spike)):
            assert np.array_equal(a.view(np.uint64), b.view(np.uint64))
        try:
            normalize_curves([ref], "area")
        except Exception:  # noqa: BLE001 - no finite area: explore says None
            assert st.area is None


def test_star_of_sliders_and_the_encoded_page():
    """33 x 33 sets would be too many: each slider moves alone (a star through the centre);
    the page carries every set's curves as float32 and is the same bytes when written twice."""
    data = explore_data(["leaky_relu"], steps=5, points=21, stds=(1.0,))
    (lr,) = data.surrogates
    assert len(lr.settings) == 25 <= GRID_MAX and lr.mode == "grid"
    star = explore_data(["leaky_relu"], points=21, stds=(1.0,)).surrogates[0]
    assert star.mode == "star" and len(star.settings) == 1 + 32 + 32
    centre = star.settings[0].params
    assert centre == {"alpha": 0.1, "beta": 1.0}
    assert all(sum(s.params[k] != centre[k] for k in centre) == 1 for s in star.settings[1:])

    payload = page_payload(data)
    (p,) = payload["surrogates"]
    f = _decode(p["block"])
    n, k = p["points"], p["nstd"]
    assert np.array_equal(f[:n], np.float32(lr.x)) and np.array_equal(f[n:2 * n], np.float32(lr.spike))
    stride = 2 * n + k
    for j, (key, st) in enumerate(zip(p["keys"], lr.settings)):
        b = 2 * n + j * stride
        assert np.array_equal(f[b:b + n], np.float32(st.gradient))
        assert np.array_equal(f[b + n:b + 2 * n], np.float32(st.function))
        assert f[b + 2 * n] == np.float32(st.chi[0])
        assert [int(i) for i in key.split(",")] == [lr.sliders[i].values.index(st.params[s.name])
                                                     for i, s in enumerate(lr.sliders)]
    html = page_html(data)
    assert html == page_html(data)
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", html)  # nothing to fetch
    blob = re.search(r'<script id="explore-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(blob) == json.loads(json.dumps(payload))


def test_foreign_surrogate_carries_its_convert_equivalent():
    data = explore_data(["snntorch.atan"], {"alpha": [2.0]}, points=11, stds=(1.0,))
    (st,) = data.surrogates[0].settings
    assert st.convert.kind == "exact" and st.convert.expression() == "arctan(alpha=2)"
    assert "forward" in page_payload(data)["surrogates"][0]


def test_formula_text():
    assert formula_text(find_record("soft_sign").grad_tex) == "g'(x) = α/(2 (1+|α x|)^2)"
    assert formula_text(find_record("slayer_grad").grad_tex) == "g'(x) = e^-α|x|"
    assert formula_text(None) is None


def test_encode_block_is_float32_of_the_values():
    a = np.array([0.1, -2.5, 1e-30, 3.0])
    assert np.array_equal(_decode(encode_block([a, a[:2]])), np.concatenate([a, a[:2]]).astype("<f4"))


def test_cli_writes_one_page(cwd, capsys):
    code, out, err = run(["explore", "sigmoid", "snntorch.atan:alpha=3", "--steps", "3", "--points", "21",
                          "--stds", "1", "-o", "page.html"], capsys)
    assert code == 0, err
    assert err == "wrote page.html\n" and out == ""
    html = (cwd / "page.html").read_text()
    payload = json.loads(re.search(r'type="application/json">(.*?)</script>', html, re.S).group(1))
    assert [s["name"] for s in payload["surrogates"]] == ["sigmoid", "snntorch.atan"]
    assert payload["surrogates"][0]["sliders"][0]["values"] == [0.4, 4.0, 40.0]
    assert payload["surrogates"][1]["sliders"][0]["values"] == [0.3, 3.0, 30.0]  # centred on NAME:alpha=3
    assert payload["stds"] == [1.0]


@pytest.mark.parametrize("argv, fragment", [
    (["explore", "sigmod"], "did you mean 'sigmoid'"),
    (["explore", "sigmoid", "-o", "page.png"], "-o"),
    (["explore", "sigmoid", "--steps", "1"], "--steps 1 is out of range"),
    (["explore", "sigmoid", "--beta", "1,2"], "--beta: none of the surrogates has this parameter"),
    (["explore", "sigmoid", "--alpha", "0,1"], "alpha=0 is out of range"),
    (["explore", "sigmoid", "--alpha", ""], "empty list of values"),
    (["explore", "sigmoid", "--points", "1"], "points"),
    (["explore", "sigmoid", "--stds", "0,1"], "--stds"),
    (["explore", "sigmoid", "--range", "2,1"], "--range 2,1: the interval is reversed"),
    (["explore", "sigmoid", "sigmoid"], "named twice"),
    (["explore", "sigmoid", "--jobs", "0"], "--jobs 0 is not a positive whole number"),
])
def test_cli_error_paths(argv, fragment, cwd, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and fragment in err, err
    assert not list(cwd.iterdir())


def test_gallery_check_recomputes_the_page_and_names_what_differs(tmp_path, monkeypatch):
    """The gallery's explore.html is put together from one part per surrogate; its check
    passes on the page the code writes and names a changed number or a changed page."""
    import dataclasses

    import importlib

    from surrogate_cli import gallery
    from surrogate_cli.gallery import explore

    build = importlib.import_module("surrogate_cli.gallery.build")  # the module, not gallery.build()
    from surrogate_cli.render.explore_page import html_from_payload, payload_of_html

    monkeypatch.setattr(explore, "STEPS", 3)
    cfg = gallery.load_config(gallery.default_config_path())
    cfg = dataclasses.replace(cfg, entries=tuple(e for e in cfg.entries if e.name in ("sigmoid", "slayer_grad")))
    out = tmp_path / "g"
    out.mkdir()
    for e in cfg.entries:
        assert explore.explore_part(cfg, e.name, str(out)) == []
    assert explore.assemble_explore(cfg, str(out)) == ["explore.html"]
    assert sorted(os.listdir(out)) == ["explore.html"]  # the parts are gone
    page = out / "explore.html"
    assert build.check_explore(cfg, str(out), jobs=1) == []
    payload, _ = payload_of_html(page.read_text())
    assert [s["name"] for s in payload["surrogates"]] == ["sigmoid", "slayer_grad"]
    payload["surrogates"][1]["settings"][0]["props"]["fwhm"] *= 1 + 1e-6
    page.write_text(html_from_payload(payload, "surrogate explore: the gallery's built-ins"))
    (problem,) = build.check_explore(cfg, str(out), jobs=1)
    assert "explore.html: differs (data.surrogates[1].settings[0].props.fwhm:" in problem
    page.write_text(page.read_text().replace("<h1>surrogate explore</h1>", "<h1>stale</h1>"))
    assert "the page around the data differs" in build.check_explore(cfg, str(out), jobs=1)[0]
    page.unlink()
    assert build.check_explore(cfg, str(out), jobs=1) == [f"{page}: missing"]


def test_a_worker_process_computes_the_same_page_as_this_process(monkeypatch, tmp_path):
    """explore_data shares the surrogates between this process and a worker process: the
    worker's surrogates are the same numbers, to the bit, as when this process does them
    all (a user's surrogate stays here)."""
    from surrogate_cli.analysis import explore as ex
    from surrogate_cli.evaluation import parallel

    user = tmp_path / "mine.py"
    user.write_text(
        "import jax.numpy as jnp\n"
        "from surrogate_cli import Surrogate\n"
        "class Tanh(Surrogate):\n"
        "    def __init__(self, beta=2.0):\n"
        "        self.beta = beta\n"
        "    def surrogate_grad(self, x):\n"
        "        return self.beta / 2 * (1 - jnp.tanh(self.beta * x) ** 2)\n")
    names = ["sigmoid", "snntorch.atan", "squarewave_fourier_series", f"{user}:Tanh"]
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    here = ex.explore_data(names, steps=5)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.setattr(ex, "_STARTUP_COST", 0)  # share whatever the size
    started = []
    real = parallel._Worker

    class Watched(real):
        def __init__(self, fn, items):
            started.append([job[0].name for job in items])
            super().__init__(fn, items)

    monkeypatch.setattr(parallel, "_Worker", Watched)
    shared = ex.explore_data(names, steps=5)
    assert len(started) == 1 and started[0] and "Tanh" not in started[0]
    assert page_html(shared) == page_html(here)
    for a, b in zip(here.surrogates, shared.surrogates):
        assert a.name == b.name and b.target.name == a.name
        for sa, sb in zip(a.settings, b.settings):
            assert np.array_equal(sa.gradient, sb.gradient) and np.array_equal(sa.function, sb.function)
            assert np.array_equal(sa.chi, sb.chi) and sa.properties == sb.properties
