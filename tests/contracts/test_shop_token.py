"""The shop's customer token: what the shop mints verifies, and nothing else does."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from contracts.shop_token import (
    MAX_LIFETIME_S,
    MAX_TOKEN_CHARS,
    ShopTokenError,
    mint_shop_token,
    verify_shop_token,
)

SECRET = "shop-and-assistant-share-this-secret"
NOW = 1_800_000_000.0


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def refused(token: object, secret: str = SECRET, now: float = NOW) -> str:
    with pytest.raises(ShopTokenError) as caught:
        verify_shop_token(token, secret, now=now)
    return caught.value.reason


def test_a_minted_token_names_its_customer_until_it_expires():
    token = mint_shop_token("C100002", SECRET, lifetime_s=600, now=NOW)
    assert token.startswith("v1.") and len(token) < MAX_TOKEN_CHARS
    customer = verify_shop_token(token, SECRET, now=NOW + 599)
    assert customer.customer_id == "C100002" and customer.expires_at == int(NOW) + 600


def test_an_expired_token_is_refused():
    token = mint_shop_token("C100002", SECRET, lifetime_s=600, now=NOW)
    assert refused(token, now=NOW + 600 + 61) == "expired"


def test_a_token_signed_with_another_secret_is_refused():
    assert refused(mint_shop_token("C100002", "another-secret-entirely", now=NOW)) == "bad signature"


def test_a_tampered_customer_id_is_refused():
    version, _, signature = mint_shop_token("C100002", SECRET, now=NOW).split(".")
    forged = b64(json.dumps({"sub": "C100001", "exp": int(NOW) + 600}).encode())
    assert refused(f"{version}.{forged}.{signature}") == "bad signature"


def test_a_token_claiming_a_longer_life_than_allowed_is_refused():
    # Signed with the right secret, but a shop must not hand out tokens that outlive a day.
    payload = b64(json.dumps({"sub": "C100002", "exp": int(NOW) + MAX_LIFETIME_S * 30}).encode())
    signature = b64(hmac.new(SECRET.encode(), f"v1.{payload}".encode(), hashlib.sha256).digest())
    assert refused(f"v1.{payload}.{signature}") == "lives too long"


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (None, "missing"),
        ("", "missing"),
        (12345, "missing"),
        ("x" * (MAX_TOKEN_CHARS + 1), "too long"),
        ("garbage", "malformed"),
        ("v1.only-two", "malformed"),
        ("v1.a.b.c", "malformed"),
        ("v2.eyJzdWIiOiJDMSJ9.c2ln", "unsupported version"),
        ("v1.eyJzdWIiOiJDMSJ9.not base64!", "malformed"),
        ("v1.eyJzdWIiOiJDMSJ9.c2lnbmF0dXJl", "bad signature"),
    ],
)
def test_garbage_is_refused_with_a_reason(token, reason):
    assert refused(token) == reason


@pytest.mark.parametrize(
    "claims",
    [b"not json", b"[1, 2]", json.dumps({"sub": "C1"}).encode(), json.dumps({"sub": "../etc", "exp": 1}).encode()],
)
def test_a_correctly_signed_but_malformed_payload_is_refused(claims):
    payload = b64(claims)
    signature = b64(hmac.new(SECRET.encode(), f"v1.{payload}".encode(), hashlib.sha256).digest())
    assert refused(f"v1.{payload}.{signature}") == "malformed"


def test_the_error_never_repeats_the_token():
    token = mint_shop_token("C100002", "another-secret-entirely", now=NOW)
    with pytest.raises(ShopTokenError) as caught:
        verify_shop_token(token, SECRET, now=NOW)
    assert token not in str(caught.value) and token.split(".")[1] not in str(caught.value)


@pytest.mark.parametrize(
    ("customer_id", "secret", "lifetime_s"),
    [("", SECRET, 60), ("C 1", SECRET, 60), ("C1", "", 60), ("C1", SECRET, 0), ("C1", SECRET, MAX_LIFETIME_S + 1)],
)
def test_minting_refuses_bad_input(customer_id, secret, lifetime_s):
    with pytest.raises(ValueError):
        mint_shop_token(customer_id, secret, lifetime_s=lifetime_s, now=NOW)


def test_verifying_without_a_secret_is_a_configuration_error():
    with pytest.raises(ValueError) as caught:
        verify_shop_token(mint_shop_token("C1", SECRET, now=NOW), "", now=NOW)
    assert not isinstance(caught.value, ShopTokenError)
