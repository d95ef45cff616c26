"""What happens to a handed-over conversation: intake, claim, chat, end, hand back, requeue.

Coordinates the queue (Redis), the customer's widget (bridge deliveries) and the outcome records
(SQL, written in a worker thread so the event loop never waits on the database).
"""

import asyncio
import logging
import time
from datetime import datetime, timezone

from sqlalchemy.orm import sessionmaker

from handoff.auth.tokens import AuthUser
from handoff.core.config import HandoffSettings
from contracts.redis_keys import conversation_events_key
from handoff.outcomes.bot_sessions import record_from_log
from handoff.outcomes.writes import OutcomeWrites
from handoff.queue.claim_next import agent_for_claim, take_next
from handoff.queue.positions import CoalescedRefresh, PositionNotices
from handoff.queue.rank_index import case_of
from handoff.queue.routing import AgentState, load_after_claim, offer_refusal
from handoff.queue.views import snapshot, visible_rows
from handoff.queue.entries import conversation_from_record, emotion_path, epoch_of, utc_datetime
from handoff.queue.store import QueueStore
from handoff.relay.deliveries import Deliveries
from handoff.relay.contact_request import contact_request_from, contact_request_line
from handoff.relay.rasa_tracker import mark_back_with_bot

logger = logging.getLogger(__name__)

OUTCOME_CODES = (
    "resolved",
    "refund_issued",
    "replacement_sent",
    "escalated_internally",
    "callback_scheduled",
    "customer_left",
    "not_resolved",
)

# What the agent reads when the customer closes the chat (the console is in English).
LEFT_WAITING = "The customer left before anyone joined."
LEFT_CHATTING = "The customer has closed the chat; they no longer read this conversation."


class HandoffError(Exception):
    """A request that cannot be done; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class HandoffService:
    def __init__(
        self,
        queue: QueueStore,
        settings: HandoffSettings,
        session_factory: sessionmaker,
        *,
        background_positions: bool = False,
    ) -> None:
        """`background_positions`: refresh waiting customers' positions after a claim or an end in a
        background task (the running service) rather than before answering (scripted tests)."""
        self.queue = queue
        self.settings = settings
        self.deliveries = Deliveries(queue.redis, settings)
        self._sessions = session_factory
        self._outcomes = OutcomeWrites(session_factory)
        self.notices = PositionNotices(queue, settings, self.deliveries)
        self._positions = CoalescedRefresh(self.refresh_positions) if background_positions else None

    # --- outcomes (SQL in a thread, in order) ------------------------------------------------
    async def outcome(self, conversation_id: str, **fields: object) -> None:
        await self._outcomes.write(conversation_id, **fields)

    # --- intake ------------------------------------------------------------------------------
    async def intake(self, record: dict, package: dict, *, first_contact: bool | None = None) -> bool:
        now = time.time()
        conv = conversation_from_record(record, package, now)
        # A replay (the service stopped after storing, before acknowledging) stores nothing new
        # but still completes the steps after it; each of them is idempotent.
        stored = await self.queue.enqueue(conv, package)
        cid = conv["conversation_id"]
        transcript = record.get("transcript") or []
        intents = [line.get("intent") for line in transcript if line.get("role") == "customer" and line.get("intent")]
        started = epoch_of(transcript[0].get("timestamp")) if transcript else None
        path = emotion_path(record)
        await self.outcome(
            cid,
            customer_id=conv["customer_id"] or None,
            language=conv["language"],
            started_at=utc_datetime(started) or utc_datetime(float(conv["requested_at"])),
            handoff_reason=conv["reason"],
            handoff_requested_at=utc_datetime(float(conv["requested_at"])),
            intents=intents or None,
            primary_intent=intents[0] if intents else None,
            emotion_path=path or None,
            emotion_start=path[0]["label"] if path else None,
            emotion_peak=max(path, key=lambda p: p["intensity"])["label"] if path else None,
            emotion_end=path[-1]["label"] if path else conv["emotion"],
            first_contact=first_contact,
        )
        if stored:
            await self.queue.add_message(cid, "system", "handoff", "Handoff", f"Handed over: {conv['reason_text']}")
        await self.notify_position(cid)
        return stored

    async def notify_position(self, cid: str, *, requeued: bool = False) -> None:
        await self.notices.notify(cid, requeued=requeued)

    async def refresh_positions(self) -> None:
        await self.notices.refresh_all()

    # --- views -------------------------------------------------------------------------------
    async def queue_view(self, user: AuthUser) -> list[dict]:
        """Waiting conversations this user may see (their skills and languages), best first."""
        now = time.time()
        return visible_rows(await snapshot(self.queue, user, now), user, now, self.queue)

    async def may_see(self, user: AuthUser, cid: str) -> dict:
        row = await self.queue.get(cid)
        if row is None:
            raise HandoffError(404, "No such conversation.")
        if user.has_role("supervisor"):
            return row
        if row.get("state") == "assigned" and row.get("agent") == user.username:
            return row
        if row.get("state") == "queued" and row.get("skill") in user.skills and row.get("language") in user.languages:
            return row
        raise HandoffError(403, "This conversation is not assigned to you or waiting in your queues.")

    # --- agent actions -----------------------------------------------------------------------
    async def claim(self, user: AuthUser, cid: str) -> dict:
        row = await self.queue.get(cid)
        if row is not None and row.get("state") != "queued":
            raise HandoffError(409, "This conversation is not waiting any more (taken or ended).")
        row = await self.may_see(user, cid)
        now = time.time()
        agents = await self.queue.agent_states(now)
        me = await self.queue.agent_state(user.username, now)
        me.skills, me.languages, me.online = list(user.skills), list(user.languages), True
        refusal = offer_refusal(me, case_of(row), now, self.queue.rules, agents)
        if refusal:
            raise HandoffError(409, f"You cannot take this conversation now: {refusal}.")
        if not await self.queue.claim(cid, user, now):
            raise HandoffError(409, "Someone else has taken this conversation already.")
        return await self._taken(user, me, cid, now)

    async def claim_next(self, user: AuthUser) -> dict:
        """The best conversation this agent may take now, chosen and claimed in one atomic step
        from the ranked index (handoff/queue/claim_next.py): agents racing each get a different one."""
        now = time.time()
        me = await agent_for_claim(self.queue, user, now)
        cid = await take_next(self.queue, me, user, now)
        if cid is None:
            raise HandoffError(404, "Nothing in your queues that you can take now.")
        return await self._taken(user, me, cid, now)

    async def _taken(self, user: AuthUser, me: AgentState, cid: str, now: float) -> dict:
        """What follows a claim. Before answering, in two round trips: the agent's load, claim and
        presence, the customer told, the line in the chat. After: the outcome record (SQL, in order
        with the conversation's other writes) and the waiting customers' positions."""
        row = await self.queue.get(cid) or {"conversation_id": cid}
        case = case_of(row)
        load = load_after_claim(me, case, now, self.queue.rules)
        await asyncio.gather(
            self.queue.record_claim(user.username, load, case.distress, now),
            self.deliveries.with_agent(cid, case.language, user.display_name),
            self.queue.add_message(
                cid, "system", user.username, user.display_name, f"{user.display_name} took the conversation."
            ),
        )
        waited = max(0.0, now - (case.requested_at or now))
        self._outcomes.write_soon(
            cid, agent_joined_at=utc_datetime(now), wait_seconds=round(waited, 1), agent_username=user.username
        )
        await self.positions_changed()
        return row

    async def positions_changed(self) -> None:
        """Waiting customers' positions moved: refreshed now, or soon in the background (Workers)."""
        if self._positions is None:
            await self.refresh_positions()
        else:
            self._positions.request()

    async def settle(self) -> None:
        """Until the background outcome writes and position refresh have finished (shutdown)."""
        await self._outcomes.wait()
        if self._positions is not None:
            await self._positions.wait()

    async def _held(self, user: AuthUser, cid: str, *, supervisor_ok: bool = False) -> dict:
        row = await self.queue.get(cid)
        if row is None:
            raise HandoffError(404, "No such conversation.")
        if row.get("state") != "assigned":
            raise HandoffError(409, "This conversation is not with an agent.")
        if row.get("agent") != user.username and not (supervisor_ok and user.has_role("supervisor")):
            raise HandoffError(403, "This conversation is assigned to someone else.")
        return row

    async def send_to_customer(self, user: AuthUser, cid: str, text: str) -> str:
        row = await self._held(user, cid, supervisor_ok=True)
        # A supervisor barging in writes under their own name and role, for the customer too.
        role = "agent" if row.get("agent") == user.username else "supervisor"
        if role == "supervisor":
            # Once per supervisor and conversation, also when two barge-ins race (one atomic step).
            await self.queue.add_message(
                cid,
                "system",
                user.username,
                user.display_name,
                f"{user.display_name} (supervisor) joined the conversation.",
                source_id=f"joined:{user.username}",
            )
        await self.deliveries.agent_message(cid, user.display_name, text, role=role)
        return await self.queue.add_message(cid, "agent", user.username, user.display_name, text, role=role)

    async def note(self, user: AuthUser, cid: str, text: str) -> str:
        await self._held(user, cid, supervisor_ok=True)
        return await self.queue.add_message(cid, "note", user.username, user.display_name, text)

    async def whisper(self, user: AuthUser, cid: str, text: str) -> str:
        if not user.has_role("supervisor"):
            raise HandoffError(403, "Only supervisors can whisper.")
        await self._held(user, cid, supervisor_ok=True)
        # Never delivered to the bridge: only the agent's and supervisors' consoles show it.
        return await self.queue.add_message(cid, "whisper", user.username, user.display_name, text)

    async def end(self, user: AuthUser, cid: str, outcome_code: str, *, back_to_bot: bool = False) -> None:
        row = await self._held(user, cid, supervisor_ok=True)
        now = time.time()
        if not await self.queue.finish(cid, row.get("agent") or None, now):
            raise HandoffError(409, "This conversation has ended already.")
        language = row.get("language", "en")
        name = row.get("agent_display") or user.display_name
        if back_to_bot:
            await mark_back_with_bot(self.settings.rasa_url, cid, self.settings.rasa_auth())
            await self.deliveries.back_to_bot(cid, language, name)
        else:
            await self.deliveries.agent_left(cid, language, name)
        await self.queue.add_message(
            cid,
            "system",
            user.username,
            user.display_name,
            "Handed back to the assistant." if back_to_bot else f"Ended: {outcome_code}.",
        )
        claimed = float(row.get("claimed_at") or now)
        handled = max(0.0, now - claimed)
        await self.queue.record_handle_time(handled, row.get("skill") or "general")
        await self.outcome(
            cid,
            ended_at=None if back_to_bot else utc_datetime(now),
            handle_seconds=round(handled, 1),
            outcome_code=outcome_code,
            resolved_by=None if back_to_bot else "agent",
        )
        await self.positions_changed()

    # --- from the bridge and the clock ---------------------------------------------------------
    async def customer_message(self, session_id: str, text: str, ts: float | None, message_id: str = "") -> None:
        """`message_id`: the bridge's id of the message; the same message read again is one line."""
        source_id = f"customer:{message_id}" if message_id else ""
        via = contact_request_from(text)
        if via is None:
            await self.queue.add_message(session_id, "customer", "customer", "Customer", text, ts, source_id=source_id)
            return
        # The customer chose a call back or an e-mail reply over waiting (offered with a long
        # wait): a request for whoever takes the conversation, shown in the queue and the chat.
        if await self.queue.get(session_id) is None:
            return
        await self.queue.redis.hset(self.queue.conv_key(session_id), "contact_request", via)
        line = contact_request_line(via)
        await self.queue.add_message(session_id, "system", "customer", "Customer", line, ts, source_id=source_id)

    async def csat(self, session_id: str, score: int, language: str | None) -> None:
        row = await self.queue.get(session_id)
        fields: dict = {"csat": score, "language": language}
        if row is None:
            # Feedback from a conversation that never reached a person: the bot resolved it. Its
            # start, intents and emotions come from the bot's log, so it counts in full right away.
            await self.record_from_log(session_id)
            fields.update(resolved_by="bot", ended_at=datetime.now(timezone.utc))
        await self.outcome(session_id, **fields)

    async def customer_left(self, session_id: str, ts: float | None = None) -> None:
        """The customer ended the chat in the widget: the conversation is over now, not after the
        idle timeout (docs/handoff.md "Outcome records")."""
        now = ts or time.time()
        row = await self.queue.get(session_id)
        state = (row or {}).get("state")
        if state == "queued":
            # They stopped waiting: out of the queue, so nobody behind them waits for them.
            if await self.queue.finish(session_id, None, now):
                await self.queue.add_message(session_id, "system", "system", "System", LEFT_WAITING, now)
                await self.outcome(
                    session_id, ended_at=utc_datetime(now), resolved_by="abandoned", outcome_code="customer_left"
                )
                await self.refresh_positions()
            return
        if state == "assigned":
            # The agent ends it (with an outcome); they should know nobody is reading any more.
            await self.queue.add_message(session_id, "system", "system", "System", LEFT_CHATTING, now)
            return
        await self.record_from_log(session_id)

    async def record_from_log(self, session_id: str) -> None:
        """The outcome of a conversation with the bot, from its log (also one handed back)."""
        await record_from_log(self.queue.redis, self._sessions, conversation_events_key(session_id), session_id)

    async def requeue_abandoned(self, now: float | None = None) -> list[str]:
        """Conversations whose agent's console has been gone for claim_timeout_seconds go back."""
        now = now or time.time()
        returned = []
        for row in await self.queue.many(await self.queue.live_ids()):
            if row.get("state") != "assigned":
                continue
            agent = row.get("agent", "")
            seen = await self.queue.redis.zscore(self.queue.k("presence"), agent)
            last = max(seen or 0.0, float(row.get("claimed_at") or 0))
            if now - last < self.settings.claim_timeout_seconds:
                continue
            if await self.queue.release(row["conversation_id"], agent):
                returned.append(row["conversation_id"])
                await self.queue.add_message(
                    row["conversation_id"],
                    "system",
                    "handoff",
                    "Handoff",
                    f"{row.get('agent_display') or agent} disconnected; back in the queue.",
                )
                await self.notify_position(row["conversation_id"], requeued=True)
                logger.info("conversation returned to the queue: agent %s gone", agent)
        return returned
