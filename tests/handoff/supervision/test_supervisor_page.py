"""The supervisor page in headless Chromium against the real service (uvicorn, real Redis, SQLite):
figures, roster and the at-risk order as a person sees them, and reference screenshots at 1280
and 1920 px (tests/support/screens.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from handoff.app import create_app
from handoff.users import seed_demo
from launcher.process import free_port
from tests.handoff.conftest import PASSWORDS, make_settings
from tests.handoff.supervision.test_supervisor_overview import seed
from tests.support.screens import check_screenshot

REFERENCE_DIR = Path(__file__).parent / "reference"


@pytest.fixture
def served(redis_server, redis_client, tmp_path: Path, customer_db_url: str) -> Iterator[tuple[str, dict]]:  # noqa: ANN001
    settings = make_settings(
        redis_server.url, tmp_path / "handoff.db", customer_db_url, claim_timeout_seconds=600, port=free_port()
    )
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=settings.port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the service did not start"
        time.sleep(0.05)
    seed_demo(app.state.session_factory, settings)
    base = f"http://127.0.0.1:{settings.port}"
    try:
        with httpx.Client(base_url=base, timeout=10) as client:
            cids = seed(client, settings, redis_client, app.state.session_factory)
        yield base, cids
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def test_supervisor_sees_figures_roster_and_risk_order(chromium, served) -> None:  # noqa: ANN001
    base, cids = served
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{base}/login?next=/supervisor")
        page.fill("input[name=username]", "sam")
        page.fill("input[name=password]", PASSWORDS["sam"])
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/supervisor")
        page.locator("#live li.risk-row").nth(3).wait_for(timeout=20_000)
        rows = page.locator("#live li.risk-row")
        assert [rows.nth(i).get_attribute("data-conversation") for i in range(4)] == [
            cids["rising"], cids["upset"], cids["calm"], cids["tired"],
        ]  # fmt: skip
        assert rows.nth(0).locator(".risk-chip").text_content() == "40"
        assert "distress rising" in rows.nth(0).text_content()
        assert rows.nth(0).locator(".badge").count() == 1  # the emotion badge only
        assert page.text_content("#kpi-waiting") == "2"
        assert page.text_content("#kpi-progress") == "2"
        assert page.text_content("#kpi-longest").startswith("15 min")
        assert page.text_content("#kpi-csat") == "3.5 / 5"
        tom = page.locator("#agents tr[data-agent=tom]")
        assert "2 heavy cases in a row" in page.locator("#agents tr[data-agent=tom] .nudge").text_content()
        assert tom.first.locator(".state").text_content() == "Available"
        assert page.locator("#agents tr[data-agent=mia] .nudge").count() == 0

        rows.nth(0).locator("button").click()
        page.locator("#monitor").wait_for(state="visible")
        page.locator("#messages li", has_text="UNACCEPTABLE").wait_for()
        page.mouse.move(0, 0)
        # Waiting times tick: masked, so the reference compares layout, colours and the rest.
        masks = [page.locator(".where.waiting"), page.locator("#kpi-longest")]
        for width in (1280, 1920):
            page.set_viewport_size({"width": width, "height": 1000 if width == 1280 else 1080})
            page.wait_for_timeout(200)
            png = page.screenshot(full_page=True, mask=masks, animations="disabled", caret="hide")
            check_screenshot(png, REFERENCE_DIR / f"supervisor-{width}.png")
        assert errors == []
    finally:
        context.close()
