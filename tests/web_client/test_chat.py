"""The customer's conversation through the real page: messages, replies, expression, lip-sync,
reconnects, hostile text."""

from __future__ import annotations

from pathlib import Path

from tests.web_client.helpers import (
    REPLY_TIMEOUT_MS,
    bot_messages,
    customer_messages,
    send,
    wait_for_bot_messages,
    wait_turn_done,
)


def test_page_and_widget_are_served(bridge_url):
    import httpx

    page = httpx.get(f"{bridge_url}/")
    assert page.status_code == 200 and 'src="widget.js"' in page.text
    widget = httpx.get(f"{bridge_url}/widget.js")
    assert widget.status_code == 200 and widget.headers["content-type"].startswith("text/javascript")


def test_a_message_gets_a_reply_and_the_face_reacts(open_page):
    page = open_page("lang=en")
    send(page, "Hello")
    wait_for_bot_messages(page, 1)
    assert customer_messages(page) == ["Hello"]
    assert bot_messages(page)[0].strip()
    # A greeting is answered with a (held) happy face: the expression changes and blends in.
    page.wait_for_function(
        "() => { const a = window.__avatarDebug.avatar(); "
        "return a.expression === 'happy' && (a.weights.mouthSmileLeft || 0) > 0.1; }",
        timeout=10_000,
    )
    wait_turn_done(page)
    assert not page.errors
    # Kept for people reviewing the look (results/ is not committed).
    output = Path(__file__).resolve().parents[2] / "results" / "web_client"
    output.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(output / "conversation.png"))


def test_visemes_follow_the_audio_clock(open_page):
    page = open_page("lang=en")
    send(page, "Where is my order 40010002?")
    # While the reply's audio plays, the audio clock advances and the mouth walks through visemes.
    samples = page.wait_for_function(
        """() => {
             const audio = window.__avatarDebug.audio();
             const avatar = window.__avatarDebug.avatar();
             window.__samples ||= [];
             if (audio.audible && audio.clockMs !== null) window.__samples.push([audio.clockMs, avatar.viseme]);
             const visemes = new Set(window.__samples.map(s => s[1]).filter(v => v !== 'sil'));
             return visemes.size >= 4 ? window.__samples : false;
           }""",
        polling="raf",
        timeout=REPLY_TIMEOUT_MS,
    ).json_value()
    clocks = [clock for clock, _ in samples]
    assert clocks == sorted(clocks), "the audio clock never runs backwards"
    assert clocks[-1] - clocks[0] > 100
    assert not page.errors


def test_html_and_script_are_shown_as_text(open_page):
    page = open_page("lang=en")
    hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>'
    send(page, hostile)
    wait_for_bot_messages(page, 1)
    assert customer_messages(page) == [hostile]
    assert page.locator(".messages img, .messages script, .messages b").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_reconnect_mid_conversation_loses_and_repeats_nothing(open_page, system):
    page = open_page("lang=en")
    send(page, "Hello")
    wait_for_bot_messages(page, 1)
    wait_turn_done(page)
    bridge = system["avatar-bridge"]
    bridge.stop()
    page.wait_for_function("window.__avatarDebug.connection().state === 'reconnecting'", timeout=20_000)
    assert page.locator(".banner").is_visible()
    # Typed while the connection is down: queued, sent after the resume.
    send(page, "I want to track my order")
    bridge.start()
    bridge.wait_ready()
    page.wait_for_function("window.__avatarDebug.connection().state === 'open'", timeout=30_000)
    wait_for_bot_messages(page, 2)
    wait_turn_done(page)
    assert customer_messages(page) == ["Hello", "I want to track my order"]
    ids = page.locator(".message-bot").evaluate_all("nodes => nodes.map(n => n.dataset.id)")
    assert len(ids) == len(set(ids)), "no bot message twice"
    before = bot_messages(page)
    # A reload rebuilds the transcript from the server's replay, once.
    page.reload()
    page.wait_for_function("window.__avatarDebug && window.__avatarDebug.connection().state === 'open'", timeout=30_000)
    page.wait_for_function(
        "n => document.querySelector('#avatar-assistant').shadowRoot.querySelectorAll('.message-bot').length >= n",
        arg=len(before),
        timeout=20_000,
    )
    assert customer_messages(page) == ["Hello", "I want to track my order"]
    assert bot_messages(page) == before


def test_agent_messages_and_status_banners_from_the_handoff_stream(open_page, settings):
    """Frames the handoff service puts on `bridge:deliveries` (docs/protocol.md §9) reach the page."""
    import json

    import redis

    page = open_page("lang=en")
    session_id = page.evaluate("window.__avatarDebug.connection().sessionId")
    client = redis.Redis.from_url(settings.redis_url, decode_responses=True)

    def deliver(frame: dict) -> None:
        client.xadd("bridge:deliveries", {"payload": json.dumps({"session_id": session_id, "frame": frame})})

    deliver({"type": "status", "state": "queued", "queue_position": 2, "estimated_wait_s": 120})
    banner = page.locator(".banner")
    banner.filter(has_text="number 2 in the queue").wait_for(timeout=20_000)
    deliver({"type": "status", "state": "with_agent"})
    deliver(
        {
            "type": "agent_message",
            "message_id": "agent-1",
            "agent": {"display_name": "Mia"},
            "text": "<b>Hello</b>, I am Mia and I will take it from here.",
        }
    )
    agent = page.locator(".message-agent")
    agent.wait_for(timeout=20_000)
    assert agent.locator(".author").text_content() == "Mia (agent)"
    assert agent.locator(".text").text_content() == "<b>Hello</b>, I am Mia and I will take it from here."
    assert "chatting with" in banner.text_content()
    # A supervisor barging in is named as one.
    deliver(
        {
            "type": "agent_message",
            "message_id": "agent-2",
            "agent": {"display_name": "Sam", "role": "supervisor"},
            "text": "Sam here, the team lead.",
        }
    )
    agent.nth(1).wait_for(timeout=20_000)
    assert agent.nth(1).locator(".author").text_content() == "Sam (supervisor)"
    # The agent ends the conversation: a notice, the assistant is back, and the rating form opens.
    deliver({"type": "status", "state": "agent_left"})
    page.locator(".message-notice", has_text="The agent has left").wait_for(timeout=20_000)
    assert banner.get_attribute("data-kind") == "bot" and "Mila, the assistant, again" in banner.text_content()
    page.locator(".csat .csat-score").first.wait_for(timeout=5_000)


def test_one_line_snippet_embeds_the_widget_on_another_site(chromium, bridge_url, tmp_path):
    """A shop page on another origin adds one script tag; the widget talks to the bridge it came from."""
    from scripts.bench.web_client import static_server

    (tmp_path / "shop.html").write_text(
        "<!doctype html><html><head><title>Shop</title></head><body><h1>Our shop</h1>"
        f'<script src="{bridge_url}/widget.js" defer></script></body></html>'
    )
    context = chromium.new_context(viewport={"width": 1000, "height": 700}, bypass_csp=True)  # see conftest
    try:
        page = context.new_page()
        with static_server(tmp_path) as shop:
            page.goto(f"{shop}/shop.html")
            page.locator(".launcher").click()  # the widget starts closed: only its launcher shows
            page.wait_for_function(
                "window.__avatarDebug && window.__avatarDebug.connection().state === 'open'", timeout=30_000
            )
            assert page.locator("h1").text_content() == "Our shop"
            assert page.locator(".assistant").get_attribute("data-mode") == "widget"
            send(page, "Hello")
            wait_for_bot_messages(page, 1)
            page.wait_for_function("window.__avatarDebug.audio().speaking || window.__avatarDebug.avatar().frames > 0")
    finally:
        context.close()


def test_a_glb_avatar_with_arkit_and_viseme_morphs_replaces_the_default(chromium, bridge_url, tmp_path):
    from scripts.bench.web_client import static_server
    from tests.web_client.glb_builder import CHANNELS, build_glb

    (tmp_path / "avatar.glb").write_bytes(build_glb())
    (tmp_path / "shop.html").write_text(
        f'<!doctype html><body><script src="{bridge_url}/widget.js" defer></script></body>'
    )
    context = chromium.new_context(viewport={"width": 1000, "height": 700}, bypass_csp=True)  # see conftest
    try:
        page = context.new_page()
        with static_server(tmp_path) as shop:
            page.goto(f"{shop}/shop.html?lang=en&avatar=glb&avatar_url=/avatar.glb")
            page.locator(".launcher").click()
            # The procedural head shows first; the model replaces it once loaded and checked.
            page.wait_for_function(
                "window.__avatarDebug && window.__avatarDebug.avatar().kind === 'arkit'", timeout=30_000
            )
            # Every ARKit / viseme morph target of the model is bound to a channel.
            assert page.evaluate("window.__avatarDebug.avatar().channels") == sorted(CHANNELS)
            page.wait_for_function("window.__avatarDebug.connection().state === 'open'", timeout=30_000)
            send(page, "Hello")
            # The greeting's expression drives the (bound) smile channels.
            page.wait_for_function("(window.__avatarDebug.avatar().weights.mouthSmileLeft || 0) > 0.1", timeout=60_000)
    finally:
        context.close()
