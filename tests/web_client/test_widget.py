"""The embedded widget on a shop's page and the full page, in Chromium against the real system:
the launcher opens and closes the chat and keeps the conversation, minimise, End chat collapses
it, the phone layout (closed: nothing but the launcher; open: a full-screen sheet with a close),
the shop's accent, logo and greeting, the assistant's one name, message times, and reference
screenshots of the page on a desktop and the widget on a phone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.web_client.helpers import REPLY_TIMEOUT_MS, bot_messages, customer_messages, send, wait_for_bot_messages
from tests.web_client.references import assert_matches_reference

ACCENT = "#7c3aed"
GREETING = "Welcome to Our Shop! Ask me about orders, returns or your account."
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" rx="8" fill="#7c3aed"/>'
    '<path d="M10 28V12l10 10 10-10v16" stroke="#fff" stroke-width="4" fill="none"/></svg>'
)
SHOP = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Our Shop</title></head>
<body style="margin:0;font-family:sans-serif;background:#fafafa">
<header style="padding:16px 24px;background:#222;color:#fff"><h1 style="margin:0">Our Shop</h1></header>
<main style="padding:24px">{products}</main>
<script src="{bridge}/widget.js" data-accent="{accent}" data-logo-url="/logo.svg"
  data-greeting-en="{greeting}" defer></script></body></html>"""
PRODUCT = '<p style="margin:0 0 12px;padding:24px;background:#fff;border:1px solid #ddd">Product {n}</p>'
OPEN = "window.__avatarDebug && window.__avatarDebug.connection().state === 'open'"


@pytest.fixture(scope="module")
def shop(bridge_url, tmp_path_factory) -> Iterator[str]:
    from scripts.bench.web_client import static_server

    directory = tmp_path_factory.mktemp("shop")
    products = "".join(PRODUCT.format(n=n) for n in range(1, 13))
    page = SHOP.format(products=products, bridge=bridge_url, accent=ACCENT, greeting=GREETING)
    (directory / "shop.html").write_text(page)
    (directory / "logo.svg").write_text(LOGO)
    with static_server(directory) as url:
        yield f"{url}/shop.html"


@contextmanager
def browser_page(chromium, width: int, height: int):
    context = chromium.new_context(viewport={"width": width, "height": height}, bypass_csp=True)  # see conftest
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.errors = errors
        yield page
    finally:
        context.close()


def box(page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


def open_widget(page) -> None:
    page.locator(".launcher").click()
    page.wait_for_function(OPEN, timeout=30_000)


def test_the_launcher_opens_and_closes_the_chat_and_keeps_the_conversation(chromium, shop):
    with browser_page(chromium, 1280, 800) as page:
        page.goto(f"{shop}?lang=en&pose=neutral")
        launcher = page.locator(".launcher")
        launcher.wait_for()
        assert launcher.get_attribute("aria-label") == "Chat with Mila"
        assert launcher.get_attribute("aria-expanded") == "false"
        assert page.locator(".panel").is_hidden()
        assert page.evaluate("window.__avatarDebug") is None, "nothing is started before the customer opens the chat"
        assert launcher.evaluate("node => getComputedStyle(node).backgroundColor") == "rgb(124, 58, 237)"
        right, bottom = box(page, ".launcher")["x"] + 60, box(page, ".launcher")["y"] + 60
        assert 1240 <= right <= 1280 and 760 <= bottom <= 800, "bottom-right corner"

        open_widget(page)
        panel = box(page, ".panel")
        assert panel["width"] == 380 and panel["x"] + panel["width"] <= 1280 and panel["y"] + panel["height"] < bottom
        assert page.locator(".chat-header .title").text_content() == "Mila"
        assert page.locator(".identity-badge img.logo").get_attribute("src").endswith("/logo.svg")
        assert page.locator(".message-notice").first.text_content() == GREETING
        # The bot introduces itself with the name the page shows.
        send(page, "Hello")
        wait_for_bot_messages(page, 1)
        assert "Mila" in bot_messages(page)[0]
        assert re.fullmatch(r"\d{1,2}:\d{2}( [AP]M)?", page.locator(".message-customer .time").first.text_content())

        # Minimise: only the launcher is left; reopened, the conversation is still there.
        page.locator(".minimise").click()
        assert page.locator(".panel").is_hidden()
        assert (
            page.evaluate("document.querySelector('#avatar-assistant').shadowRoot.activeElement.className")
            == "launcher"
        )
        # A reply that arrives while the chat is closed is counted on the launcher.
        launcher.click()
        # Sent and minimised in one task, so the reply cannot arrive while the chat is still open.
        page.evaluate(
            """() => {
              const root = document.querySelector('#avatar-assistant').shadowRoot;
              root.querySelector('#assistant-input').value = 'Where is my order 40010002?';
              root.querySelector('form.composer').requestSubmit();
              root.querySelector('.minimise').click();
            }"""
        )
        page.locator(".unread-badge").wait_for(timeout=REPLY_TIMEOUT_MS)
        assert "new" in launcher.get_attribute("aria-label")
        launcher.click()
        assert page.locator(".unread-badge").is_hidden()
        assert customer_messages(page) == ["Hello", "Where is my order 40010002?"]

        # Another page of the shop: the chat comes back open with the same conversation.
        page.reload()
        page.wait_for_function(OPEN, timeout=30_000)
        page.locator(".message-customer").nth(1).wait_for(timeout=20_000)
        assert customer_messages(page) == ["Hello", "Where is my order 40010002?"]

        # The launcher closes it too.
        launcher.click()
        assert page.locator(".panel").is_hidden() and launcher.get_attribute("aria-expanded") == "false"

        # End chat (rating skipped): the widget collapses; the next open is a new conversation.
        launcher.click()
        page.locator(".end").click()
        page.locator(".csat-skip").click()
        page.locator(".panel").wait_for(state="hidden", timeout=15_000)
        open_widget(page)
        page.locator(".message-notice").first.wait_for()
        assert customer_messages(page) == []
        assert not page.errors


def test_on_a_phone_the_closed_widget_covers_only_its_launcher_and_opens_full_screen(chromium, shop):
    with browser_page(chromium, 390, 844) as page:
        page.goto(f"{shop}?lang=en&pose=neutral&voice=off")
        page.locator(".launcher").wait_for()
        launcher = box(page, ".launcher")
        covered = page.evaluate(
            """() => { const host = document.querySelector('#avatar-assistant'); const hits = [];
                 for (let y = 5; y < innerHeight; y += 20) for (let x = 5; x < innerWidth; x += 20)
                   if (document.elementFromPoint(x, y) === host) hits.push([x, y]);
                 return hits; }"""
        )
        outside = [
            (x, y)
            for x, y in covered
            if not (launcher["x"] <= x <= launcher["x"] + 60 and launcher["y"] <= y <= launcher["y"] + 60)
        ]
        assert covered and not outside, f"the closed widget covers the shop at {outside[:5]}"

        open_widget(page)
        assert box(page, ".panel") == {"x": 0, "y": 0, "width": 390, "height": 844}
        assert page.locator(".launcher").is_hidden()
        close = page.locator(".minimise")
        assert close.get_attribute("aria-label") == "Minimise the chat" and page.locator(".icon-close").is_visible()
        assert box(page, ".minimise")["width"] >= 44
        # Captions have a strip of their own under the avatar, not over its face.
        page.evaluate(
            """() => { const c = document.querySelector('#avatar-assistant').shadowRoot.querySelector('.captions');
                 c.textContent = 'A caption of two lines to see where it goes on a phone.'; c.hidden = false; }"""
        )
        assert box(page, ".captions")["y"] >= box(page, ".avatar-host")["y"] + box(page, ".avatar-host")["height"] - 1
        page.evaluate("document.querySelector('#avatar-assistant').shadowRoot.querySelector('.captions').hidden = true")
        page.wait_for_function("window.__avatarDebug.avatar().frames > 5", timeout=20_000)
        assert_matches_reference(page.screenshot(), "widget-phone")
        close.click()
        assert page.locator(".panel").is_hidden() and page.locator(".launcher").is_visible()
        assert not page.errors


def test_the_full_page_gives_the_avatar_at_most_45_percent(chromium, bridge_url):
    with browser_page(chromium, 1280, 800) as page:
        page.goto(f"{bridge_url}/?lang=en&pose=neutral&voice=off")
        page.wait_for_function(OPEN, timeout=30_000)
        page.wait_for_function("window.__avatarDebug.avatar().frames > 5", timeout=20_000)
        card, stage, chat = box(page, ".assistant"), box(page, ".stage"), box(page, ".chat")
        assert stage["width"] <= 0.45 * card["width"] + 1 and chat["width"] >= 0.55 * card["width"] - 1
        assert page.locator(".minimise").count() == 0 and page.locator(".launcher").count() == 0
        assert_matches_reference(page.screenshot(), "page-desktop")


REALISTIC = "lang=en&pose=neutral&voice=off&avatar=valid-woman&allow_software_webgl"
REALISTIC_SHOWN = (
    "(() => { const a = window.__avatarDebug.avatar(); return a.kind === 'valid' && !a.loading && a.frames > 5; })()"
)


def test_the_realistic_avatar_on_a_desktop_page_and_in_the_phone_widget(chromium, bridge_url, shop):
    """The realistic default avatar where customers meet it: the full page on a desktop, the open
    widget on a phone (software WebGL: the software quality profile, docs/benchmarks.md)."""
    with browser_page(chromium, 1280, 800) as page:
        page.goto(f"{bridge_url}/?{REALISTIC}")
        page.wait_for_function(OPEN, timeout=30_000)
        page.wait_for_function(REALISTIC_SHOWN, timeout=60_000)
        assert_matches_reference(page.screenshot(), "valid-woman-page-desktop")
        assert not page.errors
    with browser_page(chromium, 390, 844) as page:
        page.goto(f"{shop}?{REALISTIC}")
        open_widget(page)
        page.wait_for_function(REALISTIC_SHOWN, timeout=60_000)
        assert box(page, ".panel") == {"x": 0, "y": 0, "width": 390, "height": 844}
        assert_matches_reference(page.screenshot(), "valid-woman-widget-phone")
        assert not page.errors
