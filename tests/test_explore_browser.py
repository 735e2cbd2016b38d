"""The explore page in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``, driven by selenium through /usr/bin/chromedriver).

Real input events (clicks, arrow keys) move a slider and pick surrogates; what the page
drew (its curve data and its property readout) is compared with ``surrogate plot ... --csv -``
and ``surrogate info --json`` at the same parameters. No request may leave the page and the
console must stay clean. A screenshot is saved (``SURROGATE_SCREENSHOT``, default a temporary
folder; its path is printed) and the redraw time for 6 overlaid surrogates is printed, not
asserted. Where the browser cannot start the tests fail with the reason: never a silent skip.
"""
import csv
import io
import json
import os
import shlex
import socket
import statistics

import numpy as np
import pytest

from cli_helpers import run

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SIX = ["sigmoid", "piecewise_exp", "arctan", "erf", "slayer_grad", "snntorch.atan"]
POINTS = 301
F32 = 2.0 ** -23  # float32's epsilon: the page stores curves as float32


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    import surrogate_cli

    path = tmp_path_factory.mktemp("explore") / "explore.html"
    result = surrogate_cli.explore(SIX, str(path), steps=9, stds=(0.5, 1.0, 2.0))
    assert result.size == path.stat().st_size
    return path


@pytest.fixture(scope="module")
def browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service

        opts = Options()
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1300,1400"):
            opts.add_argument(arg)
        opts.binary_location = CHROMIUM
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        # the driver in a session of its own (signals to this worker's process group never
        # reach it, nor its to ours), and every command answered within a minute or failed:
        # the client takes its timeout from the socket default when it is made
        old = socket.getdefaulttimeout()
        socket.setdefaulttimeout(60)
        try:
            driver = webdriver.Chrome(service=Service(CHROMEDRIVER, popen_kw={"start_new_session": True}),
                                      options=opts)
        finally:
            socket.setdefaulttimeout(old)
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(30)
    except Exception as exc:  # noqa: BLE001 - any reason: fail, naming it
        pytest.fail(f"headless Chromium could not start ({type(exc).__name__}: {exc}); install it with "
                    "'apt-get install -y chromium chromium-driver' and 'pip install selenium' (.ci/run does)",
                    pytrace=False)
    yield driver
    driver.quit()


def _open(browser, page):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(page.as_uri())
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return !!(window.explore && explore.ready)"))
    browser.get_log("performance")  # from here on, every request the page makes is logged


def _csv(text):
    rows = list(csv.DictReader(io.StringIO(text)))
    return {k: np.asarray([float(r[k]) for r in rows]) for k in ("x", "spike", "gradient")}, rows


def test_slider_curve_and_readout_match_plot_and_info(browser, page, cwd, capsys, tmp_path_factory):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, page)
    # pick sigmoid alone with real clicks on the picker
    for box in browser.find_elements(By.CSS_SELECTOR, "#names input"):
        if box.is_selected() != (box.get_attribute("value") == "sigmoid"):
            box.click()
    assert browser.execute_script("return explore.state().selected") == ["sigmoid"]
    slider = browser.find_element(By.ID, "slider-sigmoid-alpha")
    before = browser.execute_script("return explore.state().params.sigmoid.alpha")
    slider.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    state = browser.execute_script("return explore.state()")
    alpha = state["params"]["sigmoid"]["alpha"]
    assert alpha > before and alpha == pytest.approx(before * 10 ** 0.5, rel=1e-2)  # 2 of 4 steps a decade
    shown = browser.find_element(By.CSS_SELECTOR, '#card-sigmoid [data-value-of="alpha"]').text
    assert float(shown) == alpha
    curve = browser.execute_script("return explore.curve('sigmoid')")
    path = browser.find_element(By.CSS_SELECTOR, 'path[data-surrogate="sigmoid"][data-panel="gp"]')
    assert path.get_attribute("d").count("L") == POINTS - 1  # every sample drawn

    # the page's own command, run as it says, gives the same curve
    command = browser.find_element(By.ID, "cmd-cli").text
    assert command == f"surrogate plot sigmoid --alpha {shown}"
    argv = shlex.split(command)[1:] + ["--points", str(POINTS), "--csv", "-", "-o", "fig.png"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    ref, _ = _csv(out)
    assert np.array_equal(np.float32(ref["x"]), np.float32(curve["x"]))
    assert np.array_equal(np.float32(ref["spike"]), np.float32(curve["spike"]))
    peak = np.max(np.abs(ref["gradient"]))
    assert np.max(np.abs(np.asarray(curve["gp"]) - ref["gradient"])) <= 2 * F32 * peak

    # the readout is info's
    code, out, err = run(["info", "sigmoid", "--alpha", shown, "--json"], capsys)
    assert code == 0, err
    props = json.loads(out)["properties"]

    def cell(key):
        c = browser.find_element(By.CSS_SELECTOR, f'#card-sigmoid [data-prop="{key}"]')
        return c.text, json.loads(c.get_attribute("data-value"))

    for key, ref_key in (("peak", "peak_value"), ("fwhm", "fwhm"), ("area", "area_numerical")):
        text, value = cell(key)
        assert value == pytest.approx(props[ref_key], rel=1e-12), key
        assert float(text.split()[0]) == pytest.approx(props[ref_key], rel=1e-9), key
    assert cell("support")[0] == props["support"]

    # peak normalisation (a real click) divides by the largest |g'| of the curve
    browser.find_element(By.CSS_SELECTOR, 'input[name="norm"][value="peak"]').click()
    gp = np.asarray(browser.execute_script("return explore.curve('sigmoid').gp"))
    assert np.max(np.abs(gp)) == pytest.approx(1.0, abs=2 * F32)
    assert browser.find_element(By.ID, "cmd-cli").text == f"surrogate compare sigmoid:alpha={shown} --normalize peak"

    shot = os.environ.get("SURROGATE_SCREENSHOT") or str(tmp_path_factory.mktemp("shots") / "explore.png")
    browser.find_element(By.CSS_SELECTOR, 'input[name="norm"][value="none"]').click()
    for box in browser.find_elements(By.CSS_SELECTOR, "#names input"):
        if not box.is_selected():
            box.click()
    browser.save_screenshot(shot)
    assert os.path.getsize(shot) > 10000
    with capsys.disabled():
        print(f"\nexplore page screenshot: {shot}")


def test_six_overlaid_redraw_offline_and_quiet(browser, page, capsys):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, page)
    for box in browser.find_elements(By.CSS_SELECTOR, "#names input"):
        if not box.is_selected():
            box.click()
    assert browser.execute_script("return explore.state().selected") == SIX
    assert len(browser.find_elements(By.CSS_SELECTOR, 'path[data-panel="gp"]')) == 6
    browser.find_element(By.ID, "log").click()
    slider = browser.find_element(By.ID, "slider-arctan-alpha")
    times = []
    for key in [Keys.ARROW_LEFT] * 4 + [Keys.ARROW_RIGHT] * 8:
        slider.send_keys(key)
        times.append(browser.execute_script("return explore.lastRedrawMs()"))
    with capsys.disabled():
        print(f"\nexplore redraw, 6 overlaid surrogates, 3 panels, {POINTS} points: median "
              f"{statistics.median(times):.1f} ms, max {max(times):.1f} ms over {len(times)} slider moves")
    # nothing left the page: no resource loaded, no request but the page itself
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    requests = []
    for entry in browser.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            requests.append(msg["params"]["request"]["url"])
    assert not [u for u in requests if not u.startswith("data:")], requests
    assert "default-src 'none'" in browser.page_source
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert not errors, errors
