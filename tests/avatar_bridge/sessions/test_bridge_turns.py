"""A user turn end to end: which frames come out, in which order, with what in them."""

import httpx
from bridge_support.client import BridgeClient, frame_types, of_type


def test_a_turn_is_ack_then_text_cue_then_speech_then_turn_complete(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    frames = client.ask("where is my parcel?")
    assert frame_types(frames) == ["ack", "bot_message", "bot_speech", "turn_complete"]
    ack, cue, speech, done = frames
    assert ack["text"] == "where is my parcel?"
    assert cue["text"] == "Order 40010011 is on its way and should arrive on 12.03.2026."
    assert cue["reply_kind"] == "info" and cue["language"] == "en"
    assert cue["speech_pending"] is True
    assert speech["message_id"] == cue["message_id"]
    assert done == {**done, "messages": 1, "routed_to": "bot", "speech_failed": []}
    assert [frame["seq"] for frame in frames] == sorted(frame["seq"] for frame in frames)
    client.close()


def test_speech_audio_is_served_at_its_url(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    speech = of_type(client.ask("hello"), "bot_speech")[0]["speech"]
    response = httpx.get(bridge.http_url + speech["audio"]["url"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    assert response.content[:4] == b"RIFF"
    client.close()


def test_inline_audio_delivery_sends_base64_wav(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en", capabilities={"audio": True, "audio_delivery": "inline"})
    speech = of_type(client.ask("hello"), "bot_speech")[0]["speech"]
    assert "base64" in speech["audio"]
    assert speech["audio"]["base64"].startswith("UklGR")  # "RIFF"
    client.close()


def test_audio_off_means_text_cues_without_speech(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en", capabilities={"audio": False})
    frames = client.ask("hello")
    assert [frame["type"] for frame in frames] == ["ack", "bot_message", "turn_complete"]
    assert frames[1]["speech_pending"] is False
    client.send({"v": 1, "type": "capabilities", "audio": True})
    assert "bot_speech" in [frame["type"] for frame in client.ask("hello")]
    client.close()


def test_two_responses_in_one_turn_keep_their_order_and_buttons(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    frames = client.ask("my login fails")
    cues = of_type(frames, "bot_message")
    assert [cue["text"] for cue in cues] == [
        "I can see it's annoying not to be able to sign in. Let's go through it step by step.",
        "Is Caps Lock off? Can you sign in now?",
    ]
    assert cues[1]["buttons"] == [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    assert cues[1]["reply_kind"] == "question"
    # Both text cues come before any speech: speech never holds a text back.
    types = frame_types(frames)
    assert types == ["ack", "bot_message", "bot_message", "bot_speech", "bot_speech", "turn_complete"]
    first_parts = [frame for frame in of_type(frames, "bot_speech") if frame["part"] == 0]
    assert [frame["message_id"] for frame in first_parts] == [cue["message_id"] for cue in cues]
    client.close()


def test_german_session_gets_german_wording_and_voice(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("de")
    frames = client.ask("hallo")
    cue = of_type(frames, "bot_message")[0]
    assert cue["text"] == "Hallo! Wobei kann ich helfen?" and cue["language"] == "de"
    assert of_type(frames, "bot_speech")[0]["speech"]["voice"]["name"].startswith("de")
    client.close()


def test_text_sent_straight_from_an_action_still_gets_a_plan(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    frames = client.ask("plain [emotion=frustrated:0.9]")
    cue = of_type(frames, "bot_message")[0]
    assert cue["text"] == "A plain text straight from an action."
    # The emotion came from the tracker, since no NLG cue came with the text.
    assert cue["customer_emotion"]["label"] == "frustrated"
    assert cue["expression"]["name"] in {"calm", "concerned"}
    client.close()


def test_a_turn_without_any_bot_message_still_gets_an_answer(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    frames = client.ask("silent")
    cue = of_type(frames, "bot_message")[0]
    assert cue["text"].startswith("Sorry, I don't have an answer")
    assert frames[-1]["type"] == "turn_complete"
    client.close()


def test_rasa_failure_ends_the_turn_with_an_error_and_the_session_goes_on(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("en")
    frames = client.ask("boom")
    # The bridge's own offer of a person comes first (tests/avatar_bridge/dialogue/test_bridge_fallback.py).
    assert frame_types(frames) == ["ack", "bot_message", "bot_speech", "error"]
    assert frames[-1]["code"] == "dialogue_unavailable" and frames[-1]["fatal"] is False
    assert "seq" in frames[-1]  # part of the conversation: replayed after a reconnect
    assert of_type(client.ask("hello"), "bot_message")
    client.close()
