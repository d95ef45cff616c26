"""Warnings for the agent: five rules over the chat lines, each with one clear trigger.

Warnings are for the agent, so they are in the console's language (English); what the agent says
to the customer comes from the suggestions, in the customer's language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from handoff.assist.lines import Line, distress_cue, is_question, similarity

# Two customer messages sharing this share of their words say the same thing.
REPEAT_SIMILARITY = 0.6
REPEAT_MIN_WORDS = 3
# Distress cue of the newest of three customer lines, each higher than the one before.
RISING_LAST_AT_LEAST = 0.5
# After this long without an answer a customer starts to feel ignored.
SILENCE_SECONDS = 90
QUOTE_LENGTH = 120

# Phrases a customer may read as brushing them off, with what to say instead (agent's view).
DISMISSIVE: tuple[tuple[str, str], ...] = (
    ("calm down", 'name the feeling instead ("I can see this has really annoyed you")'),
    ("as i said", "say it again in other words; the customer may have missed it"),
    ("as i already said", "say it again in other words; the customer may have missed it"),
    ("that's our policy", "explain the reason and what you can do within it"),
    ("there is nothing i can do", "say what you can do, however small"),
    ("there's nothing i can do", "say what you can do, however small"),
    ("you should have", "look forward: say what happens next"),
    ("beruhigen sie sich", 'name the feeling instead ("Ich merke, dass Sie das sehr ärgert")'),
    ("wie gesagt", "say it again in other words; the customer may have missed it"),
    ("wie ich bereits sagte", "say it again in other words; the customer may have missed it"),
    ("da kann ich nichts machen", "say what you can do, however small"),
    ("das ist nun mal so", "explain the reason and what you can do within it"),
    ("hätten sie doch", "look forward: say what happens next"),
)


def warnings_for(lines: Sequence[Line], earlier_customer_texts: Sequence[str], now: float) -> list[dict[str, str]]:
    """Every rule that applies, in a fixed order: repeated, rising, silence, question, dismissive."""
    customer = [line for line in lines if line.kind == "customer"]
    found = [
        _repeated(customer, earlier_customer_texts),
        _rising(customer),
        _silence(lines, now),
        _open_question(lines),
        _dismissive(lines),
    ]
    return [warning for warning in found if warning]


def _repeated(customer: Sequence[Line], earlier: Sequence[str]) -> dict[str, str] | None:
    if not customer:
        return None
    latest = customer[-1].text
    if len(latest.split()) < REPEAT_MIN_WORDS:
        return None
    before = [line.text for line in customer[:-1]] + list(earlier)
    if not any(similarity(latest, text) >= REPEAT_SIMILARITY for text in before):
        return None
    return {
        "code": "repeated",
        "text": "The customer has said this twice: summarise what you understood before you go on.",
    }


def _rising(customer: Sequence[Line]) -> dict[str, str] | None:
    if len(customer) < 3:
        return None
    scores = [distress_cue(line.text) for line in customer[-3:]]
    if not (scores[0] < scores[1] < scores[2] and scores[2] >= RISING_LAST_AT_LEAST):
        return None
    return {
        "code": "rising_distress",
        "text": "The customer is getting more upset with each message: slow down, acknowledge, then act.",
    }


def _silence(lines: Sequence[Line], now: float) -> dict[str, str] | None:
    waiting = _unanswered_customer_lines(lines)
    if not waiting or not waiting[0].arrived:
        return None
    seconds = int(now - waiting[0].arrived)
    if seconds < SILENCE_SECONDS:
        return None
    return {
        "code": "agent_silence",
        "text": f"The customer has waited {seconds // 60} min {seconds % 60} s for an answer: "
        "send a short line now, even if you are still checking.",
    }


def _open_question(lines: Sequence[Line]) -> dict[str, str] | None:
    questions = [line for line in _unanswered_customer_lines(lines) if is_question(line.text)]
    if not questions:
        return None
    quote = questions[-1].text.strip()
    if len(quote) > QUOTE_LENGTH:
        quote = quote[: QUOTE_LENGTH - 1] + "…"
    return {"code": "open_question", "text": f"The customer asked \u201c{quote}\u201d: answer that first."}


def _dismissive(lines: Sequence[Line]) -> dict[str, str] | None:
    agent = [line for line in lines if line.kind == "agent"]
    if not agent:
        return None
    text = agent[-1].text.lower().replace("\u2019", "'")
    for phrase, instead in DISMISSIVE:
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text):
            return {
                "code": "dismissive_phrase",
                "text": f"Your last message says \u201c{phrase}\u201d, which the customer may read as "
                f"brushing them off: {instead}.",
            }
    return None


def _unanswered_customer_lines(lines: Sequence[Line]) -> list[Line]:
    """The customer's lines since the agent's last line, oldest first."""
    result: list[Line] = []
    for line in lines:
        if line.kind == "agent":
            result = []
        elif line.kind == "customer":
            result.append(line)
    return result
