"""Sessions resume after a reconnect (missed frames replayed by seq) and after a restart of
the bridge (a new app instance on the same Redis)."""

import asyncio
import time

import redis.asyncio as aioredis
from bridge_support.client import BridgeClient, frame_types, of_type
from websockets.exceptions import ConnectionClosed

from avatar_bridge.sessions.store import SessionStore
from contracts.redis_keys import BRIDGE_AGENT_INBOX


def _resume(url: str, old: BridgeClient, last_seq: int) -> tuple[BridgeClient, dict]:
    client = BridgeClient(url)
    client.send(
        {"v": 1, "type": "resume", "session_id": old.session_id, "resume_token": old.resume_token, "last_seq": last_seq}
    )
    client.session_id, client.resume_token = old.session_id, old.resume_token
    client.last_seq = last_seq
    header = client.recv()
    assert header["type"] == "session_resumed", header
    return client, header


def test_reconnect_mid_turn_replays_what_was_missed_and_the_turn_completes(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    client.ask("echo before")
    seen = client.last_seq
    pending = client.say("echo [delay=0.5] while away")
    client.close()  # the connection drops while Rasa is still thinking

    resumed, header = _resume(bridge.ws_url, client, seen)
    frames = resumed.turn(pending)
    assert header["replayed"] >= 1 and header["gap"] is False
    assert frame_types(frames) == ["ack", "bot_message", "bot_speech", "turn_complete"]
    assert frames[0]["seq"] == seen + 1
    assert of_type(frames, "bot_message")[0]["text"] == "You said: while away"
    assert of_type(resumed.ask("echo after"), "bot_message")[0]["text"] == "You said: after"
    resumed.close()


def test_resume_from_zero_replays_the_whole_recent_conversation(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    first, second = client.ask("echo one"), client.ask("echo two")
    client.close()
    resumed, header = _resume(bridge.ws_url, client, 0)
    replay = [resumed.recv() for _ in range(header["replayed"])]
    assert replay == first + second
    assert header["last_seq"] == replay[-1]["seq"]
    resumed.close()


def test_a_client_that_missed_more_than_the_buffer_is_told_about_the_gap(own_bridge):
    stack = own_bridge(replay_buffer_frames=10, speech_enabled=False)
    client = BridgeClient(stack.ws_url)
    client.start("en")
    for n in range(5):
        client.ask(f"echo {n}")  # 3 frames each: ack, bot_message, turn_complete
    client.close()
    resumed, header = _resume(stack.ws_url, client, 0)
    assert header["gap"] is True and header["replayed"] == 10
    replay = [resumed.recv() for _ in range(10)]
    assert [frame["seq"] for frame in replay] == list(range(6, 16))
    resumed.close()


def test_resuming_on_a_new_socket_takes_the_session_over(bridge):
    first = BridgeClient(bridge.ws_url)
    first.start("en")
    second, _ = _resume(bridge.ws_url, first, 0)
    notice = first.recv()
    assert (notice["code"], notice["fatal"]) == ("session_taken_over", True)
    try:
        first.recv(timeout=5)
        raise AssertionError("the old socket should be closed")
    except ConnectionClosed as closed:
        assert closed.rcvd.code == 4001
    assert of_type(second.ask("echo here"), "bot_message")
    second.close()


def test_session_survives_a_bridge_restart(own_bridge):
    stack = own_bridge()
    client = BridgeClient(stack.ws_url)
    client.start("de")
    before = client.ask("hallo")
    client.close()

    stack.restart_bridge()  # a new app instance: nothing in memory, the same Redis

    resumed, header = _resume(stack.ws_url, client, 0)
    assert header["language"] == "de"
    assert [resumed.recv() for _ in range(header["replayed"])] == before
    after = resumed.ask("wo ist meine Bestellung?")
    assert after[0]["seq"] == before[-1]["seq"] + 1
    assert of_type(after, "bot_message")[0]["text"].startswith("Bestellung 40010011 ist unterwegs")
    resumed.close()


def test_a_turn_cut_off_by_a_restart_ends_with_turn_interrupted(own_bridge):
    stack = own_bridge(shutdown_grace_s=0.1)
    client = BridgeClient(stack.ws_url)
    client.start("en")
    cut_off = client.say("echo [delay=2] never answered")
    assert client.recv()["type"] == "ack"
    time.sleep(0.2)  # the turn is now waiting for Rasa
    client.close()

    stack.restart_bridge(shutdown_grace_s=0.1)

    resumed, _ = _resume(stack.ws_url, client, client.last_seq)
    error = resumed.recv()
    assert (error["type"], error["code"], error["reply_to"]) == ("error", "turn_interrupted", cut_off)
    assert "seq" in error
    assert of_type(resumed.ask("echo again"), "bot_message")[0]["text"] == "You said: again"
    resumed.close()


def test_an_ended_session_cannot_be_resumed(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    client.send({"v": 1, "type": "end"})
    assert client.recv()["type"] == "session_ended"
    try:
        client.recv(timeout=5)
        raise AssertionError("the socket should be closed after end")
    except ConnectionClosed as closed:
        assert closed.rcvd.code == 1000
    other = BridgeClient(bridge.ws_url)
    other.send(
        {"v": 1, "type": "resume", "session_id": client.session_id, "resume_token": client.resume_token, "last_seq": 0}
    )
    assert other.recv()["code"] == "session_ended"
    other.close()


def test_a_message_that_reached_the_agent_before_a_restart_is_not_asked_for_again(own_bridge):
    """The bridge forwarded the message to the agents' inbox and died before its terminal frame:
    the resumed widget gets that frame, not a request to send the message again (which would show
    the agent the same message twice)."""
    stack = own_bridge()
    client = BridgeClient(stack.ws_url)
    client.start("en")
    client.close()
    gone = stack.settings.model_copy(update={"instance_id": "bridge-that-died"})

    async def forward_as_the_gone_bridge() -> None:
        async with aioredis.Redis.from_url(str(stack.settings.redis_url), decode_responses=True) as connection:
            store = SessionStore(connection, gone)
            assert await store.claim_turn(client.session_id, "m-forwarded")
            await store.forward_to_agent(client.session_id, "m-forwarded", "my card was charged twice")

    asyncio.run(forward_as_the_gone_bridge())
    resumed, _ = _resume(stack.ws_url, client, client.last_seq)
    frame = resumed.recv()
    assert (frame["type"], frame["reply_to"], frame["routed_to"]) == ("turn_complete", "m-forwarded", "agent")

    async def inbox_length() -> int:
        async with aioredis.Redis.from_url(str(stack.settings.redis_url), decode_responses=True) as connection:
            return await connection.xlen(gone.key(BRIDGE_AGENT_INBOX))

    assert asyncio.run(inbox_length()) == 1  # the message reached the agents once
    resumed.close()
