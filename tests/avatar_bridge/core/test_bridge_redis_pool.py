"""The bridge's Redis pool under a burst of new sockets (avatar_bridge/core/redis.py): more sockets
at once than redis-py's default pool of 100 connections, from several client addresses each within
its own limit. A real bridge under uvicorn, real Redis, FakeRasa (Rasa is outside these tests).

Linux routes all of 127.0.0.0/8 to loopback, so sockets opened from 127.0.0.2 ... 127.0.0.5 are
four client addresses to the bridge's per-address limits."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from avatar_bridge.protocol.schema_registry import SchemaRegistry

SCHEMAS = SchemaRegistry.load()


async def _open_session(url: str, source: str) -> tuple[str, int | None]:
    """What one new socket gets: the first frame's type (or error code) and, if closed, the close code."""
    async with connect(url, local_addr=(source, 0), open_timeout=20, close_timeout=5) as socket:
        try:
            await socket.send(json.dumps({"v": 1, "type": "start", "language": "en"}))
        except ConnectionClosed:
            pass  # refused at once: the refusal frame is still there to read
        frame = json.loads(await asyncio.wait_for(socket.recv(), 20))
        SCHEMAS.validate(frame["type"], frame)
        outcome = frame["code"] if frame["type"] == "error" else frame["type"]
        if frame["type"] == "error" and frame["fatal"]:
            try:
                await asyncio.wait_for(socket.recv(), 10)
            except ConnectionClosed as closed:
                return outcome, closed.rcvd.code if closed.rcvd else None
        return outcome, None


async def _burst(url: str, sources: list[str]) -> Counter:
    results = await asyncio.gather(*(_open_session(url, source) for source in sources))
    return Counter(results)


def test_a_burst_beyond_the_default_pool_from_addresses_within_their_limit_gets_a_session_each(own_bridge):
    # Defaults: 50 new sockets per address at once. 4 addresses x 50 = 200 sockets at the same time.
    stack = own_bridge()
    assert stack.settings.ip_connection_burst == 50
    sources = [f"127.0.0.{2 + index % 4}" for index in range(200)]
    outcomes = asyncio.run(_burst(stack.ws_url, sources))
    assert outcomes == Counter({("session_started", None): 200}), outcomes
    ready = httpx.get(f"{stack.http_url}/readyz", timeout=10)
    assert ready.status_code == 200 and ready.json()["status"] == "ready", ready.text


def test_a_burst_from_one_address_gets_its_burst_of_sessions_and_a_documented_refusal_for_the_rest(own_bridge):
    # The limit is checked for every socket, however busy Redis's pool is: never let one pass.
    stack = own_bridge(ip_connections_per_second=0.01)
    started = time.monotonic()
    outcomes = asyncio.run(_burst(stack.ws_url, ["127.0.0.6"] * 200))
    assert time.monotonic() - started < 30
    assert outcomes == Counter({("session_started", None): 50, ("rate_limited", 1013): 150}), outcomes
