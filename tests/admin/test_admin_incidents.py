"""Incidents in the admin console: publish, update, close, audit, and every bad input refused
with a clear message and nothing stored (real Redis, the real handoff app)."""

import pytest
from fastapi.testclient import TestClient

from contracts.incidents.stored import INCIDENTS_KEY, incidents_from_stored
from tests.admin.conftest import ROLE_USERS, sign_in
from tests.support.redis_server import RedisServer

TEXTS = {
    "en": {
        "summary": "DHL parcels in Bavaria are running two days late after a depot fire.",
        "advice": "You don't need to do anything; your parcel is on its way.",
        "timeline": "DHL expects to catch up by Friday.",
    },
    "de": {
        "summary": "DHL-Pakete in Bayern kommen nach einem Brand im Depot zwei Tage später.",
        "advice": "Sie müssen nichts tun; Ihr Paket ist unterwegs.",
        "timeline": "DHL rechnet damit, bis Freitag aufzuholen.",
    },
}
CARRIER = {"kind": "carrier", "values": ["DHL"]}


@pytest.fixture
def supervisor(client: TestClient, incident_keys: None) -> dict[str, str]:
    return sign_in(client, ROLE_USERS["supervisor"])


def stored(redis_server: RedisServer) -> list:
    client = redis_server.client()
    try:
        return incidents_from_stored(client.hgetall(INCIDENTS_KEY))
    finally:
        client.close()


def with_text(language: str, field: str, value: object) -> dict:
    texts = {lang: dict(fields) for lang, fields in TEXTS.items()}
    texts[language][field] = value
    return texts


def test_publish_update_close_with_an_audit_trail(
    client: TestClient, supervisor: dict, redis_server: RedisServer
) -> None:
    created = client.post("/api/admin/incidents", json={"scope": CARRIER, "texts": TEXTS}, headers=supervisor)
    assert created.status_code == 201, created.text
    incident = created.json()
    assert (incident["version"], incident["status"], incident["updated_by"]) == (1, "active", ROLE_USERS["supervisor"])
    assert incident["scope"] == CARRIER and incident["texts"]["de"]["summary"] == TEXTS["de"]["summary"]

    newer = with_text("en", "timeline", "DHL now expects to catch up by Monday.")
    admin = sign_in(client, ROLE_USERS["admin"])
    updated = client.put(
        f"/api/admin/incidents/{incident['incident_id']}",
        json={"scope": CARRIER, "texts": newer, "comment": "later"},
        headers=admin,
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["version"] == 2
    [only] = stored(redis_server)
    assert only.text("en").timeline == "DHL now expects to catch up by Monday." and only.version == 2

    closed = client.post(f"/api/admin/incidents/{incident['incident_id']}/close", json={}, headers=supervisor)
    assert closed.json()["status"] == "closed" and closed.json()["version"] == 3
    active = client.get("/api/admin/incidents?active=true", headers=supervisor).json()["incidents"]
    assert active == []
    again = client.put(
        f"/api/admin/incidents/{incident['incident_id']}", json={"scope": CARRIER, "texts": TEXTS}, headers=admin
    )
    assert again.status_code == 422 and "closed" in again.json()["problems"][0]

    audit = client.get(f"/api/admin/incidents/{incident['incident_id']}/audit", headers=supervisor).json()["entries"]
    assert [(e["action"], e["version"], e["actor"]) for e in audit] == [
        ("closed", 3, ROLE_USERS["supervisor"]),
        ("updated", 2, ROLE_USERS["admin"]),
        ("published", 1, ROLE_USERS["supervisor"]),
    ]
    assert audit[1]["comment"] == "later"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"scope": {"kind": "planet", "values": []}, "texts": TEXTS}, "scope.kind"),
        ({"scope": {"kind": "carrier", "values": []}, "texts": TEXTS}, "name at least one"),
        ({"scope": {"kind": "region", "values": ["Bavaria"]}, "texts": TEXTS}, "country code"),
        ({"scope": {"kind": "everyone", "values": ["DHL"]}, "texts": TEXTS}, "names no carriers"),
        ({"scope": CARRIER, "texts": with_text("en", "summary", "   ")}, "texts.en.summary: must be text, not empty"),
        ({"scope": CARRIER, "texts": with_text("de", "advice", "<b>jetzt</b> bestellen")}, "plain text only"),
        ({"scope": CARRIER, "texts": with_text("en", "summary", "x" * 5_000)}, "at most 600 characters"),
        ({"scope": CARRIER, "texts": {"en": TEXTS["en"]}}, "texts.de: missing"),
        ({"scope": CARRIER, "texts": with_text("en", "summary", 42)}, "must be text"),
    ],
)
def test_bad_incidents_are_refused_and_nothing_is_stored(
    client: TestClient, supervisor: dict, redis_server: RedisServer, body: dict, problem: str
) -> None:
    response = client.post("/api/admin/incidents", json=body, headers=supervisor)
    assert response.status_code == 422, response.text
    assert any(problem in line for line in response.json()["problems"]), response.json()
    assert stored(redis_server) == []


def test_a_100_kb_text_is_refused_before_it_is_read(client: TestClient, supervisor: dict, redis_server) -> None:
    body = {"scope": CARRIER, "texts": with_text("en", "summary", "x" * 100_000)}
    response = client.post("/api/admin/incidents", json=body, headers=supervisor)
    assert response.status_code == 413 and "larger than" in response.json()["detail"]
    assert stored(redis_server) == []


def test_unknown_and_malformed_ids_and_extra_fields(client: TestClient, supervisor: dict) -> None:
    body = {"scope": CARRIER, "texts": TEXTS}
    assert client.put("/api/admin/incidents/inc-00000000aaaa", json=body, headers=supervisor).status_code == 404
    assert client.put("/api/admin/incidents/..%2Fetc", json=body, headers=supervisor).status_code == 404
    extra = client.post("/api/admin/incidents", json={**body, "status": "closed"}, headers=supervisor)
    assert extra.status_code == 422


def test_agents_see_the_active_incidents_next_to_conversations(client: TestClient, supervisor: dict) -> None:
    first = client.post("/api/admin/incidents", json={"scope": CARRIER, "texts": TEXTS}, headers=supervisor).json()
    everyone = {"kind": "everyone", "values": []}
    second = client.post("/api/admin/incidents", json={"scope": everyone, "texts": TEXTS}, headers=supervisor).json()
    client.post(f"/api/admin/incidents/{first['incident_id']}/close", json={}, headers=supervisor)
    agent = sign_in(client, ROLE_USERS["agent"])
    shown = client.get("/api/incidents", headers=agent)
    assert shown.status_code == 200
    assert [i["incident_id"] for i in shown.json()["incidents"]] == [second["incident_id"]]
    assert client.get("/api/incidents").status_code == 401
