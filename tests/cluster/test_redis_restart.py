"""A Redis restart under a live handoff, in the cluster (two instances of each service, nginx).

Redis holds every piece of shared state (Rasa's trackers and locks, the bridge's sessions and
replay buffers, the handoff queue and streams). Restarting it -- gracefully (SIGTERM) and as a
crash (SIGKILL) -- must lose nothing the services had acknowledged, and every service must carry
on by itself: agent messages reach the customer exactly once on the instance holding the socket,
customer messages reach the agent exactly once, a reconnecting customer resumes without a gap or a
duplicate, the handoff queue and the claim are still there, outcome records are complete, and the
bot answers again after the hand-back. A message sent while Redis is down gets a clear error frame
and leaves nothing behind.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import httpx
import pytest
import redis
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from websockets.sync.client import ClientConnection, connect

from handoff.outcomes.model import ConversationOutcome
from launcher.cluster import Cluster, ClusterLayout
from launcher.settings import LauncherSettings
from tests.avatar_bridge.bridge_support.client import BridgeClient, of_type
from tests.support.rasa_api import rasa_api_auth
from tests.support.system import seed_demo_users

TURN_TIMEOUT = 90.0
BILLING_DISPUTE = "You charged me twice for the same order, I want my money back!"
T = TypeVar("T")
_unique = itertools.count(1)


def _wait_for(check: Callable[[], T], what: str, timeout: float = 60.0, every: float = 0.3) -> T:
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except (httpx.HTTPError, redis.RedisError):
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(every)


def _frames_until(customer: BridgeClient, match: Callable[[dict], bool], timeout: float = 30.0) -> list[dict]:
    """Frames received up to and including the first one `match` accepts."""
    frames: list[dict] = []
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no matching frame; received {frames}")
        frames.append(customer.recv(timeout=remaining))
        if match(frames[-1]):
            return frames


def _quiet(customer: BridgeClient, seconds: float = 2.0) -> None:
    """Nothing more arrives (a duplicate would)."""
    with pytest.raises(TimeoutError):
        extra = customer.recv(timeout=seconds)
        pytest.fail(f"unexpected frame {extra}")


class Agent:
    """An agent signed in to the handoff service, with the agent console's live socket open
    (the console keeps the agent present, or a claim returns to the queue)."""

    def __init__(self, settings: LauncherSettings, username: str) -> None:
        self._http = httpx.Client(base_url=settings.handoff_url, timeout=30)
        response = self._http.post("/api/auth/login", json={"username": username, "password": f"{username}-demo-pass"})
        response.raise_for_status()
        token = response.json()["token"]
        self._http.headers["Authorization"] = f"Bearer {token}"
        self.console: ClientConnection = connect(
            f"ws://127.0.0.1:{settings.handoff_port}/api/live", open_timeout=10, legacy=True
        )
        self.console.send(json.dumps({"type": "auth", "token": token}))
        assert json.loads(self.console.recv(timeout=10))["type"] == "ready"

    def get(self, path: str) -> dict:
        response = self._http.get(path)
        response.raise_for_status()
        return response.json()

    def console_updates(self, timeout: float) -> list[dict]:
        """What the console socket received (the live updates), waiting at most `timeout`."""
        updates = []
        try:
            while True:
                updates.append(json.loads(self.console.recv(timeout=timeout)))
                timeout = 0.2
        except TimeoutError:
            return updates

    def post(self, path: str, body: dict | None = None) -> httpx.Response:
        return self._http.post(path, json=body)

    def queue_ids(self) -> list[str]:
        return [item["conversation_id"] for item in self.get("/api/queue")["items"]]

    def customer_lines(self, conversation_id: str) -> list[str]:
        lines = self.get(f"/api/conversations/{conversation_id}/messages")["messages"]
        return [line["text"] for line in lines if line["kind"] == "customer"]

    def close(self) -> None:
        self.console.close()
        self._http.close()


@pytest.fixture(scope="module")
def agents(cluster: Cluster, settings: LauncherSettings) -> Iterator[dict[str, Agent]]:
    seed_demo_users(cluster["handoff"])
    signed_in = {name: Agent(settings, name) for name in ("mia", "sam", "alex")}
    yield signed_in
    for agent in signed_in.values():
        agent.close()


@dataclass
class Handoff:
    customer: BridgeClient
    conversation_id: str


def _customer(port: int) -> BridgeClient:
    customer = BridgeClient(f"ws://127.0.0.1:{port}/ws/v1")
    customer.start("en", capabilities={"audio": False})
    return customer


def _handed_over(port: int) -> Handoff:
    """A customer on bridge `port` whose billing dispute is waiting in the agents' queue."""
    customer = _customer(port)
    frames = customer.ask(BILLING_DISPUTE, timeout=TURN_TIMEOUT)
    assert frames[-1]["type"] == "turn_complete", frames
    # The handoff service may queue the conversation before the turn's last frame.
    if not [f for f in frames if f["type"] == "status" and f["state"] == "queued"]:
        _frames_until(customer, lambda f: f["type"] == "status" and f["state"] == "queued", timeout=60)
    return Handoff(customer, customer.session_id)


def _not_consuming_deliveries(redis_client: redis.Redis, layout: ClusterLayout) -> int:
    """The bridge port of the instance that does not read bridge:deliveries: agent messages
    for a customer there have to cross instances."""
    consumer = _wait_for(lambda: redis_client.get("bridge:deliveries:consumer"), "a deliveries consumer", 30)
    return layout.bridge_ports[1] if consumer == "bridge-1" else layout.bridge_ports[0]


def _agent_says(agent: Agent, handoff: Handoff, text: str) -> None:
    """The agent's message reaches the customer exactly once (texts are unique per test)."""
    response = agent.post(f"/api/conversations/{handoff.conversation_id}/messages", {"text": text})
    assert response.status_code == 200, response.text
    frames = _frames_until(handoff.customer, lambda f: f["type"] == "agent_message" and f["text"] == text)
    assert [f for f in frames if f["type"] == "agent_message"] == frames[-1:], frames
    _quiet(handoff.customer, 1.5)


def _customer_says(agent: Agent, handoff: Handoff, text: str) -> None:
    """The customer's message reaches the agent exactly once."""
    frames = handoff.customer.ask(text, timeout=30)
    assert frames[-1]["type"] == "turn_complete" and frames[-1]["routed_to"] == "agent", frames
    _wait_for(lambda: text in agent.customer_lines(handoff.conversation_id), f"the agent to see {text!r}", 30)
    time.sleep(1.0)  # a duplicate would show up by now
    assert agent.customer_lines(handoff.conversation_id).count(text) == 1


def _everyone_ready(settings: LauncherSettings, layout: ClusterLayout) -> bool:
    urls = [f"http://127.0.0.1:{port}/readyz" for port in layout.bridge_ports] + [f"{settings.handoff_url}/readyz"]
    return all(httpx.get(url, timeout=10).status_code == 200 for url in urls)


def _restart_redis(
    cluster: Cluster,
    settings: LauncherSettings,
    layout: ClusterLayout,
    *,
    crash: bool,
    while_down: Callable[[], None] = lambda: None,
) -> None:
    if crash:
        cluster["redis"].kill()
    else:
        cluster["redis"].stop()
    try:
        while_down()
    finally:
        cluster["redis"].start()
        cluster["redis"].wait_ready()
    _wait_for(lambda: _everyone_ready(settings, layout), "every service to be ready again", timeout=60)


def _user_texts(settings: LauncherSettings, conversation_id: str) -> list[str]:
    tracker = httpx.get(
        f"{settings.rasa_url}/conversations/{conversation_id}/tracker", timeout=30, auth=rasa_api_auth(settings)
    ).json()
    return [event.get("text") for event in tracker["events"] if event["event"] == "user"]


def _outcome(settings: LauncherSettings, conversation_id: str) -> ConversationOutcome | None:
    engine = create_engine(f"sqlite:///{settings.var_dir / 'handoff.db'}")
    try:
        with Session(engine) as session:
            return session.get(ConversationOutcome, conversation_id)
    finally:
        engine.dispose()


def _hand_back_and_talk_to_the_bot(agent: Agent, handoff: Handoff, settings: LauncherSettings) -> None:
    response = agent.post(f"/api/conversations/{handoff.conversation_id}/handback")
    assert response.status_code == 200, response.text
    _frames_until(handoff.customer, lambda f: f["type"] == "status" and f["state"] == "bot")
    # The handoff service reset the handoff in Rasa's tracker (through nginx, after the restart).
    tracker = httpx.get(
        f"{settings.rasa_url}/conversations/{handoff.conversation_id}/tracker", timeout=30, auth=rasa_api_auth(settings)
    ).json()
    assert tracker["slots"]["handoff_requested"] is False, tracker["slots"]
    frames = handoff.customer.ask("where is my order?", timeout=TURN_TIMEOUT)
    assert frames[-1]["type"] == "turn_complete" and frames[-1].get("routed_to") != "agent", frames
    assert of_type(frames, "bot_message"), frames
    # Rasa's tracker came through the restart: each earlier user message once, in order. (Messages
    # to the agent never went to Rasa.)
    assert _user_texts(settings, handoff.conversation_id) == [BILLING_DISPUTE, "where is my order?"]


def test_a_handoff_goes_on_through_a_graceful_redis_restart(
    cluster: Cluster,
    settings: LauncherSettings,
    layout: ClusterLayout,
    redis_client: redis.Redis,
    agents: dict[str, Agent],
) -> None:
    mia, sam = agents["mia"], agents["sam"]
    claimed = _handed_over(_not_consuming_deliveries(redis_client, layout))
    waiting = _handed_over(settings.bridge_port)
    assert {claimed.conversation_id, waiting.conversation_id} <= set(mia.queue_ids())
    claim = mia.post(f"/api/queue/{claimed.conversation_id}/claim")
    assert claim.status_code == 200, claim.text
    _frames_until(claimed.customer, lambda f: f["type"] == "status" and f["state"] == "with_agent")
    _agent_says(mia, claimed, "Hi, I'm Mia. I can see the double charge; let me look.")
    _customer_says(mia, claimed, "Thank you, it was order 40010002.")

    down_message_id = f"while-down-{next(_unique)}"
    down: dict = {}

    def while_down() -> None:
        # Readiness says Redis is away, on every instance.
        for port in layout.bridge_ports:
            bridge = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=30)
            assert bridge.status_code == 503 and bridge.json()["redis"] is False, bridge.text
        handoff = httpx.get(f"{settings.handoff_url}/readyz", timeout=30)
        assert handoff.status_code == 503 and "redis" in handoff.text, handoff.text
        # The agent console's API says "try again" instead of failing obscurely.
        queue = mia.post("/api/queue/next")
        assert queue.status_code == 503 and queue.headers["Retry-After"], queue.text
        # A message now gets a clear error frame naming it: not silence, not a hang.
        claimed.customer.say("Are you still there?", down_message_id)
        down["frame"] = claimed.customer.recv(timeout=30)

    mia.console_updates(timeout=0.5)  # read what is there so far
    _restart_redis(cluster, settings, layout, crash=False, while_down=while_down)
    error = down["frame"]
    assert error["type"] == "error" and error["code"] == "temporarily_unavailable", error
    assert error["reply_to"] == down_message_id and "seq" not in error, error
    assert error["retry_after_ms"] > 0 and "again" in error["message"], error

    # The queue and the claim survived.
    assert waiting.conversation_id in mia.queue_ids()
    assert mia.get(f"/api/conversations/{claimed.conversation_id}")["conversation"]["state"] == "assigned"
    # Messages flow both ways, exactly once, across bridge instances.
    _agent_says(mia, claimed, "Thanks for waiting. I have refunded the second charge.")
    # The console's live updates carried on over the same socket.
    assert [u for u in mia.console_updates(timeout=5) if u["type"] == "changed"]
    _customer_says(mia, claimed, "Great, thank you!")
    # Nothing of the message sent while Redis was down was kept: no turn, no line for the agent.
    assert redis_client.hget(f"bridge:session:{claimed.conversation_id}:turns", down_message_id) is None
    assert "Are you still there?" not in mia.customer_lines(claimed.conversation_id)

    # The customer reconnects on the other instance and replays the last frames: no gap, no duplicate.
    seen = {f["seq"]: f for f in claimed.customer.received if "seq" in f}
    claimed.customer.close()
    again = BridgeClient(f"ws://127.0.0.1:{settings.bridge_port}/ws/v1")
    resumed = again.resume(claimed.customer, last_seq=claimed.customer.last_seq - 4)
    assert resumed["type"] == "session_resumed" and not resumed["gap"], resumed
    replayed = [again.recv(timeout=10) for _ in range(resumed["replayed"])]
    assert [f["seq"] for f in replayed] == list(range(claimed.customer.last_seq - 3, claimed.customer.last_seq + 1))
    assert replayed == [seen[f["seq"]] for f in replayed]
    claimed.customer = again

    _hand_back_and_talk_to_the_bot(mia, claimed, settings)
    # The waiting conversation is taken and closed after the restart too.
    assert sam.post(f"/api/queue/{waiting.conversation_id}/claim").status_code == 200
    assert (
        sam.post(f"/api/conversations/{waiting.conversation_id}/end", {"outcome_code": "resolved"}).status_code == 200
    )

    back = _outcome(settings, claimed.conversation_id)
    assert back is not None
    assert (back.handoff_reason, back.agent_username, back.outcome_code) == (
        "billing_double_charge",
        "mia",
        "handed_back_to_bot",
    )
    assert back.agent_joined_at is not None and back.wait_seconds is not None and back.handle_seconds is not None
    ended = _outcome(settings, waiting.conversation_id)
    assert ended is not None
    assert (ended.handoff_reason, ended.agent_username, ended.outcome_code, ended.resolved_by) == (
        "billing_double_charge",
        "sam",
        "resolved",
        "agent",
    )
    assert ended.agent_joined_at is not None and ended.ended_at is not None
    again.close()


def test_a_handoff_goes_on_after_redis_crashes(
    cluster: Cluster,
    settings: LauncherSettings,
    layout: ClusterLayout,
    redis_client: redis.Redis,
    agents: dict[str, Agent],
) -> None:
    # SIGKILL: Redis keeps what it had written to its append-only file (written before it answers;
    # the kernel keeps it), so nothing acknowledged is lost.
    # Mia had an upset customer just now: the queue gives no one such cases back to back.
    alex = agents["alex"]
    claimed = _handed_over(_not_consuming_deliveries(redis_client, layout))
    claim = alex.post(f"/api/queue/{claimed.conversation_id}/claim")
    assert claim.status_code == 200, claim.text
    _frames_until(claimed.customer, lambda f: f["type"] == "status" and f["state"] == "with_agent")
    _agent_says(alex, claimed, "Hello, Alex here. Let me check your payment.")
    _customer_says(alex, claimed, "It was charged on Monday.")

    _restart_redis(cluster, settings, layout, crash=True)

    assert alex.get(f"/api/conversations/{claimed.conversation_id}")["conversation"]["state"] == "assigned"
    assert alex.customer_lines(claimed.conversation_id).count("It was charged on Monday.") == 1
    _agent_says(alex, claimed, "Found it: the second charge is cancelled.")
    _customer_says(alex, claimed, "Perfect.")
    _hand_back_and_talk_to_the_bot(alex, claimed, settings)
    record = _outcome(settings, claimed.conversation_id)
    assert record is not None and record.outcome_code == "handed_back_to_bot" and record.agent_username == "alex"
    claimed.customer.close()
