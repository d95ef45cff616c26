"""Reduced motion, no WebGL, audio blocked by the browser's autoplay policy."""

from __future__ import annotations

from tests.web_client.helpers import bot_messages, send, wait_for_bot_messages


def test_reduced_motion_keeps_the_head_still(open_page):
    page = open_page("lang=en", reduced_motion="reduce")
    page.wait_for_function("window.__avatarDebug.avatar().frames > 30", timeout=20_000)
    snapshot = page.evaluate("window.__avatarDebug.avatar()")
    assert snapshot["reducedMotion"] is True
    page.locator("#assistant-input").type("typing makes the avatar nod, but not now")
    poses = page.wait_for_function(
        """() => { window.__poses ||= []; window.__poses.push(window.__avatarDebug.avatar().head);
                   return window.__poses.length >= 30 ? window.__poses : false; }""",
        polling="raf",
        timeout=20_000,
    ).json_value()
    assert all(abs(pose["yaw"]) < 1e-6 for pose in poses)
    assert max(p["pitch"] for p in poses) - min(p["pitch"] for p in poses) < 1e-3


def test_head_moves_without_reduced_motion(open_page):
    page = open_page("lang=en")
    poses = page.wait_for_function(
        """() => { window.__poses ||= []; window.__poses.push(window.__avatarDebug.avatar().head.yaw);
                   return window.__poses.length >= 30 ? window.__poses : false; }""",
        polling="raf",
        timeout=20_000,
    ).json_value()
    assert max(poses) - min(poses) > 1e-4


def test_without_webgl_the_chat_works_with_a_portrait(open_page, chromium_without_webgl):
    page = open_page("lang=en", browser=chromium_without_webgl)
    assert page.evaluate("window.__avatarDebug.avatar().renderer") == "portrait"
    assert page.locator("svg.avatar-portrait").is_visible()
    send(page, "Hello")
    wait_for_bot_messages(page, 1)
    assert bot_messages(page)[0].strip()


# Headless Chromium under Playwright lets audio start without a gesture whatever --autoplay-policy
# says (and Playwright's evaluate counts as user activation), so the browser's autoplay policy,
# outside our system, is replaced by this clearly named fake: an AudioContext that stays suspended
# until the user has pressed a pointer on the page (a trusted event).
FAKE_AUTOPLAY_POLICY = """
(() => {
  const Real = window.AudioContext;
  let pointerPressed = false;
  window.addEventListener('pointerdown', (event) => { if (event.isTrusted) pointerPressed = true; }, true);
  class AutoplayBlockingAudioContext extends Real {
    constructor(...args) { super(...args); this.allowed = false; super.suspend(); }
    get state() { return this.allowed ? super.state : 'suspended'; }
    async resume() {
      if (!pointerPressed) throw new DOMException('blocked by autoplay policy', 'NotAllowedError');
      this.allowed = true;
      return super.resume();
    }
  }
  window.AudioContext = AutoplayBlockingAudioContext;
})();
"""


def test_blocked_audio_shows_captions_and_a_sound_prompt(open_page, chromium, bridge_url):
    context = chromium.new_context(viewport={"width": 1000, "height": 700}, bypass_csp=True)  # see conftest
    try:
        context.add_init_script(FAKE_AUTOPLAY_POLICY)
        page = context.new_page()
        page.goto(f"{bridge_url}/?lang=en")
        page.wait_for_function(
            "window.__avatarDebug && window.__avatarDebug.connection().state === 'open'", timeout=30_000
        )
        # Submitted from script (no pointer gesture), as when a reply arrives before any interaction.
        page.evaluate("""() => { const root = document.querySelector('#avatar-assistant').shadowRoot;
                                 root.querySelector('#assistant-input').value = 'Hello';
                                 root.querySelector('.composer').requestSubmit(); }""")
        page.wait_for_function("window.__avatarDebug.audio().blocked", timeout=60_000)
        prompt = page.locator(".sound-prompt")
        assert prompt.is_visible() and prompt.text_content() == "Tap to enable sound"
        page.locator(".captions").wait_for(timeout=20_000)
        assert page.locator(".captions").text_content().strip()
        prompt.click()
        page.wait_for_function("!window.__avatarDebug.audio().blocked", timeout=10_000)
        assert prompt.is_hidden()
    finally:
        context.close()


def test_webgl_off_switch_shows_the_portrait(open_page):
    page = open_page("lang=en&webgl=off")
    assert page.evaluate("window.__avatarDebug.avatar().renderer") == "portrait"


def test_narrow_screen_and_german(open_page):
    page = open_page("lang=de", viewport={"width": 360, "height": 740})
    assert page.locator(".send").text_content() == "Senden"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator(".language").select_option("en")
    assert page.locator(".send").text_content() == "Send"


def test_rendering_pauses_while_the_avatar_is_hidden(open_page):
    page = open_page("lang=en")
    page.wait_for_function("window.__avatarDebug.avatar().running && window.__avatarDebug.avatar().frames > 5")
    page.evaluate("document.querySelector('#avatar-assistant').style.display = 'none'")
    page.wait_for_function("!window.__avatarDebug.avatar().running", timeout=10_000)
    frames = page.evaluate("window.__avatarDebug.avatar().frames")
    # Let several display frames pass (a condition, not a sleep), then check nothing was drawn.
    page.evaluate(
        "() => new Promise(done => { let n = 0; "
        "const tick = () => ++n >= 20 ? done() : requestAnimationFrame(tick); requestAnimationFrame(tick); })"
    )
    assert page.evaluate("window.__avatarDebug.avatar().frames") == frames
    page.evaluate("document.querySelector('#avatar-assistant').style.display = ''")
    page.wait_for_function(f"window.__avatarDebug.avatar().frames > {frames}", timeout=10_000)


def test_keyboard_only_conversation(open_page):
    page = open_page("lang=en")
    for _ in range(12):
        page.keyboard.press("Tab")
        if (
            page.evaluate("document.querySelector('#avatar-assistant').shadowRoot.activeElement?.id")
            == "assistant-input"
        ):
            break
    else:
        raise AssertionError("the message box cannot be reached with Tab")
    page.keyboard.type("Hello")
    page.keyboard.press("Enter")
    wait_for_bot_messages(page, 1)
