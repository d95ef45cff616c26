"""Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by Playwright.

The root conftest (tests/conftest.py) registers `chromium` once for the whole run: Playwright's
sync API cannot be started twice at the same time in one thread, so a conftest must not import the
fixture itself. Take `chromium` (a Playwright Browser, one per test module) and open a context per
test. Module scope, not session: while Playwright's sync API runs, the main thread counts as inside
an event loop, so `asyncio.run()` in any later test module would fail. Playwright never downloads a
browser here: it is given the system executable.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

# Without the background-networking flags Chromium keeps trying to reach Google's hosts, which a
# closed network refuses; --no-sandbox because tests run as root in CI.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


def chromium_executable() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail(f"Chromium not found at {path}: run `make setup` (installs Debian's chromium)")
    return path


@pytest.fixture(scope="module")
def chromium() -> Iterator["object"]:
    from playwright.sync_api import sync_playwright  # only the services env has Playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
