"""The agent workspace in headless Chromium against the real handoff service with 500 conversations
waiting (issue 17): first paint and filtering within a generous bound (the real figures are in
docs/benchmarks.md), search, filters, sort and paging against the seeded data, the three panes at
1280×800 and 1024×768 (composer in view with Orders open, no sideways scroll), human dates and
statuses, the emotion chart, the keyboard shortcuts, and reference screenshots.

Reference screenshots: regenerate on purpose with UPDATE_REFERENCES=1 and review them; every run
writes its own to results/handoff_workspace/.
"""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import pytest
from PIL import Image

from tests.handoff.workspace.conftest import PASSWORDS, RICH_ID
from tests.web_client.test_expressions import MAX_CHANGED_SHARE, MAX_MEAN_DIFFERENCE, difference

ROOT = Path(__file__).resolve().parents[3]
REFERENCE_DIR = Path(__file__).parent / "reference"
OUTPUT_DIR = ROOT / "results" / "handoff_workspace"
# Generous: a shared 2-core CI machine. Measured figures: docs/benchmarks.md "Handoff service" (console rows).
PAINT_BOUND_MS = 3000
FILTER_BOUND_MS = 3000
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")

# Time from an input in the search box to the list with its one match on screen (queue_list.js
# marks each list shown).
FILTER_TIMING = """async (text) => {
  const box = document.querySelector('#queue-search');
  const before = performance.getEntriesByName('queue:shown').length;
  const started = performance.now();
  box.value = text;
  box.dispatchEvent(new Event('input', { bubbles: true }));
  // The list the search gave: a render of the unfiltered list (a refresh that was already on its
  // way) may come first, so wait for a render with the one matching row.
  const shown = () => performance.getEntriesByName('queue:shown').length > before
    && document.querySelectorAll('#queue .conv-item').length === 1;
  while (!shown()) {
    if (performance.now() - started > 15000) return Infinity;  // never filtered: the bound fails
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.getEntriesByName('queue:shown').at(-1).startTime - started;
}"""


def signed_in(chromium, base: str, width: int, height: int, username: str = "mia"):  # noqa: ANN001, ANN201
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORDS[username])
    page.click("#login-button")
    page.wait_for_url(f"{base}/agent")
    page.locator("#queue .conv-item").first.wait_for()
    return context, page


def wait_until(page, expression: str, timeout: float = 15.0) -> None:  # noqa: ANN001
    """Polls `expression` with page.evaluate (wait_for_function evaluates strings, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        time.sleep(0.03)


def rows(page) -> int:  # noqa: ANN001
    return page.locator("#queue .conv-item").count()


def summary(page) -> str:  # noqa: ANN001
    return page.locator("#queue-summary").inner_text()


def visible_to_mia(cases) -> list:  # noqa: ANN001
    return [case for case in cases if case.skill in ("billing", "general")]


def no_sideways_scroll(page) -> bool:  # noqa: ANN001
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def in_view(page, selector: str) -> bool:  # noqa: ANN001
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    inside_height = box and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]
    return bool(inside_height) and box["x"] + box["width"] <= size["width"]


def open_rich(page) -> None:  # noqa: ANN001
    page.locator(f"#mine [data-conversation='{RICH_ID}'] .conv-open").click()
    page.locator("#conversation").wait_for()
    page.locator("#messages .msg").nth(20).wait_for()


def test_first_paint_and_filter_with_500_waiting(workspace, seeded, chromium) -> None:  # noqa: ANN001
    context, page = signed_in(chromium, workspace.handoff_url, 1280, 800)
    try:
        page.reload()
        wait_until(page, "performance.getEntriesByName('queue:shown').length > 0")
        painted = page.evaluate("performance.getEntriesByName('queue:shown')[0].startTime")
        assert painted < PAINT_BOUND_MS, f"first list painted after {painted:.0f} ms"
        filtered = page.evaluate(FILTER_TIMING, "A1007")
        assert filtered < FILTER_BOUND_MS, f"filtered list after {filtered:.0f} ms"
        assert rows(page) == 1 and "Message number 7 about order A1007" in page.locator("#queue").inner_text()
    finally:
        context.close()


def test_search_filters_sort_and_pages_narrow_the_list(workspace, seeded, chromium) -> None:  # noqa: ANN001
    mine = visible_to_mia(seeded)
    context, page = signed_in(chromium, workspace.handoff_url, 1280, 800)
    try:
        assert summary(page) == f"Showing 50 of {len(mine)}" and rows(page) == 50
        page.click("#queue-more")
        wait_until(page, "document.querySelectorAll('#queue .conv-item').length === 100")
        ids = page.eval_on_selector_all("#queue .conv-item", "items => items.map((item) => item.dataset.conversation)")
        assert len(set(ids)) == 100  # the second page continues the first
        page.select_option("#filter-emotion", "frustrated")
        page.select_option("#filter-language", "de")
        expected = [c for c in mine if c.emotion == "frustrated" and c.language == "de"]
        shown = f"Showing {len(expected)} of {len(expected)}"
        wait_until(page, f"document.querySelector('#queue-summary').textContent === '{shown}'")
        page.select_option("#queue-sort", "newest")
        newest = min(expected, key=lambda case: case.waited_seconds)
        first = "document.querySelector('#queue .conv-item').dataset.conversation"
        wait_until(page, f"{first} === '{newest.conversation_id}'")
        page.fill("#queue-search", "no such customer anywhere")
        page.locator("#queue .empty", has_text="No waiting conversation matches.").wait_for()
    finally:
        context.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (1024, 768)])
def test_composer_stays_in_view_with_orders_open(workspace, seeded, chromium, width, height) -> None:  # noqa: ANN001
    context, page = signed_in(chromium, workspace.handoff_url, width, height)
    try:
        open_rich(page)
        if width < 1180:  # the context pane is a drawer here
            assert not page.locator("#context-pane").is_visible()
            page.click("#context-toggle")
            page.locator("#context-pane").wait_for()
        orders = page.locator("#context details[data-section='orders']")
        assert orders.get_attribute("open") is not None and orders.locator(".record").count() > 0
        for section in page.locator("#context details").all():
            section.evaluate("node => { node.open = true; }")
        assert no_sideways_scroll(page)
        assert in_view(page, "#send") and in_view(page, "#reply-text") and in_view(page, "#note-text")
        # The chat scrolls inside its pane, not the page.
        assert page.evaluate("(m => m.scrollHeight > m.clientHeight)(document.querySelector('#messages'))")
        assert page.evaluate("document.scrollingElement.scrollHeight <= window.innerHeight")
    finally:
        context.close()


def test_dates_amounts_statuses_and_the_emotion_chart_read_as_people_read_them(workspace, seeded, chromium) -> None:  # noqa: ANN001
    context, page = signed_in(chromium, workspace.handoff_url, 1280, 800)
    try:
        open_rich(page)
        for section in page.locator("#context details").all():
            section.evaluate("node => { node.open = true; }")
        text = page.locator("body").inner_text()
        found = ISO_DATE.search(text)
        assert not found, text[max(0, found.start() - 200) : found.end() + 50]
        assert "in_transit" not in text and "_" not in page.locator("#context .status").all_inner_texts().__str__()
        context_text = page.locator("#context").inner_text()
        assert "billing_double_charge" not in context_text and "Four as" not in context_text  # codes read as words
        assert re.search(r"[€£$]\d+\.\d{2}", page.locator("#context").inner_text())  # the order total
        chart = page.locator("#context svg.emotion-chart[role='img']")
        assert chart.count() == 1 and chart.locator("rect.chart-bar").count() == 5
        assert chart.get_attribute("aria-label").startswith("Distress by turn: turn 1: neutral")
        assert page.locator("#context table").count() == 0
    finally:
        context.close()


def test_keyboard_shortcuts(workspace, seeded, chromium) -> None:  # noqa: ANN001
    context, page = signed_in(chromium, workspace.handoff_url, 1280, 800)
    try:
        open_rich(page)
        page.keyboard.press("Shift+Slash")  # "?"
        page.locator("#help", has_text="Claim the next conversation").wait_for()
        page.keyboard.press("Escape")
        assert not page.locator("#help").is_visible()
        page.keyboard.press("Alt+O")
        assert page.evaluate("document.activeElement.id") == "note-text"
        page.keyboard.press("Alt+R")
        page.keyboard.type("Is this the right card? ")  # a "?" typed in the reply stays text
        assert not page.locator("#help").is_visible()
        page.keyboard.press("Control+Enter")
        page.locator("#messages .msg-agent", has_text="Is this the right card?").wait_for()
        assert page.input_value("#reply-text") == ""
        page.keyboard.press("Alt+C")
        assert page.evaluate("document.activeElement.id") == "canned"
        page.keyboard.press("Escape")  # closes the canned replies' picker
        page.keyboard.press("Alt+R")
        page.keyboard.press("Alt+N")
        wait_until(page, "document.querySelectorAll('#mine .conv-item').length === 2")
        wait_until(page, f"document.querySelector('#mine .is-current').dataset.conversation !== '{RICH_ID}'")
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 1920])
@pytest.mark.parametrize("name", ["agent", "login"])
def test_pages_match_reference_screenshots(workspace, seeded, chromium, name, width) -> None:  # noqa: ANN001
    height = 800 if width == 1280 else 1080
    if name == "login":
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="en-GB")
        page = context.new_page()
        page.goto(f"{workspace.handoff_url}/login")
    else:
        context, page = signed_in(chromium, workspace.handoff_url, width, height)
        open_rich(page)
        page.mouse.move(width // 2, height - 5)
    try:
        page.wait_for_timeout(300)
        # Clock-dependent text (waits, times, load) is masked: the layout is what is compared.
        clock = (".wait", "time", ".msg-time", "#load", ".chat-who .meta", "#live-state")
        masks = [page.locator(selector) for selector in clock]
        actual = Image.open(io.BytesIO(page.screenshot(mask=masks, animations="disabled")))
        OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
        actual.save(OUTPUT_DIR / f"{name}-{width}.png")
        reference_path = REFERENCE_DIR / f"{name}-{width}.png"
        if os.environ.get("UPDATE_REFERENCES") == "1":
            REFERENCE_DIR.mkdir(exist_ok=True)
            actual.save(reference_path)
        assert reference_path.exists(), f"no reference for {name}-{width}: run with UPDATE_REFERENCES=1 and review it"
        mean, changed = difference(actual, Image.open(reference_path))
        assert mean <= MAX_MEAN_DIFFERENCE and changed <= MAX_CHANGED_SHARE, (mean, changed)
    finally:
        context.close()
