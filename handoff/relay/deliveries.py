"""Frames for the customer's widget, through the bridge's ``bridge:deliveries`` stream
(docs/protocol.md §9): agent messages and status frames."""

import json
import uuid

from redis.asyncio import Redis

from contracts.redis_keys import BRIDGE_DELIVERIES
from handoff.core.config import HandoffSettings
from handoff.queue.wait_estimate import WaitEstimate
from handoff.relay.texts import status_text, wait_sentence


class Deliveries:
    def __init__(self, redis: Redis, settings: HandoffSettings) -> None:
        self._redis = redis
        self._stream = settings.bridge_key(BRIDGE_DELIVERIES)

    async def _send(self, session_id: str, frame: dict) -> None:
        payload = json.dumps({"session_id": session_id, "frame": frame}, ensure_ascii=False)
        await self._redis.xadd(self._stream, {"payload": payload}, maxlen=100_000, approximate=True)

    async def agent_message(self, session_id: str, display_name: str, text: str, *, role: str = "agent") -> str:
        """`role`: ``agent`` or ``supervisor`` (a supervisor barging in), shown after the name."""
        message_id = f"agent-{uuid.uuid4().hex}"
        await self._send(
            session_id,
            {
                "type": "agent_message",
                "message_id": message_id,
                "agent": {"display_name": display_name[:80], "role": role},
                "text": text[:4000],
            },
        )
        return message_id

    @property
    def stream(self) -> str:
        return self._stream

    @staticmethod
    def queued_payload(session_id: str, language: str, estimate: WaitEstimate, *, requeued: bool = False) -> str:
        text = status_text("requeued" if requeued else "queued", language, position=estimate.position)
        text = f"{text} {wait_sentence(language, estimate.low_seconds, estimate.high_seconds)}"
        frame: dict = {
            "type": "status",
            "state": "queued",
            "queue_position": estimate.position,
            # The range's upper edge ("up to"), and its lower one; an open range has only a lower.
            "estimated_wait_s": estimate.high_seconds or estimate.low_seconds,
            "estimated_wait_min_s": estimate.low_seconds,
        }
        if estimate.long:
            frame["contact_options"] = list(estimate.contact_options)
            text = f"{text} {status_text('long_wait', language)}"
        frame["text"] = text[:500]
        return json.dumps({"session_id": session_id, "frame": frame}, ensure_ascii=False)

    async def queued(self, session_id: str, language: str, estimate: WaitEstimate, *, requeued: bool = False) -> None:
        payload = self.queued_payload(session_id, language, estimate, requeued=requeued)
        await self._redis.xadd(self._stream, {"payload": payload}, maxlen=100_000, approximate=True)

    async def with_agent(self, session_id: str, language: str, display_name: str) -> None:
        await self._send(
            session_id,
            {"type": "status", "state": "with_agent", "text": status_text("with_agent", language, name=display_name)},
        )

    async def agent_left(self, session_id: str, language: str, display_name: str) -> None:
        await self._send(
            session_id,
            {"type": "status", "state": "agent_left", "text": status_text("agent_left", language, name=display_name)},
        )

    async def back_to_bot(self, session_id: str, language: str, display_name: str) -> None:
        await self._send(
            session_id, {"type": "status", "state": "bot", "text": status_text("bot", language, name=display_name)}
        )
