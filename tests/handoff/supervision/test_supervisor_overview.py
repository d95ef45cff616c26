"""GET /api/supervisor/overview on the real service (real Redis, SQLite): live figures, the roster
with the heavy-case run and its nudge, and the conversations ordered by their risk score."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from handoff.app import create_app
from handoff.core.config import HandoffSettings
from handoff.outcomes.store import upsert_outcome
from handoff.users import seed_demo
from tests.handoff.conftest import handoff_record, make_settings, publish, sign_in, wait_until


@pytest.fixture
def settings(redis_server, tmp_path: Path, customer_db_url: str) -> HandoffSettings:  # noqa: ANN001
    # Presence must outlast the test: agents count as online for two minutes after their last sign.
    return make_settings(redis_server.url, tmp_path / "handoff.db", customer_db_url, claim_timeout_seconds=120)


@pytest.fixture
def client(settings: HandoffSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        seed_demo(test_client.app.state.session_factory, settings)
        yield test_client


def overview(client: TestClient, headers: dict) -> dict:
    response = client.get("/api/supervisor/overview", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def customer_says(redis_client, settings: HandoffSettings, cid: str, *texts: str) -> None:  # noqa: ANN001
    for number, text in enumerate(texts):
        entry = {"session_id": cid, "message_id": f"{cid}-{number}", "text": text, "ts": time.time()}
        redis_client.xadd(f"{settings.bridge_prefix}:agent_inbox", {"payload": json.dumps(entry)})


def record(customer_id: str, reason: str, text: str, distress: float, **fields: object) -> dict:
    built = handoff_record(distress=distress, customer_id=customer_id, reason=reason, **fields)
    built["reason_text"] = text
    return built


def seed(client, settings: HandoffSettings, redis_client, session_factory) -> dict[str, str]:  # noqa: ANN001
    """Four conversations of known risk, two agents (Tom after a run of heavy cases), two ratings.
    `client`: a TestClient or an httpx.Client on the running service."""
    mia, tom = sign_in(client, "mia"), sign_in(client, "tom")
    for headers in (mia, tom):  # their consoles open the queue: the roster knows them from then on
        assert client.get("/api/queue", headers=headers).status_code == 200
    calm_but_long = record("C100001", "billing_wrong_amount", "Invoice amount looks wrong", 0.1)
    calm_but_long["created_at"] = datetime.fromtimestamp(time.time() - 900, tz=timezone.utc).isoformat()
    upset = record("C100002", "billing_double_charge", "Charged twice for one order", 0.9, emotion="frustrated")
    rising = record("C100003", "billing_refund_dispute", "Refund still not received", 0.5, emotion="anxious")
    tired = record("C100004", "troubleshooting_failed", "App crashes at checkout", 0.3)
    records = {"calm": calm_but_long, "upset": upset, "rising": rising, "tired": tired}
    for item in records.values():
        publish(redis_client, settings, item)
    cids = {name: item["conversation_id"] for name, item in records.items()}
    sam = sign_in(client, "sam")
    wait_until(lambda: len(overview(client, sam)["conversations"]) == 4, message="four conversations in the queue")
    assert client.post(f"/api/queue/{cids['rising']}/claim", headers=mia).status_code == 200
    assert client.post(f"/api/queue/{cids['tired']}/claim", headers=tom).status_code == 200
    # Tom has just come from two heavy cases (after this one): the fatigue rule's run.
    later = time.time() + 1
    redis_client.lpush(settings.key("agent", "tom", "claims"), f"{later:.3f}:0.800", f"{later + 1:.3f}:0.700")
    customer_says(redis_client, settings, cids["rising"], "ok", "this is annoying", "UNACCEPTABLE!!")
    with session_factory() as session:
        upsert_outcome(session, "earlier-1", csat=5, ended_at=datetime.now(timezone.utc))
        upsert_outcome(session, "earlier-2", csat=2, ended_at=datetime.now(timezone.utc))
    wait_until(
        lambda: [c for c in overview(client, sam)["conversations"] if c["risk"]["reasons"] == ["distress rising"]],
        message="the customer's rising lines",
    )
    return cids


def test_overview_orders_by_risk_and_shows_the_shift(
    client: TestClient,
    settings: HandoffSettings,
    redis_client,  # noqa: ANN001
) -> None:
    cids = seed(client, settings, redis_client, client.app.state.session_factory)
    sam = sign_in(client, "sam")
    data = overview(client, sam)
    order = [c["conversation_id"] for c in data["conversations"]]
    scores = {c["conversation_id"]: c["risk"]["score"] for c in data["conversations"]}
    # rising: 0.5 × 40 + 20 (rise 1.0); upset: 0.9 × 40; calm: 0.1 × 40 + 25 (15 min waiting);
    # tired: 0.3 × 40 + 15 (its agent's heavy run).
    assert order == [cids["rising"], cids["upset"], cids["calm"], cids["tired"]]
    assert scores[cids["rising"]] == pytest.approx(40, abs=1)
    assert scores[cids["upset"]] == pytest.approx(36, abs=0.5)
    assert scores[cids["calm"]] == pytest.approx(29, abs=0.5)
    assert scores[cids["tired"]] == pytest.approx(27, abs=0.5)
    by_id = {c["conversation_id"]: c for c in data["conversations"]}
    assert by_id[cids["tired"]]["risk"]["reasons"] == ["agent under strain"]
    assert by_id[cids["calm"]]["risk"]["reasons"] == ["waiting 15 min"]

    kpis = data["kpis"]
    assert (kpis["waiting"], kpis["in_progress"]) == (2, 2)
    assert 895 <= kpis["longest_wait_seconds"] <= 960
    assert kpis["csat_today"] == {"mean": 3.5, "count": 2}

    roster = {agent["username"]: agent for agent in data["agents"]}
    assert set(roster) == {"mia", "tom"}  # supervisors and admins are not on the roster
    assert roster["mia"]["load"] == pytest.approx(0.5, abs=0.01)  # the claimed case's distress
    assert roster["mia"] | {"load": 0, "over_threshold": None} == {
        "username": "mia", "display_name": "Mia", "state": "available", "active": 1, "load": 0,
        "over_threshold": None, "handled_in_shift": 1, "heavy_in_a_row": 0, "needs_pause": False, "nudge": "",
    }  # fmt: skip
    assert roster["tom"]["handled_in_shift"] == 3 and roster["tom"]["heavy_in_a_row"] == 2
    assert roster["tom"]["needs_pause"] and "2 heavy cases in a row" in roster["tom"]["nudge"]

    # Tom takes the advice: paused, the run is over, and his conversation loses the strain part.
    tom = sign_in(client, "tom")
    assert client.post("/api/queue/me/pause", headers=tom, json={"paused": True}).status_code == 200
    data = overview(client, sam)
    tom_now = next(a for a in data["agents"] if a["username"] == "tom")
    assert (tom_now["state"], tom_now["heavy_in_a_row"], tom_now["needs_pause"]) == ("paused", 0, False)
    assert next(c for c in data["conversations"] if c["conversation_id"] == cids["tired"])["risk"]["score"] < 15


def test_only_supervisors_see_the_overview(client: TestClient) -> None:
    assert client.get("/api/supervisor/overview").status_code == 401
    assert client.get("/api/supervisor/overview", headers=sign_in(client, "mia")).status_code == 403
    assert client.get("/api/supervisor/overview", headers=sign_in(client, "alex")).status_code == 200
