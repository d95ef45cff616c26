"""Fixtures for the custom-action tests (run with the Rasa environment).

Every test gets its own copy of a seeded SQLite customer database, and the session shares one real
Redis server listening on a Unix socket in a temporary directory. Trackers are built in the same
JSON shape the Rasa server sends to the action server.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Dict, Iterable, List, Optional

import pytest
import redis
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.base import reset_clients

REPO_ROOT = Path(__file__).resolve().parents[3]
SENDER_ID = "conversation-under-test"


# --- infrastructure ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_socket(tmp_path_factory) -> Iterable[Path]:
    """A private redis-server on a Unix socket, without persistence."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (Debian package redis-server)")
    workdir = tmp_path_factory.mktemp("redis")
    socket = workdir / "redis.sock"
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--unixsocketperm",
            "700",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                if socket.exists() and redis.Redis(unix_socket_path=str(socket)).ping():
                    break
            except redis.ConnectionError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
        yield socket
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture()
def redis_client(redis_socket: Path) -> Iterable[redis.Redis]:
    client = redis.Redis(unix_socket_path=str(redis_socket))
    client.flushdb()
    yield client
    client.flushdb()  # nothing a test stored (incidents, a config) reaches the next test
    client.close()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """The demo data set, seeded once; tests work on copies."""
    from customer_db.seed import seed_database
    from customer_db.sql import SqlCustomerConnector

    path = tmp_path_factory.mktemp("customer_db") / "template.db"
    connector = SqlCustomerConnector(f"sqlite:///{path}")
    seed_database(connector)
    with connector.engine.connect() as connection:  # fold the WAL into the file we copy
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    connector.close()
    return path


@pytest.fixture()
def customer_db(seeded_template: Path, redis_socket: Path, tmp_path: Path, monkeypatch):
    """A fresh seeded database (and the shared Redis) that the actions use; returns a connector."""
    from customer_db.sql import SqlCustomerConnector

    path = tmp_path / "customer.db"
    shutil.copy(seeded_template, path)
    monkeypatch.setenv("CUSTOMER_DB_URL", f"sqlite:///{path}")
    monkeypatch.setenv("REDIS_URL", f"unix://{redis_socket}?db=0")
    monkeypatch.setenv("RESET_LINK_BASE_URL", "https://shop.example/reset-password")
    reset_clients()
    connector = SqlCustomerConnector(f"sqlite:///{path}")
    yield connector
    connector.close()
    reset_clients()


@pytest.fixture()
def broken_customer_db(tmp_path: Path, monkeypatch) -> None:
    """The actions' database URL points at a directory that does not exist."""
    monkeypatch.setenv("CUSTOMER_DB_URL", f"sqlite:///{tmp_path}/missing/dir/customer.db")
    reset_clients()
    yield
    reset_clients()


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """The real domain, as the Rasa server sends it to the action server."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(REPO_ROOT / "bot" / "domain")).as_dict()


# --- trackers ----------------------------------------------------------------------------------


def user_event(
    text: str, intent: Optional[str], entities: Optional[List[Dict[str, Any]]] = None, timestamp: float = 1700000000.0
) -> Dict[str, Any]:
    parse_data = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.97} if intent else {"name": None, "confidence": 0.0},
        "entities": entities or [],
        "intent_ranking": [],
    }
    return {
        "event": "user",
        "timestamp": timestamp,
        "text": text,
        "parse_data": parse_data,
        "input_channel": "rest",
        "metadata": {},
    }


def bot_event(text: str, timestamp: float = 1700000001.0) -> Dict[str, Any]:
    return {"event": "bot", "timestamp": timestamp, "text": text, "data": {}, "metadata": {}}


def action_event(name: str, timestamp: float = 1700000000.5) -> Dict[str, Any]:
    return {"event": "action", "timestamp": timestamp, "name": name, "policy": None, "confidence": 1.0}


def slot_event(name: str, value: Any) -> Dict[str, Any]:
    return {"event": "slot", "timestamp": None, "name": name, "value": value}


def entity(name: str, value: str, text: str) -> Dict[str, Any]:
    start = text.find(value)
    return {
        "entity": name,
        "value": value,
        "start": start,
        "end": start + len(value),
        "extractor": "RegexEntityExtractor",
    }


TrackerFactory = Callable[..., Tracker]


@pytest.fixture()
def make_tracker() -> TrackerFactory:
    """Build a tracker state like the Rasa server's: the history, then the latest user message.

    `history` is a list of earlier events; `candidates` are slot events a form appends after its
    own execution (what a FormValidationAction validates).
    """

    def build(
        intent: Optional[str] = None,
        text: str = "",
        *,
        slots: Optional[Dict[str, Any]] = None,
        entities: Optional[List[Dict[str, Any]]] = None,
        history: Optional[List[Dict]] = None,
        candidates: Optional[Dict[str, Any]] = None,
        active_loop: Optional[str] = None,
        sender_id: str = SENDER_ID,
    ) -> Tracker:
        latest = user_event(text, intent, entities)
        events = [
            action_event("action_session_start"),
            {"event": "session_started", "timestamp": None},
            action_event("action_listen"),
        ]
        events += list(history or [])
        events.append(latest)
        all_slots = dict(slots or {})
        if candidates:
            events.append(action_event(active_loop or "verify_form"))
            events += [slot_event(name, value) for name, value in candidates.items()]
            all_slots.update(candidates)
        state = {
            "sender_id": sender_id,
            "slots": all_slots,
            "latest_message": latest["parse_data"],
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action_name": "action_listen",
        }
        return Tracker.from_dict(state)

    return build


@dataclass
class Outcome:
    """What an action did: the events it returned and the messages it sent."""

    events: List[Dict[str, Any]]
    messages: List[Dict[str, Any]]

    @property
    def responses(self) -> List[str]:
        """The response names sent, in order."""
        return [message["response"] for message in self.messages]

    @property
    def slots(self) -> Dict[str, Any]:
        """The slots the events set (later events win)."""
        return {e["name"]: e["value"] for e in self.events if e.get("event") == "slot"}

    def message(self, response: str) -> Dict[str, Any]:
        """The (only) message sent with `response`, with its template values."""
        found = [message for message in self.messages if message["response"] == response]
        assert len(found) == 1, f"{response} sent {len(found)} times: {self.responses}"
        return found[0]


@pytest.fixture()
def act(domain) -> Callable[[Action, Tracker], Outcome]:
    """Run an action the way the action server does."""

    def run(action: Action, tracker: Tracker) -> Outcome:
        dispatcher = CollectingDispatcher()
        events = asyncio.run(action.run(dispatcher, tracker, domain))
        return Outcome(events=events, messages=dispatcher.messages)

    return run


@pytest.fixture()
def ev() -> SimpleNamespace:
    """Builders for recorded tracker events: ev.user(...), ev.bot(...), ev.action(...) ..."""
    return SimpleNamespace(user=user_event, bot=bot_event, action=action_event, slot=slot_event, entity=entity)
