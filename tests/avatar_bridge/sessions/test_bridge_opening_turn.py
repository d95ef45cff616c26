"""The opening turn: a session started with a customer token asks the bot once, before the customer
types; its note reaches the client like any reply, and nothing else does (no ack, no resend)."""

import json
import logging
import time

import pytest
import redis
from bridge_support.client import BridgeClient, of_type

from avatar_bridge.sessions.opening import OPENING_PAYLOAD, OPENING_TURN_ID
from contracts.incidents.stored import INCIDENTS_KEY

WITH_NOTE = "shop-token-with-a-note"
WITHOUT_NOTE = "shop-token-plain"


def received(bridge, client) -> list[str]:
    return bridge.fake_rasa.received.get(client.session_id, [])


def wait_for_rasa(bridge, client, count: int, timeout_s: float = 5.0) -> list[str]:
    deadline = time.monotonic() + timeout_s
    while len(received(bridge, client)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return received(bridge, client)


def test_a_note_from_the_bot_arrives_before_the_customer_types(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en", customer_token=WITH_NOTE, capabilities={"audio": False})
    frames = client.turn(OPENING_TURN_ID)
    client.close()

    assert [frame["type"] for frame in frames] == ["bot_message", "turn_complete"]  # no ack: nobody spoke
    assert frames[0]["text"] == "A heads-up: your order 40010002 is running late."
    assert frames[0]["reply_to"] == OPENING_TURN_ID and frames[1]["messages"] == 1
    assert received(bridge, client) == [OPENING_PAYLOAD]
    assert bridge.fake_rasa.metadata[client.session_id][0]["customer_token"] == WITH_NOTE


def test_without_a_note_the_opening_turn_sends_nothing_and_the_conversation_goes_on(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en", customer_token=WITHOUT_NOTE, capabilities={"audio": False})
    assert wait_for_rasa(bridge, client, 1) == [OPENING_PAYLOAD]
    frames = client.ask("echo hello")
    client.close()
    assert frames[0]["type"] == "ack"  # nothing of the opening turn came first
    assert all(frame.get("reply_to") != OPENING_TURN_ID for frame in client.received)
    assert received(bridge, client) == [OPENING_PAYLOAD, "echo hello"]


def test_exactly_one_opening_turn_also_across_resumes(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en", customer_token=WITH_NOTE, capabilities={"audio": False})
    client.turn(OPENING_TURN_ID)
    client.close()
    resumed = BridgeClient(bridge.ws_url)
    assert resumed.resume(client, customer_token=WITH_NOTE)["type"] == "session_resumed"
    resumed.ask("echo after the resume")
    resumed.close()
    assert received(bridge, client).count(OPENING_PAYLOAD) == 1
    assert received(bridge, client)[-1] == "echo after the resume"


def test_no_token_no_opening_turn(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en", capabilities={"audio": False})
    client.ask("echo anonymous")
    client.close()
    assert received(bridge, client) == ["echo anonymous"]


def test_the_dialogue_being_down_at_the_opening_is_not_the_customers_problem(own_bridge, caplog):
    caplog.set_level(logging.WARNING)
    stack = own_bridge(speech_enabled=False)
    stack.fake_rasa.down = True
    client = BridgeClient(stack.ws_url)
    client.start("en", customer_token=WITH_NOTE)
    deadline = time.monotonic() + 5
    while "opening turn skipped" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "opening turn skipped" in caplog.text and WITH_NOTE not in caplog.text
    stack.fake_rasa.down = False
    frames = client.ask("echo hello")
    client.close()
    # No offer of a person, no error frame: the first thing after session_started is the ack.
    assert client.received[0]["type"] == "session_started" and client.received[1]["type"] == "ack"
    assert of_type(frames, "error") == []


def publish_incident(redis_server, kind: str, values: list) -> None:
    """An incident as the admin console stores it (contracts/incidents/)."""
    texts = {
        lang: {"summary": "Checkout is down.", "advice": "Try later.", "timeline": "Today."} for lang in ("en", "de")
    }
    data = {
        "incident_id": "inc-0000000000b1",
        "version": 1,
        "status": "active",
        "scope": {"kind": kind, "values": values},
    }
    client = redis.Redis.from_url(redis_server.url)
    client.hset(INCIDENTS_KEY, "inc-0000000000b1", json.dumps({**data, "texts": texts}))
    client.close()


@pytest.fixture
def no_incidents(redis_server):
    client = redis.Redis.from_url(redis_server.url)
    client.delete(INCIDENTS_KEY)
    yield
    client.delete(INCIDENTS_KEY)
    client.close()


def test_an_incident_for_everyone_opens_even_an_anonymous_session(bridge, redis_server, no_incidents):
    publish_incident(redis_server, "everyone", [])
    client = BridgeClient(bridge.ws_url)
    client.start("de", capabilities={"audio": False})
    assert wait_for_rasa(bridge, client, 1) == [OPENING_PAYLOAD]
    assert "customer_token" not in bridge.fake_rasa.metadata[client.session_id][0]
    client.close()


def test_an_incident_for_some_customers_does_not_open_an_anonymous_session(bridge, redis_server, no_incidents):
    publish_incident(redis_server, "carrier", ["DHL"])
    client = BridgeClient(bridge.ws_url)
    client.start("en", capabilities={"audio": False})
    client.ask("echo anonymous")
    client.close()
    assert received(bridge, client) == ["echo anonymous"]
