"""Drawing the demo customers: names, e-mail addresses on reserved domains, phones, addresses.

``demo_customers`` gives the five fixed ones from ``seed_data``; ``drawn_customers`` the rest, from
the ``random.Random`` passed in, so the same seed gives the same people.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import datetime, timedelta

from .models import CustomerRow
from .seed_data import (
    AUSTRIAN_STREETS,
    CITIES_BY_COUNTRY,
    CUSTOMERS_PER_COUNTRY,
    DEMO_CUSTOMERS,
    ENGLISH_FIRST_NAMES,
    ENGLISH_LAST_NAMES,
    ENGLISH_STREETS,
    GERMAN_FIRST_NAMES,
    GERMAN_LAST_NAMES,
    GERMAN_STREETS,
)

_EMAIL_FOLDING = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "'": ""})


def _email_part(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.lower().translate(_EMAIL_FOLDING))
    return "".join(char for char in folded if "a" <= char <= "z" or char == "-")


def _phone(rng: random.Random, country: str) -> str:
    digits = lambda count: "".join(rng.choice("0123456789") for _ in range(count))  # noqa: E731
    if country == "DE":
        return f"+49 1{rng.choice(('51', '52', '57', '60', '62', '70', '71', '76'))} {digits(8)}"
    if country == "AT":
        return f"+43 6{rng.choice(('60', '64', '76', '99'))} {digits(7)}"
    if country == "IE":
        return f"+353 8{rng.choice('3567')} {digits(7)}"
    return f"+44 7{digits(3)} {digits(6)}"


def _street_postcode_city(rng: random.Random, country: str):
    fixed, city = rng.choice(CITIES_BY_COUNTRY[country])
    number = rng.randint(1, 120)
    if country == "GB":
        letters = "ABDEFGHJLNPQRSTUWXYZ"  # the letters British inward codes use
        postcode = f"{fixed} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
        return f"{number} {rng.choice(ENGLISH_STREETS)}", postcode, city
    if country == "IE":
        code = "".join(rng.choice("ACDEFHKNPRTVWXY0123456789") for _ in range(4))
        return f"{number} {rng.choice(ENGLISH_STREETS)}", f"{fixed} {code}", city
    streets = AUSTRIAN_STREETS if country == "AT" else GERMAN_STREETS
    return f"{rng.choice(streets)} {number}", fixed, city


def demo_customers(now: datetime) -> list[CustomerRow]:
    return [
        CustomerRow(
            customer_id=demo.customer_id,
            first_name=demo.first_name,
            last_name=demo.last_name,
            email=demo.email,
            phone=demo.phone,
            language=demo.language,
            street=demo.street,
            postcode=demo.postcode,
            city=demo.city,
            country=demo.country,
            created_at=(now - timedelta(days=demo.customer_for_days)).replace(microsecond=0),
        )
        for demo in DEMO_CUSTOMERS
    ]


def drawn_customers(rng: random.Random, now: datetime, taken_emails: set) -> list[CustomerRow]:
    customers = []
    number = int(DEMO_CUSTOMERS[-1].customer_id[1:]) + 1
    domains = {"de": ("example.de", "example.de", "example.org", "example.com"), "en": ("example.com", "example.org")}
    for country, count in CUSTOMERS_PER_COUNTRY:
        for _ in range(count):
            german = country in ("DE", "AT")
            first = rng.choice(GERMAN_FIRST_NAMES if german else ENGLISH_FIRST_NAMES)
            last = rng.choice(GERMAN_LAST_NAMES if german else ENGLISH_LAST_NAMES)
            # A few people in German-speaking countries prefer to be served in English.
            language = "de" if german and rng.random() > 0.1 else "en"
            email_local = f"{_email_part(first)}.{_email_part(last)}"
            domain = rng.choice(domains[language])
            email, suffix = f"{email_local}@{domain}", 2
            while email in taken_emails:
                email, suffix = f"{email_local}{suffix}@{domain}", suffix + 1
            taken_emails.add(email)
            street, postcode, city = _street_postcode_city(rng, country)
            customers.append(
                CustomerRow(
                    customer_id=f"C{number:06d}",
                    first_name=first,
                    last_name=last,
                    email=email,
                    phone=_phone(rng, country),
                    language=language,
                    street=street,
                    postcode=postcode,
                    city=city,
                    country=country,
                    created_at=(now - timedelta(days=rng.uniform(180, 2000))).replace(microsecond=0),
                )
            )
            number += 1
    return customers
