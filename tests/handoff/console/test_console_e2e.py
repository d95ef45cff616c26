"""End to end in headless Chromium against the running system: a customer on the bridge WebSocket
asks for a person, the agent claims the conversation in the console, they chat both ways, a
supervisor's whisper never reaches the customer, and the agent hands the customer back to the bot."""

import re
import time

import httpx

from tests.handoff.console.conftest import CustomerSocket
from tests.support.rasa_api import rasa_api_auth

WHISPER = "Offer them the 10 percent voucher"
HOSTILE = "<img src=x onerror=\"document.title='pwned'\"> thanks for helping"


def sign_in(page, base: str, username: str, password: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-button")


def test_customer_is_handed_over_chats_with_an_agent_and_returns_to_the_bot(
    running_system, system_settings, chromium
) -> None:  # noqa: ANN001
    base = system_settings.handoff_url
    customer = CustomerSocket(f"ws://127.0.0.1:{system_settings.bridge_port}/ws/v1")
    agent_context = chromium.new_context()
    supervisor_context = chromium.new_context()
    try:
        customer.send({"type": "start", "language": "en", "capabilities": {"audio": False}})
        session_id = customer.wait_for(lambda f: f["type"] == "session_started")["session_id"]
        asked = customer.say("I want to talk to a real person please")
        customer.wait_for(lambda f: f["type"] == "turn_complete" and f["reply_to"] == asked, timeout=90)
        queued = customer.wait_for(lambda f: f["type"] == "status" and f["state"] == "queued", timeout=30)
        assert queued["queue_position"] == 1 and queued["estimated_wait_s"] > 0

        agent = agent_context.new_page()
        sign_in(agent, base, "mia", "mia-demo-pass")
        agent.wait_for_url(f"{base}/agent")
        item = agent.locator(f"#queue li[data-conversation='{session_id}']")
        item.wait_for(timeout=20_000)
        assert re.search(r"\d+ (s|min)", item.locator(".wait").inner_text())
        item.locator("button.claim").click()
        agent.locator("#conversation").wait_for(state="visible")
        assert "real person" in agent.locator("#context").inner_text()  # the transcript came along
        joined = customer.wait_for(lambda f: f["type"] == "status" and f["state"] == "with_agent")
        assert "Mia" in joined["text"]

        # Agent → customer, as a person with a name.
        agent.fill("#reply-text", "Hello, I'm Mia. How can I help?")
        agent.click("#send")
        message = customer.wait_for(lambda f: f["type"] == "agent_message")
        assert message["agent"]["display_name"] == "Mia" and message["text"] == "Hello, I'm Mia. How can I help?"

        # Customer → agent, shown as text (never HTML).
        sent = customer.say(HOSTILE)
        done = customer.wait_for(lambda f: f["type"] == "turn_complete" and f["reply_to"] == sent)
        assert done["routed_to"] == "agent"
        line = agent.locator("#messages li.msg-customer").last
        line.wait_for(timeout=20_000)
        assert line.locator(".text").inner_text() == HOSTILE
        assert agent.locator("#messages img").count() == 0 and agent.title() != "pwned"

        # Supervisor whispers: the agent sees it, the customer never does.
        supervisor = supervisor_context.new_page()
        sign_in(supervisor, base, "sam", "sam-demo-pass")
        supervisor.wait_for_url(f"{base}/supervisor")
        row = supervisor.locator(f"#live li[data-conversation='{session_id}']")
        row.wait_for(timeout=20_000)
        assert row.locator(".badge").count() == 1  # the emotion badge
        row.locator("button").click()
        supervisor.locator("#monitor").wait_for(state="visible")
        supervisor.fill("#whisper-text", WHISPER)
        supervisor.click("#whisper")
        agent.locator("#messages li.msg-whisper", has_text=WHISPER).wait_for(timeout=20_000)

        # Private note, then hand back to the bot.
        agent.fill("#note-text", "customer calm again")
        agent.click("#add-note")
        agent.locator("#messages li.msg-note", has_text="customer calm again").wait_for(timeout=10_000)
        agent.click("#handback")
        back = customer.wait_for(lambda f: f["type"] == "status" and f["state"] == "bot")
        assert "Mia" in back["text"]
        agent.locator("#conversation").wait_for(state="hidden")
        # Rasa knows the conversation is back with the bot, so it can escalate again later.
        slots = httpx.get(
            f"{system_settings.rasa_url}/conversations/{session_id}/tracker",
            timeout=30,
            auth=rasa_api_auth(system_settings),
        ).json()["slots"]
        assert slots["handoff_requested"] is False and slots["human_offered"] is False

        again = customer.say("where is my order")
        after = customer.wait_for(lambda f: f["type"] == "turn_complete" and f["reply_to"] == again, timeout=90)
        assert after["routed_to"] == "bot"
        time.sleep(1.0)
        everything = repr(customer.frames)
        assert WHISPER not in everything and "customer calm again" not in everything
    finally:
        customer.close()
        agent_context.close()
        supervisor_context.close()
