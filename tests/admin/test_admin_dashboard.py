"""Outcome figures on seeded records; every expected value below is worked out by hand."""

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient

from contracts.emotion.taxonomy import load_taxonomy

from admin.dashboard import care, figures
from admin.dashboard.export import to_csv
from handoff.outcomes.store import upsert_outcome

PERSON = frozenset({"billing_double_charge", "request_human"})


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, minute, tzinfo=timezone.utc)


def path(*steps: tuple[str, float]) -> list[dict]:
    return [{"turn": i + 1, "label": label, "intensity": intensity} for i, (label, intensity) in enumerate(steps)]


RECORDS = [
    # a: routine, solved by the bot in 2 min, first contact, CSAT 5, neutral → happy
    dict(
        conversation_id="a",
        started_at=at(5, 10),
        ended_at=at(5, 10, 2),
        resolved_by="bot",
        primary_intent="order_status",
        first_contact=True,
        csat=5,
        emotion_start="neutral",
        emotion_end="happy",
    ),
    # b: routine, bot, 5 min, a repeat contact, CSAT 3, frustrated → neutral
    dict(
        conversation_id="b",
        started_at=at(5, 10),
        ended_at=at(5, 10, 5),
        resolved_by="bot",
        primary_intent="order_status",
        first_contact=False,
        csat=3,
        emotion_start="frustrated",
        emotion_end="neutral",
        emotion_path=path(("frustrated", 0.8), ("neutral", 0.1)),
    ),
    # c: billing dispute handed over, waited 60 s, agent solved it in 10 min, CSAT 4, anxious throughout
    dict(
        conversation_id="c",
        started_at=at(5, 10),
        ended_at=at(5, 10, 10),
        resolved_by="agent",
        primary_intent="billing_double_charge",
        handoff_reason="billing_double_charge",
        handoff_requested_at=at(5, 10, 1),
        wait_seconds=60.0,
        first_contact=True,
        csat=4,
        emotion_start="anxious",
        emotion_end="anxious",
        emotion_path=path(("anxious", 0.6), ("anxious", 0.9)),
    ),
    # d: routine but the bot failed twice: handed over, waited 120 s, 20 min, neutral → frustrated
    dict(
        conversation_id="d",
        started_at=at(6, 11),
        ended_at=at(6, 11, 20),
        resolved_by="agent",
        primary_intent="reset_password",
        handoff_reason="fallbacks",
        handoff_requested_at=at(6, 11, 2),
        wait_seconds=120.0,
        first_contact=True,
        emotion_start="neutral",
        emotion_end="frustrated",
        emotion_path=path(("neutral", 0.2), ("frustrated", 0.7)),
    ),
    # e: routine, the customer left
    dict(
        conversation_id="e",
        started_at=at(6, 12),
        ended_at=at(6, 12, 1),
        resolved_by="abandoned",
        primary_intent="reset_password",
        first_contact=True,
    ),
    # f: still open
    dict(
        conversation_id="f", started_at=at(6, 13), resolved_by=None, primary_intent="order_status", first_contact=True
    ),
]


def records() -> list[dict]:
    defaults = {
        "ended_at": None,
        "handoff_reason": None,
        "handoff_requested_at": None,
        "wait_seconds": None,
        "csat": None,
        "emotion_start": None,
        "emotion_end": None,
        "emotion_path": [],
        "proactive": False,
    }
    return [{**defaults, **record} for record in RECORDS]


def test_overview_figures() -> None:
    result = figures.overview(records(), PERSON)
    assert result["conversations"] == 6 and result["open"] == 1
    assert result["containment"] == {"routine_closed": 4, "contained": 2, "rate": 0.5}
    assert result["handoffs"] == {
        "conversations": 6,
        "handoffs": 2,
        "rate": 0.3333,
        "reasons": {"billing_double_charge": 1, "fallbacks": 1},
    }
    assert result["first_contact_resolution"] == {"resolved": 4, "first_contact": 3, "rate": 0.75}
    assert result["time_to_resolution_seconds"] == {"count": 4, "mean": 555.0, "median": 450.0, "p90": 1200.0}
    assert result["handoff_wait_seconds"] == {"count": 2, "mean": 90.0, "median": 90.0, "p90": 120.0}
    assert result["csat"] == {"count": 3, "mean": 4.0, "distribution": {"1": 0, "2": 0, "3": 1, "4": 1, "5": 1}}
    emotions = result["emotions"]
    assert emotions["start"] == {"neutral": 2, "frustrated": 1, "anxious": 1}
    assert emotions["transitions"]["frustrated→neutral"] == 1
    assert (emotions["started_in_distress"], emotions["left_distress"], emotions["went_into_distress"]) == (2, 1, 1)
    assert emotions["relief_rate"] == 0.5


def test_per_day_and_per_intent() -> None:
    daily = {row["key"]: row for row in figures.per_day(records(), PERSON)}
    assert list(daily) == ["2026-01-05", "2026-01-06"]
    first, second = daily["2026-01-05"], daily["2026-01-06"]
    assert (first["conversations"], first["containment_rate"], first["handoff_rate"], first["fcr_rate"]) == (
        3,
        1.0,
        0.3333,
        0.6667,
    )
    assert (first["resolution_median_seconds"], first["wait_mean_seconds"], first["csat_mean"]) == (300.0, 60.0, 4.0)
    assert (second["containment_rate"], second["fcr_rate"], second["resolution_median_seconds"]) == (0.0, 1.0, 1200.0)
    assert second["csat_mean"] is None and second["wait_mean_seconds"] == 120.0
    intents = {row["key"]: row for row in figures.per_intent(records(), PERSON)}
    assert [row["key"] for row in figures.per_intent(records(), PERSON)][0] == "order_status"
    assert (intents["order_status"]["conversations"], intents["order_status"]["containment_rate"]) == (3, 1.0)
    assert intents["reset_password"]["containment_rate"] == 0.0
    assert intents["billing_double_charge"]["containment_rate"] is None
    assert intents["billing_double_charge"]["handoff_rate"] == 1.0


def test_emotion_by_turn() -> None:
    rows = figures.emotion_by_turn(records())
    assert [(row["turn"], row["count"], row["mean_distress"]) for row in rows] == [(1, 3, 0.467), (2, 3, 0.533)]
    assert rows[1]["labels"] == {"neutral": 1, "anxious": 1, "frustrated": 1}


def test_no_records_gives_empty_figures_not_errors() -> None:
    result = figures.overview([], PERSON)
    assert result["containment"]["rate"] is None and result["csat"]["mean"] is None
    assert figures.per_day([], PERSON) == []


def test_csv_quotes_formula_like_cells() -> None:
    text = to_csv([{"key": '=HYPERLINK("x")', "n": -3, "t": at(5, 1)}], ["key", "n", "t"])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ['\'=HYPERLINK("x")', "-3", "2026-01-05T01:00:00+00:00"]


def test_dashboard_api_and_csv(client: TestClient, admin_headers: dict) -> None:
    with client.app.state.session_factory() as session:
        for record in RECORDS:
            upsert_outcome(session, **record)
    params = {"days": 30, "until": (at(6, 0) + timedelta(days=1)).isoformat()}
    response = client.get("/api/admin/dashboard", params=params, headers=admin_headers)
    assert response.status_code == 200, response.text
    body = response.json()
    # The escalation config's always-escalate intents decide what is routine (billing is not).
    assert body["overview"]["containment"] == {"routine_closed": 4, "contained": 2, "rate": 0.5}
    assert body["overview"]["first_contact_resolution"]["rate"] == 0.75
    assert [row["key"] for row in body["daily"]] == ["2026-01-05", "2026-01-06"]
    # The console's emotion chart takes its labels from here, not from a list of its own.
    assert body["emotion_labels"] == load_taxonomy().names
    exported = client.get("/api/admin/dashboard.csv", params={**params, "table": "intents"}, headers=admin_headers)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert {row["key"]: row["conversations"] for row in rows} == {
        "order_status": "3",
        "reset_password": "2",
        "billing_double_charge": "1",
    }
    conversations = client.get(
        "/api/admin/dashboard.csv", params={**params, "table": "conversations"}, headers=admin_headers
    )
    assert len(list(csv.DictReader(io.StringIO(conversations.text)))) == 6


@pytest.mark.parametrize("params", [{"days": 0}, {"days": 400}, {"table": "users"}, {"until": "yesterday"}])
def test_dashboard_rejects_bad_parameters(client: TestClient, admin_headers: dict, params: dict) -> None:
    response = client.get("/api/admin/dashboard.csv", params=params, headers=admin_headers)
    assert response.status_code == 422


# Proactive care: who was told of a problem first, and what came of it (worked out by hand below).
CARE = [
    # p1: Anna told of a late order during a password reset; the bot finished; she did not come back.
    dict(
        conversation_id="p1",
        customer_id="C1",
        started_at=at(5, 9),
        ended_at=at(5, 9, 3),
        resolved_by="bot",
        proactive=True,
        proactive_topics=["delayed_order:1"],
        incidents=[],
    ),
    # p2: James told of a failed payment, bot finished, but he came back 2 days later (p3).
    dict(
        conversation_id="p2",
        customer_id="C2",
        started_at=at(5, 9),
        ended_at=at(5, 9, 4),
        resolved_by="bot",
        proactive=True,
        proactive_topics=["payment_failed:2"],
        incidents=["inc-a"],
    ),
    dict(conversation_id="p3", customer_id="C2", started_at=at(7, 9), ended_at=at(7, 9, 1), resolved_by="bot"),
    # p4: told of a late refund, then handed to an agent: raised, not a proactive resolution.
    dict(
        conversation_id="p4",
        customer_id="C3",
        started_at=at(5, 9),
        ended_at=at(5, 9, 9),
        resolved_by="agent",
        handoff_reason="complaint",
        proactive=True,
        proactive_topics=["late_refund:RT-1"],
        incidents=["inc-a", "inc-b"],
    ),
    # p5: asked about incident a (not proactive), resolved by the bot.
    dict(conversation_id="p5", customer_id="C4", started_at=at(6, 9), resolved_by="bot", incidents=["inc-a"]),
]


def test_proactive_resolutions_contacts_avoided_and_contacts_per_incident() -> None:
    figures_ = care.care(CARE)
    assert figures_["raised"] == 3  # p1, p2, p4
    assert figures_["proactive_resolutions"] == 2 and figures_["resolution_rate"] == round(2 / 3, 4)  # p1, p2
    assert figures_["contacts_avoided"] == 1  # p1 only: James came back within a week
    assert figures_["topics"] == {"delayed_order": 1, "payment_failed": 1, "late_refund": 1}
    per_incident = care.contacts_per_incident(CARE, {"inc-a": "DHL delays"})
    assert per_incident == [
        {"incident_id": "inc-a", "name": "DHL delays", "conversations": 3, "resolved_by_bot": 2},
        {"incident_id": "inc-b", "name": "inc-b", "conversations": 1, "resolved_by_bot": 0},
    ]
    assert care.care([]) == {
        "raised": 0,
        "proactive_resolutions": 0,
        "resolution_rate": None,
        "contacts_avoided": 0,
        "topics": {},
    }


def test_the_dashboard_api_carries_the_care_figures(client: TestClient, admin_headers: dict) -> None:
    with client.app.state.session_factory() as session:
        for record in CARE:
            upsert_outcome(session, **record)
    params = {"days": 30, "until": (at(8, 0)).isoformat()}
    body = client.get("/api/admin/dashboard", params=params, headers=admin_headers).json()
    assert body["care"]["proactive_resolutions"] == 2 and body["care"]["contacts_avoided"] == 1
    assert [(row["incident_id"], row["conversations"]) for row in body["incidents"]] == [("inc-a", 3), ("inc-b", 1)]


def test_records_without_a_measurable_duration_do_not_make_zero_second_medians() -> None:
    records = [
        dict(conversation_id="x", started_at=at(5, 9), ended_at=at(5, 9), resolved_by="bot"),  # start never known
        dict(conversation_id="y", started_at=at(5, 9), ended_at=at(5, 9, 4), resolved_by="bot"),
        dict(conversation_id="z", started_at=at(5, 9), ended_at=None, resolved_by="bot"),  # never ended
    ]
    assert figures.time_to_resolution(records) == {"count": 1, "mean": 240.0, "median": 240.0, "p90": 240.0}
