"""Fault behaviour against the real system (docs/operations.md "Fault behaviour").

Rasa down: the customer is told plainly and offered a person; accepting queues a handoff the real
handoff service picks up, and when Rasa is back the conversation goes on in the same tracker.
Action server down: a clear reply and no stuck form; when it is back the form works again.

The tests share one system and run in file order (each builds on the state the one before left):
Rasa is started twice in all, the action server twice.
"""

from __future__ import annotations

import time

import httpx
import pytest
import redis

from avatar_bridge.core.config import PACKAGE_DIR
from avatar_bridge.protocol.schema_registry import SchemaRegistry
from avatar_bridge.wording.playbooks import load_playbooks
from contracts.escalation.reasons import reason_text
from launcher.settings import LauncherSettings
from launcher.system import System
from tests.avatar_bridge.bridge_support.client import BridgeClient, of_type
from tests.support.rasa_api import rasa_api_auth

TURN_TIMEOUT = 90.0
# The bridge trusts one action-server probe this long (AVATAR_BRIDGE_ACTION_SERVER_PROBE_S default).
PROBE_TTL_S = 5.0


@pytest.fixture(scope="module")
def wording() -> dict:
    """The bridge's fallback wording per language, from the playbooks the system runs with."""
    reply_kinds = frozenset(SchemaRegistry.load().shared_enum("reply_kind"))
    playbooks = load_playbooks(PACKAGE_DIR / "wording" / "playbooks", reply_kinds)
    return {language: playbook.fallback for language, playbook in playbooks.items()}


class Customers:
    """The customers of this module, kept open across its tests (the fault sequence spans them)."""

    def __init__(self, settings: LauncherSettings) -> None:
        self.url = f"ws://127.0.0.1:{settings.bridge_port}/ws/v1"
        self.open: dict[str, BridgeClient] = {}

    def new(self, name: str, language: str = "en") -> BridgeClient:
        customer = BridgeClient(self.url)
        customer.start(language, capabilities={"audio": False})
        self.open[name] = customer
        return customer

    def __getitem__(self, name: str) -> BridgeClient:
        return self.open[name]

    def close(self) -> None:
        for customer in self.open.values():
            customer.close()


@pytest.fixture(scope="module")
def customers(fault_system: System, fault_settings: LauncherSettings):
    group = Customers(fault_settings)
    yield group
    group.close()


def _answered_by_rasa(frames: list[dict], wording: dict) -> list[dict]:
    """A normal answer: turn_complete, bot messages, none of them the bridge's fallback."""
    assert frames[-1]["type"] == "turn_complete", frames
    messages = of_type(frames, "bot_message")
    assert messages, frames
    fallback_texts = {
        text for w in wording.values() for text in (w.assistant_unavailable, w.lookups_unavailable, w.still_unavailable)
    }
    assert not {message["text"] for message in messages} & fallback_texts, messages
    return messages


def _one_terminal(frames: list[dict], message_id: str) -> None:
    terminal = [f for f in frames if f["type"] in ("turn_complete", "error") and f.get("reply_to") == message_id]
    assert len(terminal) == 1 and frames[-1] is terminal[0], frames


def _offer(frames: list[dict], text: str, titles: tuple[str, str]) -> dict:
    (message,) = of_type(frames, "bot_message")
    assert message["text"] == text
    assert [button["title"] for button in message["buttons"]] == list(titles)
    assert [button["payload"] for button in message["buttons"]] == ["/request_human", "/try_again"]
    assert message["reply_kind"] == "apology"
    return message


def _wait_for(customer: BridgeClient, frame_type: str, timeout: float = 30.0, **fields) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        frame = customer.recv(timeout=max(0.1, deadline - time.monotonic()))
        if frame["type"] == frame_type and all(frame.get(key) == value for key, value in fields.items()):
            return frame


def _tracker(settings: LauncherSettings, conversation: str) -> dict:
    response = httpx.get(
        f"{settings.rasa_url}/conversations/{conversation}/tracker", timeout=30, auth=rasa_api_auth(settings)
    )
    response.raise_for_status()
    return response.json()


def _user_texts(settings: LauncherSettings, conversation: str) -> list[str]:
    return [event["text"] for event in _tracker(settings, conversation)["events"] if event["event"] == "user"]


def _agent(settings: LauncherSettings) -> httpx.Client:
    client = httpx.Client(base_url=settings.handoff_url, timeout=30)
    response = client.post("/api/auth/login", json={"username": "mia", "password": "mia-demo-pass"})
    assert response.status_code == 200, response.text
    client.headers["Authorization"] = f"Bearer {response.json()['token']}"
    return client


def _queued(agent: httpx.Client, conversation: str, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        items = agent.get("/api/queue").json()["items"]
        found = [item for item in items if item["conversation_id"] == conversation]
        if found:
            return found[0]
        time.sleep(0.3)
    raise AssertionError(f"{conversation} never reached the handoff queue")


# --- Rasa down --------------------------------------------------------------------------------


def test_rasa_down_the_customer_is_told_plainly_and_offered_a_person(
    fault_system: System, fault_settings: LauncherSettings, customers: Customers, wording: dict
) -> None:
    english, german, later = customers.new("english"), customers.new("german", "de"), customers.new("later")
    _answered_by_rasa(english.ask("hello", timeout=TURN_TIMEOUT), wording)
    _answered_by_rasa(german.ask("Hallo", timeout=TURN_TIMEOUT), wording)
    _answered_by_rasa(later.ask("hello", timeout=TURN_TIMEOUT), wording)

    fault_system["rasa"].kill()

    message_id = english.say("where is my order?")
    frames = english.turn(message_id, timeout=TURN_TIMEOUT)
    _one_terminal(frames, message_id)
    en = wording["en"]
    _offer(frames, en.assistant_unavailable, (en.talk_to_person, en.try_again))
    assert frames[-1]["type"] == "error" and frames[-1]["code"] == "dialogue_unavailable"
    assert frames[-1]["fatal"] is False and "seq" in frames[-1]

    de = wording["de"]
    frames = german.ask("Wo ist meine Bestellung?", timeout=TURN_TIMEOUT)
    _offer(frames, de.assistant_unavailable, (de.talk_to_person, de.try_again))

    frames = later.ask("where is my order?", timeout=TURN_TIMEOUT)
    _offer(frames, en.assistant_unavailable, (en.talk_to_person, en.try_again))


def test_accepting_queues_a_handoff_the_handoff_service_routes_with_its_reason(
    fault_settings: LauncherSettings, customers: Customers, wording: dict, fault_redis: redis.Redis
) -> None:
    english, german = customers["english"], customers["german"]
    message_id = english.say("/request_human")  # the "Talk to a person" quick reply
    frames = english.turn(message_id, timeout=TURN_TIMEOUT)
    _one_terminal(frames, message_id)
    assert [m["text"] for m in of_type(frames, "bot_message")] == [wording["en"].handed_over]
    assert frames[-1]["type"] == "turn_complete" and frames[-1]["routed_to"] == "agent"
    status = _wait_for(english, "status", state="queued")
    assert status["queue_position"] >= 1

    # Typed acceptance, in German.
    frames = german.ask("Ja, bitte!", timeout=TURN_TIMEOUT)
    assert [m["text"] for m in of_type(frames, "bot_message")] == [wording["de"].handed_over]
    _wait_for(german, "status", state="queued")

    agent = _agent(fault_settings)
    row = _queued(agent, english.session_id)
    assert row["reason"] == "assistant_unavailable" and row["skill"] == "general"
    assert row["reason_text"] == reason_text("assistant_unavailable")
    assert _queued(agent, german.session_id)["language"] == "de"

    # The agent sees what the customer's window showed, without any Rasa tracker behind it.
    view = agent.get(f"/api/conversations/{english.session_id}").json()
    lines = [(line["role"], line["text"]) for line in view["context"]["transcript"]]
    assert ("customer", "hello") in lines and ("customer", "where is my order?") in lines
    assert ("bot", wording["en"].assistant_unavailable) in lines
    assert not [text for role, text in lines if text.startswith("/")]  # button payloads left out
    assert view["context"]["reasons"][0]["text"] == reason_text("assistant_unavailable")

    # While queued, the customer's messages reach the agent, not the broken assistant.
    frames = english.ask("are you there?", timeout=TURN_TIMEOUT)
    assert frames[-1]["type"] == "turn_complete" and frames[-1]["routed_to"] == "agent"
    agent.close()


def test_when_rasa_is_back_conversations_continue_in_the_same_tracker(
    fault_system: System, fault_settings: LauncherSettings, customers: Customers, wording: dict
) -> None:
    fault_system["rasa"].start()
    fault_system["rasa"].wait_ready()

    # "Try again" sends the message that failed; Rasa gets it once.
    later = customers["later"]
    _answered_by_rasa(later.ask("/try_again", timeout=TURN_TIMEOUT), wording)
    assert _user_texts(fault_settings, later.session_id) == ["hello", "where is my order?"]

    fresh = customers.new("fresh")
    _answered_by_rasa(fresh.ask("hello", timeout=TURN_TIMEOUT), wording)

    # The agent hands the English customer back; the bot takes over in the same tracker.
    english = customers["english"]
    agent = _agent(fault_settings)
    claimed = agent.post(f"/api/queue/{english.session_id}/claim")
    assert claimed.status_code == 200, claimed.text
    _wait_for(english, "status", state="with_agent")
    handed_back = agent.post(f"/api/conversations/{english.session_id}/handback")
    assert handed_back.status_code == 200, handed_back.text
    _wait_for(english, "status", state="bot")
    _answered_by_rasa(english.ask("thanks", timeout=TURN_TIMEOUT), wording)
    # Only what Rasa answered is in its tracker, each message once: the failed one and the
    # acceptance were the bridge's, the queued message the agent's.
    assert _user_texts(fault_settings, english.session_id) == ["hello", "thanks"]
    agent.close()


# --- action server down ------------------------------------------------------------------------


def test_action_server_down_mid_form_gives_a_clear_reply_and_no_stuck_form(
    fault_system: System, fault_settings: LauncherSettings, customers: Customers, wording: dict
) -> None:
    shopper = customers.new("shopper")
    _answered_by_rasa(shopper.ask("where is my order?", timeout=TURN_TIMEOUT), wording)
    assert _tracker(fault_settings, shopper.session_id)["active_loop"]["name"] == "verify_form"

    fault_system["action-server"].kill()
    time.sleep(PROBE_TTL_S + 0.5)  # the bridge's cached "up" runs out

    message_id = shopper.say("james.carter@example.com")
    frames = shopper.turn(message_id, timeout=TURN_TIMEOUT)
    _one_terminal(frames, message_id)
    en = wording["en"]
    _offer(frames, en.lookups_unavailable, (en.talk_to_person, en.try_again))
    assert frames[-1]["type"] == "turn_complete"
    tracker = _tracker(fault_settings, shopper.session_id)
    assert not tracker["active_loop"] and tracker["slots"]["requested_slot"] is None

    # A new request that needs a lookup gets the same clear answer, not "I'm not sure what you need".
    newcomer = customers.new("newcomer")
    frames = newcomer.ask("I forgot my password", timeout=TURN_TIMEOUT)
    _offer(frames, en.lookups_unavailable, (en.talk_to_person, en.try_again))


def test_when_the_action_server_is_back_the_form_works_again(
    fault_system: System, fault_settings: LauncherSettings, customers: Customers, wording: dict
) -> None:
    fault_system["action-server"].start()
    fault_system["action-server"].wait_ready()
    time.sleep(PROBE_TTL_S + 0.5)  # the bridge's cached "down" runs out

    shopper = customers["shopper"]
    _answered_by_rasa(shopper.ask("where is my order?", timeout=TURN_TIMEOUT), wording)
    tracker = _tracker(fault_settings, shopper.session_id)
    assert tracker["active_loop"]["name"] == "verify_form"
    _answered_by_rasa(shopper.ask("james.carter@example.com", timeout=TURN_TIMEOUT), wording)
    assert _tracker(fault_settings, shopper.session_id)["slots"]["requested_slot"] == "phone_last4"
