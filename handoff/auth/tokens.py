"""Bearer tokens: random, stored only as a SHA-256 hash in Redis with a TTL.

The token's value holds a snapshot of the user (role, skills, languages) so checking a request
needs one Redis read; changing or deactivating a user revokes their tokens (``revoke_user``).
"""

import hashlib
import json
import secrets
from dataclasses import asdict, dataclass, field

from redis.asyncio import Redis

from handoff.auth.roles import role_at_least


@dataclass(frozen=True)
class AuthUser:
    username: str
    display_name: str
    role: str
    skills: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)

    def has_role(self, required: str) -> bool:
        return role_at_least(self.role, required)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenStore:
    def __init__(self, redis: Redis, prefix: str, ttl_seconds: int) -> None:
        self._redis = redis
        self._prefix = prefix
        self._ttl = ttl_seconds

    def _key(self, digest: str) -> str:
        return f"{self._prefix}:token:{digest}"

    def _user_key(self, username: str) -> str:
        return f"{self._prefix}:user_tokens:{username}"

    async def issue(self, user: AuthUser) -> str:
        token = secrets.token_urlsafe(32)
        digest = _digest(token)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self._key(digest), json.dumps(asdict(user)), ex=self._ttl)
            pipe.sadd(self._user_key(user.username), digest)
            pipe.expire(self._user_key(user.username), self._ttl)
            await pipe.execute()
        return token

    async def resolve(self, token: str) -> AuthUser | None:
        if not token or len(token) > 200:
            return None
        key = self._key(_digest(token))
        raw = await self._redis.get(key)
        if raw is None:
            return None
        await self._redis.expire(key, self._ttl)  # sliding expiry while in use
        return AuthUser(**json.loads(raw))

    async def revoke(self, token: str) -> None:
        digest = _digest(token)
        raw = await self._redis.get(self._key(digest))
        await self._redis.delete(self._key(digest))
        if raw:
            await self._redis.srem(self._user_key(json.loads(raw)["username"]), digest)

    async def revoke_user(self, username: str) -> None:
        """Signs a user out everywhere (after a role change, deactivation or new password)."""
        digests = await self._redis.smembers(self._user_key(username))
        if digests:
            await self._redis.delete(*(self._key(d) for d in digests))
        await self._redis.delete(self._user_key(username))
