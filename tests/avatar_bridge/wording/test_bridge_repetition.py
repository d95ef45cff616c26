"""Sentences, what a conversation has heard, and leaving out what was said."""

import pytest

from avatar_bridge.wording.repetition import (
    is_droppable_repeat,
    repeated_count,
    said_sentences,
    sentences,
    without_repeats,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two? Three!", ["One.", "Two?", "Three!"]),
        ("Give street, postcode and city, e.g. 12 High Street, 10115 Berlin.", None),
        ("Die Kundennummer beginnt mit C, z. B. C123456 – Sie finden sie dort. Danke.", 2),
        ("", []),
        ("no full stop at all", ["no full stop at all"]),
    ],
)
def test_sentences(text, expected):
    found = sentences(text)
    if expected is None:
        assert found == [text]
    elif isinstance(expected, int):
        assert len(found) == expected
    else:
        assert found == expected


def test_what_the_bot_said_comes_from_its_events_only():
    tracker = {
        "events": [
            {"event": "user", "text": "I'll check where your order is."},
            {"event": "bot", "text": "I'll check where your order is. Who are you?"},
            {"event": "bot", "text": None},
            "not an event",
        ]
    }
    said = said_sentences(tracker)
    assert said == {"i ll check where your order is", "who are you"}
    assert repeated_count("I'll CHECK where your order is!", said) == 1


def test_repeats_are_left_out_but_never_everything():
    said = {"i ll check where your order is"}
    assert without_repeats("I'll check where your order is. Who are you?", said) == (
        "Who are you?",
        ["I'll check where your order is."],
    )
    assert without_repeats("I'll check where your order is.", said) == ("I'll check where your order is.", [])
    assert without_repeats("Brand new.", said) == ("Brand new.", [])


@pytest.mark.parametrize(
    ("kind", "variation", "dropped"),
    [
        ("info", {"text": "I'll check where your order is."}, True),
        ("question", {"text": "I'll check where your order is."}, False),  # a question is asked again
        ("info", {"text": "I'll check where your order is.", "buttons": [{"title": "ok"}]}, False),
        ("info", {"text": "Order {order_number} is late."}, False),  # facts are worth repeating
    ],
)
def test_a_message_heard_in_full_is_dropped_only_when_it_neither_asks_nor_informs(kind, variation, dropped):
    said = {"i ll check where your order is", "order 40010002 is late"}
    text = "Order 40010002 is late." if "{" in variation["text"] else variation["text"]
    assert is_droppable_repeat(text, said, kind, variation) is dropped
    assert is_droppable_repeat("Something new.", said, kind, variation) is False
