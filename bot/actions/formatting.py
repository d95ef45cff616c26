"""Dates and amounts the way each language writes them.

format_date(date(2026, 12, 24), "de")      -> "24.12.2026"
format_date(date(2026, 12, 24), "en")      -> "24 Dec 2026"
format_money(Decimal("12.5"), "EUR", "de") -> "12,50 €"
format_money(Decimal("12.5"), "EUR", "en") -> "€12.50"
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional, Union

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}
ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

DateLike = Union[date, datetime, str, None]


def _as_date(value: DateLike) -> Optional[date]:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)).date()


def format_date(value: DateLike, language: str) -> str:
    """Return the day as customers of `language` write it; "" when there is no date."""
    day = _as_date(value)
    if day is None:
        return ""
    if language == "de":
        return f"{day.day:02d}.{day.month:02d}.{day.year}"
    return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"


def format_money(amount: Union[Decimal, float, int, str], currency: str, language: str) -> str:
    """Return the amount with two decimals, grouping and currency in the order of `language`."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    grouped = f"{abs(value):,.2f}"  # 1,234.50
    code = (currency or "EUR").upper()
    symbol = CURRENCY_SYMBOLS.get(code)
    if language == "de":
        number = grouped.replace(",", " ").replace(".", ",").replace(" ", ".")
        return f"{sign}{number} {symbol or code}"
    if symbol:
        return f"{sign}{symbol}{grouped}"
    return f"{sign}{code} {grouped}"
