"""The web client under its real Content-Security-Policy (docs/operations.md): the page loads,
renders the avatar, talks over the WebSocket and shows a reply, and the browser reports no
policy violation. (The other browser tests bypass the CSP only because Playwright's
wait_for_function polls with eval.)"""

from __future__ import annotations

import time

from tests.web_client.helpers import bot_messages, send

VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  (event) => window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));
"""


def _until(page, expression: str, timeout_s: float) -> None:
    """Polls with page.evaluate (run by the browser's debugger protocol, not the page's eval)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.2)


def test_the_page_works_under_its_policy_without_violations(chromium, bridge_url) -> None:  # noqa: ANN001
    context = chromium.new_context(viewport={"width": 1000, "height": 700})
    try:
        page = context.new_page()
        page.add_init_script(VIOLATIONS)
        console_errors: list[str] = []
        page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
        response = page.goto(f"{bridge_url}/?lang=en")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        _until(page, "window.__avatarDebug && window.__avatarDebug.connection().state === 'open'", 30)
        _until(page, "window.__avatarDebug.avatar().frames > 5", 30)
        send(page, "Hello")
        _until(
            page,
            "document.querySelector('#avatar-assistant').shadowRoot.querySelectorAll('.message-bot').length >= 1",
            90,
        )
        assert bot_messages(page)[0].strip()
        assert page.evaluate("window.__cspViolations") == []
        assert not [text for text in console_errors if "Content Security Policy" in text]
    finally:
        context.close()
