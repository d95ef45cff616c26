"""The services' Redis pool (common/redis_pool.py) against a real Redis: a command waits for a
free connection instead of failing at once, and a pool still exhausted after the wait says so
with redis-py's own MaxConnectionsError."""

from __future__ import annotations

import asyncio
import time

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import MaxConnectionsError

from avatar_bridge.core.config import Settings
from common.redis_pool import pool_size, waiting_pool
from handoff.core.config import HandoffSettings
from handoff.core.redis import app_redis
from launcher.process import free_port
from tests.support.redis_server import RedisServer, redis_server  # noqa: F401 (fixture)


def test_a_command_waits_for_a_busy_pool_and_fails_only_when_none_frees_up(redis_server: RedisServer) -> None:  # noqa: F811
    async def scenario() -> None:
        client = Redis.from_pool(waiting_pool(redis_server.url, max_connections=1, timeout_s=0.3))
        try:
            held = await client.connection_pool.get_connection()
            # Freed within the wait: the command runs (redis-py's default pool failed it at once).
            asyncio.get_running_loop().call_later(0.1, asyncio.ensure_future, client.connection_pool.release(held))
            assert await client.ping() is True
            held = await client.connection_pool.get_connection()
            started = time.monotonic()
            with pytest.raises(MaxConnectionsError, match="no Redis connection free within 0.3 s"):
                await client.ping()
            assert time.monotonic() - started >= 0.3
            await client.connection_pool.release(held)
        finally:
            await client.aclose()

    asyncio.run(scenario())


def test_an_unreachable_redis_is_not_reported_as_an_exhausted_pool() -> None:
    async def scenario() -> None:
        client = Redis.from_pool(waiting_pool(f"redis://127.0.0.1:{free_port()}/0", max_connections=1, timeout_s=0.3))
        try:
            with pytest.raises(RedisConnectionError) as failed:
                await client.ping()
            assert not isinstance(failed.value, MaxConnectionsError)
        finally:
            await client.aclose()

    asyncio.run(scenario())


@pytest.fixture
def settings_from_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """`make test` exports the local system's service settings; these tests mean the defaults."""
    import os

    for name in [name for name in os.environ if name.startswith(("AVATAR_BRIDGE_", "HANDOFF_"))]:
        monkeypatch.delenv(name)


@pytest.mark.usefixtures("settings_from_defaults")
def test_pools_are_sized_from_each_services_per_address_limits() -> None:
    # One address's whole burst (requests or new sockets, the larger) plus 8 for background tasks.
    assert pool_size(Settings()) == 100 + 8
    assert pool_size(Settings(ip_connection_burst=300)) == 300 + 8
    assert pool_size(Settings(redis_max_connections=40)) == 40
    assert pool_size(HandoffSettings()) == 200 + 8


@pytest.mark.usefixtures("settings_from_defaults")
def test_the_handoff_services_client_takes_its_pool_and_password_from_the_settings() -> None:
    client = app_redis(HandoffSettings(redis_pool_timeout_s=1.5, redis_password="p" * 20))
    pool = client.connection_pool
    assert (pool.max_connections, pool.timeout) == (208, 1.5)
    assert pool.connection_kwargs["password"] == "p" * 20
