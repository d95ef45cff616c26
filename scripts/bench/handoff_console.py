"""The agent console in headless Chromium: time to the first queue list after a page load, and from
a filter or search change to the new list. Used by scripts/bench/handoff_queue.py.

handoff/web/js/queue_list.js marks `queue:shown` each time a list is on the page. The pages' CSP
allows only their own scripts, so every wait polls with page.evaluate (wait_for_function would
evaluate a string); the approach of tests/handoff/workspace/.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from tests.support.browser import CHROMIUM_ARGS, chromium_executable

# One filter change: set a control, let the form hear it, wait for the next list.
CHANGE_TIMING = """async ([selector, value]) => {
  const control = document.querySelector(selector);
  const before = performance.getEntriesByName('queue:shown').length;
  const started = performance.now();
  control.value = value;
  control.dispatchEvent(new Event('input', { bubbles: true }));
  while (performance.getEntriesByName('queue:shown').length === before) await new Promise((r) => setTimeout(r, 2));
  return performance.getEntriesByName('queue:shown').at(-1).startTime - started;
}"""
FIRST_SHOWN = "performance.getEntriesByName('queue:shown').length > 0"
# Cycled through: each differs from the one before, so every change loads a new list.
EMOTIONS = ("frustrated", "anxious", "sad", "confused", "neutral")
SEARCHES = ("A1007", "Anna", "Message number 42", "billing", "Omar", "A1234", "payment", "Zoe", "app", "order")


@dataclass
class ConsoleRun:
    waiting: int
    paint_ms: list[float] = field(default_factory=list)
    filter_ms: list[float] = field(default_factory=list)
    search_ms: list[float] = field(default_factory=list)


def _wait_until(page, expression: str, timeout: float = 30.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {expression}")
        time.sleep(0.01)


def _sign_in(page, base: str, username: str, password: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-button")
    page.wait_for_url(f"{base}/agent")
    _wait_until(page, FIRST_SHOWN)


def _measure(page, base: str, waiting: int, loads: int, changes: int) -> ConsoleRun:  # noqa: ANN001
    run = ConsoleRun(waiting)
    for _ in range(loads):
        page.goto(f"{base}/agent")
        _wait_until(page, FIRST_SHOWN)
        # From the start of the navigation (performance's time origin) to the first list.
        run.paint_ms.append(page.evaluate("performance.getEntriesByName('queue:shown')[0].startTime"))
    for n in range(changes):
        run.filter_ms.append(page.evaluate(CHANGE_TIMING, ["#filter-emotion", EMOTIONS[n % len(EMOTIONS)]]))
    page.evaluate(CHANGE_TIMING, ["#filter-emotion", ""])
    for n in range(changes):
        run.search_ms.append(page.evaluate(CHANGE_TIMING, ["#queue-search", SEARCHES[n % len(SEARCHES)]]))
    return run


def measure(base: str, username: str, password: str, waiting: int, loads: int = 10, changes: int = 10) -> ConsoleRun:
    """Page loads and filter changes of one signed-in agent, with `waiting` conversations in the queue."""
    from playwright.sync_api import sync_playwright  # only the services env has Playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS, headless=True)
        try:
            # An address of its own, as for the claiming agents (scripts/bench/handoff_claims.py).
            context = browser.new_context(
                viewport={"width": 1280, "height": 800},
                locale="en-GB",
                extra_http_headers={"X-Forwarded-For": "10.30.0.1"},
            )
            page = context.new_page()
            _sign_in(page, base, username, password)
            page.goto(f"{base}/agent")  # one load not counted: the browser's caches warm, as an agent's are
            _wait_until(page, FIRST_SHOWN)
            run = _measure(page, base, waiting, loads, changes)
            context.close()
        finally:
            browser.close()
    return run
