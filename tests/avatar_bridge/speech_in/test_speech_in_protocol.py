"""Audio frames are schema-checked and every bad stream gets a clear error in the customer's
language while the socket stays usable. No model is loaded here (nothing reaches recognition)."""

import base64

import pytest
from bridge_support.client import BridgeClient
from speech_in.audio_support import send_utterance, silence


def _start(url: str, language: str = "en") -> BridgeClient:
    client = BridgeClient(url)
    client.start(language)
    return client


def _error(client: BridgeClient) -> dict:
    frame = client.recv()
    assert frame["type"] == "error", frame
    return frame


def _still_healthy(client: BridgeClient) -> None:
    client.send({"v": 1, "type": "ping"})
    assert client.recv()["type"] == "pong"


AUDIO_START = {"v": 1, "type": "audio_start", "id": "s1", "sample_rate": 16000, "codec": "pcm_s16le"}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"sample_rate": 44100}, "unsupported_audio"),
        ({"codec": "opus/webm"}, "unsupported_audio"),
        ({"mode": "always_on"}, "invalid_field"),
        ({"id": "x" * 65}, "invalid_field"),
    ],
)
def test_an_audio_start_outside_the_schema_is_refused(bridge, change, code):
    client = _start(bridge.ws_url)
    client.send({**AUDIO_START, **change})
    assert _error(client)["code"] == code
    _still_healthy(client)
    client.close()


@pytest.mark.parametrize(
    "chunk",
    [
        {"data": "not base64!"},
        {"data": base64.b64encode(b"\0" * 9000).decode()},  # over 8192 bytes
        {"seq": -1},
    ],
    ids=["bad-base64", "too-big", "negative-seq"],
)
def test_a_bad_chunk_is_a_schema_error(bridge, chunk):
    client = _start(bridge.ws_url)
    client.send(AUDIO_START)
    client.send({"v": 1, "type": "audio_chunk", "id": "s1", "seq": 0, "data": "AAAA", **chunk})
    assert _error(client)["code"] == "invalid_field"
    _still_healthy(client)
    client.close()


def test_session_started_announces_speech_input(bridge):
    client = BridgeClient(bridge.ws_url)
    limits = client.start("en")["limits"]
    assert limits["speech_in"] == {
        "sample_rate": 16000,
        "codec": "pcm_s16le",
        "max_utterance_s": 30.0,
        "max_chunk_bytes": 8192,
    }
    client.close()


def test_a_lost_chunk_is_told_in_german(bridge):
    client = _start(bridge.ws_url, "de")
    client.send(AUDIO_START)
    client.send({"v": 1, "type": "audio_chunk", "id": "s1", "seq": 1, "data": "AAAA"})
    error = _error(client)
    assert (error["code"], error["reply_to"]) == ("audio_interrupted", "s1")
    assert "Aufnahme" in error["message"]
    _still_healthy(client)
    client.close()


def test_a_stream_over_the_limit_is_cut_off_with_a_message(own_bridge):
    stack = own_bridge(speech_in_max_utterance_s=1.0, frames_per_second=1000.0, frame_burst=1000)
    client = _start(stack.ws_url)
    utterance = send_utterance(client, silence(6.0))  # a stuck microphone, in short
    error = _error(client)
    assert (error["code"], error["reply_to"]) == ("audio_too_long", utterance)
    assert "longer than 1 seconds" in error["message"]
    _still_healthy(client)  # the rest of the stream and its audio_end were dropped quietly
    client.close()


def test_speech_input_switched_off_hides_it_and_refuses_audio(own_bridge):
    stack = own_bridge(speech_in_enabled=False)
    client = BridgeClient(stack.ws_url)
    assert "speech_in" not in client.start("de")["limits"]
    client.send(AUDIO_START)
    error = _error(client)
    assert error["code"] == "speech_unavailable" and "schreiben" in error["message"]
    _still_healthy(client)
    client.close()


def test_audio_before_a_session_is_refused(bridge):
    client = BridgeClient(bridge.ws_url)
    client.send(AUDIO_START)
    assert _error(client)["code"] == "no_session"
    client.close()


def test_barge_in_is_accepted_without_an_answer(bridge):
    client = _start(bridge.ws_url)
    client.send({"v": 1, "type": "barge_in"})
    client.send({"v": 1, "type": "barge_in", "reply_to": "m-unknown"})
    _still_healthy(client)
    client.close()


def test_barge_in_stops_the_rest_of_a_turns_speech(bridge):
    client = _start(bridge.ws_url)
    spoken_turn = client.ask("hello")
    assert "bot_speech" in [frame["type"] for frame in spoken_turn]  # audio is on for this session
    # The barge-in arrives while the turn waits for Rasa: no speech frame of it is sent at all,
    # while its text and its end still are.
    message_id = client.say("hello")
    client.send({"v": 1, "type": "barge_in", "reply_to": message_id})
    types = [frame["type"] for frame in client.turn(message_id)]
    assert types == ["ack", "bot_message", "turn_complete"], types
    # The next turn speaks again.
    assert "bot_speech" in [frame["type"] for frame in client.ask("hello")]
    client.close()
