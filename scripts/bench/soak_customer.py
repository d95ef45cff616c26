"""One simulated customer of the soak test: conversations over the bridge's WebSocket (`/ws/v1`,
docs/protocol.md), one after the other, each on a new session, with think time between messages.

A reader task records every frame in the session's ledger (exactly-once checks) and wakes whoever
waits for it: the terminal frame of a user message, or the status and agent frames of a handoff.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import string
import time

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

from scripts.bench.soak_conversations import Conversation, Step, conversation
from scripts.bench.soak_ledger import marked
from scripts.bench.soak_plan import LoadPlan, Results, Targets

REPLY_TEXTS = {"en": "Thank you, that's what I needed to know.", "de": "Danke, genau das wollte ich wissen."}


def new_token(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_lowercase, k=10))


class CustomerSession:
    """One conversation on one socket."""

    def __init__(self, socket: ClientConnection, plan: LoadPlan, results: Results, rng: random.Random) -> None:
        self.socket, self.plan, self.results, self.rng = socket, plan, results, rng
        self.session_id = ""
        self._ids = itertools.count(1)
        self._sent_at: dict[str, float] = {}
        self._waiting: dict[str, asyncio.Future[dict]] = {}
        self._cued: set[str] = set()
        # status and agent_message frames, in order, for the handoff phase
        self.events: asyncio.Queue[dict] = asyncio.Queue()

    async def start(self, language: str, audio: bool) -> None:
        await self.socket.send(
            json.dumps({"v": 1, "type": "start", "language": language, "capabilities": {"audio": audio}})
        )
        frame = json.loads(await asyncio.wait_for(self.socket.recv(), self.plan.turn_timeout_s))
        if frame.get("type") != "session_started":
            raise RuntimeError(f"start answered with {frame.get('type')}: {frame.get('code')}")
        self.session_id = frame["session_id"]
        self.results.conversations += 1

    async def read_frames(self) -> None:
        ledger = self.results.ledger(self.session_id)
        async for raw in self.socket:
            now = time.monotonic()
            frame = json.loads(raw)
            ledger.record(frame)
            kind, reply_to = frame.get("type"), frame.get("reply_to")
            if kind == "bot_message" and reply_to in self._sent_at and reply_to not in self._cued:
                self._cued.add(reply_to)
                self.results.text_cue_ms.append((now - self._sent_at[reply_to]) * 1000)
            elif kind == "agent_message":
                self.results.deliveries.customer_receives(self.session_id, frame.get("text", ""), now)
                self.events.put_nowait(frame)
            elif kind == "status":
                self.events.put_nowait(frame)
            # An error with reply_to also ends a message that was never accepted (rate limit, ...).
            if kind in ("turn_complete", "error") and reply_to in self._waiting:
                waiter = self._waiting.pop(reply_to)
                if not waiter.done():
                    waiter.set_result(frame)

    async def ask(self, text: str) -> dict | None:
        """Sends a user message; its terminal frame, or None after the turn timeout."""
        message_id = f"m{next(self._ids)}"
        waiter = asyncio.get_running_loop().create_future()
        self._waiting[message_id] = waiter
        self._sent_at[message_id] = time.monotonic()
        await self.socket.send(json.dumps({"v": 1, "type": "user_message", "id": message_id, "text": text}))
        try:
            frame = await asyncio.wait_for(waiter, self.plan.turn_timeout_s)
        except TimeoutError:
            self.results.error("turn_timeout")
            return None
        self.results.turn_ms.append((time.monotonic() - self._sent_at[message_id]) * 1000)
        if frame["type"] == "error":
            self.results.error(f"error_frame:{frame.get('code')}")
        else:
            self.results.turns += 1
            self.results.turn_done_at.append(time.monotonic())
            self.results.turns_to_agent += frame.get("routed_to") == "agent"
        return frame

    async def with_agent(self, language: str, asked_at: float) -> bool:
        """Waits for an agent, answers each agent message once, until handed back. False if no
        agent came in time."""
        deadline = asyncio.get_running_loop().time() + self.plan.handoff_timeout_s
        while True:
            frame = await self._next_event(deadline)
            if frame is None:
                self.results.error("handoff_not_served")
                return False
            if frame["type"] == "status" and frame.get("state") == "with_agent":
                break
        self.results.handoff_wait_ms.append((time.monotonic() - asked_at) * 1000)
        self.results.handoffs_served += 1
        while True:
            frame = await self._next_event(asyncio.get_running_loop().time() + self.plan.handoff_timeout_s)
            if frame is None:
                self.results.error("agent_never_handed_back")
                return True
            if frame["type"] == "status" and frame.get("state") in ("bot", "agent_left"):
                return True
            if frame["type"] == "agent_message":
                await asyncio.sleep(self.rng.uniform(*self.plan.reply_think_s))
                token = new_token(self.rng)
                sent_at = time.monotonic()
                answer = await self.ask(marked(REPLY_TEXTS[language], token))
                if answer and answer.get("routed_to") == "agent":
                    self.results.deliveries.customer_sends(self.session_id, token, sent_at)
                elif answer and answer["type"] == "turn_complete":
                    # With an agent, yet the bridge gave the message to the bot.
                    self.results.error("answer_to_the_agent_went_to_the_bot")

    async def _next_event(self, deadline: float) -> dict | None:
        try:
            return await asyncio.wait_for(self.events.get(), max(0.0, deadline - asyncio.get_running_loop().time()))
        except TimeoutError:
            return None


async def run_customer(
    index: int, targets: Targets, plan: LoadPlan, results: Results, stop_at: float, hard_stop_at: float
) -> None:
    """Conversations until `stop_at` (loop time) or the message budget; a conversation with an
    agent may run on until `hard_stop_at`."""
    rng = random.Random(plan.seed * 100_003 + index)
    loop = asyncio.get_running_loop()
    await asyncio.sleep(rng.uniform(0, plan.ramp_s))
    first_to_person = index < round(plan.customers * plan.person_share)
    budget, number = plan.max_messages_per_customer, 0
    while loop.time() < stop_at and budget > 0:
        language = "de" if rng.random() < 0.4 else "en"
        to_person = first_to_person if number == 0 else rng.random() < plan.person_share
        chat = conversation(rng, language, to_person=to_person)
        try:
            budget -= await _one_conversation(chat, targets, plan, results, rng, stop_at, hard_stop_at)
        except (OSError, WebSocketException, RuntimeError, TimeoutError) as error:
            results.error(f"customer:{type(error).__name__}")
            await asyncio.sleep(rng.uniform(*plan.think_s))
        number += 1


async def _one_conversation(
    chat: Conversation,
    targets: Targets,
    plan: LoadPlan,
    results: Results,
    rng: random.Random,
    stop_at: float,
    hard_stop_at: float,
) -> int:
    """Runs one conversation; returns how many messages it sent."""
    loop = asyncio.get_running_loop()
    sent = 0
    async with connect(targets.bridge_ws, max_size=8 * 1024 * 1024, open_timeout=30) as socket:
        session = CustomerSession(socket, plan, results, rng)
        await session.start(chat.language, audio=rng.random() < plan.audio_share)
        reader = asyncio.create_task(session.read_frames())
        try:
            for step in chat.steps:
                if loop.time() >= stop_at:
                    break
                await asyncio.sleep(rng.uniform(*plan.think_s))
                sent += 1
                if not await _say(session, step, chat.language, hard_stop_at):
                    break
        finally:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)
    return sent


async def _say(session: CustomerSession, step: Step, language: str, hard_stop_at: float) -> bool:
    """One step; False when the conversation cannot go on."""
    asked_at = time.monotonic()
    frame = await session.ask(step.text)
    if frame is None:
        return False
    if step.to_person and frame["type"] == "turn_complete":
        remaining = hard_stop_at - asyncio.get_running_loop().time()
        if remaining <= 0:
            return False
        try:
            return await asyncio.wait_for(session.with_agent(language, asked_at), remaining)
        except TimeoutError:
            session.results.error("agent_chat_cut_by_the_time_limit")
            return False
    return True
