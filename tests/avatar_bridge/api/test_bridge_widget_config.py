"""/widget-config.json: the deployment's name and look, readable by any shop page."""

from types import SimpleNamespace

from fastapi import FastAPI
from fastapi.testclient import TestClient

from avatar_bridge.api import widget_config
from avatar_bridge.api.deps import get_services
from avatar_bridge.core.config import Settings
from avatar_bridge.tone.avatar_choice import LiveAvatar


def _client(settings: Settings, avatar: LiveAvatar) -> TestClient:
    """The route with the services it reads: the settings and the avatar shown now."""
    app = FastAPI()
    app.include_router(widget_config.router)
    app.dependency_overrides[get_services] = lambda: SimpleNamespace(settings=settings, avatar=avatar)
    return TestClient(app)


def test_the_configured_name_and_look_are_served_to_any_origin(tmp_path):
    settings = Settings(widget_name="Nora", widget_accent="#7c3aed", widget_logo_url="/brand/logo.svg")
    response = _client(settings, LiveAvatar(tmp_path / "avatar.yml", "valid-man")).get(
        "/widget-config.json", headers={"Origin": "https://shop.example"}
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.json() == {
        "v": 1,
        "name": "Nora",
        "accent": "#7c3aed",
        "logo_url": "/brand/logo.svg",
        "greeting": {"en": None, "de": None},
    }


def test_without_a_set_name_each_request_names_the_avatar_shown_then(tmp_path):
    """An admin switches the avatar while the bridge runs: the next page load gets the new name,
    not a copy cached from before (the face and the voice change at once too)."""
    avatar = LiveAvatar(tmp_path / "avatar.yml", "valid-woman")
    client = _client(Settings(), avatar)
    first = client.get("/widget-config.json")
    assert first.json()["name"] == "Mila" and first.headers["cache-control"] == "no-cache"
    avatar.store("valid-man", "alex")
    assert avatar.reload()
    assert client.get("/widget-config.json").json()["name"] == "Theo"
