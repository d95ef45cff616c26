"""Rate limits: the socket's frame bucket (memory) and the session's user-message bucket (Redis),
which a reconnect or a bridge restart does not refill."""

import asyncio
import itertools
import math

import pytest
from bridge_support.client import BridgeClient
from redis.asyncio import Redis

from avatar_bridge.sessions.rate_limit import RedisTokenBucket, TokenBucket

_keys = itertools.count(1)


def test_bucket_allows_a_burst_then_the_rate():
    now = [0.0]
    bucket = TokenBucket(rate=2.0, burst=3, clock=lambda: now[0])
    assert [bucket.take() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take() == 0.5  # seconds until the next token
    now[0] = 0.5
    assert bucket.take() == 0.0
    now[0] = 100.0
    assert [bucket.take() for _ in range(4)][:3] == [0.0, 0.0, 0.0]  # never more than the burst


def _redis_takes(redis_url: str, rate: float, burst: int, count: int, pause_s: float = 0.0) -> list[float]:
    async def run() -> list[float]:
        redis = Redis.from_url(redis_url, decode_responses=True)
        try:
            # Two bucket objects on one key, as two connections or two bridge processes would have.
            first, second = RedisTokenBucket(redis, rate, burst), RedisTokenBucket(redis, rate, burst)
            key = f"ratetest:{next(_keys)}"
            waits = []
            for n in range(count):
                waits.append(await (first if n % 2 else second).take(key))
            if pause_s:
                await asyncio.sleep(pause_s)
                waits.append(await first.take(key))
            ttl = await redis.ttl(key)
            assert 0 < ttl <= math.ceil(burst / rate) + 1  # expires once the bucket would be full
            return waits
        finally:
            await redis.aclose()

    return asyncio.run(run())


def test_redis_bucket_is_shared_by_every_holder_of_the_key(redis_server):
    waits = _redis_takes(redis_server.url, rate=2.0, burst=3, count=5)
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert 0.3 < waits[3] <= 0.5  # the 4th waits for the next token, whichever object asks
    assert waits[4] > 0


def test_redis_bucket_refills_at_the_rate(redis_server):
    waits = _redis_takes(redis_server.url, rate=10.0, burst=2, count=3, pause_s=0.25)
    assert waits[:2] == [0.0, 0.0] and waits[2] > 0
    assert waits[3] == 0.0  # 0.25 s at 10/s brought tokens back


def _answer_of(client: BridgeClient, message_id: str) -> dict:
    frame = client.recv()
    while frame.get("reply_to") != message_id or frame["type"] not in ("turn_complete", "error"):
        frame = client.recv()
    return frame


def test_reconnecting_or_a_bridge_restart_does_not_reset_the_message_limit(own_bridge):
    # 0.05 messages per second: once the burst is spent, no token comes back during the test.
    stack = own_bridge(user_messages_per_second=0.05, user_message_burst=3, speech_enabled=False)
    client = BridgeClient(stack.ws_url)
    client.start("en")
    for n in range(3):
        assert client.ask(f"echo burst {n}")[-1]["type"] == "turn_complete"
    client.close()

    again = BridgeClient(stack.ws_url)
    assert again.resume(client)["type"] == "session_resumed"
    refused = _answer_of(again, again.say("echo after reconnect"))
    assert refused["code"] == "rate_limited" and refused["retry_after_ms"] > 1000
    again.close()

    stack.restart_bridge()
    after_restart = BridgeClient(stack.ws_url)
    assert after_restart.resume(again)["type"] == "session_resumed"
    refused = _answer_of(after_restart, after_restart.say("echo after restart"))
    assert refused["code"] == "rate_limited"
    after_restart.close()

    # Another session has its own allowance.
    other = BridgeClient(stack.ws_url)
    other.start("en")
    assert other.ask("echo other session")[-1]["type"] == "turn_complete"
    other.close()


@pytest.mark.parametrize("burst", [2])
def test_the_limit_is_reported_in_session_started(own_bridge, burst):
    stack = own_bridge(user_message_burst=burst, user_messages_per_second=0.5, speech_enabled=False)
    client = BridgeClient(stack.ws_url)
    limits = client.start("en")["limits"]
    assert limits["user_message_burst"] == burst and limits["user_messages_per_second"] == 0.5
    client.close()


def test_concurrent_takes_never_hand_out_more_than_the_burst(redis_server):
    async def run() -> list[float]:
        redis = Redis.from_url(redis_server.url, decode_responses=True)
        try:
            buckets = [RedisTokenBucket(redis, 0.01, 5) for _ in range(4)]
            key = f"ratetest:{next(_keys)}"
            return await asyncio.gather(*(buckets[n % 4].take(key) for n in range(40)))
        finally:
            await redis.aclose()

    waits = asyncio.run(run())
    assert waits.count(0.0) == 5
