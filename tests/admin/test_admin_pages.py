"""The admin page end to end in headless Chromium against the real service (uvicorn, real Redis)."""

from __future__ import annotations

import os
import re
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest
import redis
import uvicorn
from playwright.sync_api import expect

from handoff.app import create_app
from handoff.core.config import HandoffSettings
from handoff.outcomes.store import upsert_outcome
from handoff.users import seed_demo
from launcher.process import free_port
from tests.admin.conftest import PASSWORDS, admin_settings, log_conversation
from tests.admin.test_admin_dashboard import RECORDS
from tests.admin.test_admin_escalation import CONVERSATIONS
from tests.support.redis_server import RedisServer
from tests.support.screens import OUTPUT_DIR, check_screenshot

REFERENCE = Path(__file__).parent / "reference"
HOSTILE = '<img src=x onerror="window.__xss=1">'


@pytest.fixture
def served(
    redis_server: RedisServer,  # noqa: F811
    tmp_path: Path,
    data_root: Path,
    escalation_keys: None,
    tone_bridge: str,
) -> Iterator[str]:
    tag = uuid.uuid4().hex[:8]
    settings = HandoffSettings(
        redis_url=redis_server.url,
        database_url=f"sqlite:///{tmp_path / 'handoff.db'}",
        port=free_port(),
        key_prefix=f"handoff-{tag}",
        bridge_prefix=f"bridge-{tag}",
        requests_stream=f"handoff-{tag}:requests",
        rasa_url=f"http://127.0.0.1:{free_port()}",
        bridge_url=tone_bridge,
    )
    app = create_app(settings, run_workers=False)
    app.state.admin_settings = admin_settings(data_root, face_preview_url=tone_bridge)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=settings.port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the service did not start"
        time.sleep(0.05)
    seed_demo(app.state.session_factory, settings)
    with app.state.session_factory() as session:
        for record in RECORDS:
            # Recent dates, so the page's default range (30 days) shows them: moved by whole days,
            # the last one to yesterday, so the days they fall on (and the screenshots) never
            # depend on the time of day the test runs.
            last_day = RECORDS[-1]["started_at"].date()
            shift = (datetime.now(timezone.utc).date() - last_day).days * 86400 - 86400
            moved = {
                key: (
                    value.fromtimestamp(value.timestamp() + shift, value.tzinfo)
                    if hasattr(value, "tzinfo") and hasattr(value, "timestamp")
                    else value
                )
                for key, value in record.items()
            }
            upsert_outcome(session, **moved)
        upsert_outcome(session, "hostile", primary_intent=HOSTILE, resolved_by="bot")
    client = redis.Redis.from_url(redis_server.url)
    for name, events in CONVERSATIONS.items():
        log_conversation(client, app.state.admin_settings, name, events)
    try:
        yield f"http://127.0.0.1:{settings.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def sign_in(page, base: str, username: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/login?next=/admin")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin")


def test_admin_console_in_chromium(chromium, served: str) -> None:  # noqa: ANN001
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_in(page, served, "alex")
        # Outcomes: server-side figures, charts as SVG, hostile text shown as text.
        page.wait_for_selector("[data-kpi=Containment]")
        assert page.text_content("[data-kpi=Conversations] .value") == "7"
        assert page.text_content("[data-kpi='First-contact resolution'] .value") == "80.0 %"
        # Charts drawn by the vendored Chart.js, with readable names (contracts/display_names.yml).
        page.wait_for_function("window.Chart && Chart.getChart(document.querySelector('#chart-reasons canvas'))")
        reasons = page.evaluate("Chart.getChart(document.querySelector('#chart-reasons canvas')).data.labels")
        assert "Double charge" in reasons and "Fallbacks" in reasons, reasons
        assert not any("_" in label for label in reasons)
        for chart in ("daily", "rates", "emotions", "turns"):
            assert page.evaluate(f"!!Chart.getChart(document.querySelector('#chart-{chart} canvas'))"), chart
        assert "Order status" in page.text_content("#intent-table")
        for width in (1280, 1920):
            page.set_viewport_size({"width": width, "height": 1000})
            page.wait_for_timeout(150)
            shot = page.screenshot(animations="disabled", caret="hide")
            check_screenshot(shot, REFERENCE / f"admin-dashboard-{width}.png")
        page.set_viewport_size({"width": 1280, "height": 720})
        assert "order_status" not in page.text_content("#intent-table")
        # Shown as text (with its underscores as spaces, like every code without a name).
        assert HOSTILE.replace("_", " ") in page.text_content("#intent-table")
        assert page.locator("#intent-table img").count() == 0
        assert page.evaluate("window.__xss") is None

        # Intents: edit an example, see the change in the history, then revert it.
        page.click("#tabs button[data-tab=intents]")
        page.click("#intent-list tr[data-intent=greet]")
        assert page.input_value("#re-de").startswith("Hallo!")
        page.fill("#ex-en", page.input_value("#ex-en") + "\nhowdy partner")
        page.click("#intent-save")
        expect(page.locator("#intent-status")).to_have_text(re.compile("^Saved"), timeout=120_000)
        page.wait_for_selector("#intent-history button[data-revert]")
        assert "update" in page.text_content("#intent-history")
        # A refused change says why and keeps the editor open.
        page.fill("#ex-en", page.input_value("#ex-en") + "\nI was charged twice")
        page.click("#intent-save")
        expect(page.locator("#intent-status")).to_have_text("Not saved.", timeout=60_000)
        assert "already belongs to intent billing_double_charge" in page.text_content("#intent-problems")

        # Escalation: preview on the stored conversations, then apply.
        page.click("#tabs button[data-tab=escalation]")
        page.wait_for_selector("input[data-label=frustrated][data-field=min_intensity]")
        page.fill("input[data-label=frustrated][data-field=min_intensity]", "0.7")
        page.fill("input[data-label=frustrated][data-field=consecutive_turns]", "1")
        page.fill("#esc-fallbacks", "3")
        expect(page.locator("#esc-vulnerable")).to_be_checked()  # on by default (docs/understanding.md)
        page.click("#esc-preview")
        page.wait_for_selector("#esc-preview-summary")
        assert page.text_content("#esc-preview-summary") == "5 conversations replayed, 3 would be routed differently."
        page.fill("#esc-comment", "stricter on anger")
        page.click("#esc-apply")
        expect(page.locator("#esc-status")).to_have_text(re.compile("^Applied as version 1"))
        expect(page.locator("#esc-audit")).to_contain_text("stricter on anger")

        # Expression and tone: the documents load; the page says when changes apply.
        page.click("#tabs button[data-tab=tone]")
        expect(page.locator("#tone-text")).to_have_value(re.compile("rules:"))
        assert "next reply" in page.text_content("#tone-applies")
        # The form: a refused value is named and nothing is saved; a good one is applied at once.
        page.fill("#face-rules [data-field=duration_ms][data-rule='0']", "20000")
        page.click("#face-save")
        expect(page.locator("#face-status")).to_have_text("Not saved.")
        expect(page.locator("#face-problems")).to_contain_text("rule 1 (frustrated · apology or bad_news)")
        page.fill("#face-rules [data-field=duration_ms][data-rule='0']", "4200")
        page.select_option("#face-rules [data-field=name][data-rule='0']", "concerned")
        page.click("#face-save")
        expect(page.locator("#face-status")).to_have_text(re.compile("^Saved and applied"))
        # The face preview is the bridge's own page, framed: a row's change reaches it by message.
        preview = page.frame_locator("#face-preview").locator(".face-preview[data-ready=true]")
        preview.wait_for(timeout=60_000)
        page.select_option("#face-rules [data-field=name][data-rule='1']", "sympathetic")
        expect(preview).to_have_attribute("data-expression", "sympathetic")
        expect(page.locator("#face-preview-caption")).to_contain_text("sympathetic")
        if os.environ.get("UPDATE_REFERENCES") == "1":  # for a person to look at the face itself
            page.screenshot(path=str(OUTPUT_DIR / "admin-tone-with-face.png"))
        for width in (1280, 1920):
            page.set_viewport_size({"width": width, "height": 1000})
            # The framed face moves (idle motion): masked, it is checked above.
            shot = page.screenshot(animations="disabled", caret="hide", mask=[page.locator("#face-preview")])
            check_screenshot(shot, REFERENCE / f"admin-tone-{width}.png")

        # Training: the state is shown (nothing runs).
        page.click("#tabs button[data-tab=training]")
        page.wait_for_selector("#train-state dd[data-field=Status]")
        assert page.text_content("#train-state dd[data-field=Status]") == "idle"
        assert errors == []
    finally:
        page.close()


def test_agents_get_no_console(chromium, served: str) -> None:  # noqa: ANN001
    page = chromium.new_page()
    try:
        sign_in(page, served, "mia")
        expect(page.locator("#error")).to_contain_text("for admins and supervisors")
        assert page.locator("#tabs button").count() == 0
    finally:
        page.close()


def test_a_supervisor_publishes_updates_and_closes_an_incident(chromium, served: str, incident_keys) -> None:  # noqa: ANN001
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_in(page, served, "sam")
        # A supervisor sees the incidents and nothing else of the console.
        assert [b.get_attribute("data-tab") for b in page.locator("#tabs button").all()] == ["incidents"]
        page.click("#inc-new")
        page.select_option("#inc-kind", "carrier")
        page.fill("#inc-values", "DHL")
        page.fill("#inc-en-summary", "DHL parcels are two days late.")
        page.click("#inc-save")  # the rest is empty: refused, every problem named
        expect(page.locator("#inc-problems")).to_contain_text("texts.de.summary: must be text, not empty")
        for field, text in {
            "en-advice": "Nothing to do.",
            "en-timeline": "Over by Friday.",
            "de-summary": "DHL-Pakete kommen zwei Tage später.",
            "de-advice": "Nichts zu tun.",
            "de-timeline": "Bis Freitag vorbei.",
        }.items():
            page.fill(f"#inc-{field}", text)
        page.click("#inc-save")
        expect(page.locator("#inc-status")).to_have_text("Published (version 1).")
        expect(page.locator("#inc-list")).to_contain_text("carrier: DHL")
        page.fill("#inc-en-timeline", "Over by Monday.")
        page.fill("#inc-comment", "depot still closed")
        page.click("#inc-save")
        expect(page.locator("#inc-status")).to_have_text("Published (version 2).")
        expect(page.locator("#inc-audit")).to_contain_text("depot still closed")
        page.click("#inc-close")
        expect(page.locator("#inc-status")).to_contain_text("Closed")
        expect(page.locator("#inc-list")).to_contain_text("closed")
        assert errors == []
    finally:
        page.close()


def test_an_admin_chooses_the_avatar_and_the_preview_follows(chromium, served: str, tone_bridge: str) -> None:  # noqa: ANN001
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_in(page, served, "alex")
        page.click("#tabs button[data-tab=tone]")
        expect(page.locator("#avatar-model")).to_have_value("valid-man")  # the default: his voice is Piper's
        expect(page.locator("#avatar-meta")).to_contain_text("deployment's default")
        assert page.locator("#avatar-model option").all_text_contents() == [
            "Woman (business clothes)",
            "Man (business clothes)",
            "Light head (drawn in the browser, fastest)",
        ]
        preview = page.frame_locator("#face-preview").locator(".face-preview[data-ready=true]")
        expect(preview).to_have_attribute("data-model", "White_M_1_Busi.glb", timeout=60_000)
        # Picked but not saved: the preview shows it, the customers do not see it yet.
        page.select_option("#avatar-model", "valid-woman")
        expect(page.locator("#avatar-status")).to_have_text("Not saved yet.")
        expect(preview).to_have_attribute("data-model", "White_F_1_Busi.glb", timeout=60_000)
        assert httpx.get(f"{tone_bridge}/avatar.json").json()["model"] == "valid-man"
        page.click("#avatar-save")
        expect(page.locator("#avatar-status")).to_contain_text("Saved and applied: Woman (business clothes).")
        expect(page.locator("#avatar-status")).to_contain_text("next page load")
        expect(page.locator("#avatar-meta")).to_contain_text("Chosen by alex")
        assert httpx.get(f"{tone_bridge}/avatar.json").json()["model"] == "valid-woman"
        # The face form still drives the preview, now showing the woman.
        page.select_option("#face-rules [data-field=name][data-rule='1']", "sympathetic")
        expect(preview).to_have_attribute("data-expression", "sympathetic")
        # A new visit shows the stored choice.
        page.reload()
        page.click("#tabs button[data-tab=tone]")
        expect(page.locator("#avatar-model")).to_have_value("valid-woman")
        expect(preview).to_have_attribute("data-model", "White_F_1_Busi.glb", timeout=60_000)
        assert errors == []
    finally:
        page.close()
