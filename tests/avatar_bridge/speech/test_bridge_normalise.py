"""Text normalisation before synthesis, in English and German."""

import pytest

from avatar_bridge.speech.normalise import Lexicon, Normaliser

EN = Normaliser(Lexicon.load("en"))
DE = Normaliser(Lexicon.load("de"))


def spoken(normaliser: Normaliser, text: str) -> str:
    return " ".join(normaliser.normalise(text).spoken.split())


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Order 40010002 is late.", "Order four zero zero, one zero zero, zero two is late."),
        ("Order 4001000 is late.", "Order four zero zero, one zero, zero zero is late."),
        ("Your customer number is C100001.", "Your customer number is C one zero zero, zero zero one ."),
        (
            "Tracking JJD0001234567 with DHL.",
            "Tracking J J D zero zero zero, one two three, four five, six seven with DHL.",
        ),
        ("It was due on 24 Dec 2026.", "It was due on the twenty-fourth of December 2026 ."),
        ("Delivered on 3 March 2026", "Delivered on the third of March 2026"),
        ("Due 2026-01-31", "Due the thirty-first of January 2026"),
        ("You paid €1,234.50 today.", "You paid one thousand two hundred and thirty-four euros fifty today."),
        ("It is €49.90.", "It is forty-nine euros ninety ."),
        ("It arrives on 6.12.2026.", "It arrives on the sixth of December 2026 ."),
        ("Write to james.carter@example.com", "Write to james dot carter at example dot com"),
        ("A refund of €0.50", "A refund of fifty cents"),
        ("It costs €1.00", "It costs one euro"),
        ("Shipping is $5", "Shipping is five dollars"),
        ("Write to anna.schmidt@example.de", "Write to anna dot schmidt at example dot D E"),
        ("Sent to j***@example.com.", "Sent to j at example dot com ."),
        ("Fine **now** 🙂", "Fine now"),
    ],
)
def test_english(text, expected):
    assert spoken(EN, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Bestellung 40010002 ist unterwegs.", "Bestellung vier null null, eins null null, null zwei ist unterwegs."),
        ("Sie kommt am 6.12.2026.", "Sie kommt am sechsten Dezember 2026 ."),
        ("Es kostet 49,90 €.", "Es kostet neunundvierzig Euro neunzig ."),
        ("Lieferung am 24.12.2026.", "Lieferung am vierundzwanzigsten Dezember 2026 ."),
        ("Geplant war der 03.01.2026", "Geplant war der dritte Januar 2026"),
        ("Fällig: 01.02.2026", "Fällig: erster Februar 2026"),
        ("Bis zum 5. März 2026", "Bis zum fünften März 2026"),
        ("Offen sind 1.234,50 €.", "Offen sind eintausendzweihundertvierunddreißig Euro fünfzig ."),
        ("Erstattet: 1,00 €", "Erstattet: ein Euro"),
        ("Nur 0,99 EUR", "Nur neunundneunzig Cent"),
        ("Versand 4,95 €", "Versand vier Euro fünfundneunzig"),
        ("Mail an lena.vogel@example.de", "Mail an lena Punkt vogel at example Punkt D E"),
        ("Kundennummer C100003", "Kundennummer C eins null null, null null drei"),
    ],
)
def test_german(text, expected):
    assert spoken(DE, text) == expected


def test_impossible_dates_are_left_alone():
    assert spoken(EN, "Code 45.13.2026") == "Code 45.13.2026"


def test_spoken_words_map_back_to_the_displayed_words():
    text = "Order 40010002 costs €19.99."
    normalised = EN.normalise(text)
    order_at = normalised.spoken.index("four zero zero")
    assert text[slice(*normalised.display_span(order_at, 1))] == "40010002"
    assert text[slice(*normalised.display_span(normalised.spoken.index("euros"), 5))] == "€19.99"
    assert text[slice(*normalised.display_span(0, 5))] == "Order"
