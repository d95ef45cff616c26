"""Which empathy phrases a conversation has already heard (a Redis set per conversation).

Claiming a phrase is one SADD: it succeeds only for the first claim, so two bot messages can
never both use the same phrase, even when they are rendered at the same moment.
"""

import re

from redis.asyncio import Redis

_PUNCTUATION = re.compile(r"[\s\W_]+")


def phrase_key(phrase: str) -> str:
    """Same words, same phrase: case, spacing and punctuation do not make a phrase new."""
    return _PUNCTUATION.sub(" ", phrase.casefold()).strip()


class EmpathyLedger:
    def __init__(self, redis: Redis, key_prefix: str, ttl_s: int) -> None:
        self._redis = redis
        self._key_prefix = key_prefix
        self._ttl_s = ttl_s

    def _key(self, conversation_id: str) -> str:
        return f"{self._key_prefix}:conversation:{conversation_id}:empathy"

    async def claim(self, conversation_id: str, phrase: str) -> bool:
        """True if the conversation has not heard `phrase` before (and now has)."""
        key = self._key(conversation_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.sadd(key, phrase_key(phrase))
            pipe.expire(key, self._ttl_s)
            added, _ = await pipe.execute()
        return bool(added)

    async def used(self, conversation_id: str) -> set[str]:
        return {str(member) for member in await self._redis.smembers(self._key(conversation_id))}
