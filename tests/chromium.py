"""Headless Chromium for the browser tests: Debian's `chromium` and `chromium-driver` driven by selenium.

`start(profile)` returns a driver with a 1,280 x 1,000 window that resolves no host name (so nothing is loaded
from the network; 127.0.0.1 still works), or skips the test saying what is missing.
"""

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
PAGE_WIDTH, PAGE_HEIGHT = 1280, 1000  # the window; a notebook's output column in it is about 1,160 px


def start(profile):
    """A headless Chromium whose profile lives in the folder `profile`; the caller quits it."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip("Chromium or chromedriver is not installed (Debian: apt-get install chromium chromium-driver)")
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
                 f"--window-size={PAGE_WIDTH},{PAGE_HEIGHT}", f"--user-data-dir={profile}",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"):  # offline but for this machine
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    return driver
