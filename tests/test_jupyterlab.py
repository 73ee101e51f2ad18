"""The notebooks as a student first sees them: a fresh clone opened in JupyterLab, untrusted.

A JupyterLab server (from PyPI, in the dev extras) runs on 127.0.0.1 with a token, on a copy of the notebooks
and with its own empty settings, so nothing is trusted; headless Chromium (tests/chromium.py) opens every
notebook in it. In every cell, every saved picture (a graph, a backward frame, a plot, the backward player) must
show as an image that has loaded (natural width > 0) and fits the window, the player must show its animated
image (its scripts do not run untrusted), and no output may show an object's address (`<graphviz.graphs.Digraph
at 0x...>`). Screenshots of each notebook's first graph picture and of its player go to the folder named by
BACKPROP_LAB_SCREENSHOTS, if set.

Skipped, saying why, where JupyterLab, Chromium, chromedriver or selenium is missing. The notebooks opened are
those of tests/notebook_files.py (BACKPROP_LAB_NOTEBOOKS to open other copies).
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from autograd import Value
from autograd.viz import backward_steps
from chromium import PAGE_WIDTH, start
from notebook_files import NOTEBOOKS

START_TIMEOUT = 90  # seconds for the server to answer
OPEN_TIMEOUT = 60   # seconds for a notebook to show every cell and load its images
ADDRESS = re.compile(r"<graphviz\.|\bat 0x[0-9a-fA-F]{6,}")


def _settings(folder: Path) -> None:
    """JupyterLab settings for the test: every cell in the page (no windowing: cells out of view are not left
    out), no news or update check (no network), no notifications over the pictures."""
    for plugin, values in {"notebook-extension/tracker": {"windowingMode": "none"},
                           "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False,
                                                               "doNotDisturbMode": True}}.items():
        path = folder / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A JupyterLab server on 127.0.0.1 serving `root`; `url(path)` adds the token; `stop()` ends it."""

    def __init__(self, root: Path, home: Path):
        self.port, self.token = _free_port(), secrets.token_hex(16)
        _settings(home / "settings")
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
                   JUPYTER_RUNTIME_DIR=str(home / "runtime"), JUPYTER_PLATFORM_DIRS="1")
        self.log = open(home / "server.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
             f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={home / 'settings'}",
             f"--LabApp.workspaces_dir={home / 'workspaces'}"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=root)
        self.home = home
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                self.api("GET", "status")
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"JupyterLab did not start:\n{(home / 'server.log').read_text()[-3000:]}")
                time.sleep(0.5)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def api(self, method: str, path: str):
        request = urllib.request.Request(self.url(f"api/{path}"), method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            body = reply.read()
        return json.loads(body) if body else None

    def stop_kernels(self) -> None:
        """Shut down the kernels that opening notebooks started (one each)."""
        for session in self.api("GET", "sessions"):
            self.api("DELETE", f"sessions/{session['id']}")

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.stop_kernels()
            except OSError:
                pass
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    pytest.importorskip("jupyterlab", reason="JupyterLab is not installed (pip install jupyterlab)")
    root = tmp_path_factory.mktemp("clone")
    for notebook in NOTEBOOKS:  # a copy: opening a notebook must not change the repository's files
        shutil.copy(notebook, root / notebook.name)
    home = tmp_path_factory.mktemp("jupyter")
    (home / "data").mkdir()
    _player_notebooks(root, home / "data")
    server = Server(root, home)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(jupyterlab, tmp_path_factory):
    driver = start(tmp_path_factory.mktemp("chromium"))
    yield driver
    driver.quit()


def _player_notebooks(root: Path, data_dir: Path) -> None:
    """player_trusted.ipynb and player_untrusted.ipynb: one cell, `backward_steps(L)` of L = tanh(x y) with its
    saved output; the first signed with the server's key (trusted, as after "Trust notebook"). By hand, backward
    visits L, then a, then the leaves x and y."""
    x, y = Value(3.0, label="x"), Value(-2.0, label="y")
    a = x * y
    a.label = "a"
    L = a.tanh()
    L.label = "L"
    output = nbformat.v4.new_output("execute_result", data=backward_steps(L)._repr_mimebundle_(), execution_count=1)
    for name in ("player_trusted", "player_untrusted"):
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("steps", execution_count=1,
                                                                             outputs=[output])])
        notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
        if name == "player_trusted":
            from nbformat.sign import NotebookNotary
            NotebookNotary(data_dir=str(data_dir)).sign(notebook)
        nbformat.write(notebook, root / f"{name}.ipynb")


# What the page shows, per cell: for each output, its images (loaded width, right edge), whether it is a
# player and which of its parts show, and its text.
SHOWN = """
const panel = [...document.querySelectorAll('.jp-NotebookPanel')].find(p => p.offsetParent !== null);
if (!panel) return null;
return [...panel.querySelectorAll('.jp-Notebook .jp-Cell')].map(cell =>
    [...cell.querySelectorAll('.jp-OutputArea-output')].map(out => ({
        images: [...out.querySelectorAll('img')].map(img => [img.complete ? img.naturalWidth : -1,
                                                              img.getBoundingClientRect().right,
                                                              img.src.startsWith('data:image/png;')]),
        player: !!out.querySelector('.bp-player'),
        animation: !!out.querySelector('.bp-static img'),
        controls: !!out.querySelector('.bp-controls'),
        svg: out.querySelectorAll('svg').length,
        text: out.innerText})));
"""


def _expected(notebook: Path) -> list[list[dict]]:
    """From the saved file, per cell: for each output that shows, whether it is a picture and a player."""
    cells = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        outputs = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            player = "bp-player" in "".join(data.get("text/html", ""))
            outputs.append({"picture": player or "image/png" in data, "player": player})
        cells.append(outputs)
    return cells


def _open(browser, server: Server, notebook: Path, n_cells: int) -> list:
    """Open the notebook (a fresh workspace: only this notebook) and wait until every cell and image shows."""
    browser.get(server.url(f"lab/tree/{notebook.name}?reset&token={server.token}"))
    deadline = time.monotonic() + OPEN_TIMEOUT
    while True:
        shown = browser.execute_script(SHOWN)
        if shown is not None and len(shown) == n_cells and all(
                width >= 0 for cell in shown for out in cell for width, _, _ in out["images"]):
            time.sleep(0.5)  # outputs of the last cells may still be attaching
            again = browser.execute_script(SHOWN)
            if again == shown:
                return shown
        if time.monotonic() > deadline:
            pytest.fail(f"{notebook.name} did not show its {n_cells} cells within {OPEN_TIMEOUT} s "
                        f"(shown: {None if shown is None else len(shown)})")
        time.sleep(0.5)


def _screenshots(browser, notebook: Path) -> None:
    folder = os.environ.get("BACKPROP_LAB_SCREENSHOTS")
    if not folder:
        return
    os.makedirs(folder, exist_ok=True)
    from selenium.webdriver.common.by import By
    browser.save_screenshot(os.path.join(folder, f"{notebook.stem}_top.png"))
    for what, selector in (("graph", ".jp-OutputArea-output.jp-RenderedImage img"),
                           ("player", ".jp-OutputArea-output .bp-player")):
        found = browser.find_elements(By.CSS_SELECTOR, selector)
        if found:
            browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", found[0])
            time.sleep(0.3)
            browser.save_screenshot(os.path.join(folder, f"{notebook.stem}_{what}.png"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_untrusted_notebook_shows_every_picture(jupyterlab, browser, notebook):
    expected = _expected(notebook)
    shown = _open(browser, jupyterlab, notebook, len(expected))
    try:
        _screenshots(browser, notebook)
    finally:
        jupyterlab.stop_kernels()
    for k, (saved, outputs) in enumerate(zip(expected, shown)):
        where = f"{notebook.name}, cell {k}"
        for out in outputs:
            assert not ADDRESS.search(out["text"]), f"{where}: shows an object's address: {out['text'][:200]}"
            for width, right, png in out["images"]:
                assert width > 0, f"{where}: an image did not load"
                assert right <= PAGE_WIDTH, f"{where}: an image is cut at the right ({right:.0f} px)"
                assert png, f"{where}: untrusted, an image shows that is not the saved PNG"
        pictures = sum(out["picture"] for out in saved)
        loaded = sum(1 for out in outputs for width, _, _ in out["images"] if width > 0)
        assert loaded == pictures, f"{where}: {pictures} saved pictures, {loaded} images shown"
        players = [out for out in outputs if out["player"]]
        assert len(players) == sum(out["player"] for out in saved), where
        for out in players:  # untrusted: the scripts did not run, the sanitizer kept the animated image
            assert out["animation"] and not out["controls"] and out["svg"] == 0, (where, out)


def _player(browser) -> dict:
    return browser.execute_script("""
        const player = document.querySelector('.jp-OutputArea-output .bp-player');
        const status = player && player.querySelector('.bp-status');
        const frame = player && [...player.querySelectorAll('.bp-frame')].find(f => f.offsetParent !== null);
        const active = frame && frame.querySelector('g.node.active:not(.op) text');
        const image = player && player.querySelector('.bp-static img');
        return {status: status && status.textContent, node: active && active.textContent,
                image: image && image.complete ? image.naturalWidth : 0};
    """)


def test_trusted_notebook_plays_the_steps(jupyterlab, browser):
    """Trusted, the player's script runs in JupyterLab: the buttons replace the animated image."""
    _open(browser, jupyterlab, Path("player_trusted.ipynb"), 1)
    try:
        deadline = time.monotonic() + 20
        while _player(browser)["status"] is None and time.monotonic() < deadline:
            time.sleep(0.3)
        assert _player(browser) == {"status": "step 1 of 4", "node": "L", "image": 0}
        from selenium.webdriver.common.by import By
        browser.find_element(By.CSS_SELECTOR, ".bp-player .bp-next").click()
        assert _player(browser) == {"status": "step 2 of 4", "node": "a", "image": 0}
        _screenshots(browser, Path("player_trusted.ipynb"))
    finally:
        jupyterlab.stop_kernels()


def test_untrusted_notebook_shows_the_animated_steps(jupyterlab, browser):
    """Untrusted, the sanitized player shows the animated image of every step and no buttons."""
    _open(browser, jupyterlab, Path("player_untrusted.ipynb"), 1)
    jupyterlab.stop_kernels()
    shown = _player(browser)
    assert shown["status"] is None and shown["image"] > 0
