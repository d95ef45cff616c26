"""The handoff service's hardening (docs/operations.md): per-IP limits, body size (chunked too),
security headers on every page and API response, /metrics, production secrets."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from handoff.app import create_app
from handoff.core.config import HandoffSettings
from tests.handoff.conftest import handoff_record, make_settings, publish, sign_in, wait_until


def _metric(text: str, name: str, **labels: str) -> float | None:
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    pattern = "^" + re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" ([0-9.e+-]+)$"
    match = re.search(pattern, text, re.MULTILINE)
    return float(match.group(1)) if match else None


def test_requests_over_the_per_ip_limit_get_429_and_health_checks_still_pass(
    redis_server, tmp_path, customer_db_url
) -> None:  # noqa: ANN001
    settings = make_settings(
        redis_server.url, tmp_path / "h.db", customer_db_url, ip_requests_per_second=0.01, ip_request_burst=4
    )
    with TestClient(create_app(settings)) as client:
        statuses = [client.get("/api/auth/me").status_code for _ in range(4)]
        assert 429 not in statuses
        refused = client.get("/api/auth/me")
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1 and "Too many requests" in refused.json()["detail"]
        assert refused.headers["x-frame-options"] == "DENY"
        assert client.get("/healthz").status_code == 200 and client.get("/readyz").status_code == 200
        assert _metric(client.get("/metrics").text, "handoff_http_refused_total", reason="rate_limited") == 1


def test_console_websockets_over_the_per_ip_limit_are_closed_1013(redis_server, tmp_path, customer_db_url) -> None:  # noqa: ANN001
    from starlette.websockets import WebSocketDisconnect

    settings = make_settings(
        redis_server.url, tmp_path / "h.db", customer_db_url, ip_connections_per_second=0.01, ip_connection_burst=1
    )
    with TestClient(create_app(settings)) as client:
        with pytest.raises(WebSocketDisconnect):  # the first is the service's own business (no token)
            with client.websocket_connect("/api/live") as socket:
                socket.receive_text()
        with pytest.raises(WebSocketDisconnect) as refused:
            with client.websocket_connect("/api/live") as socket:
                socket.receive_text()
        assert refused.value.code == 1013


def test_oversized_bodies_get_413_with_or_without_content_length(client) -> None:  # noqa: ANN001
    limit = client.app.state.settings.max_request_bytes
    body = b'{"username": "' + b"x" * (limit + 10) + b'", "password": "p"}'
    response = client.post("/api/auth/login", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413 and f"larger than {limit} bytes" in response.json()["detail"]

    def chunks():
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    chunked = client.post("/api/auth/login", content=chunks(), headers={"content-type": "application/json"})
    assert chunked.status_code == 413
    small = client.post(
        "/api/auth/login",
        content=iter([b'{"username": "mia", "password": "mia-demo-pass"}']),
        headers={"content-type": "application/json"},
    )
    assert small.status_code == 200, small.text


def test_every_page_and_api_response_has_the_security_headers(client) -> None:  # noqa: ANN001
    headers = sign_in(client, "alex")
    api = client.get("/openapi.json").json()["paths"]
    paths = [path for path, operations in api.items() if "get" in operations and "{" not in path]
    assert "/api/queue" in paths and "/healthz" in paths
    # The pages (not in the API schema), static files, errors.
    paths += [
        "/",
        "/login",
        "/agent",
        "/supervisor",
        "/admin",
        "/metrics",
        "/openapi.json",
        "/static/css/console.css",
        "/no-such-page",
        "/api/queue/no-such-id/x",
    ]
    for path in paths:
        response = client.get(path, headers=headers, follow_redirects=False)
        assert response.headers.get("x-content-type-options") == "nosniff", path
        assert response.headers.get("referrer-policy") == "no-referrer", path
        assert "camera=()" in response.headers.get("permissions-policy", ""), path
        assert response.headers.get("x-frame-options") == "DENY", path
        assert "frame-ancestors 'none'" in response.headers.get("content-security-policy", ""), path
    # The consoles keep their own page policy (own scripts only).
    assert "script-src 'self'" in client.get("/agent").headers["content-security-policy"]


def test_metrics_show_queue_length_and_handoffs(client, settings, redis_client) -> None:  # noqa: ANN001
    text = client.get("/metrics").text
    assert _metric(text, "handoff_queue_length") == 0
    publish(redis_client, settings, handoff_record())
    publish(redis_client, settings, handoff_record())
    wait_until(lambda: _metric(client.get("/metrics").text, "handoff_queue_length") == 2, message="queue of 2")
    text = client.get("/metrics").text
    assert _metric(text, "handoff_requests_total") == 2
    assert _metric(text, "handoff_live_conversations") == 2
    assert (_metric(text, "handoff_http_responses_total", status_class="2xx") or 0) > 0


def test_production_refuses_demo_users_and_development_secrets(settings) -> None:  # noqa: ANN001
    base = settings.model_dump(exclude={"seed_demo_users", "rasa_jwt_secret", "redis_password", "production"})
    real = {"rasa_jwt_secret": "t" * 32, "redis_password": "p" * 32}
    with pytest.raises(ValidationError, match=r"HANDOFF_RASA_JWT_SECRET \(the public development value\)"):
        HandoffSettings(**base, production=True, redis_password="p" * 32)
    with pytest.raises(ValidationError, match="never seeds the demo users"):
        HandoffSettings(**base, production=True, seed_demo_users=True, **real)
    production = HandoffSettings(**base, production=True, **real)
    assert production.seed_demo_users is False and production.rasa_jwt_secret.get_secret_value() == "t" * 32
