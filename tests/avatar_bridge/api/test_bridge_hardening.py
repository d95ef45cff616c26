"""The bridge's hardening (docs/operations.md): per-IP limits, body size, security headers,
/metrics. A real bridge under uvicorn, real Redis, FakeRasa (Rasa is outside these tests)."""

from __future__ import annotations

import json
import re
import socket

import httpx
import pytest
from bridge_support.client import BridgeClient
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect


def _metric(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" ([0-9.e+-]+)"
    match = re.search(pattern, text)
    return float(match.group(1)) if match else 0.0


def test_new_connections_over_the_per_ip_limit_get_a_rate_limited_frame_and_close_1013(own_bridge):
    stack = own_bridge(ip_connections_per_second=0.01, ip_connection_burst=2)
    first = connect(stack.ws_url, open_timeout=10, legacy=True)
    second = connect(stack.ws_url, open_timeout=10, legacy=True)
    try:
        with connect(stack.ws_url, open_timeout=10) as refused:
            frame = json.loads(refused.recv(timeout=10))
            assert frame["type"] == "error" and frame["code"] == "rate_limited" and frame["fatal"] is True
            assert frame["retry_after_ms"] > 0 and "connections" in frame["message"]
            with pytest.raises(ConnectionClosed) as closed:
                refused.recv(timeout=10)
            assert closed.value.rcvd.code == 1013
    finally:
        first.close()
        second.close()
    metrics = httpx.get(f"{stack.http_url}/metrics").text
    assert _metric(metrics, "bridge_http_refused_total", reason="rate_limited") >= 1


def test_http_requests_over_the_per_ip_limit_get_429_with_retry_after_but_health_checks_pass(own_bridge):
    stack = own_bridge(ip_requests_per_second=0.01, ip_request_burst=3)
    with httpx.Client(base_url=stack.http_url) as client:
        statuses = [client.get("/audio/0000.wav").status_code for _ in range(3)]
        assert 429 not in statuses
        refused = client.get("/audio/0000.wav")
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1 and "Too many requests" in refused.json()["detail"]
        assert refused.headers["x-content-type-options"] == "nosniff"
        # Health checks, metrics and Rasa's own NLG calls are never limited.
        assert client.get("/healthz").status_code == 200
        assert client.get("/metrics").status_code == 200


def test_oversized_bodies_get_413_with_or_without_content_length(own_bridge):
    stack = own_bridge(max_request_bytes=4096)
    big = b"x" * 10_000
    response = httpx.post(f"{stack.http_url}/nlg", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413 and "larger than 4096 bytes" in response.json()["detail"]

    def chunks():
        for _ in range(10):
            yield b"y" * 1000

    chunked = httpx.post(f"{stack.http_url}/nlg", content=chunks(), headers={"content-type": "application/json"})
    assert chunked.status_code == 413
    # A small chunked body still reaches the endpoint (which answers for itself: no token here).
    small = httpx.post(f"{stack.http_url}/nlg", content=iter([b"{}"]), headers={"content-type": "application/json"})
    assert small.status_code not in (413, 429)


def test_a_lying_content_length_is_refused(own_bridge):
    stack = own_bridge()
    with socket.create_connection(("127.0.0.1", stack.server.port), timeout=10) as raw:
        raw.sendall(b"POST /nlg HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n")
        head = raw.recv(4096).decode("latin-1")
    assert head.startswith("HTTP/1.1 413")


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics", "/audio/0000.wav", "/nlg", "/no-such-page",
                                  "/docs"])
def test_api_responses_carry_the_security_headers(bridge, path):
    response = httpx.get(f"{bridge.http_url}{path}")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "camera=()" in response.headers["permissions-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_the_web_client_page_has_its_own_policy_and_the_widget_stays_embeddable(bridge):
    page = httpx.get(f"{bridge.http_url}/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors" not in policy and "x-frame-options" not in page.headers
    widget = httpx.get(f"{bridge.http_url}/widget.js")
    assert widget.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in widget.headers and "x-frame-options" not in widget.headers
    assert "cross-origin-resource-policy" not in widget.headers


def test_metrics_move_after_a_turn_and_after_an_error_frame(bridge):
    before = httpx.get(f"{bridge.http_url}/metrics").text
    client = BridgeClient(bridge.ws_url)
    try:
        client.start()
        frames = client.ask("Where is my order?")
        assert any(frame["type"] == "bot_message" for frame in frames)
        client.send_raw("{not json")
        assert client.recv()["code"] == "malformed_json"
    finally:
        client.close()
    after = httpx.get(f"{bridge.http_url}/metrics")
    assert after.headers["content-type"].startswith("text/plain")
    text = after.text
    assert _metric(text, "bridge_turn_latency_seconds_count") == _metric(before, "bridge_turn_latency_seconds_count") + 1
    assert _metric(text, "bridge_error_frames_total", code="malformed_json") >= \
        _metric(before, "bridge_error_frames_total", code="malformed_json") + 1
    assert _metric(text, "bridge_http_responses_total", status_class="2xx") > 0
    assert "bridge_http_responses_total" in text and "bridge_turn_latency_seconds_bucket" in text
