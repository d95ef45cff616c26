"""The agent's workspace end to end in headless Chromium against the running system (issue #17):
alerts when a handoff arrives (title count, screen-reader sentence, desktop notification, chime)
only for the agent's languages and never while paused; every chat line shown once in the agent's,
the supervisor's and the customer's views, also after their sockets reconnect; the supervisor's
barge-in named as a supervisor; the hand-back notice and a proper answer to the next question;
the rating form when the agent ends the conversation.

The customer uses the real widget (served by the bridge), so "shown once" is what a person sees.
"""

from tests.handoff.console.conftest import CustomerSocket

# Recorded before the page's own scripts run: every WebSocket (to drop it as a network failure
# would), every desktop notification, every oscillator started (the chime).
SPIES = """
(() => {
  window.__sockets = [];
  const RealSocket = window.WebSocket;
  window.WebSocket = class extends RealSocket {
    constructor(...args) { super(...args); window.__sockets.push(this); }
  };
  window.__notified = [];
  if (window.Notification) {
    const RealNotification = window.Notification;
    window.Notification = class extends RealNotification {
      constructor(title, options) { window.__notified.push({ title, ...options }); super(title, options); }
    };
  }
  window.__oscillatorStarts = 0;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    window.__oscillatorStarts += 1;
    return start.apply(this, args);
  };
})();
"""
DROP_SOCKETS = "() => { for (const socket of window.__sockets) socket.close(); }"
CANNED_GREETING = (
    "Hello, I'm here to help. I've read your conversation with our assistant, so you don't need to repeat anything."
)
BARGE_IN = "Sam here, the team lead. I'll make sure this gets sorted today."


def far_from_the_server(context, page) -> None:  # noqa: ANN001
    """300 ms on every request, as for an agent far from the server: the console's two reads after
    a line it wrote (its own, and the one the live socket's "changed" causes) then overlap."""
    network = context.new_cdp_session(page)
    network.send("Network.enable")
    network.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 300, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def console(chromium, base: str, username: str, password: str, *, notifications: bool = False):  # noqa: ANN001, ANN201
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    if notifications:
        context.grant_permissions(["notifications"], origin=base)
    context.add_init_script(SPIES)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-button")
    page.wait_for_url(lambda url: url.startswith(base) and "/login" not in url)
    page.locator("#live-state", has_text="live").wait_for(timeout=20_000)
    page.mouse.move(1200, 880)  # away from the queue: looking at the queue clears the alerts
    far_from_the_server(context, page)
    return context, page


def alerts(page) -> dict:  # noqa: ANN001
    return page.evaluate(
        "({ ...window.__consoleAlerts(), notified: window.__notified.length,"
        " oscillators: window.__oscillatorStarts,"
        " said: document.querySelector('#alert-announcer').textContent })"
    )


def texts(page, selector: str) -> list[str]:  # noqa: ANN001
    return page.locator(selector).all_inner_texts()


def settle(page, seconds: float = 2.5) -> None:  # noqa: ANN001
    """Long enough for the live socket's next "changed" and the reads it causes (polled every 0.3 s,
    each read 300 ms away); waits through Playwright so that its events keep flowing."""
    page.wait_for_timeout(seconds * 1000)


def widget_says(widget, text: str) -> None:  # noqa: ANN001
    widget.locator("#assistant-input").fill(text)
    widget.locator(".send").click()


def test_alerts_each_line_once_hand_back_and_rating(running_system, system_settings, chromium) -> None:  # noqa: ANN001
    base = system_settings.handoff_url
    contexts = []
    german = CustomerSocket(f"ws://127.0.0.1:{system_settings.bridge_port}/ws/v1")
    try:
        mia_context, mia = console(chromium, base, "mia", "mia-demo-pass", notifications=True)  # en, de
        tom_context, tom = console(chromium, base, "tom", "tom-demo-pass")  # en only
        contexts += [mia_context, tom_context]
        assert mia.title() == "Agent console" and alerts(mia)["unseen"] == 0
        # Asked with the button (a user gesture), never on load: granted here, so the button hides.
        assert mia.locator("#alert-desktop").is_hidden()
        assert tom.locator("#alert-sound").get_attribute("aria-pressed") == "true"

        # A German customer asks for a person: Mia (German) is alerted, Tom (English only) is not.
        german.send({"type": "start", "language": "de", "capabilities": {"audio": False}})
        german_id = german.wait_for(lambda f: f["type"] == "session_started")["session_id"]
        german.say("Ich möchte mit einem Menschen sprechen")
        german.wait_for(lambda f: f["type"] == "status" and f["state"] == "queued", timeout=90)
        mia.wait_for_function("document.title === '(1) Agent console'", timeout=20_000)
        mia.locator("#alert-announcer", has_text="New conversation waiting:").wait_for(state="attached", timeout=5_000)
        seen = alerts(mia)
        assert seen["notified"] == 1 and seen["notifications"] == 1
        assert seen["chimes"] == 1 and seen["oscillators"] >= 1
        # The row is drawn after the alert (the list reloads with its filters): wait for it.
        new_row = mia.locator(f"#queue li.is-new[data-conversation='{german_id}'] .new-mark")
        new_row.wait_for(timeout=10_000)
        assert new_row.count() == 1
        settle(tom)
        quiet = alerts(tom)
        assert tom.title() == "Agent console" and quiet["said"] == ""
        assert (quiet["chimes"], quiet["notifications"], quiet["announcements"], quiet["unseen"]) == (0, 0, 0, 0)

        # Tom pauses; an English customer (Tom's language) asks for a person in the widget.
        tom.click("#pause")
        tom.locator("#pause", has_text="Resume").wait_for()
        widget_context = chromium.new_context(viewport={"width": 1000, "height": 800}, bypass_csp=True)
        contexts.append(widget_context)
        widget_context.add_init_script(SPIES)
        widget = widget_context.new_page()
        widget.goto(f"{system_settings.bridge_url}/?lang=en&webgl=off&voice=off")
        widget.wait_for_function(
            "window.__avatarDebug && window.__avatarDebug.connection().state === 'open'", timeout=30_000
        )
        customer_id = widget.evaluate("window.__avatarDebug.connection().sessionId")
        widget_says(widget, "I want to talk to a real person please")
        widget.locator(".banner[data-kind='agent']").wait_for(timeout=90_000)
        mia.wait_for_function("document.title === '(2) Agent console'", timeout=20_000)
        assert alerts(mia)["notified"] == 2
        settle(tom)
        assert tom.title() == "Agent console" and alerts(tom)["chimes"] == 0 and alerts(tom)["notified"] == 0

        # Looking at the queue (here by keyboard focus) clears the count and the "New" marks.
        mia.locator(f"#queue li[data-conversation='{customer_id}'] button.claim").focus()
        mia.wait_for_function("document.title === 'Agent console'", timeout=5_000)
        assert mia.locator("#queue .new-mark").count() == 0

        # Mia claims, greets with a canned reply: one line in her view, one in the customer's.
        mia.locator(f"#queue li[data-conversation='{customer_id}'] button.claim").click()
        mia.locator("#conversation").wait_for(state="visible")
        mia.select_option("#canned", label="Greeting")
        mia.dblclick("#send")  # a double click sends it once
        widget.locator(".message-agent", has_text="you don't need to repeat anything").wait_for(timeout=20_000)
        settle(mia)
        assert texts(mia, "#messages li.msg-agent .text") == [CANNED_GREETING]

        # Sam barges in: the customer sees "Sam (supervisor)"; one joined line, one message everywhere.
        sam_context, sam = console(chromium, base, "sam", "sam-demo-pass")
        contexts.append(sam_context)
        sam.locator(f"#live li[data-conversation='{customer_id}'] button").click()
        sam.locator("#monitor").wait_for(state="visible")
        sam.fill("#barge-text", BARGE_IN)
        sam.press("#barge-text", "Enter")
        sam.press("#barge-text", "Enter")  # while the first is on its way: nothing more is sent
        widget.locator(".message-agent", has_text=BARGE_IN).wait_for(timeout=20_000)
        assert widget.locator(".message-agent", has_text=BARGE_IN).locator(".author").inner_text() == "Sam (supervisor)"
        settle(sam)
        for page in (sam, mia):
            assert texts(page, "#messages li.msg-agent .text") == [CANNED_GREETING, BARGE_IN]
            assert len([t for t in texts(page, "#messages li.msg-system") if "joined" in t]) == 1
        assert mia.locator("#messages li.msg-agent .who").last.inner_text() == "Sam (supervisor)"

        # Every socket drops (agent, supervisor, customer) and reconnects: still each line once.
        widget_says(widget, "Thanks, that's kind")
        mia.locator("#messages li.msg-customer", has_text="that's kind").wait_for(timeout=20_000)
        for page in (mia, sam, widget):
            page.evaluate(DROP_SOCKETS)
        mia.locator("#live-state", has_text="live").wait_for(timeout=20_000)
        sam.locator("#live-state", has_text="live").wait_for(timeout=20_000)
        widget.wait_for_function("window.__avatarDebug.connection().state === 'open'", timeout=30_000)
        mia.fill("#reply-text", "You're welcome. I'll pass you back to Mila now.")
        mia.click("#send")
        widget.locator(".message-agent", has_text="pass you back").wait_for(timeout=20_000)
        settle(sam)
        for page in (mia, sam):
            lines = texts(page, "#messages li .text")
            assert len(lines) == len(set(lines)), lines
            assert page.locator("#messages li").count() == len(
                set(page.locator("#messages li").evaluate_all("items => items.map(item => item.dataset.id)"))
            )
        shown = texts(widget, ".message-agent .text, .message-customer .text")
        assert len(shown) == len(set(shown)) and CANNED_GREETING in shown and BARGE_IN in shown, shown

        # Hand back: the customer is told, in their language, and the banner says who answers now.
        mia.click("#handback")
        notice = widget.locator(".message-notice", has_text="back with the assistant")
        notice.wait_for(timeout=20_000)
        assert "orders" in notice.inner_text() and "passwords" in notice.inner_text()
        banner = widget.locator(".banner[data-kind='bot']")
        assert banner.inner_text() == "You're chatting with Mila, the assistant, again."
        # The next question is answered as a question about that order, not as small talk.
        widget_says(widget, "when will 40010012 ship?")
        answer = widget.locator(".message-bot", has_text="order").last
        answer.wait_for(timeout=90_000)
        replies = " ".join(texts(widget, ".message-bot .text"))
        assert "You're welcome" not in replies
        assert widget.locator(".banner[data-kind='bot']").count() == 0  # said its piece

        # The agent ends a conversation: the customer is asked for a rating.
        widget_says(widget, "I want to talk to a real person please")
        widget.locator(".banner[data-kind='agent']").wait_for(timeout=90_000)
        mia.locator(f"#queue li[data-conversation='{customer_id}'] button.claim").click(timeout=20_000)
        mia.locator("#conversation").wait_for(state="visible")
        assert widget.locator(".csat").is_hidden()
        mia.select_option("#outcome", "resolved")
        mia.click("#end")
        widget.locator(".message-notice", has_text="finished the conversation").wait_for(timeout=20_000)
        widget.locator(".csat .csat-score").first.wait_for(timeout=10_000)
        assert widget.locator(".csat-score").count() == 5

        # Clean up for the other test modules: the German conversation is taken and ended.
        mia.locator("#conversation").wait_for(state="hidden")
        mia.locator(f"#queue li[data-conversation='{german_id}'] button.claim").click(timeout=20_000)
        mia.locator("#conv-title", has_text="· de").wait_for(timeout=20_000)
        mia.click("#end")
        german.wait_for(lambda f: f["type"] == "status" and f["state"] == "agent_left")
        tom.click("#pause")
    finally:
        german.close()
        for context in contexts:
            context.close()
