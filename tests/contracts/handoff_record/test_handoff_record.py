"""The handoff record (handoff.v2): the builder's output matches the schema; the schema refuses
broken records and says why without repeating what the customer wrote."""

from __future__ import annotations

import copy
from datetime import datetime, timezone

import jsonschema
import pytest

from contracts.emotion.taxonomy import load_taxonomy
from contracts.handoff_record import build_record, timeline_point, transcript_line
from contracts.handoff_record.schema import record_problems, record_schema


def full_record() -> dict:
    return build_record(
        conversation_id="conv-1",
        language="de",
        reasons=[
            {"code": "billing_double_charge", "text": "Charged twice."},
            {"code": "emotion_frustrated", "text": "Strongly frustrated."},
        ],
        skill="billing",
        priority="high",
        customer_id="C100002",
        verified=True,
        emotion={"label": "frustrated", "intensity": 0.9, "distress_level": 0.8, "distress_trend": "rising"},
        emotion_timeline=[timeline_point(1, "frustrated", 0.9, 0.95, 1700000000.0)],
        slots={"order_number": "40010002"},
        transcript=[
            transcript_line(
                "customer",
                "secret-word charged twice",
                1700000000.0,
                "billing_double_charge",
                {"label": "frustrated", "intensity": 0.9},
            ),
            transcript_line("bot", "I'll get a colleague.", 1700000001.0),
        ],
        bot_actions=["action_check_order"],
        bot_attempts=[{"action": "action_check_order", "said": ["Found it."], "results": {"order_status": "shipped"}}],
        now=datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc),
    )


def test_the_schema_is_valid_draft_07_with_the_taxonomy_labels():
    schema = record_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["definitions"]["emotion_label"]["enum"] == load_taxonomy().names


def test_a_built_record_is_valid_and_carries_the_first_reason_for_v1_readers():
    record = full_record()
    assert record_problems(record) == []
    assert (record["reason"], record["reason_text"]) == ("billing_double_charge", "Charged twice.")
    assert record["slots"]["handoff_reason"] == "billing_double_charge"
    assert record["created_at"] == "2026-12-01T09:30:00+00:00"


def test_a_minimal_record_is_valid_and_an_unverified_customer_has_no_id():
    record = build_record(
        conversation_id="c",
        language="fr",
        reasons=[{"code": "customer_request", "text": "x"}],
        skill="general",
        priority="normal",
        customer_id="C1",
        verified=False,
        source="avatar_bridge",
    )
    assert record_problems(record) == []
    assert record["customer_id"] is None and record["language"] == "en"
    assert record["emotion"] == {"label": None, "intensity": None, "distress_level": None, "distress_trend": None}


def test_a_record_needs_a_reason():
    with pytest.raises(ValueError):
        build_record(conversation_id="c", language="en", reasons=[], skill="general", priority="normal")


def broken(change) -> list:
    record = full_record()
    change(record)
    return record_problems(record)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda r: r.pop("reasons"), "(record): 'reasons' is a required property"),
        (lambda r: r.update(skill="legal"), "skill: fails enum"),
        (lambda r: r.update(priority=None), "priority: fails enum"),
        (lambda r: r["emotion"].update(label="furious"), "emotion/label: fails oneOf"),
        (lambda r: r["emotion_timeline"][0].update(distress=1.5), "emotion_timeline/0/distress: fails maximum"),
        (lambda r: r["transcript"][0].update(role="system"), "transcript/0/role: fails enum"),
        (lambda r: r["transcript"][0].update(text=42), "transcript/0/text: fails type"),
        (lambda r: r.update(handoff_id=""), "handoff_id: fails minLength"),
        (lambda r: r.update(extra=1), "Additional properties are not allowed ('extra' was unexpected)"),
        (lambda r: r.update(schema="handoff.v3"), "schema: fails const"),
    ],
)
def test_broken_records_are_named_field_by_field(change, where):
    problems = broken(change)
    assert any(where in problem for problem in problems), problems


def test_problems_never_repeat_what_the_customer_wrote():
    def change(record):
        record["transcript"][0]["role"] = "secret-word"
        record["emotion"]["distress_trend"] = "secret-word"

    problems = broken(change)
    assert problems and "secret-word" not in " ".join(problems)


def test_the_builder_copies_what_it_is_given():
    slots = {"a": 1}
    record = build_record(
        conversation_id="c",
        language="en",
        reasons=[{"code": "customer_request", "text": "x"}],
        skill="general",
        priority="normal",
        slots=slots,
    )
    assert slots == {"a": 1} and record["slots"] == {"a": 1, "handoff_reason": "customer_request"}
    assert copy.deepcopy(record) == record
