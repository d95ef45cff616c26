"""Identity checks: the phone's last four digits, failure counting, lockout and its expiry."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from customer_db import MAX_VERIFICATION_FAILURES, VERIFICATION_FAILURE_WINDOW, VERIFICATION_LOCKOUT
from customer_db.models import VerificationStateRow


@pytest.mark.parametrize(
    "identifier, digits, customer_id",
    [
        ("anna.schmidt@example.de", "4821", "C100001"),
        (" ANNA.SCHMIDT@example.de ", " 4821 ", "C100001"),
        ("c100001", "48 21", "C100001"),
        ("C100002", "7315", "C100002"),
        ("lena.vogel@example.de", "0596", "C100003"),
        ("priya.nair@example.com", "26-48", "C100004"),
    ],
)
def test_right_digits_verify(db, now, identifier, digits, customer_id):
    result = db.verify_customer(identifier, digits, now=now)
    assert result.verified
    assert result.customer.customer_id == customer_id
    assert (result.failures, result.locked, result.locked_until) == (0, False, None)


@pytest.mark.parametrize("digits", ["1234", "4820", "", "abcd", "48210", "4821" * 2500, "' OR 1=1 --", "48\x0021"])
def test_wrong_or_malformed_digits_fail_and_count(db, now, digits):
    result = db.verify_customer("C100001", digits, now=now)
    assert not result.verified
    assert result.customer is None  # nothing about the account before both factors match
    assert result.failures == 1
    assert not result.locked


def test_three_failures_lock_for_thirty_minutes_even_with_the_right_digits(db, now):
    results = [db.verify_customer("C100001", "0000", now=now + timedelta(seconds=i)) for i in range(3)]
    assert [r.failures for r in results] == [1, 2, 3]
    assert [r.locked for r in results] == [False, False, True]
    locked_at = now + timedelta(seconds=2)
    assert results[-1].locked_until == locked_at + VERIFICATION_LOCKOUT
    assert MAX_VERIFICATION_FAILURES == 3 and timedelta(minutes=30) == VERIFICATION_LOCKOUT

    during = db.verify_customer("anna.schmidt@example.de", "4821", now=locked_at + timedelta(minutes=29))
    assert not during.verified and during.locked and during.customer is None
    assert db.is_verification_locked("C100001", now=locked_at + timedelta(minutes=29))

    after = locked_at + VERIFICATION_LOCKOUT + timedelta(seconds=1)
    assert not db.is_verification_locked("c100001", now=after)
    result = db.verify_customer("C100001", "4821", now=after)
    assert result.verified and result.failures == 0


def test_lock_expiry_gives_a_fresh_set_of_attempts(db, now):
    for _ in range(3):
        db.verify_customer("C100001", "0000", now=now)
    later = now + VERIFICATION_LOCKOUT + timedelta(minutes=1)
    result = db.verify_customer("C100001", "0000", now=later)
    assert (result.failures, result.locked) == (1, False)


def test_success_resets_the_failure_count(db, now):
    db.verify_customer("C100001", "0000", now=now)
    db.verify_customer("C100001", "0000", now=now)
    assert db.verify_customer("C100001", "4821", now=now).verified
    assert db.verify_customer("C100001", "0000", now=now).failures == 1


def test_old_failures_are_forgotten(db, now):
    db.verify_customer("C100001", "0000", now=now)
    db.verify_customer("C100001", "0000", now=now)
    later = now + VERIFICATION_FAILURE_WINDOW + timedelta(minutes=1)
    assert db.verify_customer("C100001", "0000", now=later).failures == 1


def test_attempts_by_email_and_by_number_count_together(db, now):
    db.verify_customer("C100001", "0000", now=now)
    db.verify_customer("anna.schmidt@example.de", "0000", now=now)
    assert db.verify_customer("c100001", "0000", now=now).locked


def test_lock_is_per_customer(db, now):
    for _ in range(3):
        db.verify_customer("C100001", "0000", now=now)
    assert db.is_verification_locked("C100001", now=now)
    assert not db.is_verification_locked("C100002", now=now)
    assert db.verify_customer("C100002", "7315", now=now).verified


def test_lock_survives_a_new_connector_on_the_same_database(make_connector, now):
    first = make_connector()
    for _ in range(3):
        first.verify_customer("C100001", "0000", now=now)
    second = make_connector(seeded=False)  # same file, schema already there
    assert second.is_verification_locked("C100001", now=now + timedelta(minutes=10))
    assert not second.verify_customer("C100001", "4821", now=now + timedelta(minutes=10)).verified


def _shape(result):
    return (result.verified, result.customer, result.failures, result.locked, result.locked_until is None)


def test_unknown_accounts_answer_exactly_like_wrong_digits(db, now):
    """Whoever guesses cannot tell which accounts exist: same results, same lockout."""
    known = [_shape(db.verify_customer("anna.schmidt@example.de", "0000", now=now)) for _ in range(4)]
    unknown = [_shape(db.verify_customer("nobody@example.de", "0000", now=now)) for _ in range(4)]
    assert known == unknown
    assert unknown[-1] == (False, None, 3, True, False)


def test_unknown_accounts_are_not_stored_in_clear(db, now):
    db.verify_customer("Somebody.Else@example.org", "1234", now=now)
    with Session(db.engine) as session:
        subjects = session.execute(select(VerificationStateRow.subject)).scalars().all()
    assert len(subjects) == 1
    assert subjects[0].startswith("anon:") and "example" not in subjects[0]


@pytest.mark.parametrize("identifier", ["", "x" * 10_000, "' OR 1=1 --", "C100001\x00", "hello"])
def test_unusable_identifiers_fail_without_counting(db, now, identifier):
    result = db.verify_customer(identifier, "4821", now=now)
    assert (result.verified, result.customer, result.failures, result.locked) == (False, None, 0, False)


@pytest.mark.parametrize("customer_id", ["", "nope", "' OR 1=1 --", "x" * 10_000])
def test_is_verification_locked_with_junk_is_false(db, customer_id):
    assert db.is_verification_locked(customer_id) is False


def test_naive_now_is_taken_as_utc(db, now):
    naive = now.replace(tzinfo=None)
    for _ in range(3):
        db.verify_customer("C100001", "0000", now=naive)
    assert db.is_verification_locked("C100001", now=now + timedelta(minutes=29))
