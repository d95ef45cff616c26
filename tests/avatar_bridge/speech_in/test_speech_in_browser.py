"""Push-to-talk round trip in headless Chromium: its fake microphone plays a spoken WAV, the widget
streams it, the bridge recognises it and the words land in the composer. The bridge (with
FakeRasa; no bot is needed for push-to-talk) serves the built widget."""

import time
import wave

import pytest
from conftest import start_stack
from speech_in.audio_support import spoken

from tests.support.browser import CHROMIUM_ARGS, chromium_executable

DIST = __import__("pathlib").Path(__file__).resolve().parents[3] / "web_client" / "dist"


@pytest.fixture(scope="module")
def page_bridge(redis_server, speech_cache_dir):
    if not (DIST / "widget.js").is_file():
        pytest.fail("web_client/dist is missing: run `make setup` (builds the web client)")
    stack = start_stack(redis_server.url, speech_cache_dir, speech_in_warm_up=True, web_client_dir=DIST)
    yield stack
    stack.stop()


@pytest.fixture
def microphone_wav(tmp_path):
    path = tmp_path / "customer.wav"  # the test's own fixture audio, for Chromium's fake device
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(spoken("I would like to know where my order is.", "en-us"))
    return path


def test_push_to_talk_puts_the_spoken_words_into_the_composer(page_bridge, microphone_wav):
    from playwright.sync_api import sync_playwright

    args = CHROMIUM_ARGS + [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={microphone_wav}%noloop",
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable(), args=args, headless=True)
        try:
            context = browser.new_context(bypass_csp=True, permissions=["microphone"])
            page = context.new_page()
            console: list[str] = []
            page.on("console", lambda message: console.append(message.text))
            page.on("pageerror", lambda error: console.append(str(error)))
            page.goto(f"{page_bridge.http_url}/?lang=en&webgl=off")
            mic = page.locator("button.voice-mic")
            mic.wait_for(state="visible", timeout=30_000)
            mic.click()
            status = page.locator(".voice-status")
            try:
                status.filter(has_text="Microphone on").wait_for(timeout=10_000)
            except Exception:
                raise AssertionError(f"status {status.text_content()!r}; console {console}") from None
            assert mic.get_attribute("aria-pressed") == "true"
            time.sleep(4.0)  # the fake device plays the 3.4 s clip
            mic.click()
            composer = page.locator("textarea.composer-input")
            deadline = time.monotonic() + 60
            while "order" not in composer.input_value().lower() and time.monotonic() < deadline:
                time.sleep(0.2)
            text = composer.input_value().lower()
            assert "where my order" in text, text
            assert mic.get_attribute("aria-pressed") == "false"
        finally:
            browser.close()
