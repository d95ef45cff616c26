"""Hardening in the running system (docs/operations.md): a customer's e-mail address, card and
phone number never appear unmasked in any service's log file; /metrics move after a real turn;
every service answers its health endpoint; responses carry the security headers."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import httpx
from websockets.sync.client import connect

from launcher.settings import LauncherSettings
from launcher.system import System

EMAIL = "lena.private.h2@example.org"
CARD = "4111 1111 1111 1111"
CARD_DIGITS = CARD.replace(" ", "")
PHONE = "+49 170 5550123"


def _turn(socket, message_id: str, text: str) -> list[dict]:  # noqa: ANN001
    socket.send(json.dumps({"v": 1, "type": "user_message", "id": message_id, "text": text}))
    frames = []
    while True:
        frame = json.loads(socket.recv(timeout=90))
        frames.append(frame)
        if frame["type"] in ("turn_complete", "error") and frame.get("reply_to") == message_id:
            return frames


def _metric(text: str, name: str) -> float:
    match = re.search("^" + re.escape(name) + r" ([0-9.e+-]+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def test_personal_data_is_masked_in_every_log_and_metrics_move(system: System, settings: LauncherSettings) -> None:
    bridge, handoff = settings.bridge_url, settings.handoff_url
    before = _metric(httpx.get(f"{bridge}/metrics").text, "bridge_turn_latency_seconds_count")
    with connect(f"ws://127.0.0.1:{settings.bridge_port}/ws/v1", open_timeout=20) as socket:
        socket.send(json.dumps({"v": 1, "type": "start", "language": "en", "capabilities": {"audio": False}}))
        assert json.loads(socket.recv(timeout=20))["type"] == "session_started"
        frames = _turn(socket, "h2-1", f"Hi, my e-mail is {EMAIL}, my card is {CARD}, call me on {PHONE}.")
        frames += _turn(socket, "h2-2", f"Please update my address, it is {EMAIL}")
    assert frames[-1]["type"] == "turn_complete", frames
    # Straight to Rasa and to every service's HTTP side too (access logs carry the query string).
    httpx.post(
        f"{settings.rasa_url}/webhooks/rest/webhook",
        timeout=90,
        json={"sender": "h2-rest", "message": f"my card number is {CARD_DIGITS} and mail {EMAIL}"},
    )
    query = {"contact": EMAIL, "card": CARD_DIGITS}
    for url in (
        f"{bridge}/healthz",
        f"{handoff}/healthz",
        f"{settings.rasa_url}/",
        f"http://127.0.0.1:{settings.action_server_port}/health",
    ):
        assert httpx.get(url, params=query, timeout=30).status_code == 200, url

    after = httpx.get(f"{bridge}/metrics").text
    assert _metric(after, "bridge_turn_latency_seconds_count") >= before + 2
    assert _metric(after, "bridge_turn_latency_seconds_sum") > 0
    handoff_metrics = httpx.get(f"{handoff}/metrics").text
    assert re.search(r"^handoff_queue_length \d", handoff_metrics, re.MULTILINE)
    assert "handoff_http_responses_total" in handoff_metrics

    time.sleep(1.5)  # the services' log lines reach their files
    logs = {path.name: path.read_text(errors="replace") for path in (Path(settings.var_dir) / "log").glob("*.log")}
    assert {"avatar-bridge.log", "handoff.log", "rasa.log", "action-server.log"} <= set(logs)
    for name, text in logs.items():
        assert EMAIL not in text and EMAIL.replace("@", "%40") not in text, f"{name} has the e-mail address"
        assert CARD not in text and CARD_DIGITS not in text, f"{name} has the card number"
        assert PHONE not in text, f"{name} has the phone number"
    # The lines were logged, masked (the access logs of both our services).
    assert "[email]" in logs["avatar-bridge.log"] and "[card]" in logs["avatar-bridge.log"]
    assert "[email]" in logs["handoff.log"]


def test_every_service_answers_its_health_endpoint(system: System, settings: LauncherSettings) -> None:
    checks = {
        f"{settings.bridge_url}/healthz": 200,
        f"{settings.bridge_url}/readyz": 200,
        f"{settings.handoff_url}/healthz": 200,
        f"{settings.handoff_url}/readyz": 200,
        f"{settings.rasa_url}/": 200,
        f"http://127.0.0.1:{settings.action_server_port}/health": 200,
    }
    for url, status in checks.items():
        assert httpx.get(url, timeout=30).status_code == status, url


def test_running_services_send_security_headers_and_refuse_big_chunked_bodies(
    system: System, settings: LauncherSettings
) -> None:
    for url in (
        f"{settings.bridge_url}/",
        f"{settings.bridge_url}/healthz",
        f"{settings.handoff_url}/agent",
        f"{settings.handoff_url}/api/queue",
    ):
        response = httpx.get(url, timeout=30)
        assert response.headers["x-content-type-options"] == "nosniff", url
        assert "content-security-policy" in response.headers, url

    def chunks():
        for _ in range(100):
            yield b"x" * 1024

    refused = httpx.post(
        f"{settings.handoff_url}/api/auth/login",
        content=chunks(),
        timeout=30,
        headers={"content-type": "application/json"},
    )
    assert refused.status_code == 413 and "larger than" in refused.json()["detail"]
