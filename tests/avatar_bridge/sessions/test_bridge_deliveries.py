"""Agent messages and status from other services, CSAT feedback and ending a session."""

import json
import time

import pytest
import redis
from bridge_support.client import BridgeClient, of_type


@pytest.fixture
def redis_client(redis_server):
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    yield client
    client.close()


def _deliver(redis_client, bridge, session_id: str, frame: dict) -> None:
    payload = json.dumps({"session_id": session_id, "frame": frame})
    redis_client.xadd(bridge.settings.key("deliveries"), {"payload": payload})


def _next_of_type(client: BridgeClient, frame_type: str) -> dict:
    frame = client.recv()
    while frame["type"] != frame_type:
        frame = client.recv()
    return frame


def test_status_and_agent_messages_reach_the_customer_and_route_their_messages(bridge, redis_client):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    _deliver(
        redis_client,
        bridge,
        client.session_id,
        {
            "type": "status",
            "state": "queued",
            "queue_position": 2,
            "estimated_wait_s": 1800,
            "estimated_wait_min_s": 1200,
            "contact_options": ["callback", "email"],
        },
    )
    status = _next_of_type(client, "status")
    assert (status["state"], status["queue_position"]) == ("queued", 2) and "seq" in status
    assert (status["estimated_wait_min_s"], status["contact_options"]) == (1200, ["callback", "email"])

    inbox_before = redis_client.xlen(bridge.settings.key("agent_inbox"))
    rasa_before = sum(len(texts) for texts in bridge.fake_rasa.received.values())
    frames = client.ask("is anyone there?")
    assert [frame["type"] for frame in frames] == ["ack", "turn_complete"]
    assert frames[-1]["routed_to"] == "agent"
    assert redis_client.xlen(bridge.settings.key("agent_inbox")) == inbox_before + 1
    assert sum(len(texts) for texts in bridge.fake_rasa.received.values()) == rasa_before
    # The customer's answer to the long-wait offer is an ordinary message to the agent inbox.
    choice = '/contact_request{"via":"callback"}'
    assert client.ask(choice)[-1]["routed_to"] == "agent"
    _entry_id, fields = redis_client.xrevrange(bridge.settings.key("agent_inbox"), count=1)[0]
    assert json.loads(fields["payload"])["text"] == choice

    _deliver(
        redis_client,
        bridge,
        client.session_id,
        {"type": "agent_message", "message_id": "a-1", "agent": {"display_name": "Mira"}, "text": "Hi, I'm Mira."},
    )
    agent = _next_of_type(client, "agent_message")
    assert (agent["agent"]["display_name"], agent["text"]) == ("Mira", "Hi, I'm Mira.")

    _deliver(redis_client, bridge, client.session_id, {"type": "status", "state": "bot"})
    _next_of_type(client, "status")
    assert of_type(client.ask("hello"), "bot_message")  # back with the assistant
    client.close()


def test_a_delivery_while_the_customer_is_away_is_replayed_on_resume(bridge, redis_client):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    client.close()
    _deliver(
        redis_client,
        bridge,
        client.session_id,
        {
            "type": "agent_message",
            "message_id": "a-2",
            "agent": {"display_name": "Sam"},
            "text": "Are you still there?",
        },
    )
    time.sleep(0.5)
    resumed = BridgeClient(bridge.ws_url)
    resumed.send(
        {"v": 1, "type": "resume", "session_id": client.session_id, "resume_token": client.resume_token, "last_seq": 0}
    )
    header = resumed.recv()
    assert header["replayed"] == 1
    assert resumed.recv()["text"] == "Are you still there?"
    resumed.close()


def test_malformed_deliveries_are_dropped_without_harm(bridge, redis_client):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    redis_client.xadd(bridge.settings.key("deliveries"), {"payload": "{not json"})
    _deliver(redis_client, bridge, client.session_id, {"type": "bot_message", "text": "spoofed"})
    _deliver(redis_client, bridge, client.session_id, {"type": "agent_message", "text": "no agent field"})
    _deliver(
        redis_client,
        bridge,
        client.session_id,
        {"type": "agent_message", "message_id": "a-1", "text": "hi", "agent": {"display_name": "Eve", "role": "owner"}},
    )
    _deliver(
        redis_client,
        bridge,
        client.session_id,
        {
            "type": "agent_message",
            "message_id": "a-2",
            "text": "hi",
            "agent": {"display_name": "Sam", "role": "supervisor"},
        },
    )
    _deliver(redis_client, bridge, client.session_id, {"type": "status", "state": "with_agent"})
    # Only the supervisor's message with a role the protocol knows comes through, before the status.
    assert _next_of_type(client, "agent_message")["agent"] == {"display_name": "Sam", "role": "supervisor"}
    assert _next_of_type(client, "status")["state"] == "with_agent"
    client.close()


def test_csat_feedback_is_stored_and_confirmed(bridge, redis_client):
    client = BridgeClient(bridge.ws_url)
    client.start("de")
    client.send({"v": 1, "type": "csat", "score": 4, "comment": "schnell erledigt"})
    assert client.recv() == {**client.received[-1], "type": "feedback_received", "score": 4}
    entries = redis_client.xrevrange(bridge.settings.key("csat"), count=5)
    stored = [json.loads(fields["payload"]) for _, fields in entries]
    assert {
        "session_id": client.session_id,
        "score": 4,
        "comment": "schnell erledigt",
        "language": "de",
    }.items() <= next(entry for entry in stored if entry["session_id"] == client.session_id).items()
    client.close()


def test_ending_the_chat_tells_the_handoff_service(bridge, redis_client):
    client = BridgeClient(bridge.ws_url)
    client.start("de")
    client.send({"v": 1, "type": "end"})
    assert client.recv()["type"] == "session_ended"
    entries = redis_client.xrevrange(bridge.settings.key("session_ends"), count=5)
    stored = [json.loads(fields["payload"]) for _, fields in entries]
    assert [entry["language"] for entry in stored if entry["session_id"] == client.session_id] == ["de"]


def test_typing_needs_no_answer(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    client.send({"v": 1, "type": "typing", "active": True})
    client.send({"v": 1, "type": "ping"})
    assert client.recv()["type"] == "pong"
    client.close()
