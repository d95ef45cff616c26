"""The tone page's face preview: where it is framed from, and a page policy that frames only that."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from admin.settings import AdminSettings
from handoff.users import seed_demo
from tests.admin.conftest import build_client, sign_in
from tests.support.redis_server import RedisServer


def test_the_page_frames_only_the_configured_preview(
    redis_server: RedisServer, tmp_path: Path, data_root: Path
) -> None:
    preview = "https://assistant.shop.example"
    with build_client(redis_server.url, tmp_path, data_root, face_preview_url=f"{preview}/") as client:
        seed_demo(client.app.state.session_factory, client.app.state.settings)
        policy = client.get("/admin").headers["content-security-policy"]
        assert f"frame-src {preview}" in policy and "frame-ancestors 'none'" in policy
        assert client.get("/api/admin/tone/face-preview").status_code == 401
        assert client.get("/api/admin/tone/face-preview", headers=sign_in(client, "mia")).status_code == 403
        where = client.get("/api/admin/tone/face-preview", headers=sign_in(client, "alex")).json()
        assert where == {"url": f"{preview}/?preview=face", "origin": preview}


def test_without_a_preview_address_nothing_is_framed(
    redis_server: RedisServer, tmp_path: Path, data_root: Path
) -> None:
    with build_client(redis_server.url, tmp_path, data_root, face_preview_url="") as client:
        seed_demo(client.app.state.session_factory, client.app.state.settings)
        assert "frame-src" not in client.get("/admin").headers["content-security-policy"]
        where = client.get("/api/admin/tone/face-preview", headers=sign_in(client, "alex")).json()
        assert where == {"url": None, "origin": None}


@pytest.mark.parametrize(
    "bad", ["javascript:alert(1)", "https://x.example/path?q=1", "https://a.example; script-src *", "ftp://x.example"]
)
def test_a_preview_address_that_is_not_a_plain_origin_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        AdminSettings(face_preview_url=bad)
