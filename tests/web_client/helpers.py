"""Small page helpers for the web-client tests (selectors pierce the widget's open shadow root)."""

from __future__ import annotations

REPLY_TIMEOUT_MS = 60_000


def send(page, text: str) -> None:
    box = page.locator("#assistant-input")
    box.fill(text)
    box.press("Enter")


def bot_messages(page) -> list[str]:
    return page.locator(".message-bot .text").all_text_contents()


def customer_messages(page) -> list[str]:
    return page.locator(".message-customer .text").all_text_contents()


def wait_for_bot_messages(page, count: int) -> None:
    page.wait_for_function(
        "n => document.querySelector('#avatar-assistant').shadowRoot.querySelectorAll('.message-bot').length >= n",
        arg=count,
        timeout=REPLY_TIMEOUT_MS,
    )


def wait_turn_done(page) -> None:
    """Waits until no message is pending and the typing indicator is gone."""
    page.wait_for_function(
        """() => { const root = document.querySelector('#avatar-assistant').shadowRoot;
                   return window.__avatarDebug.connection().pending === 0 && root.querySelector('.typing').hidden; }""",
        timeout=REPLY_TIMEOUT_MS,
    )
