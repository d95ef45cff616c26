"""The avatar bridge in front of the real Rasa: one turn over the WebSocket, the customer token
as Rasa message metadata, the per-turn slots set by `action_observe_turn`."""

from __future__ import annotations

import json

import httpx
from websockets.sync.client import connect

from launcher.settings import LauncherSettings
from launcher.system import System
from tests.support.rasa_api import rasa_api_auth

TOKEN = "integration-customer-token-7Yq"


def _turn(socket, message_id: str, text: str) -> list[dict]:
    socket.send(json.dumps({"v": 1, "type": "user_message", "id": message_id, "text": text}))
    frames = []
    while True:
        frame = json.loads(socket.recv(timeout=60))
        frames.append(frame)
        if frame["type"] in ("turn_complete", "error") and frame.get("reply_to") == message_id:
            return frames


def test_a_turn_through_the_bridge_reaches_rasa_with_the_token_and_updates_the_turn_slots(
    system: System, settings: LauncherSettings
) -> None:
    with connect(f"ws://127.0.0.1:{settings.bridge_port}/ws/v1", open_timeout=20) as socket:
        socket.send(
            json.dumps(
                {"v": 1, "type": "start", "language": "de", "customer_token": TOKEN, "capabilities": {"audio": False}}
            )
        )
        started = json.loads(socket.recv(timeout=20))
        assert started["type"] == "session_started"
        frames = _turn(socket, "it-1", "Hallo, wo ist meine Bestellung? Ich mache mir echt Sorgen!")

    assert frames[-1]["type"] == "turn_complete", frames
    assert [frame for frame in frames if frame["type"] == "bot_message"]
    tracker = httpx.get(
        f"{settings.rasa_url}/conversations/{started['session_id']}/tracker", timeout=30, auth=rasa_api_auth(settings)
    ).json()
    assert tracker["latest_message"]["metadata"]["customer_token"] == TOKEN
    slots = tracker["slots"]
    assert slots["language"] == "de"
    assert slots["emotion"] is not None and slots["distress_level"] is not None
