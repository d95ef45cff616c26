"""Incidents in the dialogue (bot/actions/incidents.py): told to the customers they affect, once,
in the latest words; answered when asked; a calm complaint about one is answered, not handed over
(real customer database with the demo data, real Redis)."""

from __future__ import annotations

import json

import pytest

from bot.actions.handoff import ActionHandoff
from bot.actions.incidents import TOLD_SLOT, ActionAnswerIncident
from bot.actions.requests import ActionContinueRequest
from contracts.incidents.model import parse_incident
from contracts.incidents.stored import INCIDENTS_KEY
from contracts.redis_keys import HANDOFF_REQUESTS_STREAM
from tests.bot.actions.test_requests import verified_tracker

NOTICE = "utter_incident_notice"


def texts(timeline: str = "DHL expects to catch up by Friday.") -> dict:
    return {
        "en": {
            "summary": "DHL parcels are running two days late.",
            "advice": "No need to do anything.",
            "timeline": timeline,
        },
        "de": {
            "summary": "DHL-Pakete kommen zwei Tage später.",
            "advice": "Sie müssen nichts tun.",
            "timeline": "Bis Freitag.",
        },
    }


def publish(redis_client, incident_id: str, kind: str, values: list, version: int = 1, **changes) -> None:
    data = {
        "incident_id": incident_id,
        "version": version,
        "status": changes.get("status", "active"),
        "scope": {"kind": kind, "values": values},
        "texts": changes.get("texts", texts()),
        "updated_at": f"2026-12-04T10:00:0{version}+00:00",
    }
    incident = parse_incident(data)  # what the admin console would have checked
    redis_client.hset(INCIDENTS_KEY, incident_id, json.dumps(incident.to_dict()))


@pytest.fixture
def dhl_incident(customer_db, redis_client):
    # Anna (C100001) has a DHL parcel on its way; James (C100002) ships with Royal Mail and UPS.
    assert any(o.carrier == "DHL" and o.is_open for o in customer_db.list_orders("C100001"))
    assert not any(o.carrier == "DHL" for o in customer_db.list_orders("C100002"))
    publish(redis_client, "inc-00000000000d", "carrier", ["DHL"])
    return "inc-00000000000d"


def test_a_carrier_incident_reaches_its_customers_and_not_the_others(dhl_incident, make_tracker, act):
    anna = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100001", "password_reset"))
    assert anna.responses == ["utter_password_reset_sent", NOTICE]
    assert anna.message(NOTICE)["summary"] == "DHL parcels are running two days late."
    assert anna.slots[TOLD_SLOT] == [dhl_incident]
    james = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100002", "password_reset"))
    assert NOTICE not in james.responses


def test_told_once_per_conversation_and_in_the_customers_language(dhl_incident, make_tracker, act):
    again = act(
        ActionContinueRequest(),
        verified_tracker(make_tracker, "C100001", "password_reset", **{TOLD_SLOT: [dhl_incident]}),
    )
    assert NOTICE not in again.responses
    german = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100001", "password_reset", "de"))
    assert german.message(NOTICE)["summary"] == "DHL-Pakete kommen zwei Tage später."


def test_an_update_replaces_the_old_wording(dhl_incident, redis_client, make_tracker, act, monkeypatch):
    publish(redis_client, dhl_incident, "carrier", ["DHL"], version=2, texts=texts("Now expected by Monday."))
    monkeypatch.setattr("bot.actions.incidents.CACHE_SECONDS", 0.0)
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100001", "password_reset"))
    assert outcome.message(NOTICE)["timeline"] == "Now expected by Monday."


def test_closed_incidents_and_other_regions_are_not_mentioned(customer_db, redis_client, make_tracker, act):
    publish(redis_client, "inc-0000000000c1", "carrier", ["DHL"], status="closed")
    publish(redis_client, "inc-0000000000c2", "region", ["GB"])  # Anna lives in Berlin
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100001", "password_reset"))
    assert NOTICE not in outcome.responses


def test_an_incident_comes_before_a_known_problem_and_only_one_thing_is_raised(
    customer_db, redis_client, make_tracker, act
):
    publish(redis_client, "inc-0000000000e1", "everyone", [])
    outcome = act(ActionContinueRequest(), verified_tracker(make_tracker, "C100002", "password_reset"))
    assert outcome.responses == ["utter_password_reset_sent", NOTICE]  # James's late order waits for later


def test_asked_about_problems_the_customer_hears_what_is_known_or_that_nothing_is(
    customer_db, redis_client, make_tracker, act, monkeypatch
):
    monkeypatch.setattr("bot.actions.incidents.CACHE_SECONDS", 0.0)  # published between two turns
    nothing = act(ActionAnswerIncident(), make_tracker("ask_incident", "are there delivery problems?"))
    assert nothing.responses == ["utter_incident_none"]
    publish(redis_client, "inc-00000000000d", "carrier", ["DHL"])
    anonymous = act(ActionAnswerIncident(), make_tracker("ask_incident", "is DHL late?", slots={"language": "de"}))
    assert anonymous.responses == ["utter_incident_answer"]
    assert anonymous.message("utter_incident_answer")["summary"] == "DHL-Pakete kommen zwei Tage später."
    assert anonymous.slots[TOLD_SLOT] == ["inc-00000000000d"]


def test_a_calm_complaint_about_a_told_incident_is_answered_and_a_person_offered(
    dhl_incident, redis_client, make_tracker, act
):
    tracker = make_tracker("complaint", "this is ridiculous, I want to complain", slots={TOLD_SLOT: [dhl_incident]})
    outcome = act(ActionHandoff(), tracker)
    assert outcome.responses == ["utter_incident_complaint"]
    assert outcome.slots["human_offered"] is True and outcome.slots["handoff_reason"] == "complaint"
    assert redis_client.xlen(HANDOFF_REQUESTS_STREAM) == 0


@pytest.mark.parametrize(
    "slots",
    [
        {"distress_level": 0.8},  # distressed: a person at once
        {"human_offered": True, "handoff_reason": "complaint"},  # accepted the offer
        {},  # never told about an incident
    ],
)
def test_distressed_or_accepting_customers_are_handed_over(dhl_incident, redis_client, make_tracker, act, slots):
    told = {TOLD_SLOT: [dhl_incident]} if slots else {}
    intent = "affirm" if slots.get("human_offered") else "complaint"
    outcome = act(ActionHandoff(), make_tracker(intent, "I want to complain", slots={**told, **slots}))
    assert outcome.responses[-1] == "utter_handoff_done"
    assert redis_client.xlen(HANDOFF_REQUESTS_STREAM) == 1
