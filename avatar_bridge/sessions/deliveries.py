"""Frames other services send to a customer: agent messages and status (queue position, ...).

The handoff service appends to the Redis stream ``{prefix}:deliveries`` an entry with field
``payload``: ``{"session_id": "...", "frame": {"type": "agent_message" | "status", ...}}``
(the frame without v/seq/ts). The bridge reads the stream in a consumer group, so entries
written while it is down are delivered after a restart, and acknowledges each one once it is
numbered and stored for the session. Several instances share the group, each under its own
consumer name (``instance_id``; stable, so a restarted instance picks up its own pending entries);
only the instance holding a lease in Redis consumes (so entries keep their order), and an
instance taking the lease over claims what its predecessor left unacknowledged. The instance
that consumes an entry need not hold the customer's socket: the stored frame is announced and the
holder sends it (see hub.py). A ``status`` frame also switches where the session's
next user messages go: ``queued`` / ``with_agent`` -> the agent inbox, ``bot`` / ``agent_left``
-> Rasa.
"""

import asyncio
import json
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from avatar_bridge.core.config import Settings
from avatar_bridge.protocol.messages import (
    PROTOCOL_VERSION,
    AgentMessage,
    ServerFrame,
    Status,
)
from avatar_bridge.protocol.schema_registry import SchemaRegistry
from avatar_bridge.sessions.hub import SessionHub
from contracts.redis_keys import BRIDGE_DELIVERIES

logger = logging.getLogger(__name__)
GROUP = "avatar_bridge"
# One instance at a time consumes the stream (entries keep their order; two competing consumers
# could emit a status and the agent message right after it the wrong way round). The lease is
# renewed every round; when its holder dies, another instance takes over within LEASE_MS.
LEASE_MS = 10_000
# Take the lease if it is free, or renew it if it is ours: 1 when we hold it afterwards.
_LEASE_SCRIPT = """
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 1 end
return 0
"""
AGENT_STATES = frozenset({"queued", "with_agent"})


class DeliveryListener:
    def __init__(self, redis: Redis, hub: SessionHub, schemas: SchemaRegistry, settings: Settings) -> None:
        self._redis = redis
        self._hub = hub
        self._schemas = schemas
        self._stream = settings.key(BRIDGE_DELIVERIES)
        self._consumer = settings.instance_id
        self._lease_key = settings.key(BRIDGE_DELIVERIES, "consumer")
        self._lease = redis.register_script(_LEASE_SCRIPT)

    async def _hold_lease(self) -> bool:
        return bool(await self._lease(keys=[self._lease_key], args=[self._consumer, LEASE_MS]))

    async def run(self) -> None:
        leading = False
        while True:
            try:
                if not await self._hold_lease():
                    leading = False
                    await asyncio.sleep(1.0)  # another instance consumes; stand by
                    continue
                if not leading:
                    # Just took over: first what earlier consumers (a crashed instance, or this
                    # instance before a restart) read but never acknowledged, then new entries.
                    await self._ensure_group()
                    await self._claim_abandoned()
                    await self._consume("0", block_ms=None)
                    leading = True
                # Blocks for less than redis-py's default 5 s socket timeout and the lease.
                await self._consume(">", block_ms=2000)
            except ResponseError as error:
                if "NOGROUP" not in str(error):
                    raise
                await self._ensure_group()  # the stream was deleted under us; start afresh
                leading = False
            except (RedisError, OSError) as error:
                logger.warning("deliveries stream unavailable (%s); retrying", error)
                leading = False
                await asyncio.sleep(1.0)

    async def _ensure_group(self) -> None:
        try:
            await self._redis.xgroup_create(self._stream, GROUP, id="$", mkstream=True)
        except ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise

    async def _consume(self, start: str, block_ms: int | None) -> None:
        batches: list = await self._redis.xreadgroup(  # type: ignore[assignment]
            GROUP, self._consumer, {self._stream: start}, count=50, block=block_ms
        )
        for _stream, entries in batches or []:
            await self._handle(entries, replayed=start != ">")

    async def _claim_abandoned(self) -> None:
        """Take over entries earlier consumers read but never acknowledged (oldest first)."""
        start = "0-0"
        while True:
            result = await self._redis.xautoclaim(
                self._stream, GROUP, self._consumer, min_idle_time=0, start_id=start, count=50
            )
            claimed = result[1] if result else []
            # The claimed entries are now our pending ones: `_consume("0")` delivers them.
            start = result[0] if result else "0-0"
            if not claimed or start in ("0-0", b"0-0"):
                return

    async def _handle(self, entries: list, replayed: bool) -> None:
        for entry_id, fields in entries:
            if fields is None:  # deleted from the stream meanwhile
                await self._redis.xack(self._stream, GROUP, entry_id)
                continue
            await self.deliver(fields.get("payload", ""), replayed=replayed)
            await self._redis.xack(self._stream, GROUP, entry_id)

    async def deliver(self, payload: str, replayed: bool = False) -> bool:
        """Deliver one entry; a malformed one is logged and dropped (never retried forever).

        `replayed`: the entry was read before and never acknowledged (Redis or the consuming
        instance went away between storing the frame and the acknowledgement); an agent message
        already in the session's outbox is then not stored a second time."""
        try:
            entry = json.loads(payload)
            session_id = entry["session_id"]
            frame = _frame_from(entry["frame"], self._schemas)
        except (ValueError, KeyError, TypeError) as error:
            logger.warning("dropping a malformed delivery: %s", error)
            return False
        record = await self._hub.store.load(session_id)
        if record is None:
            logger.warning("dropping a delivery for an unknown or expired session")
            return False
        if replayed and isinstance(frame, AgentMessage) and await self._stored_already(session_id, frame.message_id):
            logger.info("an agent message read again after a restart was delivered already")
            return True
        if isinstance(frame, Status):
            routing = "agent" if frame.state in AGENT_STATES else "bot"
            if record.routing != routing:
                record.routing = routing
                await self._hub.store.save(record)
        await self._hub.emit_to_session(record, frame)
        return True

    async def _stored_already(self, session_id: str, message_id: str) -> bool:
        for _seq, stored in await self._hub.store.numbered_frames_after(session_id, 0):
            if f'"{AgentMessage.TYPE}"' not in stored:
                continue
            document = json.loads(stored)
            if document.get("type") == AgentMessage.TYPE and document.get("message_id") == message_id:
                return True
        return False


def _frame_from(document: dict, schemas: SchemaRegistry) -> ServerFrame:
    frame_type = document.get("type")
    if frame_type not in (AgentMessage.TYPE, Status.TYPE):
        raise ValueError(f"only agent_message and status can be delivered, not {frame_type!r}")
    # Check against the protocol schema with placeholder envelope fields.
    errors = schemas.errors(frame_type, {**document, "v": PROTOCOL_VERSION, "seq": 1, "ts": 0})
    if errors:
        raise ValueError(f"{frame_type}: {errors[0].message}")
    fields = {key: value for key, value in document.items() if key not in ("type", "v", "seq", "ts")}
    return AgentMessage(**fields) if frame_type == AgentMessage.TYPE else Status(**fields)
