"""Every endpoint checks sign-in and role; bad input gets clear errors."""

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from handoff.auth.passwords import hash_password, verify_password
from handoff.auth.users import UserError, create_user
from tests.handoff.conftest import handoff_record, publish, sign_in, wait_until

AGENT_ENDPOINTS = [
    ("get", "/api/queue", None),
    ("post", "/api/queue/x/claim", None),
    ("post", "/api/queue/next", None),
    ("get", "/api/queue/me", None),
    ("post", "/api/queue/me/pause", {"paused": True}),
    ("get", "/api/conversations/mine", None),
    ("get", "/api/conversations/x", None),
    ("post", "/api/conversations/x/messages", {"text": "hi"}),
    ("post", "/api/conversations/x/notes", {"text": "hi"}),
    ("post", "/api/conversations/x/end", {"outcome_code": "resolved"}),
    ("post", "/api/conversations/x/handback", None),
    ("get", "/api/auth/me", None),
    ("post", "/api/auth/logout", None),
]
SUPERVISOR_ENDPOINTS = [
    ("get", "/api/supervisor/live", None),
    ("post", "/api/supervisor/x/whisper", {"text": "psst"}),
    ("post", "/api/supervisor/x/barge", {"text": "hello"}),
]


def call(client: TestClient, method: str, path: str, body, headers=None):  # noqa: ANN001, ANN201
    return getattr(client, method)(path, headers=headers or {}, **({"json": body} if body is not None else {}))


@pytest.mark.parametrize(("method", "path", "body"), AGENT_ENDPOINTS + SUPERVISOR_ENDPOINTS)
def test_every_endpoint_needs_a_sign_in(client: TestClient, method: str, path: str, body) -> None:  # noqa: ANN001
    assert call(client, method, path, body).status_code == 401
    forged = {"Authorization": "Bearer not-a-real-token"}
    response = call(client, method, path, body, forged)
    assert response.status_code == 401 and "sign in" in response.json()["detail"].lower()


@pytest.mark.parametrize(("method", "path", "body"), SUPERVISOR_ENDPOINTS)
def test_agents_cannot_use_supervisor_endpoints(client: TestClient, method: str, path: str, body) -> None:  # noqa: ANN001
    response = call(client, method, path, body, sign_in(client, "mia"))
    assert response.status_code == 403 and "supervisor" in response.json()["detail"]


def test_wrong_password_and_unknown_user_look_the_same(client: TestClient) -> None:
    wrong = client.post("/api/auth/login", json={"username": "mia", "password": "nope-nope"})
    unknown = client.post("/api/auth/login", json={"username": "nobody", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_logout_revokes_the_token(client: TestClient) -> None:
    headers = sign_in(client, "mia")
    assert client.get("/api/auth/me", headers=headers).json()["role"] == "agent"
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/auth/me", headers=headers).status_code == 401


def test_roles_are_hierarchical(client: TestClient) -> None:
    for username in ("sam", "alex"):
        headers = sign_in(client, username)
        assert client.get("/api/supervisor/live", headers=headers).status_code == 200
        assert client.get("/api/queue", headers=headers).status_code == 200


def test_malformed_and_oversized_requests_get_clear_errors(client: TestClient, settings) -> None:  # noqa: ANN001
    headers = sign_in(client, "mia")
    bad_json = client.post("/api/auth/login", content=b"{nope", headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 422 and bad_json.json()["detail"] == "The request is not valid."
    missing = client.post("/api/auth/login", json={"username": "mia"})
    assert missing.status_code == 422 and any("password" in p for p in missing.json()["problems"])
    huge = client.post(
        "/api/conversations/x/messages",
        headers=headers,
        content=b'{"text": "' + b"a" * (settings.max_request_bytes + 10) + b'"}',
    )
    assert huge.status_code == 413 and "larger than" in huge.json()["detail"]
    too_long = client.post("/api/conversations/x/messages", headers=headers, json={"text": "a" * 2001})
    assert too_long.status_code == 422
    blank = client.post("/api/conversations/x/messages", headers=headers, json={"text": "   "})
    assert blank.status_code == 422 and any("empty" in p for p in blank.json()["problems"])
    unknown_code = client.post("/api/conversations/x/end", headers=headers, json={"outcome_code": "<script>"})
    assert unknown_code.status_code == 422 and any("outcome code" in p for p in unknown_code.json()["problems"])


def test_agent_sees_only_their_queues_and_their_conversations(client: TestClient, settings, redis_client) -> None:  # noqa: ANN001
    tom, mia = sign_in(client, "tom"), sign_in(client, "mia")  # tom: technical+general, en only
    billing = handoff_record(reason="billing_double_charge")
    german = handoff_record(reason="troubleshooting_failed", language="de")
    technical = handoff_record(reason="troubleshooting_failed")
    for record in (billing, german, technical):
        publish(redis_client, settings, record)
    wait_until(
        lambda: len(client.get("/api/supervisor/live", headers=sign_in(client, "sam")).json()["conversations"]) == 3
    )

    visible = [item["conversation_id"] for item in client.get("/api/queue", headers=tom).json()["items"]]
    assert visible == [technical["conversation_id"]]
    assert client.get(f"/api/conversations/{billing['conversation_id']}", headers=tom).status_code == 403
    assert client.post(f"/api/queue/{billing['conversation_id']}/claim", headers=tom).status_code == 403
    assert client.post(f"/api/queue/{german['conversation_id']}/claim", headers=tom).status_code == 403

    # Once Mia holds a conversation, nobody else but supervisors can read or write it.
    assert client.post(f"/api/queue/{billing['conversation_id']}/claim", headers=mia).status_code == 200
    other = sign_in(client, "tom")
    cid = billing["conversation_id"]
    assert client.get(f"/api/conversations/{cid}", headers=other).status_code == 403
    assert client.post(f"/api/conversations/{cid}/messages", headers=other, json={"text": "hi"}).status_code == 403
    assert (
        client.post(f"/api/conversations/{cid}/end", headers=other, json={"outcome_code": "resolved"}).status_code
        == 403
    )
    assert client.get(f"/api/conversations/{cid}", headers=sign_in(client, "sam")).status_code == 200
    assert client.get("/api/conversations/does-not-exist", headers=mia).status_code == 404


def test_live_socket_refuses_without_a_valid_token(client: TestClient) -> None:
    with client.websocket_connect("/api/live") as socket:
        socket.send_json({"type": "auth", "token": "forged"})
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()
    assert closed.value.code == 4401
    headers = sign_in(client, "mia")
    with client.websocket_connect("/api/live") as socket:
        socket.send_json({"type": "auth", "token": headers["Authorization"].split()[1]})
        assert socket.receive_json()["type"] == "ready"
        assert socket.receive_json()["type"] == "changed"


def test_password_hashes_are_salted_scrypt() -> None:
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first != second and first.startswith("scrypt$16384$8$1$")
    assert verify_password("correct horse", first) and not verify_password("wrong horse", first)
    assert not verify_password("correct horse", "md5$abc")


def test_bad_users_are_refused(client: TestClient) -> None:
    with client.app.state.session_factory() as session:
        for bad in (
            {"username": "Bad Name"},
            {"role": "root"},
            {"password": "short"},
            {"skills": ["cooking"]},
            {"languages": ["fr"]},
            {"username": "mia"},
        ):
            values = {"username": "newbie", "display_name": "New", "role": "agent", "password": "long-enough-1", **bad}
            with pytest.raises(UserError):
                create_user(session, **values)


def test_users_cli_changes_a_password_and_signs_the_user_out(client: TestClient, settings, monkeypatch, capsys) -> None:  # noqa: ANN001, E501
    from handoff.users import main

    headers = sign_in(client, "mia")
    for name, value in {
        "HANDOFF_REDIS_URL": settings.redis_url,
        "HANDOFF_DATABASE_URL": settings.database_url,
        "HANDOFF_KEY_PREFIX": settings.key_prefix,
        "HANDOFF_NEW_PASSWORD": "a-new-password",
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["passwd", "mia"]) == 0
    assert "signed out everywhere" in capsys.readouterr().out
    assert client.get("/api/auth/me", headers=headers).status_code == 401
    assert client.post("/api/auth/login", json={"username": "mia", "password": "a-new-password"}).status_code == 200
    monkeypatch.setenv("HANDOFF_NEW_PASSWORD", "short")
    assert main(["passwd", "mia"]) == 2 and "at least" in capsys.readouterr().err


def test_demo_users_are_refused_in_production(settings) -> None:  # noqa: ANN001
    from handoff.core.config import HandoffSettings
    from handoff.users import seed_demo

    dumped = settings.model_dump(exclude={"seed_demo_users", "rasa_jwt_secret", "redis_password"})
    production = HandoffSettings(
        **{
            **dumped,
            "production": True,
            "rasa_jwt_secret": "configured-" + "x" * 20,
            "redis_password": "configured-" + "y" * 20,
        }
    )
    assert production.seed_demo_users is False
    with pytest.raises(UserError):
        seed_demo(None, production)
