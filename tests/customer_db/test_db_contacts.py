"""The record of earlier conversations that assistant and agents see."""

from datetime import timedelta

import pytest

from customer_db import UnknownCustomerError


def test_seeded_demo_customers_have_history(db, now):
    contacts = db.list_contacts("C100002")
    assert len(contacts) == 1 and "40010002" in contacts[0].summary
    assert contacts[0].started_at < now


def test_record_and_list_newest_first(db, now):
    older = db.record_contact(
        "c100004",
        conversation_id="conv-1",
        channel="chat",
        summary="Asked about 40010004.",
        outcome="resolved",
        handled_by="bot",
        started_at=now - timedelta(days=2),
    )
    newer = db.record_contact(
        "C100004",
        conversation_id="conv-2",
        channel="voice",
        summary="Wanted a person.\nDone.",
        outcome="handed_off",
        handled_by="Maria (agent)",
        started_at=now,
    )
    assert older.customer_id == "C100004" and older.contact_id != newer.contact_id
    assert db.list_contacts("C100004") == [newer, older]
    assert newer.summary == "Wanted a person.\nDone."


@pytest.mark.parametrize(
    "field, value",
    [
        ("channel", "fax"),
        ("outcome", "maybe"),
        ("summary", ""),
        ("summary", "x" * 10_000),
        ("conversation_id", "   "),
        ("handled_by", "bot\x00"),
        ("conversation_id", None),
    ],
)
def test_bad_contact_data_is_a_value_error(db, field, value):
    values = dict(conversation_id="c", channel="chat", summary="s", outcome="resolved", handled_by="bot")
    values[field] = value
    with pytest.raises(ValueError):
        db.record_contact("C100001", **values)


def test_contact_for_unknown_customer(db):
    with pytest.raises(UnknownCustomerError):
        db.record_contact(
            "C999999", conversation_id="c", channel="chat", summary="s", outcome="resolved", handled_by="bot"
        )
    assert db.list_contacts("C999999") == [] and db.list_contacts("' OR 1=1 --") == []
