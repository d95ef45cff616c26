"""The bridge when Redis goes away or comes back: a message it cannot take gets a clear error
frame and leaves nothing behind, and an agent message read again after a restart (stored for
the customer, never acknowledged) is not shown twice. The cluster test
(tests/cluster/test_redis_restart.py) restarts a real Redis under the whole system."""

import itertools
import json
import time

import pytest
import redis
from bridge_support.client import BridgeClient, of_type

from tests.avatar_bridge.conftest import start_stack
from tests.support.redis_server import RedisServer

_prefixes = itertools.count(1)


@pytest.fixture
def redis_client(redis_server):
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    yield client
    client.close()


def _agent_message(redis_client, stream: str, session_id: str, message_id: str, text: str) -> str:
    frame = {"type": "agent_message", "message_id": message_id, "agent": {"display_name": "Mira"}, "text": text}
    return redis_client.xadd(stream, {"payload": json.dumps({"session_id": session_id, "frame": frame})})


def _agent_texts_until(client: BridgeClient, text: str, timeout: float = 25.0) -> list[str]:
    frames: list[dict] = []
    deadline = time.monotonic() + timeout
    while not [f for f in frames if f.get("text") == text]:
        assert time.monotonic() < deadline, f"timed out; got {frames}"
        frames.append(client.recv(timeout=max(0.1, deadline - time.monotonic())))
    return [f["text"] for f in of_type(frames, "agent_message")]


def test_an_agent_message_read_again_after_a_restart_reaches_the_customer_once(own_bridge, redis_client) -> None:
    prefix = f"faults{next(_prefixes)}"
    first = own_bridge(redis_key_prefix=prefix, instance_id="bridge-a")
    second = own_bridge(redis_key_prefix=prefix, instance_id="bridge-b")
    stream = first.settings.key("deliveries")
    customer = BridgeClient(second.ws_url)
    customer.start("en")
    _agent_message(redis_client, stream, customer.session_id, "a-1", "Hi, I'm Mira.")
    assert _agent_texts_until(customer, "Hi, I'm Mira.") == ["Hi, I'm Mira."]
    assert redis_client.get(first.settings.key("deliveries", "consumer")) == "bridge-a"

    # bridge-a stored the message for the customer and went away before acknowledging the entry
    # (Redis restarted in between): the entry is still pending for bridge-a.
    first.server.stop()
    _agent_message(redis_client, stream, customer.session_id, "a-1", "Hi, I'm Mira.")
    redis_client.xreadgroup("avatar_bridge", "bridge-a", {stream: ">"}, count=1)
    assert redis_client.xpending(stream, "avatar_bridge")["pending"] == 1
    _agent_message(redis_client, stream, customer.session_id, "a-2", "How can I help?")

    # bridge-b takes the lease over, claims the pending entry and skips what was shown already.
    assert _agent_texts_until(customer, "How can I help?") == ["How can I help?"]
    with pytest.raises(TimeoutError):
        customer.recv(timeout=1.0)
    assert redis_client.xpending(stream, "avatar_bridge")["pending"] == 0
    customer.close()


def test_a_message_while_redis_is_down_gets_a_clear_error_and_leaves_nothing(speech_cache_dir, tmp_path) -> None:
    # A Redis of this test's own (durable, restartable on the same port and files).
    server = RedisServer(tmp_path)
    server.start()
    bridge = start_stack(server.url, speech_cache_dir)
    try:
        customer = BridgeClient(bridge.ws_url)
        customer.start("de")
        assert customer.ask("hallo")[-1]["type"] == "turn_complete"
        server.stop()
        customer.say("sind Sie noch da?", "while-down")
        error = customer.recv(timeout=15)
        assert (error["type"], error["code"], error["reply_to"]) == ("error", "temporarily_unavailable", "while-down")
        assert error["retry_after_ms"] > 0 and "seq" not in error
        assert "noch einmal" in error["message"]  # in the session's language
        server.start()  # same port and files
        client = server.client()
        assert client.hget(bridge.settings.key("session", customer.session_id, "turns"), "while-down") is None
        client.close()
        # Back: the same message id is taken now (nothing of it was kept) and answered.
        frames = customer.turn(customer.say("sind Sie noch da?", "while-down"))
        assert frames[0]["type"] == "ack" and frames[-1]["type"] == "turn_complete", frames
        customer.close()
    finally:
        bridge.stop()
        server.stop()
