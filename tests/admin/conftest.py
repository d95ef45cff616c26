"""The admin console on the real handoff app: real Redis (free port), a temporary SQLite database,
and a temporary copy of the training data and the avatar's tone files (the repository's own
bot/, nlu_data/ and avatar_bridge/ files are never changed by these tests)."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from contracts.redis_keys import ESCALATION_AUDIT_STREAM as AUDIT_STREAM
from contracts.redis_keys import ESCALATION_CONFIG_KEY as CONFIG_KEY
from handoff.admin.settings import REPOSITORY_ROOT, AdminSettings
from handoff.admin.intents.validator import copy_training_tree
from handoff.app import create_app
from handoff.core.config import HandoffSettings
from handoff.users import DEMO_USERS, seed_demo
from launcher.process import free_port
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
        "expression_table_path": root / "avatar_bridge/expression/table.yml",
        "playbook_dir": root / "avatar_bridge/wording/playbooks",
        "tracker_key_prefix": f"tracker-{uuid.uuid4().hex[:8]}:",
    }
    values.update(overrides)
    return AdminSettings(**values)


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    return make_data_root(tmp_path / "project")


@pytest.fixture
def escalation_keys(redis_server: RedisServer) -> Iterator[None]:  # noqa: F811
    """The escalation config lives under fixed keys: start and end each test with the defaults."""
    client = redis_server.client()
    client.delete(CONFIG_KEY, AUDIT_STREAM)
    yield
    client.delete(CONFIG_KEY, AUDIT_STREAM)
    client.close()


def build_client(
    redis_url: str, tmp_path: Path, root: Path, rasa_url: str | None = None, **admin_overrides: object
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
    )
    app = create_app(settings, run_workers=False)
    app.state.admin_settings = admin_settings(root, **admin_overrides)
    return TestClient(app)


@pytest.fixture
def client(redis_server: RedisServer, tmp_path: Path, data_root: Path, escalation_keys: None) -> Iterator[TestClient]:  # noqa: F811
    with build_client(redis_server.url, tmp_path, data_root) as test_client:
        seed_demo(test_client.app.state.session_factory, test_client.app.state.settings)
        yield test_client


def sign_in(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/auth/login", json={"username": username, "password": PASSWORDS[username]})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.fixture
def admin_headers(client: TestClient) -> dict[str, str]:
    return sign_in(client, ROLE_USERS["admin"])
