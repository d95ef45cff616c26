"""Reading a Redis stream in a consumer group: nothing is lost across restarts.

Entries are acknowledged only after ``handle`` returned; an entry that fails with an unexpected
error stays pending and is retried on the next start. A malformed entry is handed to ``reject``
(kept in a dead-letter stream) and acknowledged, so it is never retried forever.
"""

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

logger = logging.getLogger(__name__)


class Malformed(ValueError):
    """The entry cannot be understood; the message says why."""


class StreamConsumer:
    def __init__(
        self,
        redis: Redis,
        stream: str,
        group: str,
        consumer: str,
        handle: Callable[[dict], Awaitable[None]],
        rejected_stream: str,
    ) -> None:
        self._redis = redis
        self.stream = stream
        self._group = group
        self._consumer = consumer
        self._handle = handle
        self._rejected = rejected_stream

    async def ensure_group(self) -> None:
        try:
            # From the beginning: entries written before the service ever ran are handed over too.
            await self._redis.xgroup_create(self.stream, self._group, id="0", mkstream=True)
        except ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise

    async def run(self) -> None:
        while True:
            try:
                await self.ensure_group()
                await self.consume("0", block_ms=None)  # pending after a crash first
                while True:
                    await self.consume(">", block_ms=2000)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as error:
                logger.warning("stream %s unavailable (%s); retrying", self.stream, type(error).__name__)
                await asyncio.sleep(1.0)
            except Exception:  # the entry stays pending and is retried from the start of the loop
                logger.exception("handling an entry of %s failed; retrying", self.stream)
                await asyncio.sleep(2.0)

    async def consume(self, start: str, block_ms: int | None) -> int:
        batches = await self._redis.xreadgroup(
            self._group, self._consumer, {self.stream: start}, count=50, block=block_ms
        )
        handled = 0
        for _stream, entries in batches or []:
            for entry_id, fields in entries:
                try:
                    payload = json.loads(fields.get("payload", ""))
                    if not isinstance(payload, dict):
                        raise Malformed("payload is not a JSON object")
                    await self._handle(payload)
                except (Malformed, ValueError, KeyError, TypeError) as error:
                    logger.warning("rejecting entry %s of %s: %s", entry_id, self.stream, error)
                    await self._redis.xadd(
                        self._rejected,
                        {
                            "stream": self.stream,
                            "entry": entry_id,
                            "error": str(error)[:500],
                            "payload": fields.get("payload", "")[:100_000],
                        },
                        maxlen=10_000,
                        approximate=True,
                    )
                await self._redis.xack(self.stream, self._group, entry_id)
                handled += 1
        return handled
