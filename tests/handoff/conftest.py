"""The handoff service against a real Redis (free port, AOF on) and a temporary SQLite database.

Each test gets its own key prefixes, so tests share one Redis without seeing each other's data.
"""

from __future__ import annotations

import time
import uuid
from contextlib import contextmanager
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from contracts.escalation.config import default_config
from contracts.handoff_record import build_record, timeline_point, transcript_line
from handoff.app import create_app
from handoff.core.config import HandoffSettings
from handoff.users import DEMO_USERS, seed_demo
from tests.support.redis_server import RedisServer, redis_server  # noqa: F401

PASSWORDS = {user["username"]: user["password"] for user in DEMO_USERS}


@pytest.fixture(scope="session")
def customer_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from customer_db.seed import seed_database
    from customer_db.sql import SqlCustomerConnector

    url = f"sqlite:///{tmp_path_factory.mktemp('customers') / 'customer.db'}"
    connector = SqlCustomerConnector(url)
    connector.create_schema()
    seed_database(connector)
    connector.close()
    return url


def make_settings(redis_url: str, database: Path, customer_db_url: str, **overrides: object) -> HandoffSettings:
    tag = uuid.uuid4().hex[:8]
    values: dict = {
        "redis_url": redis_url,
        "database_url": f"sqlite:///{database}",
        "customer_db_url": customer_db_url,
        "key_prefix": f"handoff-{tag}",
        "bridge_prefix": f"bridge-{tag}",
        "requests_stream": f"handoff-{tag}:requests",
        "claim_timeout_seconds": 5,
        "status_interval_seconds": 0.5,
        "presence_interval_seconds": 0.5,
    }
    values.update(overrides)
    return HandoffSettings(**values)


@pytest.fixture
def settings(redis_server: RedisServer, tmp_path: Path, customer_db_url: str) -> HandoffSettings:  # noqa: F811
    return make_settings(redis_server.url, tmp_path / "handoff.db", customer_db_url)


@pytest.fixture
def client(settings: HandoffSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        seed_demo(test_client.app.state.session_factory, settings)
        yield test_client


class ClientFactory:
    """Starts the service (a fresh app each call) on the same settings: a service restart."""

    def __init__(self, settings: HandoffSettings) -> None:
        self.settings = settings

    @contextmanager
    def __call__(self) -> Iterator[TestClient]:
        with TestClient(create_app(self.settings)) as test_client:
            seed_demo(test_client.app.state.session_factory, self.settings)
            yield test_client


@pytest.fixture
def client_factory(settings: HandoffSettings) -> ClientFactory:
    return ClientFactory(settings)


@pytest.fixture
def redis_client(redis_server: RedisServer):  # noqa: F811, ANN201
    client = redis_server.client()
    yield client
    client.close()


def sign_in(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/auth/login", json={"username": username, "password": PASSWORDS[username]})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def handoff_record(
    conversation_id: str | None = None,
    *,
    reason: str = "billing_double_charge",
    language: str = "en",
    distress: float = 0.2,
    emotion: str = "neutral",
    customer_id: str | None = "C100002",
    text: str = "I was charged twice!",
    skill: str | None = None,
    priority: str = "normal",
) -> dict:
    """A handoff record built as the writers build it (contracts.handoff_record, schema handoff.v2);
    without `skill`, the one the shipped escalation config gives the reason."""
    return build_record(
        conversation_id=conversation_id or f"conv-{uuid.uuid4().hex[:10]}",
        language=language,
        reasons=[{"code": reason, "text": f"Reason: {reason}"}],
        skill=skill or default_config().skill_for(reason),
        priority=priority,
        customer_id=customer_id,
        verified=customer_id is not None,
        emotion={"label": emotion, "intensity": distress, "distress_level": distress, "distress_trend": "steady"},
        emotion_timeline=[timeline_point(1, emotion, distress, distress, None)],
        transcript=[
            transcript_line("customer", text, time.time() - 30, reason, {"label": emotion, "intensity": distress})
        ],
    )


def publish(redis_client, settings: HandoffSettings, record: dict) -> str:  # noqa: ANN001
    import json

    return redis_client.xadd(settings.requests_stream, {"payload": json.dumps(record)})


def wait_until(condition: Callable[[], object], timeout: float = 10.0, message: str = "condition") -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {message}")


def deliveries(redis_client, settings: HandoffSettings, session_id: str) -> list[dict]:  # noqa: ANN001
    import json

    frames = []
    for _id, fields in redis_client.xrange(f"{settings.bridge_prefix}:deliveries"):
        entry = json.loads(fields["payload"])
        if entry["session_id"] == session_id:
            frames.append(entry["frame"])
    return frames
