"""Turns of a session are processed in order, and each user message gets exactly one reply
sequence ending in exactly one terminal frame, also with many sessions at once."""

from concurrent.futures import ThreadPoolExecutor

from bridge_support.client import TERMINAL_TYPES, BridgeClient, frame_types

SESSIONS = 8
MESSAGES_PER_SESSION = 5  # sent back to back, within the per-session burst


def _run_session(ws_url: str, index: int) -> tuple[list[str], list[dict]]:
    client = BridgeClient(ws_url)
    client.start("en")
    ids = [client.say(f"echo s{index} m{n}", f"s{index}-m{n}") for n in range(MESSAGES_PER_SESSION)]
    terminals = 0
    while terminals < len(ids):
        frame = client.recv(timeout=30)
        if frame["type"] in TERMINAL_TYPES and frame.get("reply_to"):
            terminals += 1
    client.close()
    return ids, client.received


def test_concurrent_sessions_get_in_order_exactly_once_replies(own_bridge):
    stack = own_bridge()
    # Rasa answers each request after a random delay, so answers would overtake each other
    # if the bridge sent a session's turns to Rasa concurrently.
    stack.fake_rasa.random_delay_s = (0.0, 0.08)
    with ThreadPoolExecutor(SESSIONS) as pool:
        results = list(pool.map(lambda index: _run_session(stack.ws_url, index), range(SESSIONS)))

    for index, (ids, frames) in enumerate(results):
        conversation = [frame for frame in frames if "seq" in frame]
        assert [frame["seq"] for frame in conversation] == list(range(1, len(conversation) + 1))
        # Every message: one ack, one text cue, one speech frame, one terminal; nothing else.
        for message_id in ids:
            mine = frame_types([frame for frame in conversation if frame.get("reply_to") == message_id])
            assert mine == ["ack", "bot_message", "bot_speech", "turn_complete"], (message_id, mine)
        # Replies come in the order the messages were sent, each to its own message.
        cues = [frame for frame in conversation if frame["type"] == "bot_message"]
        assert [cue["reply_to"] for cue in cues] == ids
        assert [cue["text"] for cue in cues] == [f"You said: s{index} m{n}" for n in range(MESSAGES_PER_SESSION)]
        # A turn's frames never interleave with the next turn's.
        owners = [frame["reply_to"] for frame in conversation if frame["type"] != "ack"]
        assert owners == sorted(owners, key=ids.index)
    assert stack.fake_rasa.overlapping_turns == 0
    for index in range(SESSIONS):
        sender_texts = [texts for texts in stack.fake_rasa.received.values() if texts[0].startswith(f"echo s{index} ")]
        assert sender_texts == [[f"echo s{index} m{n}" for n in range(MESSAGES_PER_SESSION)]]
