"""/widget-config.json: the deployment's name and look, readable by any shop page."""

from fastapi import FastAPI
from fastapi.testclient import TestClient

from avatar_bridge.api import widget_config
from avatar_bridge.api.deps import get_settings
from avatar_bridge.core.config import Settings


def test_the_configured_name_and_look_are_served_to_any_origin():
    app = FastAPI()
    app.include_router(widget_config.router)
    settings = Settings(widget_name="Nora", widget_accent="#7c3aed", widget_logo_url="/brand/logo.svg")
    app.dependency_overrides[get_settings] = lambda: settings
    response = TestClient(app).get("/widget-config.json", headers={"Origin": "https://shop.example"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.json() == {
        "v": 1,
        "name": "Nora",
        "accent": "#7c3aed",
        "logo_url": "/brand/logo.svg",
        "greeting": {"en": None, "de": None},
    }
