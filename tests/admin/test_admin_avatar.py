"""The avatar chosen in the console: admins only (test_admin_roles.py), checked with a clear 422,
stored by the avatar bridge with who and when, and applied by every running bridge without a
restart: /avatar.json for the next page load, the assistant's name, the voice for the next reply (real bridges, real
Redis, a temporary choice file)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from avatar_bridge.app import create_app as create_bridge
from avatar_bridge.core.config import REPOSITORY_ROOT
from avatar_bridge.core.config import Settings as BridgeSettings
from common.service_auth import RasaJwt
from handoff.users import seed_demo
from launcher.process import free_port
from tests.admin.conftest import build_client, sign_in
from tests.avatar_bridge.bridge_support.servers import ThreadedServer
from tests.support.redis_server import RedisServer

StartBridge = Callable[[], str]


@pytest.fixture
def choice_file(tmp_path: Path) -> Path:
    return tmp_path / "bridge-settings" / "avatar.yml"


@pytest.fixture
def start_bridge(redis_server: RedisServer, tmp_path: Path, choice_file: Path) -> Iterator[StartBridge]:
    """Starts bridge instances that share the choice file (as instances share a folder), each
    speaking with espeak-ng, so the voice each one would use now can be read from it."""
    running: list[ThreadedServer] = []

    def start() -> str:
        port = free_port()
        settings = BridgeSettings(
            production=False,
            port=port,
            redis_url=redis_server.url,
            redis_key_prefix=f"bridge-avatar-{uuid.uuid4().hex[:8]}",
            rasa_url=f"http://127.0.0.1:{free_port()}",
            action_server_url=None,
            speech_engine="espeak",
            speech_workers=1,
            speech_in_enabled=False,
            speech_cache_dir=tmp_path / "speech",
            # /avatar.json needs the avatars' manifest only, not a built client.
            web_client_dir=REPOSITORY_ROOT / "web_client" / "public",
            avatar_choice_path=choice_file,
            # The deployment shows the woman (not the default man), so a choice visibly changes it.
            avatar_model="valid-woman",
            tone_watch_s=0.2,
        )
        server = ThreadedServer(create_bridge(settings), port)
        server.start()
        running.append(server)
        return f"http://127.0.0.1:{port}"

    yield start
    for server in running:
        server.stop()


@pytest.fixture
def bridge(start_bridge: StartBridge) -> str:
    return start_bridge()


@pytest.fixture
def console(redis_server: RedisServer, tmp_path: Path, data_root: Path, bridge: str) -> Iterator[TestClient]:
    with build_client(redis_server.url, tmp_path, data_root, bridge_url=bridge) as client:
        seed_demo(client.app.state.session_factory, client.app.state.settings)
        yield client


def page_avatar(bridge: str) -> str:
    answer = httpx.get(f"{bridge}/avatar.json")
    assert answer.status_code == 200, answer.text
    return answer.json()["model"]


def page_name(bridge: str) -> str:
    """What the page calls the assistant (no WIDGET_NAME here: the shown avatar's name)."""
    answer = httpx.get(f"{bridge}/widget-config.json")
    assert answer.status_code == 200, answer.text
    return answer.json()["name"]


def bridge_voices(bridge: str) -> dict:
    service = RasaJwt(BridgeSettings().rasa_jwt_secret.get_secret_value(), "handoff").headers()
    answer = httpx.get(f"{bridge}/internal/tone/avatar", headers=service)
    assert answer.status_code == 200, answer.text
    return {language: (v["name"], v["gender"]) for language, v in answer.json()["voices"].items()}


def test_without_a_choice_the_deployment_default_is_shown_with_the_offer(console: TestClient, bridge: str) -> None:
    shown = console.get("/api/admin/avatar", headers=sign_in(console, "alex")).json()
    assert (shown["avatar"], shown["source"], shown["changed_by"]) == ("valid-woman", "deployment", None)
    assert shown["name"] == "Woman (business clothes)"
    assert [(o["id"], o["gender"]) for o in shown["options"]] == [
        ("valid-woman", "female"),
        ("valid-man", "male"),
        ("procedural", "female"),
    ]
    assert shown["options"][2]["name"].startswith("Light head")
    assert shown["voices"]["en"] == {"engine": "espeak", "name": "en+f3", "gender": "female"}
    assert page_avatar(bridge) == "valid-woman" and page_name(bridge) == "Mila"


def test_a_choice_reaches_every_running_bridge_without_a_restart(
    console: TestClient, bridge: str, start_bridge: StartBridge, choice_file: Path
) -> None:
    other = start_bridge()  # a second instance, sharing the folder
    assert page_avatar(other) == "valid-woman" and bridge_voices(other)["de"] == ("de+f3", "female")
    response = console.put("/api/admin/avatar", json={"avatar": "valid-man"}, headers=sign_in(console, "alex"))
    assert response.status_code == 200, response.text
    saved = response.json()
    assert (saved["avatar"], saved["source"], saved["changed_by"], saved["saved"]) == (
        "valid-man",
        "admin",
        "alex",
        True,
    )
    assert saved["changed_at"] and "next page load" in saved["applies"]
    # The instance that stored it: at once. The page's next load and the next sentence follow.
    assert page_avatar(bridge) == "valid-man" and page_name(bridge) == "Theo"
    assert bridge_voices(bridge) == {"en": ("en", "male"), "de": ("de", "male")}
    # The other instance: within its watch interval.
    deadline = time.monotonic() + 10
    while page_avatar(other) != "valid-man":
        assert time.monotonic() < deadline, "the second bridge did not pick up the choice"
        time.sleep(0.1)
    assert bridge_voices(other)["de"] == ("de", "male") and page_name(other) == "Theo"
    stored = yaml.safe_load(choice_file.read_text("utf-8"))
    assert (stored["avatar"], stored["changed_by"]) == ("valid-man", "alex")


BAD = [
    ({"avatar": "robot"}, "avatar: unknown avatar 'robot' (one of: valid-woman, valid-man, procedural)"),
    ({"avatar": 7}, "avatar: unknown avatar '7'"),
    ({}, "avatar: required"),
    ({"avatar": "valid-man", "colour": "red"}, "colour: not a setting of this form"),
]


@pytest.mark.parametrize(("body", "problem"), BAD)
def test_a_bad_choice_is_refused_naming_the_field_and_nothing_is_stored(
    console: TestClient, bridge: str, choice_file: Path, body: dict, problem: str
) -> None:
    response = console.put("/api/admin/avatar", json=body, headers=sign_in(console, "alex"))
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == "Nothing was saved."
    assert problem in " ".join(response.json()["problems"])
    assert not choice_file.exists() and page_avatar(bridge) == "valid-woman"


def test_the_bridge_checks_a_choice_too_and_answers_our_services_only(bridge: str, choice_file: Path) -> None:
    url = f"{bridge}/internal/tone/avatar"
    for method in ("GET", "PUT"):
        assert httpx.request(method, url, json={"avatar": "valid-man"}).status_code == 401
    service = RasaJwt(BridgeSettings().rasa_jwt_secret.get_secret_value(), "handoff").headers()
    refused = httpx.put(url, json={"avatar": "robot", "changed_by": "alex"}, headers=service)
    assert refused.status_code == 422 and "avatar: unknown avatar 'robot'" in refused.json()["problems"][0]
    assert not choice_file.exists()


def test_the_choice_survives_restarts_of_the_console_and_the_bridge(
    redis_server: RedisServer, tmp_path: Path, data_root: Path, start_bridge: StartBridge, choice_file: Path
) -> None:
    first = start_bridge()
    with build_client(redis_server.url, tmp_path, data_root, bridge_url=first) as client:
        seed_demo(client.app.state.session_factory, client.app.state.settings)
        assert (
            client.put("/api/admin/avatar", json={"avatar": "procedural"}, headers=sign_in(client, "alex")).status_code
            == 200
        )
    restarted = start_bridge()  # a bridge started after the choice reads it at start
    assert page_avatar(restarted) == "procedural"
    with build_client(redis_server.url, tmp_path, data_root, bridge_url=restarted) as client:
        shown = client.get("/api/admin/avatar", headers=sign_in(client, "alex")).json()
    assert (shown["avatar"], shown["source"], shown["changed_by"]) == ("procedural", "admin", "alex")


def test_without_the_bridge_nothing_changes_and_the_admin_is_told(
    redis_server: RedisServer, tmp_path: Path, data_root: Path, choice_file: Path
) -> None:
    with build_client(redis_server.url, tmp_path, data_root) as offline:  # no bridge at bridge_url
        seed_demo(offline.app.state.session_factory, offline.app.state.settings)
        response = offline.put("/api/admin/avatar", json={"avatar": "valid-man"}, headers=sign_in(offline, "alex"))
    assert response.status_code == 503 and "Nothing was changed" in response.json()["detail"]
    assert not choice_file.exists()
