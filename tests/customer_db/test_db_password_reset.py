"""Password-reset links: single use, expiry, only a hash stored, e-mail in the customer's language."""

import hashlib
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from customer_db import UnknownCustomerError
from customer_db.models import PasswordResetRow

BASE_URL = "https://shop.example.com/account/reset"


def _token(link):
    return parse_qs(urlsplit(link.url).query)["token"][0]


def test_link_points_at_the_reset_page_and_expires_after_the_ttl(db, now):
    link = db.create_password_reset("c100001", BASE_URL, now=now)
    assert link.url.startswith(BASE_URL + "?token=")
    assert (link.customer_id, link.email) == ("C100001", "anna.schmidt@example.de")
    assert link.expires_at == now + timedelta(minutes=30)
    assert len(_token(link)) >= 40


def test_token_works_exactly_once(db, now):
    token = _token(db.create_password_reset("C100001", BASE_URL, now=now))
    assert db.consume_password_reset(token, now=now + timedelta(minutes=5)) == "C100001"
    assert db.consume_password_reset(token, now=now + timedelta(minutes=6)) is None


def test_token_expires(db, now):
    token = _token(db.create_password_reset("C100001", BASE_URL, ttl_minutes=10, now=now))
    assert db.consume_password_reset(token, now=now + timedelta(minutes=10)) is None
    token = _token(db.create_password_reset("C100001", BASE_URL, ttl_minutes=10, now=now))
    assert db.consume_password_reset(token, now=now + timedelta(minutes=9, seconds=59)) == "C100001"


def test_a_new_link_retires_the_older_one(db, now):
    old = _token(db.create_password_reset("C100001", BASE_URL, now=now))
    new = _token(db.create_password_reset("C100001", BASE_URL, now=now + timedelta(minutes=1)))
    assert old != new
    assert db.consume_password_reset(old, now=now + timedelta(minutes=2)) is None
    assert db.consume_password_reset(new, now=now + timedelta(minutes=2)) == "C100001"


def test_links_of_different_customers_are_independent(db, now):
    anna = _token(db.create_password_reset("C100001", BASE_URL, now=now))
    james = _token(db.create_password_reset("C100002", BASE_URL, now=now))
    assert db.consume_password_reset(james, now=now) == "C100002"
    assert db.consume_password_reset(anna, now=now) == "C100001"


def test_only_the_hash_of_the_token_is_stored(db, now):
    token = _token(db.create_password_reset("C100001", BASE_URL, now=now))
    with Session(db.engine) as session:
        rows = session.execute(select(PasswordResetRow)).scalars().all()
    assert len(rows) == 1
    stored = rows[0]
    assert stored.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    for column in PasswordResetRow.__table__.columns:
        assert token not in str(getattr(stored, column.key))


@pytest.mark.parametrize("token", ["", "   ", "x" * 10_000, "' OR 1=1 --", "%", None, 42])
def test_junk_tokens_are_none(db, token):
    db.create_password_reset("C100001", BASE_URL)
    assert db.consume_password_reset(token) is None


@pytest.mark.parametrize(
    "customer_id, greeting, subject_word, minutes_phrase",
    [
        ("C100001", "Hallo Anna,", "Passwort", "innerhalb von 30 Minuten"),
        ("C100003", "Hallo Lena,", "Passwort", "innerhalb von 30 Minuten"),
        ("C100002", "Hello James,", "password", "within 30 minutes"),
        ("C100004", "Hello Priya,", "password", "within 30 minutes"),
    ],
)
def test_outbox_mail_is_in_the_customers_language(db, now, customer_id, greeting, subject_word, minutes_phrase):
    link = db.create_password_reset(customer_id, BASE_URL, now=now)
    [message] = db.outbox(customer_id)
    assert message.channel == "email" and message.recipient == link.email
    assert subject_word in message.subject
    assert message.body.startswith(greeting)
    assert minutes_phrase in message.body and link.url in message.body and customer_id in message.body
    assert message.created_at == now


def test_outbox_is_per_customer_and_in_order(db, now):
    db.create_password_reset("C100001", BASE_URL, now=now)
    db.create_password_reset("C100002", BASE_URL, now=now)
    db.create_password_reset("C100001", BASE_URL, now=now)
    assert [m.customer_id for m in db.outbox()] == ["C100001", "C100002", "C100001"]
    assert [m.recipient for m in db.outbox("c100002")] == ["james.carter@example.com"]
    assert db.outbox("C100003") == [] and db.outbox("' OR 1=1 --") == []
    assert len({m.message_id for m in db.outbox()}) == 3


def test_base_url_with_a_query_keeps_it(db, now):
    link = db.create_password_reset("C100001", "https://shop.example.com/reset?lang=de", now=now)
    query = parse_qs(urlsplit(link.url).query)
    assert query["lang"] == ["de"] and query["token"]


@pytest.mark.parametrize(
    "base_url",
    [
        "",
        "shop.example.com/reset",
        "javascript:alert(1)",
        "ftp://example.com/",
        "https://x.example/ a",
        "https://x.example/a\nb",
        "https://x.example/#frag",
        "https://" + "x" * 3000,
    ],
)
def test_bad_base_url_is_a_value_error_and_sends_nothing(db, base_url):
    with pytest.raises(ValueError):
        db.create_password_reset("C100001", base_url)
    assert db.outbox() == []


@pytest.mark.parametrize("ttl", [0, -5, 100_000, 1.5, "30", True])
def test_bad_ttl_is_a_value_error(db, ttl):
    with pytest.raises(ValueError):
        db.create_password_reset("C100001", BASE_URL, ttl_minutes=ttl)


@pytest.mark.parametrize("customer_id", ["C999999", "", "' OR 1=1 --"])
def test_reset_for_unknown_customer_is_refused(db, customer_id):
    with pytest.raises(UnknownCustomerError):
        db.create_password_reset(customer_id, BASE_URL)
    assert db.outbox() == []
