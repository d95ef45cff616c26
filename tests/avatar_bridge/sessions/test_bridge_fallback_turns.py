"""Turns while Rasa is down (FakeRasa answering HTTP 500): the bridge's offer of a person, the
customer's answers to it, and the handoff it queues itself. Against the real Rasa, handoff service
and action server: tests/faults/."""

import itertools
import json

import pytest
import redis
from bridge_support.client import BridgeClient, frame_types, of_type

from avatar_bridge.core.config import PACKAGE_DIR
from avatar_bridge.protocol.schema_registry import SchemaRegistry
from avatar_bridge.wording.playbooks import load_playbooks
from tests.avatar_bridge.conftest import start_stack
from tests.support.redis_server import RedisServer

PLAYBOOKS = load_playbooks(
    PACKAGE_DIR / "wording" / "playbooks", frozenset(SchemaRegistry.load().shared_enum("reply_kind"))
)
EN, DE = PLAYBOOKS["en"].fallback, PLAYBOOKS["de"].fallback
_streams = itertools.count(1)


@pytest.fixture
def stack(own_bridge, redis_server):
    stream = f"handoff-requests-test-{next(_streams)}"
    bridge = own_bridge(handoff_requests_stream=stream)
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    yield bridge, client, stream
    client.close()


def _records(client: redis.Redis, stream: str) -> list[dict]:
    return [json.loads(fields["payload"]) for _, fields in client.xrange(stream)]


def _texts(frames: list[dict]) -> list[str]:
    return [frame["text"] for frame in of_type(frames, "bot_message")]


def test_rasa_down_offer_then_accept_queues_one_handoff_and_routes_to_the_agent(stack):
    bridge, client, stream = stack
    customer = BridgeClient(bridge.ws_url)
    customer.start("en")
    customer.ask("hello")
    bridge.fake_rasa.down = True
    frames = customer.ask("where is my parcel?")
    assert frame_types(frames) == ["ack", "bot_message", "bot_speech", "error"]
    assert _texts(frames) == [EN.assistant_unavailable]
    assert [b["payload"] for b in of_type(frames, "bot_message")[0]["buttons"]] == ["/request_human", "/try_again"]
    assert _records(client, stream) == []  # an offer, nothing queued yet

    frames = customer.ask("/request_human")
    assert _texts(frames) == [EN.handed_over]
    assert frames[-1]["type"] == "turn_complete" and frames[-1]["routed_to"] == "agent"
    (record,) = _records(client, stream)
    assert record["conversation_id"] == customer.session_id and record["reason"] == "assistant_unavailable"
    assert [line["text"] for line in record["transcript"] if line["role"] == "customer"] == [
        "hello",
        "where is my parcel?",
    ]

    # Routed to the agent now: the next message goes to the agent inbox, never a second record.
    received = len(bridge.fake_rasa.received.get(customer.session_id, []))
    frames = customer.ask("yes")
    assert frames[-1]["routed_to"] == "agent" and not of_type(frames, "bot_message")
    assert len(_records(client, stream)) == 1
    assert len(bridge.fake_rasa.received.get(customer.session_id, [])) == received
    inbox = client.xrange(bridge.settings.key("agent_inbox"))
    assert [json.loads(f["payload"])["text"] for _, f in inbox if customer.session_id in f["payload"]] == ["yes"]
    customer.close()


def test_a_typed_yes_in_german_accepts_and_try_again_resends_the_failed_message(stack):
    bridge, client, stream = stack
    retrying = BridgeClient(bridge.ws_url)
    retrying.start("de")
    bridge.fake_rasa.down = True
    assert _texts(retrying.ask("Wo ist meine Bestellung?")) == [DE.assistant_unavailable]
    bridge.fake_rasa.down = False
    frames = retrying.ask("/try_again")
    assert frames[-1]["type"] == "turn_complete" and frames[-1]["routed_to"] == "bot"
    assert _texts(frames) != [DE.assistant_unavailable]
    # Rasa got the failed message itself, once, and never the button's payload.
    assert bridge.fake_rasa.received[retrying.session_id] == ["Wo ist meine Bestellung?"]
    # Answered normally: the offer is over, so a "ja" now is for Rasa.
    retrying.ask("ja")
    assert bridge.fake_rasa.received[retrying.session_id][-1] == "ja"
    assert _records(client, stream) == []

    accepting = BridgeClient(bridge.ws_url)
    accepting.start("de")
    bridge.fake_rasa.down = True
    accepting.ask("Hallo")
    assert _texts(accepting.ask("Ja, gerne!")) == [DE.handed_over]
    assert [record["language"] for record in _records(client, stream)] == ["de"]
    retrying.close()
    accepting.close()


def test_try_again_without_an_offer_is_answered_without_bothering_rasa(stack):
    bridge, _client, _stream = stack
    customer = BridgeClient(bridge.ws_url)
    customer.start("en")
    frames = customer.ask("/try_again")
    assert _texts(frames) == [EN.nothing_to_retry] and frames[-1]["type"] == "turn_complete"
    assert customer.session_id not in bridge.fake_rasa.received
    customer.close()


def test_talk_to_a_person_from_an_offer_that_ran_out_hands_over_when_rasa_is_still_down(stack):
    bridge, client, stream = stack
    customer = BridgeClient(bridge.ws_url)
    customer.start("en")
    bridge.fake_rasa.down = True
    customer.ask("where is my parcel?")
    client.delete(bridge.settings.key("session", customer.session_id, "offer"))  # as if expired
    frames = customer.ask("/request_human")
    assert _texts(frames) == [EN.handed_over] and frames[-1]["routed_to"] == "agent"
    assert [record["conversation_id"] for record in _records(client, stream)] == [customer.session_id]
    customer.close()


def test_other_messages_while_the_offer_stands_go_to_rasa_and_a_new_failure_offers_again(stack):
    bridge, client, stream = stack
    customer = BridgeClient(bridge.ws_url)
    customer.start("en")
    bridge.fake_rasa.down = True
    customer.ask("first")
    frames = customer.ask("no, I just want my invoice")
    # Tried Rasa, failed again: the offer again, in a few words instead of the same explanation.
    assert _texts(frames) == [EN.still_unavailable]
    assert [b["payload"] for b in of_type(frames, "bot_message")[0]["buttons"]] == ["/request_human", "/try_again"]
    assert frames[-1]["code"] == "dialogue_unavailable"
    assert _records(client, stream) == []
    customer.close()


@pytest.mark.parametrize(("language", "asks_again"), [("en", "send it again"), ("de", "noch einmal")])
def test_redis_going_away_during_a_turn_is_said_plainly_on_the_socket(speech_cache_dir, tmp_path, language, asks_again):
    # A Redis of this test's own, stopped while Rasa is still answering (FakeRasa's delay marker).
    server = RedisServer(tmp_path)
    server.start()
    bridge = start_stack(server.url, speech_cache_dir)
    try:
        customer = BridgeClient(bridge.ws_url)
        customer.start(language)
        message_id = customer.say("hello [delay=1.5]")
        assert customer.recv(timeout=15)["type"] == "ack"
        server.stop()
        error = customer.recv(timeout=30)
        assert (error["type"], error["code"], error["reply_to"]) == ("error", "temporarily_unavailable", message_id)
        assert "seq" not in error and error["retry_after_ms"] > 0  # nothing could be stored
        assert asks_again in error["message"]  # in the session's language
        server.start()  # same port and files: the session is still there
        frames = customer.ask("hello")
        assert frames[-1]["type"] == "turn_complete" and of_type(frames, "bot_message")
        customer.close()
    finally:
        bridge.stop()
        server.stop()
