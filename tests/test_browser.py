"""What a person would check with their eyes, in a real browser: headless Chromium (Debian's `chromium` and
`chromium-driver`) driven by selenium, offline.

1. The page written by `backward_steps(...).to_html(path)`: "next" shows "step 2 of n" and another highlighted
   node, "previous" goes back, "play" runs to the last step; in a frame taller than the window the active node
   stays in view.
2. The nbconvert HTML export of every notebook: every graph picture has loaded and fits the page.
(The notebooks as JupyterLab shows them, untrusted: tests/test_jupyterlab.py.)

Skipped, saying why, where Chromium, chromedriver or selenium is missing.
"""

import time
from pathlib import Path

import pytest

from autograd import Value
from autograd.viz import backward_steps
from chromium import start
from notebook_files import NOTEBOOKS



@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = start(tmp_path_factory.mktemp("chromium"))
    yield driver
    driver.quit()


def _state(driver) -> tuple:
    """The readout, and the node highlighted in the visible frame (the blue one, class "active")."""
    return driver.execute_script("""
        const frames = [...document.querySelectorAll('.bp-frame')].filter(f => f.offsetParent !== null);
        const active = frames.length === 1 ? frames[0].querySelector('g.node.active:not(.op) text') : null;
        return [document.querySelector('.bp-status').textContent, frames.length, active && active.textContent];
    """)


def _button(driver, word: str):
    from selenium.webdriver.common.by import By
    (button,) = [b for b in driver.find_elements(By.TAG_NAME, "button") if word in b.accessible_name]
    return button


def test_the_player_page_steps_through_backward(browser, tmp_path):
    x, y = Value(3.0, label="x"), Value(-2.0, label="y")
    a = x * y
    a.label = "a"
    L = a.tanh()
    L.label = "L"
    steps = backward_steps(L)
    names = [frame.name for frame in steps]
    assert names[:2] == ["L", "a"] and sorted(names[2:]) == ["x", "y"]  # by hand: L, a, then the leaves
    page = steps.to_html(tmp_path / "steps.html")
    browser.get(Path(page).as_uri())
    assert _state(browser) == ["step 1 of 4", 1, "L"]
    _button(browser, "next").click()
    assert _state(browser) == ["step 2 of 4", 1, "a"]
    _button(browser, "previous").click()
    assert _state(browser) == ["step 1 of 4", 1, "L"]
    _button(browser, "play").click()
    deadline = time.monotonic() + 15
    while _state(browser)[0] != "step 4 of 4" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _state(browser) == ["step 4 of 4", 1, names[3]]
    shown = browser.execute_script("""
        const svg = [...document.querySelectorAll('.bp-frame')].find(f => f.offsetParent !== null)
                    .querySelector('svg').getBoundingClientRect();
        return [svg.width, svg.height, svg.right <= window.innerWidth];""")
    assert shown[0] > 100 and shown[1] > 50 and shown[2]


def _active_node_in_view(driver) -> list:
    """The active node's box in the window (x, y, width, height), and whether it is inside the window."""
    return driver.execute_script("""
        const frame = [...document.querySelectorAll('.bp-frame')].find(f => f.offsetParent !== null);
        const r = frame.querySelector('g.node.active').getBoundingClientRect();
        return [[r.x, r.y, r.width, r.height],
                r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth];
    """)


def test_the_player_keeps_the_active_node_in_view(browser, tmp_path):
    x = Value(1.01, label="x")
    y = x
    for k in range(12):  # a chain drawn top to bottom: 25 nodes, about 2,000 px high in a 1,000 px window
        y = y * 1.01
        y.label = f"y{k + 1}"
    steps = backward_steps(y, rankdir="TB")
    browser.get(Path(steps.to_html(tmp_path / "chain.html")).as_uri())
    height = browser.execute_script("return document.querySelector('.bp-frame svg').getBoundingClientRect().height")
    assert height > 1.5 * browser.execute_script("return window.innerHeight")  # the frame is taller than the window
    box, inside = _active_node_in_view(browser)
    assert inside, box  # step 1: the root, at the bottom of the picture
    for k in range(2, 6):
        _button(browser, "next").click()
        assert _state(browser)[0] == f"step {k} of 13"
        box, inside = _active_node_in_view(browser)
        assert inside, (k, box)
    _button(browser, "play").click()
    seen = set()
    deadline = time.monotonic() + 20
    while _state(browser)[0] != "step 13 of 13" and time.monotonic() < deadline:
        box, inside = _active_node_in_view(browser)
        assert inside, (_state(browser), box)
        seen.add(_state(browser)[0])
        time.sleep(0.3)
    assert _state(browser) == ["step 13 of 13", 1, "x"] and len(seen) >= 5
    assert _active_node_in_view(browser)[1]  # the leaf x, at the top of the picture
    assert browser.execute_script("return window.scrollY") == 0  # the box scrolled, not the page


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_picture_of_the_notebook_export_loads_and_fits(browser, tmp_path, notebook):
    nbconvert = pytest.importorskip("nbconvert", reason="nbconvert is not installed (pip install nbconvert)")
    body, _ = nbconvert.HTMLExporter().from_filename(str(notebook))
    page = tmp_path / f"{notebook.stem}.html"
    page.write_text(body, encoding="utf-8")
    browser.get(page.as_uri())
    pictures = browser.execute_script("""
        const outputs = [...document.querySelectorAll('.jp-OutputArea-output, .output_subarea')];
        const found = [];
        for (const out of outputs) {
            for (const el of out.querySelectorAll(':scope img, :scope svg')) {
                if (el.parentElement.closest('svg')) continue;  // a part of a picture, not a picture
                const frame = el.closest('.bp-frame');
                if (frame && frame.style.display === 'none') continue;  // a player's hidden frame
                const box = el.getBoundingClientRect();
                found.push({tag: el.tagName.toLowerCase(), loaded: el.tagName === 'IMG' ? el.naturalWidth : box.width,
                            width: box.width, right: box.right});
            }
        }
        return [found, document.documentElement.clientWidth];
    """)
    found, page_width = pictures
    for picture in found:
        assert picture["loaded"] > 0, (notebook.name, picture)
        assert picture["right"] <= page_width + 1, (notebook.name, picture)  # fits: nothing cut at the right
