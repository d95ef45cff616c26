"""Listens for "a frame was stored" and "a socket took a session over" announcements from every
bridge instance (Redis pub/sub).

Whichever instance emits a frame announces ``"<session id> <seq>"`` on ``{prefix}:frames``; the
instance holding that session's socket sends the stored frame (SessionHub.frame_stored). Pub/sub
is not durable, so after (re)subscribing every live socket is flushed from the outbox once: a
frame announced while Redis was away still arrives, exactly once, in order.
Takeovers on ``{prefix}:takeovers`` close an older socket of the session held here
(SessionHub.socket_taken_over); after (re)subscribing the held sockets are checked against the
session's socket number in Redis once, for takeovers announced while Redis was away.

redis-py reconnects a pub/sub connection by itself when Redis comes back within its retries and
subscribes again without raising; Redis confirms every subscription with a ``subscribe``
message, so each confirmation (the first one and every one after a reconnect) triggers the flush.
"""

import asyncio
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from avatar_bridge.core.config import Settings
from avatar_bridge.sessions.hub import SessionHub

logger = logging.getLogger(__name__)


def parse_notice(data: str) -> tuple[str, int] | None:
    """("session id", seq) from an announcement, or None for anything else."""
    session_id, _, seq = data.partition(" ")
    if not session_id or not seq.isdigit() or len(data) > 200:
        return None
    return session_id, int(seq)


async def keep_alive(hub: SessionHub, every_s: float = 3.0) -> None:
    """Mark this instance alive in Redis (others then leave its running turns alone)."""
    while True:
        try:
            await hub.store.heartbeat(ttl_s=int(every_s * 3) + 1)
        except (RedisError, OSError) as error:
            logger.warning("instance heartbeat failed (%s)", error)
        await asyncio.sleep(every_s)


class FrameNotices:
    def __init__(self, redis: Redis, hub: SessionHub, settings: Settings) -> None:
        self._redis = redis
        self._hub = hub
        self._channel = settings.key("frames")
        # "<session id> <socket number>" when a socket takes a session over (SessionHub.attach).
        self._takeovers = settings.key("takeovers")

    async def run(self) -> None:
        while True:
            try:
                await self._listen()
            except (RedisError, OSError) as error:
                logger.warning("frame announcements unavailable (%s); retrying", error)
                await asyncio.sleep(1.0)

    async def _listen(self) -> None:
        async with self._redis.pubsub() as pubsub:
            await pubsub.subscribe(self._channel, self._takeovers)
            while True:
                message = await pubsub.get_message(timeout=2.0)
                if message is None:
                    continue
                takeover = message.get("channel") == self._takeovers
                if message.get("type") == "subscribe":
                    # (Re)subscribed: what was announced before this moment is in Redis.
                    await (self._hub.close_taken_over_sockets() if takeover else self._hub.flush_all())
                    continue
                if message.get("type") != "message":
                    continue
                notice = parse_notice(str(message.get("data", "")))
                if notice is None:
                    logger.warning("ignoring a malformed frame or takeover announcement")
                    continue
                await (self._hub.socket_taken_over(*notice) if takeover else self._hub.frame_stored(*notice))
