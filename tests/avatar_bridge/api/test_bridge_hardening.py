"""The bridge's hardening (docs/operations.md): per-IP limits, body size, security headers,
/metrics. A real bridge under uvicorn, real Redis, FakeRasa (Rasa is outside these tests)."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time

import httpx
import pytest
import redis
from bridge_support.client import BridgeClient, opening_frame
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.avatar_bridge.conftest import start_stack
from tests.support.redis_server import RedisServer


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


@pytest.mark.parametrize(
    "path", ["/healthz", "/readyz", "/metrics", "/audio/0000.wav", "/nlg", "/no-such-page", "/docs"]
)
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
    assert (
        _metric(text, "bridge_turn_latency_seconds_count") == _metric(before, "bridge_turn_latency_seconds_count") + 1
    )
    assert (
        _metric(text, "bridge_error_frames_total", code="malformed_json")
        >= _metric(before, "bridge_error_frames_total", code="malformed_json") + 1
    )
    assert _metric(text, "bridge_http_responses_total", status_class="2xx") > 0
    assert "bridge_http_responses_total" in text and "bridge_turn_latency_seconds_bucket" in text


# --- a limit that cannot be checked fails closed ------------------------------------------------


def _first_frame_and_close(url: str, **options) -> tuple[dict, int]:
    """A new socket's first frame, and the code it was then closed with (0: left open)."""
    with connect(url, open_timeout=10, **options) as socket:
        frame = json.loads(socket.recv(timeout=10))
        try:
            socket.recv(timeout=10)
        except ConnectionClosed as closed:
            return frame, closed.rcvd.code
    return frame, 0


def test_while_redis_is_away_requests_and_new_sockets_are_refused_never_let_through(speech_cache_dir, tmp_path, caplog):
    server = RedisServer(tmp_path)
    server.start()
    stack = start_stack(server.url, speech_cache_dir)
    try:
        assert httpx.get(f"{stack.http_url}/audio/0000.wav").status_code == 404  # checked, passed, no file
        server.stop()
        caplog.clear()
        refused = httpx.get(f"{stack.http_url}/audio/0000.wav", timeout=20)
        assert refused.status_code == 503 and refused.headers["retry-after"] == "3"
        assert refused.json() == {
            "detail": "The service is briefly unavailable; please try again in 3 s.",
            "retry_after_s": 3,
        }
        assert refused.headers["x-content-type-options"] == "nosniff"

        frame, close_code = _first_frame_and_close(stack.ws_url)
        assert (frame["type"], frame["code"], frame["fatal"], frame["retry_after_ms"]) == (
            "error",
            "temporarily_unavailable",
            True,
            3000,
        )
        assert close_code == 1013

        warnings = [record.getMessage() for record in caplog.records if record.name == "common.http_guard"]
        assert warnings == ["rate limit not checked (ConnectionError); refusing the request, retry in 3 s"] * 2
        metrics = httpx.get(f"{stack.http_url}/metrics").text
        assert _metric(metrics, "bridge_http_refused_total", reason="unavailable") == 2
    finally:
        stack.stop()
        server.stop()


def test_while_the_redis_pool_is_exhausted_requests_wait_briefly_then_are_refused(own_bridge, redis_server):
    # A tiny pool, and Redis stops answering for a moment (CLIENT PAUSE, as on a stalled disk):
    # the commands in flight hold every connection, so nobody else gets one.
    stack = own_bridge(redis_max_connections=4, redis_pool_timeout_s=0.3)
    pause_s = 2.0

    async def timed_get(client: httpx.AsyncClient, path: str) -> tuple[httpx.Response, float]:
        started = time.monotonic()
        response = await client.get(path)
        return response, time.monotonic() - started

    async def scenario():
        async with httpx.AsyncClient(base_url=stack.http_url, timeout=20) as client:
            with redis.Redis.from_url(redis_server.url) as control:
                control.execute_command("CLIENT", "PAUSE", int(pause_s * 1000), "ALL")
            requests = asyncio.gather(*(timed_get(client, "/audio/0000.wav") for _ in range(8)))
            await asyncio.sleep(0.05)  # the requests hold the pool now
            later = asyncio.gather(
                timed_get(client, "/readyz"), asyncio.to_thread(_first_frame_and_close, stack.ws_url)
            )
            return await requests, await later

    answers, ((ready, _), (frame, close_code)) = asyncio.run(scenario())
    refused = [(response, elapsed) for response, elapsed in answers if response.status_code == 503]
    passed = [(response, elapsed) for response, elapsed in answers if response.status_code != 503]
    assert refused and len(refused) + len(passed) == 8
    for response, elapsed in refused:
        assert elapsed >= 0.3, elapsed  # it waited for a connection before giving up
        assert response.headers["retry-after"] == "3" and "briefly unavailable" in response.json()["detail"]
    for response, elapsed in passed:
        # Checked once Redis answered again: none went through while its limit could not be checked.
        assert response.status_code == 404 and elapsed >= pause_s - 0.2, (response.status_code, elapsed)
    assert (frame["code"], frame["fatal"], close_code) == ("temporarily_unavailable", True, 1013)
    assert ready.status_code == 503 and ready.json()["redis"] is False
    assert ready.json()["reason"].startswith("redis pool exhausted"), ready.json()
    assert ready.json()["redis_pool"] == {"in_use": 4, "size": 4}
    time.sleep(pause_s)
    assert httpx.get(f"{stack.http_url}/readyz").status_code == 200


# --- which address the limits count: X-Forwarded-For only from a trusted proxy -----------------


def _opens_a_session(stack, source: str, forwarded_for: str) -> bool:
    """A new socket from `source` claiming to be `forwarded_for`: a session, or refused."""
    frame = opening_frame(stack.ws_url, source=source, forwarded_for=forwarded_for)
    assert frame["type"] == "session_started" or frame["code"] == "rate_limited", frame
    return frame["type"] == "session_started"


def _limited_addresses(stack) -> set[str]:
    with redis.Redis.from_url(str(stack.settings.redis_url), decode_responses=True) as client:
        return {key.rsplit(":", 1)[1] for key in client.scan_iter(f"{stack.settings.key('ratelimit', 'ws')}:*")}


def test_x_forwarded_for_from_an_untrusted_client_changes_nothing(own_bridge):
    stack = own_bridge(ip_connections_per_second=0.01, ip_connection_burst=2)
    assert stack.settings.trusted_proxies == ""  # the default: nobody's X-Forwarded-For is believed
    # Claiming other addresses neither gets a client more connections nor spends anyone else's.
    assert [_opens_a_session(stack, "127.0.0.1", f"198.51.100.{n}") for n in (1, 2, 3)] == [True, True, False]
    assert _limited_addresses(stack) == {"127.0.0.1"}


def test_x_forwarded_for_from_the_configured_proxy_names_the_client(own_bridge):
    stack = own_bridge(ip_connections_per_second=0.01, ip_connection_burst=1, trusted_proxies="127.0.0.2")
    proxy, other = "127.0.0.2", "127.0.0.3"
    assert _opens_a_session(stack, proxy, "198.51.100.7")
    assert not _opens_a_session(stack, proxy, "198.51.100.7")  # the same customer, over their limit
    assert _opens_a_session(stack, proxy, "198.51.100.8")  # another customer behind the same proxy
    assert _opens_a_session(stack, other, "198.51.100.9")  # not the proxy: its own address counts
    assert not _opens_a_session(stack, other, "198.51.100.10")
    assert _limited_addresses(stack) == {"198.51.100.7", "198.51.100.8", other}
