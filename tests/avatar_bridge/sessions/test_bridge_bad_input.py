"""Every kind of bad input gets an error frame with a code; the socket stays usable and no
earlier message is lost."""

import json
import time

import pytest
from bridge_support.client import BridgeClient, of_type
from websockets.exceptions import ConnectionClosedError


@pytest.fixture
def client(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    yield client
    client.close()


BAD_FRAMES = [
    ("{oops", "malformed_json"),
    (b"\xc3\x28 not utf-8", "invalid_utf8"),
    (b'{"v": 1, "type": "ping", "x": "\xed\xa0\x80"}', "invalid_utf8"),  # an encoded surrogate, binary
    (b"binary but not json", "malformed_json"),
    ('{"v": 1, "type": "user_message", "id": "s1", "text": "\\udc80"}', "invalid_utf8"),
    ('{"v": 1, "type": "launch_rocket"}', "unknown_type"),
    ('{"v": 3, "type": "user_message", "id": "x", "text": "hi"}', "unsupported_version"),
    ('{"v": 1, "type": "user_message", "id": "w1", "text": ["not", "a", "string"]}', "invalid_field"),
    ('{"v": 1, "type": "csat", "score": "five"}', "invalid_field"),
    ('{"v": 1, "type": "user_message", "id": "long1", "text": "' + "a" * 2500 + '"}', "text_too_long"),
    ('{"v": 1, "type": "ping", "padding": "' + "p" * 20000 + '"}', "frame_too_large"),
    ('"just a string"', "invalid_message"),
]


@pytest.mark.parametrize("raw, code", BAD_FRAMES, ids=[code for _, code in BAD_FRAMES])
def test_bad_frame_gets_an_error_frame_and_the_socket_keeps_working(client, raw, code):
    client.send_raw(raw)
    error = client.recv()
    assert error["type"] == "error" and error["code"] == code and error["fatal"] is False
    assert error["message"]
    assert "seq" not in error  # about the frame, not part of the conversation
    assert of_type(client.ask("hello"), "bot_message")


def test_error_names_the_message_it_answers_when_the_id_was_readable(client):
    client.send_raw('{"v": 1, "type": "user_message", "id": "mine-7", "text": 12}')
    assert client.recv()["reply_to"] == "mine-7"


def test_bad_frames_between_good_ones_lose_nothing(client):
    first = client.say("echo [delay=0.3] first")
    client.send_raw("{garbage")
    client.send_raw(b"\xff")
    second = client.say("echo second")
    frames = client.turn(first) + client.turn(second)
    errors = [frame["code"] for frame in frames if frame["type"] == "error"]
    assert errors == ["malformed_json", "invalid_utf8"]
    echoes = [frame["text"] for frame in of_type(frames, "bot_message")]
    assert echoes == ["You said: first", "You said: second"]


def test_messages_before_a_session_are_refused_with_no_session(bridge):
    client = BridgeClient(bridge.ws_url)
    client.say("hello", "early-1")
    error = client.recv()
    assert (error["code"], error["reply_to"]) == ("no_session", "early-1")
    client.send({"v": 1, "type": "ping"})
    assert client.recv()["type"] == "pong"
    client.start("en")
    assert of_type(client.ask("hello"), "bot_message")
    client.close()


def test_a_second_start_on_the_same_socket_is_refused(client):
    client.send({"v": 1, "type": "start", "language": "de"})
    assert client.recv()["code"] == "session_already_started"


def test_someone_elses_session_id_is_refused_and_the_socket_stays_usable(bridge, client):
    intruder = BridgeClient(bridge.ws_url)
    intruder.send(
        {
            "v": 1,
            "type": "resume",
            "session_id": client.session_id,
            "resume_token": "guessed-token-0123456789",
            "last_seq": 0,
        }
    )
    error = intruder.recv()
    assert error["code"] == "session_forbidden" and error["fatal"] is False
    # The refusal does not reveal whether the session exists.
    intruder.send(
        {
            "v": 1,
            "type": "resume",
            "session_id": "no-such-session-000000",
            "resume_token": "guessed-token-0123456789",
            "last_seq": 0,
        }
    )
    assert intruder.recv()["message"] == error["message"]
    intruder.start("en")  # the socket is still good for a session of its own
    assert of_type(intruder.ask("hello"), "bot_message")
    intruder.close()
    # ...and the owner's session was not disturbed.
    assert of_type(client.ask("hello"), "bot_message")


def test_a_session_bound_to_a_customer_needs_their_token_to_resume(bridge):
    owner = BridgeClient(bridge.ws_url)
    owner.start("en", customer_token="customer-A-token")
    owner.close()
    other = BridgeClient(bridge.ws_url)
    other.send(
        {
            "v": 1,
            "type": "resume",
            "session_id": owner.session_id,
            "resume_token": owner.resume_token,
            "last_seq": 0,
            "customer_token": "customer-B-token",
        }
    )
    assert other.recv()["code"] == "session_forbidden"
    other.send(
        {
            "v": 1,
            "type": "resume",
            "session_id": owner.session_id,
            "resume_token": owner.resume_token,
            "last_seq": 0,
            "customer_token": "customer-A-token",
        }
    )
    assert other.recv()["type"] == "session_resumed"
    other.close()


def test_a_reused_message_id_is_answered_once(client):
    frames = client.turn(client.say("echo once", "dup-1"))
    assert of_type(frames, "bot_message")[0]["text"] == "You said: once"
    client.say("echo twice", "dup-1")
    error = client.recv()
    assert (error["code"], error["reply_to"]) == ("duplicate_message", "dup-1")


def test_a_flood_is_rate_limited_per_session_and_accepted_messages_are_all_answered(bridge):
    limit = bridge.settings.user_message_burst
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    ids = [client.say(f"echo flood {n}") for n in range(limit + 6)]
    answered, refused = {}, []
    while len(answered) + len(refused) < len(ids):
        frame = client.recv()
        if frame["type"] == "error" and frame["code"] == "rate_limited":
            assert frame["retry_after_ms"] > 0 and "seq" not in frame
            refused.append(frame["reply_to"])
        elif frame["type"] == "turn_complete":
            answered[frame["reply_to"]] = frame
    assert list(answered) == ids[:limit]
    assert refused == ids[limit:]
    client.close()


def test_a_frame_flood_is_throttled_without_closing_the_socket(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    for _ in range(bridge.settings.frame_burst + 20):
        client.send({"v": 1, "type": "typing", "active": True})
    error = client.recv()
    assert error["code"] == "rate_limited" and error.get("reply_to") is None
    # A user message dropped in the flood is still answered, naming the message.
    client.say("hello", "in-the-flood")
    frame = client.recv()
    while frame.get("reply_to") != "in-the-flood":
        frame = client.recv()
    assert frame["code"] == "rate_limited" and frame["retry_after_ms"] > 0
    # Dropped frames are dropped silently after one notice; once the bucket refills
    # (frames_per_second) the socket works as before.
    time.sleep(0.3)
    client.send({"v": 1, "type": "ping"})
    frame = client.recv()
    while frame["type"] != "pong":
        frame = client.recv()
    client.close()


def test_an_error_frame_is_json_with_the_documented_fields(client):
    client.send_raw("nope")
    error = client.recv()
    assert set(error) >= {"v", "type", "ts", "code", "message", "fatal"}
    json.dumps(error)


def test_a_binary_frame_with_good_json_is_accepted(client):
    client.send_raw(b'{"v": 1, "type": "ping"}')
    assert client.recv()["type"] == "pong"


def test_a_text_frame_with_invalid_utf8_closes_with_1007_and_the_session_resumes_with_nothing_lost(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    client.ask("echo before")
    seen = client.last_seq
    pending = client.say("echo [delay=0.5] in flight")
    assert client.recv()["type"] == "ack"
    # RFC 6455 §8.1: a text frame that is not UTF-8 fails the connection (close code 1007).
    client.socket.send(b'{"v": 1, "type": "user_message", "id": "bad", "text": "\xff"}', text=True)
    with pytest.raises(ConnectionClosedError) as closed:
        while True:
            client.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1007

    resumed = BridgeClient(bridge.ws_url)
    header = resumed.resume(client, last_seq=seen)
    assert header["type"] == "session_resumed" and header["gap"] is False
    frames = resumed.turn(pending)
    assert frames[0]["type"] == "ack"  # replayed from the start of the turn
    assert of_type(frames, "bot_message")[0]["text"] == "You said: in flight"
    assert frames[-1]["type"] == "turn_complete"
    assert all(frame.get("reply_to") != "bad" for frame in resumed.received)  # the bad frame was never read
    assert of_type(resumed.ask("echo after"), "bot_message")[0]["text"] == "You said: after"
    resumed.close()
