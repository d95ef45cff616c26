"""Live assist's pure functions (handoff/assist/) on hand-made conversations: each warning rule,
the case's facts, both languages, never the same suggestion twice, and bad or hostile input."""

from __future__ import annotations

import pytest

from contracts.emotion.taxonomy import load_taxonomy
from handoff.assist import live_assist
from handoff.assist.acknowledge import POOLS
from handoff.assist.case_facts import format_date, format_money
from handoff.assist.suggest import suggestion_key

T0 = 1_700_000_000.0


def line(kind: str, text: str, second: float) -> dict:
    """A chat line as the store returns it: the stream id carries the time it arrived (ms)."""
    return {"id": f"{int((T0 + second) * 1000)}-0", "kind": kind, "author": kind, "text": text, "ts": T0 + second}


def customer(text: str, second: float = 0) -> dict:
    return line("customer", text, second)


def agent(text: str, second: float = 0) -> dict:
    return line("agent", text, second)


def codes(result) -> list[str]:  # noqa: ANN001
    return [warning["code"] for warning in result.warnings]


def kinds(result) -> dict[str, str]:  # noqa: ANN001
    return {item.kind: item.text for item in result.suggestions}


PACKAGE_EN = {"language": "en", "reasons": [{"code": "general"}], "orders": [], "emotion_timeline": []}


# --- suggestions -----------------------------------------------------------------------------------
def test_one_acknowledge_ask_and_act_for_the_latest_customer_line() -> None:
    result = live_assist([agent("Hello", 0), customer("I need help with my account", 5)], PACKAGE_EN, "en", (), T0 + 10)
    assert [item.kind for item in result.suggestions] == ["acknowledge", "ask", "act"]
    assert result.for_line == customer("", 5)["id"]
    assert all(item.text and item.why and item.key == suggestion_key(item.text) for item in result.suggestions)


def test_the_emotion_comes_from_the_latest_message_else_from_the_handoff() -> None:
    package = {**PACKAGE_EN, "emotion_timeline": [{"turn": 1, "label": "anxious", "intensity": 0.7, "distress": 0.6}]}
    measured = live_assist([customer("Where is it")], package, "en", (), T0)
    assert measured.emotion == "anxious" and kinds(measured)["acknowledge"] in POOLS["anxious"]["en"]
    cue = live_assist([customer("This is ridiculous")], package, "en", (), T0)
    assert cue.emotion == "frustrated" and kinds(cue)["acknowledge"] in POOLS["frustrated"]["en"]
    plain = live_assist([customer("Where is it")], PACKAGE_EN, "en", (), T0)
    assert plain.emotion == "neutral"


def test_every_taxonomy_label_has_a_pool_of_at_least_four_per_language() -> None:
    for label in load_taxonomy().names:
        for language in ("en", "de"):
            assert len(set(POOLS[label][language])) >= 4, (label, language)


@pytest.mark.parametrize("language", ["en", "de"])
def test_never_the_same_suggestion_twice_in_a_conversation(language: str) -> None:
    shown: set[str] = set()
    texts: list[str] = []
    lines: list[dict] = []
    for turn in range(12):
        lines.append(customer(f"Message number {turn} about something different {turn * 7}", turn * 10))
        result = live_assist(lines, {**PACKAGE_EN, "language": language}, language, shown, T0 + turn * 10)
        assert not {item.key for item in result.suggestions} & shown
        shown |= {item.key for item in result.suggestions}
        texts += [item.text for item in result.suggestions]
    assert len(texts) == len(set(texts))
    # The pools run dry after a while: then fewer suggestions, never a repeat.
    assert len(texts) < 12 * 3


def test_the_same_input_gives_the_same_answer() -> None:
    lines = [customer("I was charged twice, this is unacceptable!", 0)]
    assert live_assist(lines, PACKAGE_EN, "en", (), T0) == live_assist(lines, PACKAGE_EN, "en", (), T0)


def test_the_opening_line_is_not_offered_again() -> None:
    first = live_assist([customer("hello there friend")], PACKAGE_EN, "en", (), T0)
    opening = {"next_step": {"four_as": {"acknowledge": kinds(first)["acknowledge"], "apologise": None}}}
    again = live_assist([customer("hello there friend")], {**PACKAGE_EN, **opening}, "en", (), T0)
    assert kinds(again)["acknowledge"] != kinds(first)["acknowledge"]


def test_german_conversation_gets_german_suggestions() -> None:
    result = live_assist([customer("Ich bin wirklich enttäuscht")], {"language": "de"}, "de", (), T0)
    assert result.language == "de" and result.emotion == "sad"
    assert kinds(result)["acknowledge"] in POOLS["sad"]["de"]
    assert kinds(result)["ask"] == "Was wäre für Sie die beste Lösung?"


# --- the case's data ---------------------------------------------------------------------------------
def test_delayed_order_offers_the_new_date_and_a_choice() -> None:
    package = {
        "language": "en",
        "reasons": [{"code": "order_status"}],
        "orders": [
            {"order_number": "40010001", "delayed": True, "estimated_delivery": "2026-12-10", "carrier": "DHL"},
            {"order_number": "40010002", "delayed": False, "estimated_delivery": "2026-12-01"},
        ],
    }
    result = kinds(live_assist([customer("Where is my parcel")], package, "en", (), T0))
    assert "order 40010001" in result["ask"] and "cancel" in result["ask"]
    assert result["act"].startswith("Order 40010001 is now expected on 10 December 2026 with DHL.")
    german = kinds(live_assist([customer("Wo ist mein Paket")], {**package, "language": "de"}, "de", (), T0))
    assert "am 10.12.2026 mit DHL" in german["act"]


def test_failed_payment_offers_a_payment_link_and_another_method() -> None:
    package = {
        "payment_failures": [
            {"order_number": "40020002", "amount": "59.90", "currency": "EUR", "resolved_at": None},
            {"order_number": "40020001", "amount": "10.00", "currency": "EUR", "resolved_at": "2026-11-01"},
        ]
    }
    result = kinds(live_assist([customer("my payment did not work")], package, "en", (), T0))
    assert "another way" in result["ask"] and "40020002" in result["ask"]
    assert "payment link for 59.90 EUR" in result["act"]
    german = kinds(live_assist([customer("Zahlung ging nicht")], package, "de", (), T0))
    assert "Zahlungslink über 59,90 EUR" in german["act"]


def test_late_refund_gives_the_promised_date_and_escalates_to_billing() -> None:
    package = {
        "returns": [
            {
                "return_number": "R-7",
                "refund_amount": "25.00",
                "currency": "EUR",
                "refund_status": "late",
                "refund_promised_by": "2026-11-20",
            },
            {"return_number": "R-8", "refund_amount": "5.00", "currency": "EUR", "refund_status": "pending"},
        ]
    }
    result = kinds(live_assist([customer("Where is my money")], package, "en", (), T0))
    assert "R-7" in result["act"] and "20 November 2026" in result["act"] and "billing" in result["act"]
    assert "25.00 EUR" in result["ask"]


def test_double_charge_asks_to_confirm_the_two_amounts() -> None:
    package = {
        "reasons": [{"code": "billing_double_charge"}],
        "slots": {"order_number": "40030002"},
        "orders": [
            {"order_number": "40030001", "total": "12.00", "currency": "EUR"},
            {"order_number": "40030002", "total": "89.99", "currency": "EUR"},
        ],
    }
    result = kinds(live_assist([customer("charged twice")], package, "en", (), T0))
    assert "two amounts" in result["ask"] and "40030002" in result["ask"] and "89.99 EUR" in result["ask"]
    assert "refund the second 89.99 EUR" in result["act"]


def test_facts_for_the_escalation_reason_come_first_then_the_others() -> None:
    package = {
        "reasons": [{"code": "billing_failed_payment"}],
        "orders": [{"order_number": "1", "delayed": True, "estimated_delivery": "2026-12-10"}],
        "payment_failures": [{"order_number": "2", "amount": "1.00", "currency": "EUR"}],
    }
    first = live_assist([customer("help me now please")], package, "en", (), T0)
    assert "order 2" in kinds(first)["act"]
    shown = {item.key for item in first.suggestions}
    second = live_assist([customer("help me now please"), customer("and then what", 5)], package, "en", shown, T0)
    assert "Order 1" in kinds(second)["act"]


def test_dates_and_money_in_each_language_and_bad_values() -> None:
    assert format_date("2026-03-05T10:00:00", "en") == "5 March 2026"
    assert format_date("2026-03-05", "de") == "05.03.2026"
    assert format_date("soon", "en") == "a date still to be confirmed"
    assert format_date(None, "de") == "einem noch offenen Termin"
    assert format_money("1234.5", "EUR", "de") == "1234,50 EUR"
    assert format_money("lots", "EUR", "en") == "the amount"


# --- warnings ------------------------------------------------------------------------------------------
def test_repeated_message_warns_and_suggests_a_summary() -> None:
    lines = [
        customer("I was charged twice for my order", 0),
        agent("Let me look", 5),
        customer("I was charged twice for this order!", 20),
    ]
    result = live_assist(lines, PACKAGE_EN, "en", (), T0 + 21)
    assert "repeated" in codes(result)
    assert "summarise what you understood" in result.warnings[0]["text"]
    assert kinds(result)["acknowledge"].startswith("Let me check I've understood you correctly")


def test_a_repeat_of_what_the_customer_told_the_bot_counts() -> None:
    package = {**PACKAGE_EN, "transcript": [{"role": "customer", "text": "Mein Paket ist nicht angekommen"}]}
    result = live_assist([customer("Mein Paket ist immer noch nicht angekommen")], package, "de", (), T0)
    assert "repeated" in codes(result)
    assert kinds(result)["acknowledge"].startswith("Damit ich Sie richtig verstehe")


def test_different_or_short_messages_are_not_repeats() -> None:
    lines = [customer("yes", 0), agent("ok", 1), customer("yes", 2), customer("Where is my parcel going", 3)]
    assert "repeated" not in codes(live_assist(lines[:3], PACKAGE_EN, "en", (), T0 + 3))
    assert "repeated" not in codes(live_assist(lines, PACKAGE_EN, "en", (), T0 + 3))


def test_rising_distress_across_the_last_three_customer_lines() -> None:
    rising = [customer("Where is my order", 0), customer("Still nothing!", 10), customer("This is RIDICULOUS!!", 20)]
    assert "rising_distress" in codes(live_assist(rising, PACKAGE_EN, "en", (), T0 + 21))
    falling = list(reversed([dict(item) for item in rising]))
    assert "rising_distress" not in codes(live_assist(falling, PACKAGE_EN, "en", (), T0 + 21))
    assert "rising_distress" not in codes(live_assist(rising[1:], PACKAGE_EN, "en", (), T0 + 21))


def test_agent_silence_after_ninety_seconds_without_an_answer() -> None:
    lines = [agent("Hi, I'm Mia", 0), customer("My invoice is wrong", 10)]
    assert "agent_silence" not in codes(live_assist(lines, PACKAGE_EN, "en", (), T0 + 60))
    late = live_assist(lines, PACKAGE_EN, "en", (), T0 + 10 + 125)
    assert "agent_silence" in codes(late) and "2 min 5 s" in late.warnings[0]["text"]
    answered = lines + [agent("Checking now", 20)]
    assert "agent_silence" not in codes(live_assist(answered, PACKAGE_EN, "en", (), T0 + 500))


def test_open_question_until_the_agent_writes() -> None:
    lines = [customer("When will my refund arrive?", 0), customer("I sent it back weeks ago", 5)]
    result = live_assist(lines, PACKAGE_EN, "en", (), T0 + 6)
    assert "open_question" in codes(result)
    assert "\u201cWhen will my refund arrive?\u201d" in result.warnings[-1]["text"]
    answered = live_assist(lines + [agent("It arrives on Friday.", 9)], PACKAGE_EN, "en", (), T0 + 10)
    assert "open_question" not in codes(answered)


@pytest.mark.parametrize(
    "reply",
    [
        "Please calm down, sir.",
        "As I said, it ships Monday.",
        "Beruhigen Sie sich bitte.",
        "Wie gesagt, Montag.",
        "There\u2019s nothing I can do.",
    ],
)
def test_dismissive_phrase_in_the_agents_last_message(reply: str) -> None:
    result = live_assist([customer("Where is it", 0), agent(reply, 5)], PACKAGE_EN, "en", (), T0 + 6)
    assert codes(result) == ["dismissive_phrase"]


def test_no_dismissive_warning_for_ordinary_replies_or_an_earlier_slip() -> None:
    lines = [customer("Where is it", 0), agent("Calm down", 5), agent("Sorry, I'll check it now.", 6)]
    assert "dismissive_phrase" not in codes(live_assist(lines, PACKAGE_EN, "en", (), T0 + 7))
    # "Sie hätten gern…" is polite German, not a reproach.
    assert codes(live_assist([agent("Sie hätten gern eine Erstattung?", 0)], PACKAGE_EN, "de", (), T0)) == []


# --- bad and hostile input -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "lines", [None, "text", 42, [], [None, 1, "x", {"kind": "customer"}, {"kind": "bot", "text": "hi"}]]
)
def test_bad_or_empty_lines_give_no_suggestions_and_no_error(lines: object) -> None:
    result = live_assist(lines, PACKAGE_EN, "en", (), T0)
    assert result.suggestions == [] and result.for_line is None and result.warnings == []


@pytest.mark.parametrize("package", [None, "x", [], {"orders": "no", "returns": [1, None], "emotion_timeline": [None]}])
def test_a_bad_package_still_gives_general_suggestions(package: object) -> None:
    result = live_assist([customer("Hello there")], package, "fr", (), T0)
    assert result.language == "en" and [item.kind for item in result.suggestions] == ["acknowledge", "ask", "act"]


def test_hostile_text_is_kept_as_text() -> None:
    hostile = "<img src=x onerror=alert(1)> where is my order?"
    result = live_assist([customer(hostile)], PACKAGE_EN, "en", (), T0)
    assert f"\u201c{hostile}\u201d" in result.warnings[0]["text"]
    assert result.as_dict()["warnings"][0]["text"].count("<img") == 1
