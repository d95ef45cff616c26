"""Sentences, what a conversation has heard, and leaving out what was said."""

import pytest

from avatar_bridge.wording.repetition import repeated_count, said_sentences, sentences, without_repeats


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
