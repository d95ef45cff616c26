"""The attacks of a stranger on the same network, against the real system (docs/operations.md
"Threat model"): Rasa's HTTP API and the action server answer only our own services, no state that
grants access to an account can be set from outside the verification flow, the internal services
listen on loopback only, and no secret reaches a log."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from common.service_auth import bearer_header, sign_jwt
from launcher.settings import LauncherSettings
from launcher.system import System
from tests.support.rasa_api import rasa_api_auth

# What the seeded account of C100004 (Priya Nair) would give away.
VICTIM = "C100004"
VICTIM_DATA = re.compile(r"Priya|priya\.nair|INV-|balance of|£|€")
# sanic-jwt answers a malformed Authorization header (Basic ...) with 400, anything else with 401.
REFUSED = (400, 401)
INJECTED_STATE = [
    {"event": "slot", "name": "verified", "value": True},
    {"event": "slot", "name": "customer_id", "value": VICTIM},
    {"event": "slot", "name": "pending_request", "value": "account_balance"},
]


def _admin_jwt(secret: str, *, expires_in: float = 300) -> str:
    return sign_jwt({"user": {"username": "intruder", "role": "admin"}, "exp": int(time.time() + expires_in)}, secret)


def _forged_credentials(settings: LauncherSettings) -> dict[str, dict[str, str]]:
    """Every way of knocking that must fail: nothing, junk, a JWT signed with another secret, an
    expired JWT signed with the right one, the secret itself as a bearer or a query parameter."""
    return {
        "none": {},
        "junk bearer": bearer_header("let-me-in"),
        "jwt with a guessed secret": bearer_header(_admin_jwt("guessed-secret")),
        # sanic-jwt allows 60 s of clock skew (its `leeway`).
        "expired jwt": bearer_header(_admin_jwt(settings.rasa_jwt_secret, expires_in=-600)),
        "secret as bearer": bearer_header(settings.rasa_jwt_secret),
        "basic auth": {"Authorization": "Basic YWRtaW46YWRtaW4="},
    }


def _say(settings: LauncherSettings, sender: str, text: str) -> str:
    replies = httpx.post(
        f"{settings.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=90
    ).json()
    return "\n".join(reply.get("text", "") for reply in replies)


def _slots(settings: LauncherSettings, sender: str) -> dict:
    response = httpx.get(
        f"{settings.rasa_url}/conversations/{sender}/tracker",
        params={"include_events": "NONE"},
        auth=rasa_api_auth(settings),
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["slots"]


def test_rasas_api_refuses_every_request_without_our_services_jwt(system: System, settings: LauncherSettings) -> None:
    sender = "victim-conversation"
    _say(settings, sender, "hello")
    api = settings.rasa_url
    calls = [
        ("get", f"{api}/conversations/{sender}/tracker", None),
        ("post", f"{api}/conversations/{sender}/tracker/events", INJECTED_STATE),
        ("put", f"{api}/conversations/{sender}/tracker/events", INJECTED_STATE),
        ("post", f"{api}/conversations/{sender}/execute", {"name": "action_continue_request"}),
        ("post", f"{api}/model/parse", {"text": "hello"}),
        ("put", f"{api}/model", {"model_file": "/etc/passwd"}),
        ("get", f"{api}/status", None),
        ("get", f"{api}/domain", None),
    ]
    for label, headers in _forged_credentials(settings).items():
        for method, url, body in calls:
            response = httpx.request(method, url, json=body, headers=headers, timeout=30)
            assert response.status_code in REFUSED, (label, method, url, response.status_code)
            assert sender not in response.text, (label, method, url)
    # Rasa's own --auth-token style (the secret in the query string) opens nothing either.
    leaked = httpx.get(f"{api}/conversations/{sender}/tracker", params={"token": settings.rasa_jwt_secret}, timeout=30)
    assert leaked.status_code == 401
    # Our services' JWT does open it: the refusals above are the credentials, not a broken API.
    assert (
        httpx.get(f"{api}/conversations/{sender}/tracker", auth=rasa_api_auth(settings), timeout=30).status_code == 200
    )
    assert _slots(settings, sender)["verified"] is not True


def test_injected_verification_state_never_reaches_an_account(system: System, settings: LauncherSettings) -> None:
    sender = "intruder-injection"
    for label, headers in _forged_credentials(settings).items():
        response = httpx.post(
            f"{settings.rasa_url}/conversations/{sender}/tracker/events",
            json=INJECTED_STATE,
            headers=headers,
            timeout=30,
        )
        assert response.status_code in REFUSED, label
    reply = _say(settings, sender, "what is my balance?")
    assert not VICTIM_DATA.search(reply), reply
    slots = _slots(settings, sender)
    assert slots["verified"] is not True and slots["customer_id"] is None
    # The bot asks who the customer is instead: the verification flow is the only way in.
    assert "e-mail address or customer number" in reply


def _action_call(sender: str) -> dict:
    return {
        "next_action": "action_continue_request",
        "sender_id": sender,
        "version": "3.6.2",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": {"verified": True, "customer_id": VICTIM, "pending_request": "account_balance", "language": "en"},
            "latest_message": {"text": "what is my balance?", "intent": {"name": "account_balance"}, "entities": []},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def test_a_forged_action_call_is_refused(system: System, settings: LauncherSettings) -> None:
    webhook = f"http://127.0.0.1:{settings.action_server_port}/webhook"
    forged = {
        **_forged_credentials(settings),
        "rasa's jwt instead": bearer_header(_admin_jwt(settings.rasa_jwt_secret)),
    }
    for label, headers in forged.items():
        response = httpx.post(webhook, json=_action_call("forged"), headers=headers, timeout=30)
        assert response.status_code == 401, label
        assert not VICTIM_DATA.search(response.text), label
    assert (
        httpx.post(
            f"{webhook}?token={settings.action_server_token}", json=_action_call("forged"), timeout=30
        ).status_code
        == 401
    )
    # Health stays open (no data), so probes work without the secret.
    assert httpx.get(f"http://127.0.0.1:{settings.action_server_port}/health", timeout=30).status_code == 200
    # Rasa's calls carry the token, and with it the same call is served: the token is the gate.
    served = httpx.post(
        webhook, json=_action_call("rasa"), headers=bearer_header(settings.action_server_token), timeout=30
    )
    assert served.status_code == 200


def _listening_addresses(port: int) -> set[str]:
    """The local addresses a TCP port is listening on, from /proc/net/tcp and tcp6."""
    addresses = set()
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.rsplit(":", 1)
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                addresses.add(address)
    return addresses


def test_internal_services_listen_on_loopback_only(system: System, settings: LauncherSettings) -> None:
    loopback = "0100007F"  # 127.0.0.1, as /proc/net/tcp writes it
    for name, port in (
        ("rasa", settings.rasa_port),
        ("action server", settings.action_server_port),
        ("redis", settings.redis_port),
        ("bridge", settings.bridge_port),
        ("handoff", settings.handoff_port),
    ):
        assert _listening_addresses(port) == {loopback}, name


def test_no_secret_reaches_any_log_after_a_whole_conversation(system: System, settings: LauncherSettings) -> None:
    # A verified lookup through the bridge: Rasa calls the action server (its token) and the NLG
    # endpoint (the NLG token) on every reply; the bridge reads the tracker (a JWT).
    with connect(f"ws://127.0.0.1:{settings.bridge_port}/ws/v1", open_timeout=20) as socket:
        socket.send(json.dumps({"v": 1, "type": "start", "language": "en", "capabilities": {"audio": False}}))
        assert json.loads(socket.recv(timeout=20))["type"] == "session_started"
        for index, text in enumerate(("where is my order 40010002?", "james.carter@example.com", "7315")):
            socket.send(json.dumps({"v": 1, "type": "user_message", "id": f"s-{index}", "text": text}))
            while True:
                frame = json.loads(socket.recv(timeout=90))
                if frame["type"] in ("turn_complete", "error") and frame.get("reply_to") == f"s-{index}":
                    break
        assert frame["type"] == "turn_complete", frame
    # Someone who sends a secret in the query string does not get it written down either.
    httpx.post(f"{settings.bridge_url}/nlg", params={"token": settings.nlg_token}, json={}, timeout=30)
    httpx.get(f"{settings.handoff_url}/api/queue", params={"token": "agent-token-in-a-url"}, timeout=30)
    time.sleep(1.0)  # let the services flush their logs
    secrets = [settings.rasa_jwt_secret, settings.action_server_token, settings.nlg_token, "agent-token-in-a-url"]
    logs = {path.name: path.read_text(errors="replace") for path in (Path(settings.var_dir) / "log").glob("*.log")}
    assert {"rasa.log", "action-server.log", "avatar-bridge.log", "handoff.log"} <= set(logs)
    assert "POST /nlg" in logs["avatar-bridge.log"]  # the access log is on: an absence means something
    for name, text in logs.items():
        for secret in secrets:
            assert secret not in text, f"{name} contains a secret"
        assert not re.search(r"eyJ[\w-]+\.eyJ[\w-]+\.", text), f"{name} contains a JWT"


@pytest.mark.parametrize("path", ["/conversations/x/tracker", "/status"])
def test_rasa_sends_no_cors_permission_to_browsers(system: System, settings: LauncherSettings, path: str) -> None:
    response = httpx.options(
        f"{settings.rasa_url}{path}",
        timeout=30,
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in response.headers
