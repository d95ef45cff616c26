"""A person takes over through the real handoff service, seen from the customer's page: the
queue banner never hides the last message, the person who answers is named with a neutral icon
in the header and in front of the avatar, which steps back, and the assistant returns on hand-back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests.support.system import seed_demo_users
from tests.web_client.helpers import send, wait_turn_done
from tests.web_client.references import OUTPUT_DIR

LAYOUT = """() => { const root = document.querySelector('#avatar-assistant').shadowRoot;
  const list = root.querySelector('.messages'); const items = list.querySelectorAll('.message');
  const last = items[items.length - 1].getBoundingClientRect(), area = list.getBoundingClientRect();
  const banner = root.querySelector('.banner').getBoundingClientRect();
  return {top: last.top, bottom: last.bottom, listTop: area.top, listBottom: area.bottom,
          bannerBottom: banner.bottom}; }"""


def assert_last_message_visible(page) -> None:
    page.wait_for_timeout(150)  # a resize observer's frame
    layout = page.evaluate(LAYOUT)
    assert layout["bottom"] <= layout["listBottom"] + 1, layout
    assert layout["top"] >= max(layout["listTop"], layout["bannerBottom"]) - 1, layout


@contextmanager
def agent_client(settings) -> Iterator[httpx.Client]:
    """Mia, signed in to the handoff service's API (what the agent console calls)."""
    with httpx.Client(base_url=settings.handoff_url, timeout=30) as client:
        signed_in = client.post("/api/auth/login", json={"username": "mia", "password": "mia-demo-pass"})
        assert signed_in.status_code == 200, signed_in.text
        client.headers["Authorization"] = f"Bearer {signed_in.json()['token']}"
        yield client


def claim(agent: httpx.Client, session_id: str) -> None:
    deadline = time.monotonic() + 30
    while (answer := agent.post(f"/api/queue/{session_id}/claim")).status_code != 200:
        assert time.monotonic() < deadline, answer.text
        time.sleep(0.3)


def test_a_person_takes_over_and_hands_back(open_page, system, settings):
    seed_demo_users(system["handoff"])
    page = open_page("lang=en&voice=off")
    session_id = page.evaluate("window.__avatarDebug.connection().sessionId")
    send(page, "I want to talk to a real person please")
    page.locator(".banner[data-kind='agent']").wait_for(timeout=60_000)
    wait_turn_done(page)
    assert_last_message_visible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert_last_message_visible(page)
    page.set_viewport_size({"width": 1000, "height": 700})

    with agent_client(settings) as agent:
        claim(agent, session_id)
        sent = agent.post(
            f"/api/conversations/{session_id}/messages", json={"text": "Hello, I'm Mia. I'll sort this out."}
        )
        assert sent.status_code == 200, sent.text
        page.locator(".message-agent").wait_for(timeout=20_000)
        title = page.locator(".chat-header .title")
        assert title.text_content() == "Mia"
        assert page.locator(".chat-header .subtitle").text_content() == "Customer service team"
        assert page.locator(".identity-badge .person-icon").count() == 1
        assert page.locator(".person-card .person-name").text_content() == "Mia"
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('#avatar-assistant').shadowRoot"
            ".querySelector('.avatar-host')).opacity < 0.3",
            timeout=5_000,
        )
        assert page.evaluate("window.__avatarDebug.avatar().speaking") is False
        assert_last_message_visible(page)
        OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUTPUT_DIR / "takeover.png"))  # for people reviewing the look

        assert agent.post(f"/api/conversations/{session_id}/handback").status_code == 200
    page.locator(".banner[data-kind='bot']").wait_for(timeout=20_000)
    assert title.text_content() == "Mila"
    assert page.locator(".person-card").is_hidden()
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('#avatar-assistant').shadowRoot"
        ".querySelector('.avatar-host')).opacity > 0.9",
        timeout=5_000,
    )
    assert_last_message_visible(page)
    assert not page.errors
