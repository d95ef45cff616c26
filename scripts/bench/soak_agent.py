"""One simulated agent of the soak test, on the handoff service's HTTP API (docs/handoff.md):
sign in, keep a console live socket open (presence, as the real console does), take the next
conversation from the queue, send a few messages, wait for the customer's answers, hand back."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

from scripts.bench.soak_customer import new_token
from scripts.bench.soak_ledger import marked
from scripts.bench.soak_plan import AgentAccount, LoadPlan, Results, Targets

AGENT_TEXTS = (
    "Hello, I'm here to help. I've read what you told the assistant.",
    "I've checked it for you, and it is sorted now.",
    "Is there anything else I can do for you?",
)
POLL_S = 0.25
# How long an agent waits for the customer's answers before handing back anyway.
ANSWER_TIMEOUT_S = 45.0


class SimulatedAgent:
    def __init__(
        self, account: AgentAccount, targets: Targets, plan: LoadPlan, results: Results, rng: random.Random
    ) -> None:
        self.account, self.targets, self.plan, self.results, self.rng = account, targets, plan, results, rng
        self.http = httpx.AsyncClient(base_url=targets.handoff_url, timeout=30)

    async def run(self, done: asyncio.Event, hard_stop_at: float) -> None:
        """Serves the queue until `done` is set (every customer finished) or `hard_stop_at`."""
        loop = asyncio.get_running_loop()
        try:
            response = await self.http.post(
                "/api/auth/login", json={"username": self.account.username, "password": self.account.password}
            )
            if response.status_code != 200:
                self.results.error(f"agent_login:{response.status_code}")
                return
            token = response.json()["token"]
            self.http.headers["Authorization"] = f"Bearer {token}"
            live = asyncio.create_task(self._live(token))
            try:
                while not done.is_set() and loop.time() < hard_stop_at:
                    claimed = await self.http.post("/api/queue/next")
                    if claimed.status_code == 200:
                        await self._serve(claimed.json()["conversation_id"])
                    elif claimed.status_code == 404:
                        await asyncio.sleep(0.5)
                    else:
                        self.results.error(f"agent_claim:{claimed.status_code}")
                        await asyncio.sleep(1.0)
            finally:
                live.cancel()
                await asyncio.gather(live, return_exceptions=True)
        except httpx.HTTPError as error:
            self.results.error(f"agent:{type(error).__name__}")
        finally:
            await self.http.aclose()

    async def _live(self, token: str) -> None:
        """The console's live socket: keeps the agent present so claims are not taken back."""
        url = self.targets.handoff_url.replace("http://", "ws://") + "/api/live"
        with contextlib.suppress(OSError, WebSocketException):
            async with connect(url, open_timeout=30) as socket:
                await socket.send(json.dumps({"type": "auth", "token": token}))
                async for _ in socket:
                    pass

    async def _serve(self, conversation_id: str) -> None:
        for text in AGENT_TEXTS[: self.plan.agent_messages]:
            await asyncio.sleep(self.rng.uniform(*self.plan.reply_think_s))
            token = new_token(self.rng)
            self.results.deliveries.agent_sends(conversation_id, token, time.monotonic())
            sent = await self.http.post(
                f"/api/conversations/{conversation_id}/messages", json={"text": marked(text, token)}
            )
            if sent.status_code != 200:
                self.results.error(f"agent_send:{sent.status_code}")
                del self.results.deliveries.agent_sent[token]
        await self._read_answers(conversation_id)
        back = await self.http.post(f"/api/conversations/{conversation_id}/handback")
        if back.status_code != 200:
            self.results.error(f"agent_handback:{back.status_code}")

    async def _read_answers(self, conversation_id: str) -> None:
        """Reads the conversation until the customer answered every agent message (or the timeout);
        the last read is the agent's view the exactly-once check uses."""
        deliveries = self.results.deliveries
        expected = sum(1 for session, _ in deliveries.agent_sent.values() if session == conversation_id)
        deadline = time.monotonic() + ANSWER_TIMEOUT_S
        while True:
            response = await self.http.get(f"/api/conversations/{conversation_id}/messages")
            if response.status_code != 200:
                self.results.error(f"agent_read:{response.status_code}")
                return
            texts = [line["text"] for line in response.json()["messages"] if line.get("kind") == "customer"]
            seen = deliveries.agent_reads(conversation_id, texts, time.monotonic())
            answered = deliveries.expected_by_agent(conversation_id)
            if (len(answered) >= expected and answered <= set(seen)) or time.monotonic() > deadline:
                return
            await asyncio.sleep(POLL_S)


async def run_agent(
    index: int,
    account: AgentAccount,
    targets: Targets,
    plan: LoadPlan,
    results: Results,
    done: asyncio.Event,
    hard_stop_at: float,
) -> None:
    agent = SimulatedAgent(account, targets, plan, results, random.Random(plan.seed * 7919 + index))
    await agent.run(done, hard_stop_at)
