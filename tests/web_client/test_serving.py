"""The bridge route that serves the built client: the page, the widget, and a clear 503 without a build."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from avatar_bridge.api import web_client
from avatar_bridge.api.deps import get_settings
from avatar_bridge.core.config import Settings


def client_for(directory: Path) -> TestClient:
    app = FastAPI()
    app.include_router(web_client.router)
    app.dependency_overrides[get_settings] = lambda: Settings(web_client_dir=directory)
    return TestClient(app)


def test_serves_page_and_widget(tmp_path: Path):
    (tmp_path / "index.html").write_text('<script src="widget.js" data-mode="page" defer></script>')
    (tmp_path / "widget.js").write_text("console.log('widget')")
    client = client_for(tmp_path)
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    widget = client.get("/widget.js")
    assert widget.status_code == 200 and widget.headers["content-type"].startswith("text/javascript")
    assert widget.text == "console.log('widget')"


def test_missing_build_answers_503_with_the_fix(tmp_path: Path):
    client = client_for(tmp_path / "not-built")
    for path in ("/", "/widget.js"):
        response = client.get(path)
        assert response.status_code == 503
        assert "make setup" in response.json()["detail"]


def test_nothing_else_is_served_from_the_build(tmp_path: Path):
    (tmp_path / "index.html").write_text("page")
    (tmp_path / "secret.txt").write_text("no")
    client = client_for(tmp_path)
    assert client.get("/secret.txt").status_code == 404
    assert client.get("/..%2Fsecret.txt").status_code == 404
