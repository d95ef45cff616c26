"""address_form and the address change: only the customer's own orders, only before dispatch."""

from __future__ import annotations

import pytest

from bot.actions.address import ValidateAddressForm
from bot.actions.requests import ActionContinueRequest

JAMES = {"verified": True, "customer_id": "C100002", "verification_failures": 0.0}


def form_turn(make_tracker, candidates, **slots):
    return make_tracker(
        "inform",
        str(next(iter(candidates.values()))),
        slots={**JAMES, **slots},
        candidates=candidates,
        active_loop="address_form",
    )


def test_an_own_order_not_yet_dispatched_is_accepted(customer_db, make_tracker, act):
    outcome = act(ValidateAddressForm(), form_turn(make_tracker, {"order_number": "order 4001 0012? no: 40010012"}))

    assert outcome.slots == {"order_number": "40010012"}  # the form asks for the address next
    assert outcome.messages == []


def test_another_customers_order_is_refused_without_details(customer_db, make_tracker, act):
    outcome = act(ValidateAddressForm(), form_turn(make_tracker, {"order_number": "40010001"}))

    assert outcome.slots == {"order_number": None}
    assert outcome.responses == ["utter_order_not_found"]
    assert outcome.message("utter_order_not_found")["order_number"] == "40010001"


@pytest.mark.parametrize("typed", ["my order", "1234", "'; DELETE FROM orders; --", "x" * 10_000])
def test_something_that_is_no_order_number_is_explained(customer_db, make_tracker, act, typed):
    outcome = act(ValidateAddressForm(), form_turn(make_tracker, {"order_number": typed}))

    assert outcome.slots == {"order_number": None}
    assert outcome.responses == ["utter_order_number_format"]


def test_a_dispatched_order_ends_the_form_without_asking_for_an_address(customer_db, make_tracker, act):
    outcome = act(ValidateAddressForm(), form_turn(make_tracker, {"order_number": "40010002"}))

    # The extracted number stays in its slot; action_continue_request explains why nothing changes.
    assert outcome.slots == {"requested_slot": None}
    assert outcome.messages == []


def test_an_unverified_customer_gets_no_address_questions(customer_db, make_tracker, act):
    tracker = make_tracker("inform", "C100002", slots={"verified": False}, active_loop="address_form")

    outcome = act(ValidateAddressForm(), tracker)

    assert outcome.slots == {"requested_slot": None}


@pytest.mark.parametrize(
    "typed", ["Hauptstraße 5, 80331 München", "12 Park Lane, 10115 Berlin", "Rue de la Gare 3, 1003 Lausanne"]
)
def test_a_plausible_address_is_accepted(customer_db, make_tracker, act, typed):
    outcome = act(ValidateAddressForm(), form_turn(make_tracker, {"new_address": typed}, order_number="40010012"))

    assert outcome.slots == {"new_address": typed}


@pytest.mark.parametrize(
    "typed", ["Berlin", "<script>alert(1)</script> 12345 Berlin 5", "12345", "a" * 10_000, "🙈🙈🙈 12 🙈🙈 12345"]
)
def test_an_unusable_address_is_explained(customer_db, make_tracker, act, typed):
    outcome = act(ValidateAddressForm(), form_turn(make_tracker, {"new_address": typed}, order_number="40010012"))

    assert outcome.slots == {"new_address": None}
    assert outcome.responses == ["utter_address_format"]


def continue_tracker(make_tracker, order_number, new_address="Hauptstraße 5, 80331 München"):
    return make_tracker(
        "inform",
        new_address,
        slots={**JAMES, "pending_request": "change_address", "order_number": order_number, "new_address": new_address},
    )


def test_the_address_of_an_order_before_dispatch_is_changed(customer_db, make_tracker, act):
    outcome = act(ActionContinueRequest(), continue_tracker(make_tracker, "40010012"))

    # James's other order is late: once the address is changed, the assistant says so (proactive care).
    assert outcome.responses == ["utter_address_changed", "utter_proactive_delayed_order_dispatched"]
    assert outcome.message("utter_address_changed")["address"] == "Hauptstraße 5, 80331 München"
    order = customer_db.get_order_for_customer("C100002", "40010012")
    assert order.delivery_address == "Hauptstraße 5, 80331 München"
    assert order.events[-1].status == "address_changed"
    assert outcome.slots == {"pending_request": None, "proactive_topic": "delayed_order:40010002"}


def test_a_dispatched_order_is_refused_and_a_person_offered(customer_db, make_tracker, act):
    before = customer_db.get_order_for_customer("C100002", "40010002").delivery_address

    outcome = act(ActionContinueRequest(), continue_tracker(make_tracker, "40010002", new_address=None))

    assert outcome.responses == ["utter_address_change_too_late", "utter_offer_human"]
    assert outcome.message("utter_address_change_too_late")["carrier"] == "Royal Mail"
    assert outcome.slots == {
        "human_offered": True,
        "handoff_reason": "address_change_after_dispatch",
        "pending_request": None,
    }
    assert customer_db.get_order_for_customer("C100002", "40010002").delivery_address == before


def test_a_delivered_order_cannot_be_redirected_any_more(customer_db, make_tracker, act):
    tracker = make_tracker(
        "inform",
        "40010011",
        slots={
            "verified": True,
            "customer_id": "C100001",
            "pending_request": "change_address",
            "order_number": "40010011",
            "new_address": None,
        },
    )

    outcome = act(ActionContinueRequest(), tracker)

    assert outcome.responses == ["utter_address_change_closed"]
    assert outcome.slots == {"pending_request": None}
