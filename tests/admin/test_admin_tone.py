"""Expression table and locale playbooks: the console edits them through the avatar bridge's internal
interface, which checks them with its own loaders and applies them live (real bridge, temp copies)."""

from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from common.service_auth import RasaJwt
from handoff.users import seed_demo
from tests.admin.conftest import build_client, sign_in


def read(client: TestClient, headers: dict, file_id: str) -> str:
    response = client.get(f"/api/admin/tone/{file_id}", headers=headers)
    assert response.status_code == 200, response.text
    assert "next reply" in response.json()["applies"]
    return response.json()["text"]


def test_lists_and_saves_a_valid_playbook_change(client: TestClient, admin_headers: dict, data_root: Path) -> None:
    files = client.get("/api/admin/tone", headers=admin_headers).json()["files"]
    assert [f["id"] for f in files] == ["expression-table", "playbook-de", "playbook-en"]
    text = read(client, admin_headers, "playbook-en")
    changed = text.replace("Warm and brief.", "Warm, brief and plain.")
    assert changed != text
    response = client.put("/api/admin/tone/playbook-en", json={"text": changed}, headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.json()["applied"] is True
    assert (data_root / "avatar_bridge/wording/playbooks/en.yml").read_text() == changed
    assert read(client, admin_headers, "playbook-en") == changed


def test_the_bridge_refuses_callers_that_are_not_our_services(tone_bridge: str) -> None:
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Bearer a.b.c"}):
        for method in ("GET", "PUT"):
            url = f"{tone_bridge}/internal/tone/playbook-en"
            answer = httpx.request(method, url, json={"text": "a: 1"}, headers=headers)
            assert answer.status_code == 401, (method, headers, answer.text)
    wrong_secret = RasaJwt("another-secret-of-sixteen-plus", "stranger").headers()
    assert httpx.get(f"{tone_bridge}/internal/tone", headers=wrong_secret).status_code == 401


def test_without_the_bridge_nothing_changes_and_the_admin_is_told(
    redis_server,
    tmp_path: Path,
    data_root: Path,  # noqa: ANN001
) -> None:
    with build_client(redis_server.url, tmp_path, data_root) as offline:  # no bridge at bridge_url
        seed_demo(offline.app.state.session_factory, offline.app.state.settings)
        headers = sign_in(offline, "alex")
        before = (data_root / "avatar_bridge/wording/playbooks/en.yml").read_text()
        response = offline.put("/api/admin/tone/playbook-en", json={"text": before + "#\n"}, headers=headers)
        assert response.status_code == 503 and "Nothing was changed" in response.json()["detail"]
        assert (data_root / "avatar_bridge/wording/playbooks/en.yml").read_text() == before


def smile_at_anger(text: str) -> str:
    return text.replace(
        "expression: {name: apologetic, intensity: 0.7, duration_ms: 4000}",
        "expression: {name: happy, intensity: 0.7, duration_ms: 4000}",
        1,
    )


BAD = [
    ("expression-table", smile_at_anger, "frustrated"),  # breaks the brief
    ("playbook-en", lambda t: t + "\nsurprise: 1\n", "surprise"),  # unknown key
    ("playbook-en", lambda t: t.replace("language: en", "language: [en"), "not valid YAML"),
    ("playbook-de", lambda t: "a: &x [1]\nb: *x\n", "anchors"),
    ("playbook-de", lambda t: "a: !!python/object/apply:os.system [ls]\n", "not valid YAML"),
    ("playbook-de", lambda t: "- just\n- a list\n", "mapping"),
    ("playbook-en", lambda t: t + "#" * 70_000, "larger than"),
]


@pytest.mark.parametrize(("file_id", "change", "problem"), BAD)
def test_invalid_documents_are_refused_and_the_file_kept(
    client: TestClient, admin_headers: dict, data_root: Path, file_id: str, change, problem: str
) -> None:
    path = {
        "expression-table": data_root / "avatar_bridge/expression/table.yml",
        "playbook-en": data_root / "avatar_bridge/wording/playbooks/en.yml",
        "playbook-de": data_root / "avatar_bridge/wording/playbooks/de.yml",
    }[file_id]
    before = path.read_text()
    text = change(before)
    assert text != before
    response = client.put(f"/api/admin/tone/{file_id}", json={"text": text}, headers=admin_headers)
    assert response.status_code in (413, 422), response.text
    if response.status_code == 422:
        assert problem in " ".join(response.json()["problems"])
    assert path.read_text() == before
