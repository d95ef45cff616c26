"""A threshold changed in the console decides the next conversation's routing in the real action
server (the bot's `action_observe_turn`, which reads the escalation store on every customer turn),
without restarting anything."""

from __future__ import annotations

import copy
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from common.service_auth import DEVELOPMENT_ACTION_SERVER_TOKEN, bearer_header
from admin.settings import REPOSITORY_ROOT
from contracts.escalation.config import default_config
from launcher.process import ManagedProcess, ServiceSpec, free_port
from tests.support.redis_server import RedisServer


@pytest.fixture
def action_server(redis_server: RedisServer, tmp_path: Path) -> Iterator[str]:  # noqa: F811
    port = free_port()
    spec = ServiceSpec(
        name="action-server",
        command=[str(REPOSITORY_ROOT / ".venv-rasa/bin/python"), "-m", "bot.server.actions"],
        cwd=REPOSITORY_ROOT,
        env={
            "PYTHONPATH": str(REPOSITORY_ROOT),
            "REDIS_URL": redis_server.url,
            "ACTION_SERVER_PORT": str(port),
            "ACTION_SERVER_TOKEN": DEVELOPMENT_ACTION_SERVER_TOKEN,
            "CUSTOMER_DB_URL": f"sqlite:///{tmp_path / 'customer.db'}",
            "RASA_TELEMETRY_ENABLED": "false",
        },
        ready_url=f"http://127.0.0.1:{port}/health",
        ready_timeout=120,
    )
    process = ManagedProcess(spec, tmp_path / "log")
    process.start()
    try:
        process.wait_ready()
        yield f"http://127.0.0.1:{port}"
    finally:
        process.stop()


def customer_turn(sender: str, intent: str, label: str, intensity: float) -> dict:
    """What Rasa sends the action server after a customer message (rasa_sdk webhook payload)."""
    parse = {
        "text": "where is my parcel?!",
        "intent": {"name": intent, "confidence": 0.95},
        "entities": [],
        "emotion": {"label": label, "intensity": intensity, "confidence": 0.9},
    }
    return {
        "next_action": "action_observe_turn",
        "sender_id": sender,
        "version": "3.6.21",
        "domain": {"slots": {}, "responses": {}, "actions": [], "intents": [], "entities": [], "forms": {}},
        "tracker": {
            "sender_id": sender,
            "slots": {},
            "latest_message": parse,
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
            "latest_event_time": time.time(),
            "events": [
                {"event": "action", "name": "action_session_start", "timestamp": time.time() - 5},
                {"event": "action", "name": "action_listen", "timestamp": time.time() - 4},
                {"event": "user", "text": parse["text"], "parse_data": parse, "timestamp": time.time()},
            ],
        },
    }


def escalation_slot(action_server: str, payload: dict) -> dict | None:
    response = httpx.post(
        f"{action_server}/webhook", json=payload, timeout=30, headers=bearer_header(DEVELOPMENT_ACTION_SERVER_TOKEN)
    )  # as Rasa sends it
    assert response.status_code == 200, response.text
    slots = {e["name"]: e["value"] for e in response.json()["events"] if e.get("event") == "slot"}
    return slots.get("escalation")


def test_threshold_change_routes_the_next_conversation(
    client: TestClient, admin_headers: dict, action_server: str
) -> None:
    # One strongly annoyed message: the shipped values (0.85 twice in a row) keep it with the bot.
    assert (
        escalation_slot(action_server, customer_turn(f"c-{uuid.uuid4().hex[:8]}", "order_status", "frustrated", 0.8))
        is None
    )

    stricter = copy.deepcopy(default_config().to_dict())
    stricter["emotion"]["labels"]["frustrated"] = {"min_intensity": 0.7, "consecutive_turns": 1}
    applied = client.put(
        "/api/admin/escalation", json={"config": stricter, "comment": "stricter"}, headers=admin_headers
    )
    assert applied.status_code == 200, applied.text
    time.sleep(1.2)  # the action server caches the configuration for at most a second

    decision = escalation_slot(
        action_server, customer_turn(f"c-{uuid.uuid4().hex[:8]}", "order_status", "frustrated", 0.8)
    )
    assert decision is not None and decision["escalate"]
    assert [reason["code"] for reason in decision["reasons"]] == ["emotion_frustrated"]
