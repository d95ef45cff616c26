"""Pure helpers that pull identifiers out of free customer text and make text safe to store.

The patterns match the ones in nlu_data/intents/regexes.yml, so an identifier the NLU did not
annotate (e.g. typed while a form asks for it) is still recognised the same way.
"""

import re
import unicodedata
from typing import Optional

EMAIL_PATTERN = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
CUSTOMER_NUMBER_PATTERN = re.compile(r"\b[Cc]\d{6}\b")
ORDER_NUMBER_PATTERN = re.compile(r"(?<!\d)4\d{7}(?!\d)")
FOUR_DIGITS_PATTERN = re.compile(r"(?<!\d)\d{4}(?!\d)")
PHONE_NUMBER_PATTERN = re.compile(r"^\+?[\d\s()/.-]{7,25}$")
POSTCODE_PATTERN = re.compile(r"(?<!\d)\d{4,5}(?!\d)")
HOUSE_NUMBER_PATTERN = re.compile(r"\d+\s?[a-zA-Z]?\b")

# Longer than any identifier or address; a 10,000-character paste is cut before any regex runs.
MAX_FIELD_LENGTH = 300


def clean_text(text: object, max_length: int = MAX_FIELD_LENGTH) -> str:
    """Return `text` without control characters, whitespace collapsed, cut to `max_length`."""
    if not isinstance(text, str):
        return ""
    visible = "".join(" " if unicodedata.category(char).startswith("C") else char for char in text[: max_length * 4])
    return " ".join(visible.split())[:max_length]


def find_account_identifier(text: object) -> Optional[str]:
    """Return the e-mail address (lower-cased) or customer number (upper-cased) in `text`."""
    cleaned = clean_text(text)
    email = EMAIL_PATTERN.search(cleaned)
    if email:
        return email.group(0).lower()
    customer_number = CUSTOMER_NUMBER_PATTERN.search(cleaned)
    if customer_number:
        return customer_number.group(0).upper()
    return None


def find_phone_last4(text: object) -> Optional[str]:
    """Return the last four phone digits the customer typed, or None when it is unclear.

    Accepts "4821", "it's 4821", "4 8 2 1" and a whole phone number ("+49 170 1234821").
    Two separate 4-digit groups ("1234 or 5678") are ambiguous and give None.
    """
    cleaned = clean_text(text)
    digits = re.sub(r"\D", "", cleaned)
    if PHONE_NUMBER_PATTERN.match(cleaned) and 7 <= len(digits) <= 15:
        return digits[-4:]  # the whole number was typed
    if len(digits) == 4 and re.fullmatch(r"[\d\s.-]+", cleaned):
        return digits  # "4821", "48 21", "4 8 2 1"
    groups = FOUR_DIGITS_PATTERN.findall(cleaned)
    return groups[0] if len(groups) == 1 else None


def find_order_number(text: object) -> Optional[str]:
    """Return the first order number (8 digits starting with 4) in `text`."""
    match = ORDER_NUMBER_PATTERN.search(clean_text(text))
    return match.group(0) if match else None


def looks_like_address(text: str) -> bool:
    """Cheap plausibility check before the database validates: street, number, postcode, city."""
    if not 10 <= len(text) <= 200 or "<" in text or ">" in text:
        return False
    postcode = POSTCODE_PATTERN.search(text)
    if not postcode:
        return False
    letters = sum(char.isalpha() for char in text)
    rest = text[: postcode.start()] + text[postcode.end() :]
    return letters >= 6 and bool(HOUSE_NUMBER_PATTERN.search(rest))
