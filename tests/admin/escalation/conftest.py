"""A clean Redis database per test for the escalation store (the shared server, its own db number)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from tests.support.redis_server import RedisServer, redis_server  # noqa: F401

ESCALATION_TEST_DB = 7  # apart from the handoff service tests' db 0


@pytest.fixture()
def redis_client(redis_server: RedisServer) -> Iterator[redis.Redis]:  # noqa: F811
    client = redis.Redis(host="127.0.0.1", port=redis_server.port, db=ESCALATION_TEST_DB)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()
