"""The admin console on the real handoff app: real Redis (free port), a temporary SQLite database,
a temporary copy of the training data, and a real avatar bridge serving a temporary copy of the
tone files (the repository's own bot/, nlu_data/ and avatar_bridge/ files are never changed by
these tests)."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from contracts.redis_keys import ESCALATION_AUDIT_STREAM as AUDIT_STREAM
from contracts.redis_keys import ESCALATION_CONFIG_KEY as CONFIG_KEY
from contracts.redis_keys import INCIDENTS_AUDIT_STREAM, INCIDENTS_KEY
from admin.settings import REPOSITORY_ROOT, AdminSettings
from admin.intents.validator import copy_training_tree
from avatar_bridge.app import create_app as create_bridge
from avatar_bridge.core.config import Settings as BridgeSettings
from handoff.app import create_app
from handoff.core.config import HandoffSettings
from handoff.users import DEMO_USERS, seed_demo
from launcher.process import free_port
from tests.avatar_bridge.bridge_support.servers import ThreadedServer
from tests.support.redis_server import RedisServer, redis_server  # noqa: F401

PASSWORDS = {user["username"]: user["password"] for user in DEMO_USERS}
ROLE_USERS = {"agent": "mia", "supervisor": "sam", "admin": "alex"}


def make_data_root(target: Path) -> Path:
    copy_training_tree(REPOSITORY_ROOT, target)
    # The emotion component trains from these examples (read relative to the working folder).
    shutil.copytree(REPOSITORY_ROOT / "nlu_data/emotion", target / "nlu_data/emotion")
    for relative in ("avatar_bridge/expression/table.yml",):
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPOSITORY_ROOT / relative, target / relative)
    shutil.copytree(REPOSITORY_ROOT / "avatar_bridge/wording/playbooks", target / "avatar_bridge/wording/playbooks")
    (target / "models").mkdir()
    return target


def admin_settings(root: Path, **overrides: object) -> AdminSettings:
    values: dict = {
        "data_root": root,
        "models_dir": root / "models",
        # The bot's conversation log under names of the test's own (the preview's source).
        "conversation_index_key": f"test-{uuid.uuid4().hex[:8]}:conversations",
        "conversation_events_prefix": f"test-{uuid.uuid4().hex[:8]}:conversation:",
    }
    values.update(overrides)
    return AdminSettings(**values)


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    return make_data_root(tmp_path / "project")


def without_keys(redis_server: RedisServer, *keys: str) -> Iterator[None]:  # noqa: F811
    """Deletes `keys` before and after a test (for values stored under fixed names)."""
    client = redis_server.client()
    client.delete(*keys)
    yield
    client.delete(*keys)
    client.close()


@pytest.fixture
def escalation_keys(redis_server: RedisServer) -> Iterator[None]:  # noqa: F811
    """The escalation config lives under fixed keys: start and end each test with the defaults."""
    yield from without_keys(redis_server, CONFIG_KEY, AUDIT_STREAM)


@pytest.fixture
def incident_keys(redis_server: RedisServer) -> Iterator[None]:  # noqa: F811
    """Incidents live under fixed keys too: start and end each test without any."""
    yield from without_keys(redis_server, INCIDENTS_KEY, INCIDENTS_AUDIT_STREAM)


def log_conversation(redis_client, settings: AdminSettings, name: str, events: list[dict]) -> None:  # noqa: ANN001
    """What the bot's event broker writes for a conversation (bot/brokers/conversation_log.py)."""
    redis_client.rpush(f"{settings.conversation_events_prefix}{name}", *[json.dumps(e) for e in events])
    stamps = [e["timestamp"] for e in events if isinstance(e.get("timestamp"), (int, float))]
    redis_client.zadd(settings.conversation_index_key, {name: max(stamps, default=0.0)})


@pytest.fixture
def tone_bridge(redis_server: RedisServer, data_root: Path, tmp_path: Path) -> Iterator[str]:  # noqa: F811
    """A real avatar bridge that keeps the temporary tone files (its /internal/tone interface)."""
    port = free_port()
    settings = BridgeSettings(
        production=False,
        port=port,
        redis_url=redis_server.url,
        redis_key_prefix=f"bridge-tone-{uuid.uuid4().hex[:8]}",
        rasa_url=f"http://127.0.0.1:{free_port()}",
        action_server_url=None,
        speech_enabled=False,
        speech_cache_dir=tmp_path / "speech",
        expression_table_path=data_root / "avatar_bridge/expression/table.yml",
        playbook_dir=data_root / "avatar_bridge/wording/playbooks",
        tone_watch_s=0.2,
        avatar_choice_path=tmp_path / "bridge-settings" / "avatar.yml",
    )
    server = ThreadedServer(create_bridge(settings), port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def build_client(
    redis_url: str,
    tmp_path: Path,
    root: Path,
    rasa_url: str | None = None,
    bridge_url: str | None = None,
    **admin_overrides: object,
) -> TestClient:
    tag = uuid.uuid4().hex[:8]
    settings = HandoffSettings(
        redis_url=redis_url,
        database_url=f"sqlite:///{tmp_path / 'handoff.db'}",
        key_prefix=f"handoff-{tag}",
        bridge_prefix=f"bridge-{tag}",
        requests_stream=f"handoff-{tag}:requests",
        # Nothing listens here unless a test passes the real Rasa's address.
        rasa_url=rasa_url or f"http://127.0.0.1:{free_port()}",
        bridge_url=bridge_url or f"http://127.0.0.1:{free_port()}",
    )
    app = create_app(settings, run_workers=False)
    app.state.admin_settings = admin_settings(root, **admin_overrides)
    return TestClient(app)


@pytest.fixture
def client(
    redis_server: RedisServer,  # noqa: F811
    tmp_path: Path,
    data_root: Path,
    escalation_keys: None,
    tone_bridge: str,
) -> Iterator[TestClient]:
    with build_client(redis_server.url, tmp_path, data_root, bridge_url=tone_bridge) as test_client:
        seed_demo(test_client.app.state.session_factory, test_client.app.state.settings)
        yield test_client


def sign_in(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/auth/login", json={"username": username, "password": PASSWORDS[username]})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.fixture
def admin_headers(client: TestClient) -> dict[str, str]:
    return sign_in(client, ROLE_USERS["admin"])
