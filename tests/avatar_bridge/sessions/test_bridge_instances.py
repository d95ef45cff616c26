"""Two bridge instances sharing Redis (cluster mode): a customer resumes on the other instance,
a turn still running on the first instance reaches the customer's new socket once, and agent
messages consumed by either instance reach the socket exactly once and in order."""

import itertools
import json
import time

import pytest
import redis
from bridge_support.client import BridgeClient, of_type
from websockets.exceptions import ConnectionClosed

_prefixes = itertools.count(1)


@pytest.fixture
def pair(own_bridge):
    prefix = f"multi{next(_prefixes)}"
    first = own_bridge(redis_key_prefix=prefix, instance_id="bridge-a")
    second = own_bridge(redis_key_prefix=prefix, instance_id="bridge-b")
    return first, second


@pytest.fixture
def redis_client(redis_server):
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    yield client
    client.close()


def _frames_until(client: BridgeClient, done, timeout: float = 15.0) -> list[dict]:
    frames: list[dict] = []
    deadline = time.monotonic() + timeout
    while not done(frames):
        assert time.monotonic() < deadline, f"timed out; got {[f['type'] for f in frames]}"
        frames.append(client.recv(timeout=max(0.1, deadline - time.monotonic())))
    return frames


def test_a_customer_resumes_the_same_session_on_the_other_instance(pair) -> None:
    first, second = pair
    customer = BridgeClient(first.ws_url)
    customer.start("en")
    assert of_type(customer.ask("hello"), "bot_message")
    customer.close()

    again = BridgeClient(second.ws_url)
    resumed = again.resume(customer)
    assert resumed["type"] == "session_resumed" and resumed["session_id"] == customer.session_id
    assert resumed["last_seq"] == customer.last_seq and resumed["replayed"] == 0
    frames = again.ask("where is my order")
    assert of_type(frames, "bot_message") and frames[-1]["type"] == "turn_complete"
    assert frames[0]["seq"] == customer.last_seq + 1  # one numbering across instances
    again.close()


def test_a_reply_finished_on_the_old_instance_reaches_the_new_socket_once(pair) -> None:
    first, second = pair
    customer = BridgeClient(first.ws_url)
    customer.start("en")
    message_id = customer.say("[delay=1.5] hello")
    assert customer.recv()["type"] == "ack"
    customer.close()  # the turn keeps running on the first instance

    again = BridgeClient(second.ws_url)
    assert again.resume(customer)["type"] == "session_resumed"
    frames = _frames_until(
        again, lambda got: any(f.get("reply_to") == message_id and f["type"] in ("turn_complete", "error") for f in got)
    )
    assert frames[-1]["type"] == "turn_complete", frames  # not reported as interrupted
    assert not of_type(frames, "error")
    assert of_type(frames, "bot_message")
    seqs = [f["seq"] for f in frames if "seq" in f]
    assert seqs == sorted(set(seqs))
    again.close()


def _assert_taken_over(old: BridgeClient) -> None:
    """`old` gets session_taken_over (fatal), then the socket closes with 4001: nothing else."""
    notice = old.recv(timeout=10)
    assert (notice["type"], notice["code"], notice["fatal"]) == ("error", "session_taken_over", True)
    with pytest.raises(ConnectionClosed) as closed:
        old.recv(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4001


def test_resuming_on_the_other_instance_takes_the_session_over_and_back(pair) -> None:
    first, second = pair
    old = BridgeClient(first.ws_url)
    old.start("en")
    assert of_type(old.ask("hello"), "bot_message")

    new = BridgeClient(second.ws_url)
    assert new.resume(old)["type"] == "session_resumed"
    _assert_taken_over(old)
    frames = new.ask("where is my order")
    assert of_type(frames, "bot_message") and frames[-1]["type"] == "turn_complete"

    # And back: the second instance's socket is the older one now.
    back = BridgeClient(first.ws_url)
    assert back.resume(new)["type"] == "session_resumed"
    _assert_taken_over(new)
    assert of_type(back.ask("thanks"), "bot_message")
    with pytest.raises(TimeoutError):
        back.recv(timeout=1.0)  # every frame once
    back.close()


def test_a_socket_that_is_no_longer_the_newest_is_not_closed_by_an_older_takeover(pair, redis_client) -> None:
    first, second = pair
    customer = BridgeClient(first.ws_url)
    customer.start("en")
    # A late announcement of socket number 1 (the start itself) must not close anything.
    redis_client.publish(first.settings.key("takeovers"), f"{customer.session_id} 1")
    redis_client.publish(first.settings.key("takeovers"), "malformed announcement")
    assert of_type(customer.ask("hello"), "bot_message")
    customer.close()


def _agent_message(redis_client, stream: str, session_id: str, index: int) -> None:
    frame = {
        "type": "agent_message",
        "message_id": f"a-{index}",
        "agent": {"display_name": "Mira"},
        "text": f"message {index}",
    }
    redis_client.xadd(stream, {"payload": json.dumps({"session_id": session_id, "frame": frame})})


def test_agent_messages_consumed_by_one_instance_reach_the_socket_on_the_other_in_order(pair, redis_client) -> None:
    first, second = pair
    customer = BridgeClient(second.ws_url)
    customer.start("en")
    stream = first.settings.key("deliveries")
    count = 30
    for index in range(count):
        _agent_message(redis_client, stream, customer.session_id, index)
    frames = _frames_until(customer, lambda got: len(of_type(got, "agent_message")) >= count)
    assert [f["text"] for f in of_type(frames, "agent_message")] == [f"message {i}" for i in range(count)]
    # The first instance holds the consumer lease: every one of these crossed instances.
    assert {c["name"] for c in redis_client.xinfo_consumers(stream, "avatar_bridge")} == {"bridge-a"}
    with pytest.raises(TimeoutError):  # nothing more: no frame twice
        customer.recv(timeout=1.0)
    customer.close()


def test_when_the_consuming_instance_stops_the_other_takes_over_the_deliveries(pair, redis_client) -> None:
    first, second = pair
    customer = BridgeClient(second.ws_url)
    customer.start("en")
    stream = first.settings.key("deliveries")
    _agent_message(redis_client, stream, customer.session_id, 0)
    assert _frames_until(customer, lambda got: of_type(got, "agent_message"))[-1]["text"] == "message 0"
    first.server.stop()
    _agent_message(redis_client, stream, customer.session_id, 1)  # written while nobody consumes
    frames = _frames_until(customer, lambda got: of_type(got, "agent_message"), timeout=20.0)
    assert [f["text"] for f in of_type(frames, "agent_message")] == ["message 1"]
    assert redis_client.get(first.settings.key("deliveries", "consumer")) == "bridge-b"
    customer.close()
