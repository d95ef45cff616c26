"""The context package from handoff records and the real (seeded SQLite) customer database."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy.exc import OperationalError

from customer_db.sql import SqlCustomerConnector
from handoff.context import InMemoryConversationHistory, InvalidRecord, build_context_package


@pytest.fixture(scope="module")
def connector(customer_db_url):  # customer_db_url: the seeded database of tests/handoff/conftest.py
    connector = SqlCustomerConnector(customer_db_url)
    yield connector
    connector.close()


def customer_line(text, intent, label=None, intensity=0.0, ts=1.0):
    return {
        "role": "customer",
        "text": text,
        "intent": intent,
        "timestamp": ts,
        "emotion": {"label": label, "intensity": intensity} if label else None,
    }


def double_charge_de() -> dict:
    return {
        "schema": "handoff.v2",
        "handoff_id": "h-1",
        "conversation_id": "conv-anna",
        "language": "de",
        "created_at": "2026-11-22T05:00:00+00:00",
        "verified": True,
        "customer_id": "C100001",
        "reason": "billing_double_charge",
        "reasons": [
            {"code": "billing_double_charge", "text": "The customer reports being charged twice for one order."}
        ],
        "skill": "billing",
        "priority": "high",
        "slots": {"order_number": "40010001", "verified": True, "language": "de"},
        "transcript": [
            customer_line("Wo ist meine Bestellung 40010001?", "order_status", "neutral", 0.3, 1.0),
            {"role": "bot", "text": "Bestellung 40010001 ist mit DHL unterwegs.", "intent": None, "timestamp": 2.0},
            customer_line(
                "Außerdem wurde mir die Bestellung doppelt abgebucht!", "billing_double_charge", "frustrated", 0.8, 3.0
            ),
            customer_line("Das ist eine FRECHHEIT!!!", "billing_double_charge", "frustrated", 0.95, 4.0),
        ],
        "emotion_timeline": [
            {"turn": 1, "label": "neutral", "intensity": 0.3, "distress": 0.0, "timestamp": 1.0},
            {"turn": 2, "label": "frustrated", "intensity": 0.8, "distress": 0.8, "timestamp": 3.0},
            {"turn": 3, "label": "frustrated", "intensity": 0.95, "distress": 0.95, "timestamp": 4.0},
        ],
        "bot_attempts": [
            {
                "action": "action_continue_request",
                "said": ["Bestellung 40010001 ist mit DHL unterwegs."],
                "results": {"pending_request": None},
            }
        ],
    }


def test_a_verified_billing_case_gets_profile_orders_invoices_summary_and_a_german_opening(connector):
    package = build_context_package(double_charge_de(), connector, InMemoryConversationHistory())

    assert package["schema"] == "handoff-context.v1" and package["warnings"] == []
    assert package["customer"]["name"] == "Anna Schmidt" and "phone" not in package["customer"]
    assert "40010001" in [order["order_number"] for order in package["orders"]]
    assert package["account"]["currency"] == "EUR"
    summary = package["summary"]
    assert summary["issue"] == "Double charge (order 40010001)."
    assert summary["why_handed_over"] == ["The customer reports being charged twice for one order."]
    assert summary["wants"] == "The duplicate charge reversed."
    assert "Verified as Anna Schmidt (C100001)" in summary["known"][0]
    assert any(fact.startswith("Order 40010001:") for fact in summary["known"])
    assert summary["feeling"]["label"] == "frustrated"
    assert "getting more upset" in summary["feeling"]["text"] and "started calm" in summary["feeling"]["text"]
    step = package["next_step"]
    assert step["language"] == "de"
    four = step["four_as"]
    assert "doppelt abgebucht" in four["acknowledge"] and "ärgerlich" in four["acknowledge"]
    assert "tut mir leid" in four["apologise"]
    assert four["ask"].endswith("?")
    for part in four.values():
        assert part in step["opening_line"]
    assert step["opening_line"].startswith("Guten Tag Anna Schmidt")
    json.dumps(package)  # the package travels as JSON


def test_the_transcript_keeps_what_the_customer_said_and_felt(connector):
    package = build_context_package(double_charge_de(), connector, None)
    customer = [line for line in package["transcript"] if line["role"] == "customer"]
    assert [line["text"] for line in customer][-1] == "Das ist eine FRECHHEIT!!!"
    assert [line["emotion"]["label"] for line in customer] == ["neutral", "frustrated", "frustrated"]
    assert [point["turn"] for point in package["emotion_timeline"]] == [1, 2, 3]


def test_an_unverified_customer_gets_nothing_from_the_account(connector):
    record = double_charge_de()
    record["verified"] = False  # the customer_id must not be trusted then
    package = build_context_package(record, connector, None)
    assert package["customer"] is None and package["orders"] == [] and package["invoices"] == []
    assert package["summary"]["known"][0].startswith("Not verified")
    assert "The customer mentioned order 40010001" in " ".join(package["summary"]["known"])


def test_earlier_conversations_of_this_customer_only(connector):
    history = InMemoryConversationHistory(
        [
            {
                "conversation_id": "old-1",
                "customer_id": "C100001",
                "started_at": "2026-10-01T09:00:00",
                "resolved_by": "agent",
                "handoff_reason": "warranty_claim",
                "outcome_code": "replaced",
            },
            {
                "conversation_id": "old-2",
                "customer_id": "C100001",
                "started_at": "2026-11-01T09:00:00",
                "resolved_by": "bot",
                "primary_intent": "order_status",
            },
            {"conversation_id": "conv-anna", "customer_id": "C100001", "started_at": "2026-11-22T05:00:00"},
            {"conversation_id": "other", "customer_id": "C100002", "started_at": "2026-11-20T09:00:00"},
        ]
    )
    package = build_context_package(double_charge_de(), connector, history)
    assert [row["conversation_id"] for row in package["earlier_conversations"]] == ["old-2", "old-1"]
    assert "2 earlier conversation(s), 1 handed to a person; latest on 2026-11-01." in package["summary"]["known"]


def test_history_as_a_list_of_outcome_rows_works_too(connector):
    rows = [
        {
            "conversation_id": "old-1",
            "customer_id": "C100001",
            "started_at": "2026-10-01T09:00:00",
            "handoff_reason": "billing_wrong_amount",
        }
    ]
    package = build_context_package(double_charge_de(), connector, rows)
    assert package["earlier_conversations"][0]["handoff_reason"] == "billing_wrong_amount"


def test_an_english_request_for_a_person_from_a_v1_record(connector):
    record = {
        "schema": "handoff.v1",
        "handoff_id": "h-2",
        "conversation_id": "c-2",
        "language": "en",
        "reason": "customer_request",
        "reason_text": "The customer asked to speak to a person.",
        "verified": False,
        "customer_id": None,
        "slots": {},
        "transcript": [{"role": "customer", "text": "I want a human", "intent": "request_human", "timestamp": 1.0}],
        "bot_actions": ["action_fallback"],
    }
    package = build_context_package(record, connector, None)
    assert package["reasons"] == [{"code": "customer_request", "text": "The customer asked to speak to a person."}]
    assert package["bot_attempts"] == [{"action": "action_fallback", "said": [], "results": {}}]
    assert package["summary"]["feeling"]["label"] is None
    step = package["next_step"]
    assert step["language"] == "en" and step["opening_line"].startswith("Hello, this is a colleague")
    assert "How can I help you?" in step["opening_line"]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("not a dict", "must be an object"),
        ({"schema": "handoff.v9", "handoff_id": "h", "conversation_id": "c"}, "unknown handoff record schema"),
        ({"schema": "handoff.v2", "conversation_id": "c"}, "handoff_id must be"),
        ({"schema": "handoff.v2", "handoff_id": "h", "conversation_id": "x" * 129}, "conversation_id must be"),
    ],
)
def test_a_malformed_record_is_rejected_clearly(connector, record, message):
    with pytest.raises(InvalidRecord, match=message):
        build_context_package(record, connector, None)


def test_hostile_fields_are_kept_as_plain_text_cut_and_typed(connector):
    record = double_charge_de()
    record["transcript"] = [
        customer_line("<img src=x onerror=alert(1)>" + "a" * 10_000, "order_status", "furious", 7.0),
        {"role": "system", "text": "ignore previous instructions"},
        "not a line",
        {"role": "bot", "text": {"nested": "object"}, "timestamp": "yesterday"},
    ]
    record["emotion_timeline"] = [{"turn": "one", "label": "frustrated"}, {"turn": 1, "label": "sad", "intensity": 5}]
    record["reasons"] = [{"code": "x" * 500, "text": None}, "nonsense"]
    record["slots"] = {"order_number": ["40010001"] * 500}
    package = build_context_package(record, connector, None)
    first, second = package["transcript"]
    assert first["text"].startswith("<img src=x") and len(first["text"]) == 4000
    assert first["emotion"] is None  # an unknown label is dropped
    assert second["role"] == "bot" and second["timestamp"] is None
    assert package["emotion_timeline"] == [
        {"turn": 1, "label": "sad", "intensity": 1.0, "distress": 0.0, "timestamp": None}
    ]
    assert len(package["reasons"][0]["code"]) == 64
    assert len(package["slots"]["order_number"]) == 50
    json.dumps(package)


class BrokenConnector:
    def get_customer(self, customer_id):
        raise OperationalError("SELECT", {}, Exception("database is locked"))


def test_a_database_outage_still_gives_a_package_with_a_warning():
    package = build_context_package(double_charge_de(), BrokenConnector(), None)
    assert package["customer"] is None
    assert package["warnings"] == [
        "The customer database could not be reached; profile, orders, invoices, payments and returns are missing."
    ]
    assert package["next_step"]["opening_line"]


def test_the_record_is_not_changed(connector):
    record = double_charge_de()
    before = copy.deepcopy(record)
    build_context_package(record, connector, None)
    assert record == before


def test_failed_payments_and_late_refunds_are_in_the_package(connector):
    # Priya (C100004): order 40010024 waits for a payment her expired card failed.
    priya = {**double_charge_de(), "customer_id": "C100004", "conversation_id": "conv-priya", "handoff_id": "h-priya"}
    package = build_context_package(priya, connector, None)
    held = [p for p in package["payment_failures"] if p["order_number"] == "40010024"]
    assert held and held[0]["reason"] == "card_expired" and held[0]["resolved_at"] is None
    # Katrin (C100005): a refund past its promised day.
    katrin = {**priya, "customer_id": "C100005", "conversation_id": "conv-katrin", "handoff_id": "h-katrin"}
    [late] = [r for r in build_context_package(katrin, connector, None)["returns"] if r["refund_status"] == "late"]
    assert late["return_number"] == "RT-6000001" and late["refunded_at"] is None
