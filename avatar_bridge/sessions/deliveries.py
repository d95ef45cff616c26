"""Frames other services send to a customer: agent messages and status (queue position, ...).

The handoff service appends to the Redis stream ``{prefix}:deliveries`` an entry with field
``payload``: ``{"session_id": "...", "frame": {"type": "agent_message" | "status", ...}}``
(the frame without v/seq/ts). The bridge reads the stream in a consumer group, so entries
written while it is down are delivered after a restart, and acknowledges each one once it is
numbered and stored for the session. A ``status`` frame also switches where the session's
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

logger = logging.getLogger(__name__)
GROUP = "avatar_bridge"
CONSUMER = "bridge"  # one bridge instance; a stable name lets a restart pick up its pending entries
AGENT_STATES = frozenset({"queued", "with_agent"})


class DeliveryListener:
    def __init__(self, redis: Redis, hub: SessionHub, schemas: SchemaRegistry, settings: Settings) -> None:
        self._redis = redis
        self._hub = hub
        self._schemas = schemas
        self._stream = settings.key("deliveries")

    async def run(self) -> None:
        await self._ensure_group()
        # First what was delivered to us but never acknowledged (a crash), then new entries.
        await self._consume("0", block_ms=None)
        while True:
            try:
                # Blocks for less than redis-py's default 5 s socket timeout.
                await self._consume(">", block_ms=2000)
            except ResponseError as error:
                if "NOGROUP" not in str(error):
                    raise
                await self._ensure_group()  # the stream was deleted under us; start afresh
            except (RedisError, OSError) as error:
                logger.warning("deliveries stream unavailable (%s); retrying", error)
                await asyncio.sleep(1.0)

    async def _ensure_group(self) -> None:
        try:
            await self._redis.xgroup_create(self._stream, GROUP, id="$", mkstream=True)
        except ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise

    async def _consume(self, start: str, block_ms: int | None) -> None:
        batches: list = await self._redis.xreadgroup(  # type: ignore[assignment]
            GROUP, CONSUMER, {self._stream: start}, count=50, block=block_ms
        )
        for _stream, entries in batches or []:
            for entry_id, fields in entries:
                await self.deliver(fields.get("payload", ""))
                await self._redis.xack(self._stream, GROUP, entry_id)

    async def deliver(self, payload: str) -> bool:
        """Deliver one entry; a malformed one is logged and dropped (never retried forever)."""
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
        if isinstance(frame, Status):
            routing = "agent" if frame.state in AGENT_STATES else "bot"
            if record.routing != routing:
                record.routing = routing
                await self._hub.store.save(record)
        await self._hub.emit_to_session(record, frame)
        return True


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
