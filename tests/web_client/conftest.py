"""End-to-end tests of the web client in headless Chromium against the real running system (one
system and one browser per test session)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.settings import LauncherSettings
from launcher.system import System
from tests.support.browser import CHROMIUM_ARGS, chromium_executable
from tests.support.system import customer_db, settings, system  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "web_client" / "dist"


@pytest.fixture(scope="session")
def bridge_url(system: System, settings: LauncherSettings) -> str:  # noqa: F811
    if not (DIST / "widget.js").is_file():
        pytest.fail("web_client/dist is missing: run `make setup` (builds the web client)")
    return settings.bridge_url


@pytest.fixture
def open_page(chromium, bridge_url: str):  # noqa: F811
    """Opens the full page in a fresh browser context; `open_page(query, **context_options)`."""
    contexts = []

    def open_(query: str = "lang=en", *, browser=None, **context_options):
        # Playwright's wait_for_function polls with eval, which the page's CSP forbids (rightly);
        # tests/web_client/test_csp.py checks the page under its real policy.
        context = (browser or chromium).new_context(
            **{"viewport": {"width": 1000, "height": 700}, "bypass_csp": True, **context_options}
        )
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.errors = errors
        page.goto(f"{bridge_url}/?{query}")
        page.wait_for_function(
            "window.__avatarDebug && window.__avatarDebug.connection().state === 'open'", timeout=30_000
        )
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def chromium_without_webgl(chromium) -> Iterator[object]:
    """A second browser with WebGL switched off: the real failure path (getContext returns null),
    not a page switch. Launched through the session's Playwright (only one may run at a time)."""
    args = CHROMIUM_ARGS + ["--disable-webgl", "--disable-webgl2"]
    browser = chromium.browser_type.launch(executable_path=chromium_executable(), args=args, headless=True)
    try:
        yield browser
    finally:
        browser.close()
