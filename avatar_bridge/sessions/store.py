"""Session state in Redis, so sessions survive reconnects and bridge restarts.

Keys (prefix ``bridge`` by default; all expire ``session_ttl_s`` after the last activity):
  {p}:session:{id}          hash: language, audio, audio_delivery, routing, ended, token hashes
  {p}:session:{id}:seq      counter of conversation frames
  {p}:session:{id}:outbox   sorted set: recent conversation frames (JSON) scored by seq
  {p}:session:{id}:turns    hash: client message id -> accepted | done | failed
  {p}:session:{id}:rate     hash: the session's user-message token bucket (expires when full)
  {p}:session:{id}:emit     lock held while a frame is numbered and stored (any instance)
  {p}:session:{id}:socket   counter: one number per socket the session was attached to
Pub/sub channel {p}:frames: "<session id> <seq>" after each stored frame (bridge instances).
Pub/sub channel {p}:takeovers: "<session id> <socket number>" when a socket takes a session over.
Streams shared with other services: {p}:csat (feedback), {p}:agent_inbox (messages for agents).
Tokens are stored as SHA-256 hashes only.
"""

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import cast

from redis.asyncio import Redis

from avatar_bridge.core.config import Settings
from avatar_bridge.protocol.messages import Capabilities
from avatar_bridge.sessions.rate_limit import RedisTokenBucket
from contracts.redis_keys import BRIDGE_AGENT_INBOX, BRIDGE_CSAT, BRIDGE_SESSION_ENDS

TURN_ACCEPTED = "accepted"
# Handed to the agent's inbox, terminal frame not yet sent: a restart must not ask for it again.
TURN_FORWARDED = "forwarded"
TURN_DONE = "done"
TURN_FAILED = "failed"


@dataclass(frozen=True)
class UnfinishedTurn:
    message_id: str
    forwarded: bool  # already in the agents' inbox: it only lacks its terminal frame


@dataclass
class SessionRecord:
    session_id: str
    language: str
    audio: bool = True
    audio_delivery: str = "url"
    routing: str = "bot"  # "bot" | "agent"
    ended: bool = False
    resume_token_hash: str = ""
    customer_token_hash: str = ""


def _hash(token: str | None) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest() if token else ""


class SessionStore:
    def __init__(self, redis: Redis, settings: Settings) -> None:
        self._redis = redis
        self._settings = settings
        self._message_bucket = RedisTokenBucket(redis, settings.user_messages_per_second, settings.user_message_burst)

    @property
    def redis(self) -> Redis:
        return self._redis

    def _key(self, session_id: str, part: str = "") -> str:
        return self._settings.key("session", session_id, part) if part else self._settings.key("session", session_id)

    def _all_keys(self, session_id: str) -> list[str]:
        parts = ("seq", "outbox", "turns", "socket")
        return [self._key(session_id), *(self._key(session_id, part) for part in parts)]

    # --- the session record -------------------------------------------------------------------

    async def create(
        self, language: str, customer_token: str | None, capabilities: Capabilities | None
    ) -> tuple[SessionRecord, str]:
        """A new session and its resume token (returned once, stored only as a hash)."""
        resume_token = secrets.token_urlsafe(32)
        record = SessionRecord(
            session_id=secrets.token_urlsafe(18),
            language=language,
            resume_token_hash=_hash(resume_token),
            customer_token_hash=_hash(customer_token),
        )
        apply_capabilities(record, capabilities)
        await self.save(record)
        return record, resume_token

    async def save(self, record: SessionRecord, *only: str) -> None:
        """Writes the record, or just the fields named in `only`. A socket's copy of the record can
        be stale in a field another instance owns (routing, changed by whichever bridge reads
        bridge:deliveries), so a change of capabilities or the end writes only its own fields."""
        key = self._key(record.session_id)
        fields: dict[str, str | int] = {
            "language": record.language,
            "audio": int(record.audio),
            "audio_delivery": record.audio_delivery,
            "routing": record.routing,
            "ended": int(record.ended),
            "resume_token_hash": record.resume_token_hash,
            "customer_token_hash": record.customer_token_hash,
        }
        if only:
            fields = {name: fields[name] for name in only}
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=fields)  # type: ignore[arg-type]
            pipe.expire(key, self._settings.session_ttl_s)
            await pipe.execute()

    async def load(self, session_id: str) -> SessionRecord | None:
        # The client decodes responses, so Redis hands back str (redis-py's types say bytes | str).
        fields = cast(dict[str, str], await self._redis.hgetall(self._key(session_id)))
        if not fields:
            return None
        return SessionRecord(
            session_id=session_id,
            language=fields.get("language", "en"),
            audio=fields.get("audio", "1") == "1",
            audio_delivery=fields.get("audio_delivery", "url"),
            routing=fields.get("routing", "bot"),
            ended=fields.get("ended", "0") == "1",
            resume_token_hash=fields.get("resume_token_hash", ""),
            customer_token_hash=fields.get("customer_token_hash", ""),
        )

    @staticmethod
    def may_resume(record: SessionRecord, resume_token: str, customer_token: str | None) -> bool:
        """The resume token must match; a session bound to a customer also needs their token."""
        if not hmac.compare_digest(record.resume_token_hash, _hash(resume_token)):
            return False
        if record.customer_token_hash:
            return hmac.compare_digest(record.customer_token_hash, _hash(customer_token))
        return True

    async def touch(self, session_id: str) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in self._all_keys(session_id):
                pipe.expire(key, self._settings.session_ttl_s)
            await pipe.execute()

    # --- conversation frames --------------------------------------------------------------------

    async def next_seq(self, session_id: str) -> int:
        return int(await self._redis.incr(self._key(session_id, "seq")))

    async def last_seq(self, session_id: str) -> int:
        return int(await self._redis.get(self._key(session_id, "seq")) or 0)

    async def store_frame(self, session_id: str, seq: int, payload: str) -> None:
        key = self._key(session_id, "outbox")
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zadd(key, {payload: seq})
            # Keep the newest N frames: drop ranks 0 .. -(N+1).
            pipe.zremrangebyrank(key, 0, -(self._settings.replay_buffer_frames + 1))
            pipe.expire(key, self._settings.session_ttl_s)
            pipe.expire(self._key(session_id, "seq"), self._settings.session_ttl_s)
            await pipe.execute()

    def frame_lock(self, session_id: str):  # redis-py's asyncio Lock
        """Held while a frame is numbered and stored, by whichever bridge instance emits it, so
        frames become visible in sequence order to the instance that holds the session's socket."""
        return self._redis.lock(self._key(session_id, "emit"), timeout=5, sleep=0.01, blocking_timeout=10)

    async def numbered_frames_after(self, session_id: str, last_seq: int) -> list[tuple[int, str]]:
        """(seq, frame) stored with seq > last_seq, oldest first."""
        stored = cast(
            list[tuple[str, float]],
            await self._redis.zrangebyscore(self._key(session_id, "outbox"), f"({last_seq}", "+inf", withscores=True),
        )
        return [(int(score), payload) for payload, score in stored]

    async def announce_frame(self, session_id: str, seq: int) -> None:
        """Tell every bridge instance that a frame was stored (the one holding the socket sends it)."""
        await self._redis.publish(self._settings.key("frames"), f"{session_id} {seq}")

    async def frames_after(self, session_id: str, last_seq: int) -> tuple[list[str], bool]:
        """Stored frames with seq > last_seq, oldest first, and whether some were already dropped."""
        stored = cast(
            list[tuple[str, float]],
            await self._redis.zrangebyscore(self._key(session_id, "outbox"), f"({last_seq}", "+inf", withscores=True),
        )
        frames = [payload for payload, _ in stored]
        newest = await self.last_seq(session_id)
        oldest_kept = int(stored[0][1]) if stored else newest + 1
        gap = newest > last_seq and oldest_kept > last_seq + 1
        return frames, gap

    # --- turns (exactly once per client message id) ----------------------------------------------

    async def take_message_token(self, session_id: str) -> float:
        """The session's user-message rate limit: 0.0 if this message may go on, else seconds to wait.

        Kept in Redis with the session, so a reconnect does not start a fresh allowance."""
        return await self._message_bucket.take(self._key(session_id, "rate"))

    async def claim_turn(self, session_id: str, message_id: str) -> bool:
        key = self._key(session_id, "turns")
        async with self._redis.pipeline(transaction=True) as pipe:
            # "accepted:<instance>": the bridge instance running the turn (see unfinished_turns).
            pipe.hsetnx(key, message_id, f"{TURN_ACCEPTED}:{self._settings.instance_id}")
            pipe.expire(key, self._settings.session_ttl_s)
            pipe.expire(self._key(session_id), self._settings.session_ttl_s)  # activity keeps the session
            claimed, *_ = await pipe.execute()
        return bool(claimed)

    async def finish_turn(self, session_id: str, message_id: str, state: str) -> None:
        await self._redis.hset(self._key(session_id, "turns"), message_id, state)

    async def unfinished_turns(self, session_id: str) -> list[UnfinishedTurn]:
        """Accepted, unfinished turns that this instance ran or whose instance is gone.

        A turn another live instance is running (the customer reconnected to this one meanwhile)
        is not listed: it finishes there and its frames reach this socket (hub.py)."""
        turns = cast(dict[str, str], await self._redis.hgetall(self._key(session_id, "turns")))
        unfinished = []
        for message_id, state in turns.items():
            stage, _, owner = state.partition(":")
            if stage not in (TURN_ACCEPTED, TURN_FORWARDED):
                continue
            if owner and owner != self._settings.instance_id and await self.instance_alive(owner):
                continue
            unfinished.append(UnfinishedTurn(message_id, forwarded=stage == TURN_FORWARDED))
        return unfinished

    # --- bridge instances (several may share Redis) ----------------------------------------------

    async def heartbeat(self, ttl_s: int = 10) -> None:
        await self._redis.set(self._settings.key("instance", self._settings.instance_id), str(time.time()), ex=ttl_s)

    async def instance_alive(self, instance_id: str) -> bool:
        return bool(await self._redis.exists(self._settings.key("instance", instance_id)))

    async def next_socket_number(self, session_id: str) -> int:
        """Numbers the sockets a session is attached to, across instances: the highest is the
        session's current socket, every lower one has been taken over."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(self._key(session_id, "socket"))
            pipe.expire(self._key(session_id, "socket"), self._settings.session_ttl_s)
            number, _ = await pipe.execute()
        return int(number)

    async def current_socket_number(self, session_id: str) -> int:
        return int(await self._redis.get(self._key(session_id, "socket")) or 0)

    async def announce_takeover(self, session_id: str, socket_number: int) -> None:
        """Tell every bridge instance that socket `socket_number` now holds the session."""
        await self._redis.publish(self._settings.key("takeovers"), f"{session_id} {socket_number}")

    # --- streams other services read -------------------------------------------------------------

    async def record_csat(self, record: SessionRecord, score: int, comment: str | None) -> None:
        entry = {"session_id": record.session_id, "score": score, "language": record.language, "ts": time.time()}
        if comment:
            entry["comment"] = comment
        await self._redis.xadd(self._settings.key(BRIDGE_CSAT), {"payload": json.dumps(entry, ensure_ascii=False)})

    async def record_session_end(self, record: SessionRecord) -> None:
        """The customer ended the chat: the handoff service counts the conversation as over now
        (its outcome, or a customer who stopped waiting for a person)."""
        entry = {"session_id": record.session_id, "language": record.language, "ts": time.time()}
        await self._redis.xadd(self._settings.key(BRIDGE_SESSION_ENDS), {"payload": json.dumps(entry)})

    async def forward_to_agent(self, session_id: str, message_id: str, text: str) -> None:
        """Puts the message in the agents' inbox and marks its turn forwarded, both or neither."""
        entry = {"session_id": session_id, "message_id": message_id, "text": text, "ts": time.time()}
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xadd(self._settings.key(BRIDGE_AGENT_INBOX), {"payload": json.dumps(entry, ensure_ascii=False)})
            pipe.hset(self._key(session_id, "turns"), message_id, f"{TURN_FORWARDED}:{self._settings.instance_id}")
            await pipe.execute()


# The record's fields that a client's capabilities set (see apply_capabilities).
CAPABILITY_FIELDS = ("audio", "audio_delivery")


def apply_capabilities(record: SessionRecord, capabilities: Capabilities | None) -> None:
    if capabilities is None:
        return
    if capabilities.audio is not None:
        record.audio = capabilities.audio
    if capabilities.audio_delivery is not None:
        record.audio_delivery = capabilities.audio_delivery
