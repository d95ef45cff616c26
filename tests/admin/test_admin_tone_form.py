"""The expression table as a form: values checked field by field with clear 422s and nothing
stored; a valid change stored and applied by the running bridge at once (real bridge, temp copy)."""

from pathlib import Path

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from common.service_auth import RasaJwt


def current_form(client: TestClient, headers: dict) -> dict:
    response = client.get("/api/admin/tone/expression-form", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def submission(form: dict) -> dict:
    return {
        "defaults": form["defaults"],
        "rules": [{"expression": r["expression"], "prosody": r["prosody"]} for r in form["rules"]],
    }


def table(data_root: Path) -> Path:
    return data_root / "avatar_bridge/expression/table.yml"


def first_rule(change: dict) -> object:
    def apply(sent: dict) -> dict:
        sent["rules"][0]["expression"] = {**sent["rules"][0]["expression"], **change}
        return sent

    return apply


BAD = [
    (first_rule({"intensity": 1.4}), "rule 1 (frustrated · apology or bad_news): expression.intensity"),
    (first_rule({"name": "grinning"}), "unknown expression 'grinning'"),
    (first_rule({"name": "happy"}), "must not smile at distress"),
    (first_rule({"duration_ms": "long"}), "expression.duration_ms: Input should be a valid integer"),
    (lambda sent: {**sent, "rules": sent["rules"][:3]}, "reload the page"),
]


@pytest.mark.parametrize(("change", "problem"), BAD)
def test_invalid_values_are_refused_and_nothing_is_stored(
    client: TestClient, admin_headers: dict, data_root: Path, change, problem: str
) -> None:
    before = table(data_root).read_text()
    response = client.put(
        "/api/admin/tone/expression-form", json=change(submission(current_form(client, admin_headers))),
        headers=admin_headers,
    )  # fmt: skip
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == "Nothing was saved."
    assert problem in " ".join(response.json()["problems"])
    assert table(data_root).read_text() == before


def test_a_valid_change_reaches_the_running_bridge(
    client: TestClient, admin_headers: dict, data_root: Path, tone_bridge: str
) -> None:
    form = current_form(client, admin_headers)
    assert "apologetic" in form["expressions"] and form["limits"]["rate"] == [0.5, 1.5]
    assert "brief" not in table(data_root).read_text()
    service = RasaJwt(client.app.state.settings.rasa_jwt_secret.get_secret_value(), "handoff").headers()
    version = httpx.get(f"{tone_bridge}/internal/tone", headers=service).json()["version"]
    sent = submission(form)
    sent["rules"][0]["expression"] = {"name": "concerned", "intensity": 0.9, "duration_ms": 4500}
    sent["rules"][0]["prosody"] = {"rate": 0.8, "pitch": -8, "volume": 0.75}
    response = client.put("/api/admin/tone/expression-form", json=sent, headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.json()["applied"] is True and response.json()["version"] == version + 1
    stored = yaml.safe_load(table(data_root).read_text())["rules"][0]
    assert stored["expression"] == {"name": "concerned", "intensity": 0.9, "duration_ms": 4500}
    assert stored["when"] == {"emotion": "frustrated", "reply_kind": ["apology", "bad_news"]}  # kept
    # The running bridge now serves the new value (no restart).
    assert current_form(client, admin_headers)["rules"][0]["prosody"]["rate"] == 0.8
    assert httpx.get(f"{tone_bridge}/internal/tone", headers=service).json()["version"] == version + 1
