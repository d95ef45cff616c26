"""The real handoff service (its own process, as `make run` starts it) and Redis on free ports, the
demo users and customers, and 500 conversations waiting: the agent workspace's browser tests."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import redis

from contracts.handoff_record import build_record, timeline_point, transcript_line
from handoff.core.config import HandoffSettings
from handoff.core.db import create_schema, make_engine, make_session_factory
from handoff.users import DEMO_USERS, seed_demo
from launcher.services import local_services
from launcher.settings import LauncherSettings
from launcher.system import System
from tests.handoff.queue_seed import Case, seed_waiting, varied_cases

WAITING = 500
PASSWORDS = {user["username"]: user["password"] for user in DEMO_USERS}
RICH_ID = "workspace-rich"


@pytest.fixture(scope="package")
def workspace_settings(tmp_path_factory: pytest.TempPathFactory) -> LauncherSettings:
    return LauncherSettings.on_free_ports(tmp_path_factory.mktemp("workspace"))


@pytest.fixture(scope="package")
def workspace(workspace_settings: LauncherSettings) -> Iterator[LauncherSettings]:
    from customer_db.seed import seed_database
    from customer_db.sql import SqlCustomerConnector

    connector = SqlCustomerConnector(workspace_settings.customer_db_url)
    connector.create_schema()
    seed_database(connector)
    connector.close()
    database = f"sqlite:///{Path(workspace_settings.var_dir) / 'handoff.db'}"
    engine = make_engine(database)
    create_schema(engine)
    seed_demo(make_session_factory(engine), HandoffSettings(database_url=database))
    engine.dispose()
    specs = [spec for spec in local_services(workspace_settings) if spec.name in ("redis", "handoff")]
    with System(specs, Path(workspace_settings.var_dir) / "log"):
        yield workspace_settings


def token(base: str, username: str) -> str:
    response = httpx.post(f"{base}/api/auth/login", json={"username": username, "password": PASSWORDS[username]})
    response.raise_for_status()
    return response.json()["token"]


def rich_record() -> dict:
    """A distressed billing customer with orders and invoices (C100002 in the demo customers)."""
    now = time.time()
    feelings = [("neutral", 0.1), ("confused", 0.3), ("frustrated", 0.55), ("frustrated", 0.8), ("anxious", 0.65)]
    return build_record(
        conversation_id=RICH_ID,
        language="en",
        reasons=[{"code": "billing_double_charge", "text": "Charged twice for order A-1042"}],
        skill="billing",
        priority="normal",
        customer_id="C100002",
        verified=True,
        emotion={"label": "anxious", "intensity": 0.65, "distress_level": 0.65, "distress_trend": "rising"},
        emotion_timeline=[timeline_point(n, label, level, level, None) for n, (label, level) in enumerate(feelings, 1)],
        transcript=[
            transcript_line("customer", "I was charged twice for my last order.", now - 90, "billing_double_charge"),
            transcript_line("bot", "I'm sorry about that. Let me check your payments.", now - 85),
            transcript_line("customer", "This is the second time. I want a person, please.", now - 40, "request_human"),
        ],
    )


@pytest.fixture(scope="package")
def seeded(workspace: LauncherSettings) -> list[Case]:
    """500 waiting conversations (straight into the service's store) and one rich one Mia holds."""
    cases = varied_cases(WAITING)
    settings = HandoffSettings(redis_url=workspace.redis_url)
    # Its own thread: Playwright's sync API makes this one count as inside an event loop.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, seed_waiting(settings, cases)).result()
    client = redis.Redis.from_url(workspace.redis_url, decode_responses=True)
    client.xadd(settings.requests_stream, {"payload": json.dumps(rich_record())})
    client.close()
    headers = {"Authorization": f"Bearer {token(workspace.handoff_url, 'mia')}"}
    deadline = time.monotonic() + 20
    while httpx.post(f"{workspace.handoff_url}/api/queue/{RICH_ID}/claim", headers=headers).status_code != 200:
        assert time.monotonic() < deadline, "the rich conversation never arrived"
        time.sleep(0.1)
    for n in range(24):  # enough lines that the chat must scroll inside its pane
        author = "messages" if n % 2 else "notes"
        text = f"Line {n}: checking the second charge on the card statement."
        url = f"{workspace.handoff_url}/api/conversations/{RICH_ID}/{author}"
        httpx.post(url, headers=headers, json={"text": text})
    return cases
