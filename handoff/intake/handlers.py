"""What the service does with each entry of the streams it reads."""

import asyncio
import logging

from contracts.handoff_record import SCHEMA as RECORD_SCHEMA
from contracts.handoff_record.schema import record_problems
from handoff.intake.streams import Malformed
from handoff.queue.service import HandoffService

logger = logging.getLogger(__name__)
MAX_TEXT = 4000


class ContextBuilder:
    """Builds the context package with handoff.context (B1); without it, the record as is."""

    def __init__(self, customer_db_url: str) -> None:
        self._url = customer_db_url
        self._connector = None

    def _customer_connector(self):  # noqa: ANN202
        if self._connector is None:
            from customer_db.sql import SqlCustomerConnector

            self._connector = SqlCustomerConnector(self._url)
        return self._connector

    def build(self, record: dict, history: list[dict]) -> dict:
        try:
            from handoff.context import build_context_package
        except ImportError:
            return {"record": record}
        try:
            return build_context_package(record, self._customer_connector(), history)
        except Exception as error:  # noqa: BLE001 (degrade: the agent still gets the record)
            logger.warning("context package failed (%s); handing over the record as is", type(error).__name__)
            return {"record": record, "context_error": type(error).__name__}


def earlier_outcomes(session_factory, customer_id: str | None) -> list[dict]:  # noqa: ANN001
    if not customer_id:
        return []
    from sqlalchemy import select

    from handoff.outcomes.model import ConversationOutcome

    with session_factory() as session:
        rows = session.scalars(
            select(ConversationOutcome)
            .where(ConversationOutcome.customer_id == customer_id)
            .order_by(ConversationOutcome.started_at.desc())
            .limit(20)
        )
        return [{c.name: getattr(row, c.name) for c in ConversationOutcome.__table__.columns} for row in rows]


class Handlers:
    def __init__(self, service: HandoffService, builder: ContextBuilder, session_factory) -> None:  # noqa: ANN001
        self._service = service
        self._builder = builder
        self._sessions = session_factory

    async def handoff_request(self, record: dict) -> None:
        for name in ("conversation_id", "handoff_id"):
            if not isinstance(record.get(name), str) or not record[name] or len(record[name]) > 128:
                raise Malformed(f"{name} missing or not a short string")
        if record.get("schema") not in (None, "handoff.v1", RECORD_SCHEMA):
            raise Malformed(f"unknown schema {record.get('schema')!r}")
        if record.get("schema") == RECORD_SCHEMA:
            # The writers build records with contracts.handoff_record; one that does not match its
            # schema is refused (kept in the rejected stream), not half-understood.
            problems = record_problems(record)
            if problems:
                raise Malformed(
                    f"handoff {record['handoff_id']} is not a valid {RECORD_SCHEMA} record "
                    f"({len(problems)} problems): " + "; ".join(problems[:5])
                )
        history = await asyncio.to_thread(earlier_outcomes, self._sessions, record.get("customer_id"))
        history = [item for item in history if item["conversation_id"] != record["conversation_id"]]
        package = await asyncio.to_thread(self._builder.build, record, history)
        # A customer we know from an earlier conversation is not on their first contact.
        first_contact = not history if record.get("customer_id") else None
        await self._service.intake(record, package, first_contact=first_contact)

    async def agent_inbox(self, entry: dict) -> None:
        session_id, text = entry.get("session_id"), entry.get("text")
        if not isinstance(session_id, str) or not isinstance(text, str) or not text:
            raise Malformed("session_id and text are required")
        ts = entry.get("ts")
        # The bridge's message id (unique in its session) makes a replayed entry one line, not two.
        # Without a usable one the line is still kept: shown twice after a replay beats lost.
        message_id = entry.get("message_id")
        if not isinstance(message_id, str) or not 0 < len(message_id) <= 128:
            if message_id is not None:
                logger.warning("a customer message with an unusable message_id; kept without it")
            message_id = ""
        await self._service.customer_message(
            session_id[:128], text[:MAX_TEXT], float(ts) if isinstance(ts, (int, float)) else None, message_id
        )

    async def session_end(self, entry: dict) -> None:
        session_id, ts = entry.get("session_id"), entry.get("ts")
        if not isinstance(session_id, str) or not session_id:
            raise Malformed("session_id is required")
        ended = float(ts) if isinstance(ts, (int, float)) and not isinstance(ts, bool) else None
        await self._service.customer_left(session_id[:128], ended)

    async def csat(self, entry: dict) -> None:
        session_id, score = entry.get("session_id"), entry.get("score")
        if not isinstance(session_id, str) or not isinstance(score, int) or not 1 <= score <= 5:
            raise Malformed("session_id and a score 1..5 are required")
        language = entry.get("language") if entry.get("language") in ("en", "de") else None
        await self._service.csat(session_id[:128], score, language)
