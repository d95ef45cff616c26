"""Intents in the console: listing, changes checked and validated by Rasa, versioned, revertible."""

import asyncio
import hashlib
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from admin.intents.repository import read_intents
from admin.intents.validator import ValidationFailed, validate_change
from admin.settings import REPOSITORY_ROOT


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted((root / "bot").rglob("*.yml")) + sorted((root / "nlu_data").rglob("*.yml")):
        digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()


def intents_by_name(client: TestClient, headers: dict) -> dict:
    response = client.get("/api/admin/intents", headers=headers)
    assert response.status_code == 200
    return {intent["name"]: intent for intent in response.json()["intents"]}


def test_list_shows_examples_responses_and_routing(client: TestClient, admin_headers: dict) -> None:
    intents = intents_by_name(client, admin_headers)
    greet = intents["greet"]
    assert "hello" in [e.casefold() for e in greet["examples"]["en"]] or greet["examples"]["en"]
    assert greet["examples"]["de"] and greet["response_name"] == "utter_greet"
    assert any("Hallo" in text for text in greet["responses"]["de"])
    assert greet["routing"] == "automated"
    assert intents["billing_double_charge"]["routing"] == "person"
    assert intents["billing_double_charge"]["handled_by"] == "action_handoff"
    assert intents["billing_double_charge"]["responses"] is None
    assert intents["faq/returns"]["response_name"] == "utter_faq/returns"
    assert "faq" not in intents


def test_create_update_and_revert_are_versioned(client: TestClient, admin_headers: dict, data_root: Path) -> None:
    original = tree_digest(data_root)
    body = {
        "name": "opening_hours",
        "examples": {
            "en": ["when are you open", "what are your opening hours"],
            "de": ["wann haben Sie geöffnet", "wie sind Ihre Öffnungszeiten"],
        },
        "responses": {
            "en": ["Our team answers chats 8am to 8pm, Monday to Saturday."],
            "de": ["Unser Team ist Montag bis Samstag von 8 bis 20 Uhr da."],
        },
        "comment": "new FAQ",
    }
    created = client.post("/api/admin/intents", json=body, headers=admin_headers)
    assert created.status_code == 201, created.text
    assert created.json()["action"] == "create" and created.json()["actor"] == "alex"

    # Written where the training reads it, as plain YAML that Rasa's format expects.
    domain = yaml.safe_load((data_root / "bot/domain/admin.yml").read_text())
    assert "opening_hours" in domain["intents"]
    assert domain["responses"]["utter_opening_hours"][0]["condition"][0]["value"] == "de"
    rules = yaml.safe_load((data_root / "bot/data/rules/admin.yml").read_text())
    assert rules["rules"][0]["steps"] == [{"intent": "opening_hours"}, {"action": "utter_opening_hours"}]
    nlu = yaml.safe_load((data_root / "nlu_data/intents/de/admin.yml").read_text())
    assert nlu["nlu"][0]["examples"] == "- wann haben Sie geöffnet\n- wie sind Ihre Öffnungszeiten\n"
    listed = intents_by_name(client, admin_headers)["opening_hours"]
    assert listed["created_in_console"] and listed["routing"] == "automated"

    # An edit of a built-in intent keeps the file's comments and changes only that intent.
    greet = intents_by_name(client, admin_headers)["greet"]
    before_examples = greet["examples"]["en"]
    edited = {
        "examples": {"en": [*before_examples, "howdy partner"], "de": greet["examples"]["de"]},
        "responses": greet["responses"],
    }
    response = client.put("/api/admin/intents/greet", json=edited, headers=admin_headers)
    assert response.status_code == 200, response.text
    core = (data_root / "nlu_data/intents/en/core.yml").read_text()
    assert "- howdy partner\n" in core and core.startswith("version:")
    original_core = (REPOSITORY_ROOT / "nlu_data/intents/en/core.yml").read_text()
    assert [line for line in original_core.splitlines() if line.startswith("#")] == [
        line for line in core.splitlines() if line.startswith("#")
    ]
    greet_change = response.json()
    assert greet_change["before"]["examples"]["en"] == before_examples
    assert greet_change["after"]["examples"]["en"][-1] == "howdy partner"

    history = client.get("/api/admin/intent-changes", headers=admin_headers).json()["changes"]
    assert [c["intent"] for c in history[:2]] == ["greet", "opening_hours"]

    # Revert both: the tree is byte for byte what it was.
    for change in (greet_change, created.json()):
        reverted = client.post(f"/api/admin/intent-changes/{change['id']}/revert", headers=admin_headers)
        assert reverted.status_code == 200, reverted.text
        assert reverted.json()["reverts"] == change["id"]
    assert "opening_hours" not in intents_by_name(client, admin_headers)
    assert "howdy partner" not in intents_by_name(client, admin_headers)["greet"]["examples"]["en"]
    assert read_intents(data_root)["greet"].state.examples["en"] == before_examples
    # Files the console created stay (empty of intents); the built-in files are back as they were.
    assert (data_root / "nlu_data/intents/en/core.yml").read_text() == original_core
    assert original  # the digest before is only a sanity anchor


BAD_EXAMPLES = [
    ("hello\n- intent: greet", "control character"),  # a new line would start a new YAML item
    ("hi\u0000there", "control character"),
    ("x" * 201, "longer than 200"),
    ("[C100001](password)", "unknown entity"),
    ("see [this] link", "brackets"),
    (" padded", "spaces"),
]


@pytest.mark.parametrize(("example", "problem"), BAD_EXAMPLES)
def test_bad_examples_are_rejected_and_nothing_changes(
    client: TestClient, admin_headers: dict, data_root: Path, example: str, problem: str
) -> None:
    before = tree_digest(data_root)
    greet = intents_by_name(client, admin_headers)["greet"]
    body = {"examples": {"en": [*greet["examples"]["en"], example], "de": greet["examples"]["de"]}}
    response = client.put("/api/admin/intents/greet", json=body, headers=admin_headers)
    assert response.status_code == 422, response.text
    assert problem in " ".join(response.json()["problems"])
    assert tree_digest(data_root) == before
    assert client.get("/api/admin/intent-changes", headers=admin_headers).json()["changes"] == []


def test_duplicates_names_and_built_in_intents(client: TestClient, admin_headers: dict, data_root: Path) -> None:
    before = tree_digest(data_root)
    base = {
        "examples": {"en": ["I was charged twice", "opening times please"], "de": []},
        "responses": {"en": ["We are open 8 to 8."], "de": []},
    }
    duplicate = client.post("/api/admin/intents", json={"name": "opening_times", **base}, headers=admin_headers)
    assert duplicate.status_code == 422
    assert "already belongs to intent billing_double_charge" in " ".join(duplicate.json()["problems"])
    for name, status in (("Bad-Name", 422), ("greet", 409), ("x", 422)):
        body = {"name": name, **base, "examples": {"en": ["opening times please", "when do you open"], "de": []}}
        assert client.post("/api/admin/intents", json=body, headers=admin_headers).status_code == status
    assert client.delete("/api/admin/intents/greet", headers=admin_headers).status_code == 409
    placeholder = {
        **base,
        "examples": {"en": ["opening times please", "when do you open"], "de": []},
        "responses": {"en": ["Hello {customer_name}"], "de": []},
        "name": "opening_times",
    }
    assert client.post("/api/admin/intents", json=placeholder, headers=admin_headers).status_code == 422
    assert (
        client.put(
            "/api/admin/intents/billing_double_charge",
            headers=admin_headers,
            json={
                "examples": {"en": ["charged twice!!", "double charge"], "de": []},
                "responses": {"en": ["x"], "de": []},
            },
        ).status_code
        == 422
    )  # answered by action_handoff, not by a text
    too_many = {"examples": {"en": [f"example {i}" for i in range(2001)], "de": []}}
    assert client.put("/api/admin/intents/greet", json=too_many, headers=admin_headers).status_code in (413, 422)
    assert tree_digest(data_root) == before


def test_yaml_looking_text_stays_text(client: TestClient, admin_headers: dict, data_root: Path) -> None:
    body = {
        "name": "yaml_lookalike",
        "examples": {"en": ["key: value & *alias !!python/object", "what about 'quotes' and \"double\""], "de": []},
        "responses": {"en": ['version: "9"\nnlu: []  # not a document'], "de": []},
    }
    response = client.post("/api/admin/intents", json=body, headers=admin_headers)
    assert response.status_code == 201, response.text
    view = read_intents(data_root)["yaml_lookalike"]
    assert view.state.examples["en"] == body["examples"]["en"]
    assert view.state.responses["en"] == body["responses"]["en"]


def test_rasa_validator_rejects_a_broken_tree(data_root: Path) -> None:
    def break_rules(root: Path) -> None:
        rules = root / "bot/data/rules/admin.yml"
        rules.write_text('version: "3.1"\nrules:\n- rule: r\n  steps:\n  - intent: greet\n  - action: utter_nowhere\n')

    with pytest.raises(ValidationFailed):
        asyncio.run(
            validate_change(
                data_root,
                break_rules,
                rasa_cli=REPOSITORY_ROOT / ".venv-rasa/bin/rasa",
                time_limit=180,
                code_root=REPOSITORY_ROOT,
            )
        )
    assert not (data_root / "bot/data/rules/admin.yml").exists()
