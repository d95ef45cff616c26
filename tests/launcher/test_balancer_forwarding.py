"""The local cluster's nginx (launcher/balancer.py) and a bridge that trusts only nginx's source
address (launcher/cluster.py): the per-address limits count the customer nginx saw, whatever
X-Forwarded-For the customer sent. Real nginx, a real bridge, real Redis, FakeRasa.

nginx connects to the bridge from 127.0.0.2 (`proxy_bind`); Linux routes all of 127.0.0.0/8 to
loopback, so a customer connecting to nginx from 127.0.0.3 is a distinct address."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from launcher.balancer import LOCAL_BALANCER_ADDRESS, BalancerConfig
from launcher.cluster import nginx_binary
from launcher.process import free_port, port_is_open
from tests.avatar_bridge.bridge_support.client import opening_frame
from tests.avatar_bridge.conftest import BridgeStack, start_stack
from tests.support.redis_server import RedisServer, redis_server  # noqa: F401 (fixture)


@pytest.fixture
def bridge_behind_nginx(redis_server: RedisServer, tmp_path: Path) -> Iterator[tuple[BridgeStack, int]]:  # noqa: F811
    stack = start_stack(
        redis_server.url,
        tmp_path / "speech",
        trusted_proxies=LOCAL_BALANCER_ADDRESS,
        ip_connections_per_second=0.01,
        ip_connection_burst=1,
    )
    port = free_port()
    config = tmp_path / "nginx.conf"
    config.write_text(
        BalancerConfig(
            listen_host="127.0.0.1",
            bridge_port=port,
            rasa_port=free_port(),
            action_port=free_port(),
            bridges=(f"127.0.0.1:{stack.server.port}",),
            rasa_servers=("127.0.0.1:9",),
            action_servers=("127.0.0.1:9",),
            work_dir=str(tmp_path),
            error_log=str(tmp_path / "error.log"),
            access_log=str(tmp_path / "access.log"),
            upstream_source=LOCAL_BALANCER_ADDRESS,
        ).render()
    )
    nginx = subprocess.Popen(
        [nginx_binary(), "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not port_is_open(port):
            assert nginx.poll() is None and time.monotonic() < deadline, (tmp_path / "error.log").read_text()
            time.sleep(0.05)
        yield stack, port
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        stack.stop()


def _first_frame(url: str, source: str, forwarded_for: str) -> str:
    frame = opening_frame(url, source=source, forwarded_for=forwarded_for)
    return frame["type"] if frame["type"] != "error" else frame["code"]


def test_through_nginx_the_limits_count_the_customer_nginx_saw_not_what_they_claim(bridge_behind_nginx) -> None:
    stack, port = bridge_behind_nginx
    through_nginx = f"ws://127.0.0.1:{port}/ws/v1"
    assert _first_frame(through_nginx, "127.0.0.3", "198.51.100.40") == "session_started"
    # Claiming another address does not get the same customer a second connection...
    assert _first_frame(through_nginx, "127.0.0.3", "198.51.100.41") == "rate_limited"
    # ...while another customer through the same nginx has a limit of their own.
    assert _first_frame(through_nginx, "127.0.0.4", "127.0.0.3") == "session_started"
    # Straight to the bridge, X-Forwarded-For is not believed (the process is not nginx).
    assert _first_frame(stack.ws_url, "127.0.0.1", "198.51.100.42") == "session_started"
    with redis.Redis.from_url(str(stack.settings.redis_url), decode_responses=True) as client:
        keys = client.scan_iter(f"{stack.settings.key('ratelimit', 'ws')}:*")
        assert {key.rsplit(":", 1)[1] for key in keys} == {"127.0.0.3", "127.0.0.4", "127.0.0.1"}
