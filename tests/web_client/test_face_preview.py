"""The face preview the admin console frames (web_client/src/preview/facePreview.js): only the avatar,
no session; the framing page changes the face by message, and anything else is ignored."""

from __future__ import annotations

import time


def _shown(page) -> tuple[str | None, str | None]:  # noqa: ANN001
    host = page.locator(".face-preview")
    return host.get_attribute("data-expression"), host.get_attribute("data-intensity")


def _wait_for(page, expected: tuple[str, str], timeout_s: float = 10.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and _shown(page) != expected:
        page.wait_for_timeout(50)
    assert _shown(page) == expected


def test_the_preview_shows_the_asked_face_and_follows_messages(chromium, bridge_url: str) -> None:  # noqa: ANN001
    context = chromium.new_context(viewport={"width": 300, "height": 360})  # the page's own CSP applies
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{bridge_url}/?preview=face&pose=concerned&intensity=0.7")
        page.locator(".face-preview[data-ready=true]").wait_for(timeout=30_000)
        assert _shown(page) == ("concerned", "0.7")
        assert page.locator("#assistant-input").count() == 0  # no chat, no session
        assert page.evaluate("window.__avatarDebug === undefined")

        page.evaluate("window.postMessage({type: 'avatar-preview', expression: 'happy', intensity: 0.5}, '*')")
        _wait_for(page, ("happy", "0.5"))
        for hostile in (
            "{type: 'avatar-preview', expression: 'constructor', intensity: 1}",
            "{type: 'avatar-preview', expression: 'sad', intensity: 7}",
            "'<img src=x onerror=alert(1)>'",
        ):
            page.evaluate(f"window.postMessage({hostile}, '*')")
        page.evaluate("window.postMessage({type: 'avatar-preview', expression: 'sad', intensity: 0.25}, '*')")
        _wait_for(page, ("sad", "0.25"))  # the valid one after the refused ones: they changed nothing
        assert errors == []
    finally:
        context.close()
