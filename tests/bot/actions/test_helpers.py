"""The pure helpers under the actions: text parsing and per-language formatting."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from bot.actions.base import mask_email
from bot.actions.formatting import format_date, format_money
from bot.actions.parsing import (
    clean_text,
    find_account_identifier,
    find_order_number,
    find_phone_last4,
    looks_like_address,
)


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (date(2026, 12, 24), "de", "24.12.2026"),
        (date(2026, 12, 24), "en", "24 Dec 2026"),
        (date(2026, 3, 5), "de", "05.03.2026"),
        (date(2026, 3, 5), "en", "5 Mar 2026"),
        (datetime(2026, 1, 2, 23, 0, tzinfo=timezone.utc), "en", "2 Jan 2026"),
        ("2026-07-01", "de", "01.07.2026"),
        (None, "en", ""),
    ],
)
def test_dates(value, language, expected):
    assert format_date(value, language) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        (Decimal("12.5"), "EUR", "de", "12,50 €"),
        (Decimal("12.5"), "EUR", "en", "€12.50"),
        (Decimal("1234.5"), "EUR", "de", "1.234,50 €"),
        (Decimal("1234.5"), "EUR", "en", "€1,234.50"),
        (Decimal("-5"), "EUR", "en", "-€5.00"),
        (Decimal("89.9"), "GBP", "en", "£89.90"),
        (Decimal("0.005"), "EUR", "de", "0,01 €"),
        (Decimal("10"), "CHF", "de", "10,00 CHF"),
        (Decimal("10"), "CHF", "en", "CHF 10.00"),
    ],
)
def test_amounts(amount, currency, language, expected):
    assert format_money(amount, currency, language) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anna.Schmidt@Example.DE", "anna.schmidt@example.de"),
        ("my number is c100001", "C100001"),
        ("C1000011", None),
        ("' OR '1'='1", None),
        ("", None),
        (None, None),
        ("x" * 10_000, None),
    ],
)
def test_account_identifiers(text, expected):
    assert find_account_identifier(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4821", "4821"),
        ("48 21", "4821"),
        ("its 4821!", "4821"),
        ("+49 151 23454821", "4821"),
        ("0151/2345-4821", "4821"),
        ("1234 or 5678", None),
        ("482", None),
        ("four eight", None),
        ("", None),
    ],
)
def test_phone_digits(text, expected):
    assert find_phone_last4(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("order 40010002 please", "40010002"), ("400100021", None), ("30010002", None), ("#40010002", "40010002")],
)
def test_order_numbers(text, expected):
    assert find_order_number(text) == expected


def test_clean_text_removes_control_characters_and_limits_length():
    assert clean_text("a\x00b\x1b[31m  c\u200bd") == "a b [31m c d"
    assert len(clean_text("y" * 100_000)) == 300


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hauptstraße 5, 80331 München", True),
        ("12 Park Lane, 10115 Berlin", True),
        ("Berlin", False),
        ("80331", False),
        ("<b>Hauptstraße 5</b>, 80331 München", False),
    ],
)
def test_addresses(text, expected):
    assert looks_like_address(text) is expected


@pytest.mark.parametrize(
    ("email", "expected"),
    [("anna.schmidt@example.de", "a***@example.de"), ("x@y.org", "x***@y.org"), ("broken", "***"), ("", "***")],
)
def test_masked_email(email, expected):
    assert mask_email(email) == expected
