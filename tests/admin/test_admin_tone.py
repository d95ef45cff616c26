"""Expression table and locale playbooks: edits checked by the bridge's own loaders (on temp copies)."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient


def read(client: TestClient, headers: dict, file_id: str) -> str:
    response = client.get(f"/api/admin/tone/{file_id}", headers=headers)
    assert response.status_code == 200, response.text
    assert "next start" in response.json()["applies"]
    return response.json()["text"]


def test_lists_and_saves_a_valid_playbook_change(client: TestClient, admin_headers: dict, data_root: Path) -> None:
    files = client.get("/api/admin/tone", headers=admin_headers).json()["files"]
    assert [f["id"] for f in files] == ["expression-table", "playbook-de", "playbook-en"]
    text = read(client, admin_headers, "playbook-en")
    changed = text.replace("Warm and brief.", "Warm, brief and plain.")
    assert changed != text
    response = client.put("/api/admin/tone/playbook-en", json={"text": changed}, headers=admin_headers)
    assert response.status_code == 200, response.text
    assert (data_root / "avatar_bridge/wording/playbooks/en.yml").read_text() == changed


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
