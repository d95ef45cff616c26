"""Never say the same sentence twice in one conversation.

A customer who writes "this is ridiculous, it's been two weeks" in the middle of an order lookup
used to get the same two sentences again ("I'll check where your order is. Before I can show
order details, I need to confirm it's you."). Repeating yourself to an upset person reads as not
listening. The NLG endpoint therefore

1. prefers, among a response's variations, one whose sentences the conversation has not heard;
2. leaves out every sentence of the chosen text that was already said, unless nothing would be
   left;
3. drops a message heard before in full when it neither asks, offers buttons nor holds facts
   (an intro such as "I'll check where your order is."); questions and facts are repeated
   rather than left unsaid.

What was said comes from the bot events in the tracker Rasa sends with every NLG request.
"""

import re

from avatar_bridge.wording.empathy_ledger import phrase_key

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
# A full stop after these does not end a sentence ("e.g. 12 High Street", "z. B. C123456").
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "z.", "z. B.", "B.", "d.", "h.", "Nr.", "ca.", "bzw.", "usw.", "St.", "No.")


def sentences(text: str) -> list[str]:
    parts: list[str] = []
    for part in (piece.strip() for piece in _SENTENCE_END.split(text.strip())):
        if not part:
            continue
        if parts and parts[-1].endswith(_ABBREVIATIONS):
            parts[-1] = f"{parts[-1]} {part}"
        else:
            parts.append(part)
    return parts


def said_sentences(tracker: dict) -> set[str]:
    """The keys (`phrase_key`) of every sentence the bot has said in this conversation."""
    said: set[str] = set()
    for event in tracker.get("events") or []:
        if isinstance(event, dict) and event.get("event") == "bot" and isinstance(event.get("text"), str):
            said.update(phrase_key(sentence) for sentence in sentences(event["text"]))
    return said


def repeated_count(text: str, said: set[str]) -> int:
    return sum(1 for sentence in sentences(text) if phrase_key(sentence) in said)


def without_repeats(text: str, said: set[str]) -> tuple[str, list[str]]:
    """(the text without sentences already said, the sentences left out); the text as it was when
    every sentence was said before."""
    parts = sentences(text)
    fresh = [sentence for sentence in parts if phrase_key(sentence) not in said]
    if not fresh or len(fresh) == len(parts):
        return text, []
    return " ".join(fresh), [sentence for sentence in parts if phrase_key(sentence) in said]


def is_droppable_repeat(text: str, said: set[str], reply_kind: str, variation: dict) -> bool:
    """Whether a message heard before in full can go unsaid (see the module docstring)."""
    parts = sentences(text)
    if not parts or repeated_count(text, said) < len(parts):
        return False
    holds_facts = "{" in str(variation.get("text") or "")
    return reply_kind != "question" and not variation.get("buttons") and not holds_facts
