"""What live assist has shown per conversation, in Redis, so "never twice" holds across reloads.

Keys (the service's prefix): ``conv:{id}:assist:shown`` set of suggestion keys;
``conv:{id}:assist:last`` the latest answer (JSON), so reading again for the same customer line
gives the same suggestions instead of new ones. Both expire `TTL_SECONDS` after the last change.
"""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

from handoff.core.config import HandoffSettings

# Longer than any conversation with an agent; afterwards nothing needs them.
TTL_SECONDS = 3 * 24 * 3600


class AssistMemory:
    def __init__(self, redis: Redis, settings: HandoffSettings) -> None:
        self.redis = redis
        self.settings = settings

    def _keys(self, cid: str) -> tuple[str, str]:
        return self.settings.key("conv", cid, "assist", "shown"), self.settings.key("conv", cid, "assist", "last")

    async def shown(self, cid: str) -> set[str]:
        return set(await self.redis.smembers(self._keys(cid)[0]))

    async def last(self, cid: str) -> dict[str, Any] | None:
        raw = await self.redis.get(self._keys(cid)[1])
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    async def remember(self, cid: str, answer: dict[str, Any]) -> None:
        shown_key, last_key = self._keys(cid)
        keys = [item["key"] for item in answer.get("suggestions", [])]
        async with self.redis.pipeline(transaction=True) as pipe:
            if keys:
                pipe.sadd(shown_key, *keys)
            pipe.expire(shown_key, TTL_SECONDS)
            pipe.set(last_key, json.dumps(answer, ensure_ascii=False), ex=TTL_SECONDS)
            await pipe.execute()
