"""ValidateVerifyForm: nothing about an account before the second factor matches, no enumeration."""

from __future__ import annotations

import pytest

from bot.actions.verification import MAX_ATTEMPTS, ValidateVerifyForm


def identifier_turn(make_tracker, ev, text, *, entity_type=None, slots=None):
    entities = [ev.entity(entity_type, text, text)] if entity_type else []
    return make_tracker(
        "inform",
        text,
        entities=entities,
        slots=slots,
        candidates={"account_identifier": text},
        active_loop="verify_form",
    )


def digits_turn(make_tracker, text, identifier="james.carter@example.com", failures=None):
    return make_tracker(
        "inform",
        text,
        slots={"account_identifier": identifier, "requested_slot": "phone_last4", "verification_failures": failures},
        candidates={"phone_last4": text},
        active_loop="verify_form",
    )


@pytest.mark.parametrize(
    ("typed", "entity_type", "stored"),
    [
        ("James.Carter@Example.com", "email", "james.carter@example.com"),
        ("c100002", "customer_number", "C100002"),
        ("it's C100002 I think", None, "C100002"),
    ],
)
def test_a_valid_identifier_is_stored_normalised_and_the_digits_asked_next(
    customer_db, make_tracker, ev, act, typed, entity_type, stored
):
    outcome = act(ValidateVerifyForm(), identifier_turn(make_tracker, ev, typed, entity_type=entity_type))

    # Rasa's form asks for the next empty slot (phone_last4) itself.
    assert outcome.slots == {"account_identifier": stored}
    assert outcome.messages == []


@pytest.mark.parametrize(
    "typed",
    [
        "my name is James",
        "'; DROP TABLE customers; --",
        "<script>alert('x')</script>",
        "🙈🙈🙈",
        "",
        "x" * 10_000,
        "\x00\x07\x1b[2J",
    ],
)
def test_anything_else_as_identifier_is_explained_and_asked_again(customer_db, make_tracker, ev, act, typed):
    outcome = act(ValidateVerifyForm(), identifier_turn(make_tracker, ev, typed))

    assert outcome.slots == {"account_identifier": None}
    assert outcome.responses == ["utter_identifier_format"]


@pytest.mark.parametrize("typed", ["7315", "it's 7315", "7 3 1 5", "+44 7700 907315", "last four: 7315."])
def test_matching_digits_verify_the_customer(customer_db, make_tracker, act, typed):
    outcome = act(ValidateVerifyForm(), digits_turn(make_tracker, typed))

    assert outcome.slots == {
        "phone_last4": None,  # the secret never stays in a slot
        "verified": True,
        "customer_id": "C100002",
        "verification_failures": 0.0,
        "requested_slot": None,  # verified: the form has nothing left to ask
    }
    assert outcome.responses == ["utter_verified"]
    assert outcome.message("utter_verified")["first_name"] == "James"


@pytest.mark.parametrize("typed", ["seven three one five", "12", "1234 or 5678", "x" * 10_000])
def test_unclear_digits_are_explained_without_counting_a_failure(customer_db, make_tracker, act, typed):
    outcome = act(ValidateVerifyForm(), digits_turn(make_tracker, typed))

    assert outcome.responses == ["utter_phone_digits_format"]
    assert outcome.slots == {"phone_last4": None}
    assert customer_db.verify_customer("C100002", "7315").verified  # no failure was recorded


def test_wrong_digits_and_an_unknown_account_get_exactly_the_same_answer(customer_db, make_tracker, act):
    wrong_digits = act(ValidateVerifyForm(), digits_turn(make_tracker, "1111"))
    unknown_account = act(ValidateVerifyForm(), digits_turn(make_tracker, "1111", identifier="nobody@example.org"))

    assert wrong_digits.responses == unknown_account.responses == ["utter_verification_failed"]
    assert (
        wrong_digits.slots
        == unknown_account.slots
        == {
            "account_identifier": None,  # both answers are asked again
            "phone_last4": None,
            "verified": False,
            "customer_id": None,
            "verification_failures": 1.0,
        }
    )


def test_the_third_failure_stops_the_form_and_locks_the_account(customer_db, make_tracker, act):
    act(ValidateVerifyForm(), digits_turn(make_tracker, "1111"))
    act(ValidateVerifyForm(), digits_turn(make_tracker, "2222", failures=1.0))
    third = act(ValidateVerifyForm(), digits_turn(make_tracker, "3333", failures=2.0))

    assert third.responses == ["utter_verification_locked"]
    assert third.slots["verification_failures"] == float(MAX_ATTEMPTS)
    assert third.slots["handoff_reason"] == "verification_lockout"
    assert third.slots["requested_slot"] is None  # the form ends; a person is offered next
    assert customer_db.is_verification_locked("C100002")


def test_a_locked_account_stays_locked_in_a_new_conversation_even_with_the_right_digits(customer_db, make_tracker, act):
    for wrong in ("1111", "2222", "3333"):
        customer_db.verify_customer("C100002", wrong)

    outcome = act(ValidateVerifyForm(), digits_turn(make_tracker, "7315"))

    assert outcome.responses == ["utter_verification_locked"]
    assert outcome.slots["verified"] is False
    assert outcome.slots["customer_id"] is None
    assert outcome.slots["requested_slot"] is None


def test_a_verified_customer_is_not_asked_again(customer_db, make_tracker, act):
    tracker = make_tracker(
        "order_status",
        "where is my order",
        slots={"verified": True, "customer_id": "C100002"},
        active_loop="verify_form",
    )

    outcome = act(ValidateVerifyForm(), tracker)

    assert outcome.events == [{"event": "slot", "timestamp": None, "name": "requested_slot", "value": None}]
    assert outcome.messages == []


def test_an_unreachable_database_ends_the_form_with_a_plain_apology(broken_customer_db, make_tracker, act):
    outcome = act(ValidateVerifyForm(), digits_turn(make_tracker, "7315"))

    assert outcome.responses == ["utter_system_unavailable"]
    assert outcome.slots["handoff_reason"] == "system_unavailable"
    assert outcome.slots["requested_slot"] is None
    assert "verified" not in outcome.slots
