"""The handoff service's guard (common/http_guard.py) at its edges: a limit that cannot be checked
refuses the request, and the client address is the connection's unless a configured proxy names
another in X-Forwarded-For. Real Redis; the forwarding tests serve the app with the entry point's
own uvicorn options (handoff/__main__.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import redis
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from handoff.__main__ import uvicorn_options
from handoff.app import create_app
from handoff.core.config import HandoffSettings
from launcher.process import free_port
from tests.avatar_bridge.bridge_support.servers import ThreadedServer
from tests.handoff.conftest import make_settings
from tests.support.redis_server import RedisServer  # noqa: F401 (the fixture's type)


def test_while_redis_cannot_be_reached_requests_get_503_and_console_sockets_1013(
    tmp_path: Path, customer_db_url: str
) -> None:
    # Nothing listens on this port. (A connection that dies under a running service takes longer
    # to give up on: the client's retries, handoff/core/redis.py.)
    settings = make_settings(f"redis://127.0.0.1:{free_port()}/0", tmp_path / "h.db", customer_db_url)
    with TestClient(create_app(settings, run_workers=False)) as client:
        refused = client.get("/api/auth/me")
        assert refused.status_code == 503 and refused.headers["retry-after"] == "3"
        assert refused.json()["detail"] == "The service is briefly unavailable; please try again in 3 s."
        assert refused.headers["x-frame-options"] == "DENY"
        with pytest.raises(WebSocketDisconnect) as closed:
            with client.websocket_connect("/api/live") as socket:
                socket.receive_text()
        assert closed.value.code == 1013


@contextmanager
def _served(settings: HandoffSettings) -> Iterator[str]:
    server = ThreadedServer(create_app(settings, run_workers=False), settings.port, uvicorn_options(settings))
    server.start()
    try:
        yield f"http://127.0.0.1:{settings.port}"
    finally:
        server.stop()


def _limited_addresses(settings: HandoffSettings) -> set[str]:
    with redis.Redis.from_url(settings.redis_url, decode_responses=True) as client:
        return {key.rsplit(":", 1)[1] for key in client.scan_iter(f"{settings.key('ratelimit', 'http')}:*")}


def _call(base_url: str, source: str, forwarded_for: str) -> None:
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(transport=transport, base_url=base_url) as client:
        assert client.get("/api/auth/me", headers={"X-Forwarded-For": forwarded_for}).status_code == 401


@pytest.mark.parametrize(
    ("trusted", "expected"),
    [
        # The default: nobody's X-Forwarded-For is believed, a local process's (127.0.0.1) neither.
        ("", {"127.0.0.2", "127.0.0.1"}),
        ("127.0.0.2", {"198.51.100.20", "127.0.0.1"}),  # the proxy's is; another client's still is not
    ],
)
def test_the_limits_count_the_connections_address_unless_a_trusted_proxy_names_the_client(
    redis_server: RedisServer, tmp_path: Path, customer_db_url: str, trusted: str, expected: set[str]
) -> None:
    settings = make_settings(
        redis_server.url, tmp_path / "h.db", customer_db_url, port=free_port(), trusted_proxies=trusted
    )
    with _served(settings) as base_url:
        _call(base_url, "127.0.0.2", "198.51.100.20")
        _call(base_url, "127.0.0.1", "198.51.100.21")
    assert _limited_addresses(settings) == expected
