"""When the assistant is torn between two requests, it asks which one instead of "please rephrase".

The fallback classifier (bot/components/outcome_fallback.py) turns a message into `nlu_fallback`
when the two best intents are too close and lead to different outcomes: "how do I get my money
back" may be the returns policy (the assistant answers) or a refund the customer is owed (a
person takes over). Both candidates stay in the parse result's ranking behind the fallback, so
`action_fallback` can ask "Just so I get this right – is it about our returns and refund rules in
general, or about a refund you're owed?" with one button per choice. A close call is one where
both candidates are requests the assistant can offer (`intent_choices.yml`) and together hold most
of the confidence; anything vaguer is still "please rephrase".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml

CHOICES_FILE = Path(__file__).with_name("intent_choices.yml")
FALLBACK = "nlu_fallback"
# Each candidate needs at least this confidence, and the two together at least COMBINED.
MIN_EACH = 0.2
MIN_COMBINED = 0.6


@dataclass(frozen=True)
class Choice:
    key: str  # intent, or FAQ answer key ("faq/returns")
    about: str  # completes "is it about ..."
    title: str  # the button
    payload: str  # what the button sends: "/intent", or for an FAQ answer the title (a question)


@lru_cache(maxsize=1)
def _choices() -> Dict[str, Dict[str, Any]]:
    return yaml.safe_load(CHOICES_FILE.read_text(encoding="utf-8"))


def choice_for(key: str, language: str) -> Optional[Choice]:
    entry = _choices().get(key)
    if not entry or language not in entry:
        return None
    title = entry[language]["title"]
    return Choice(key, entry[language]["about"], title, title if key.startswith("faq/") else f"/{key}")


def _candidate_key(entry: Dict[str, Any], latest_message: Dict[Text, Any]) -> Optional[str]:
    """The intent, or for `faq` the answer the response selector picked."""
    name = entry.get("name")
    if name != "faq":
        return name
    selected = ((latest_message.get("response_selector") or {}).get("faq") or {}).get("response") or {}
    return selected.get("intent_response_key")


def close_call(latest_message: Dict[Text, Any], language: str) -> Optional[List[Choice]]:
    """The two requests a fallback message was torn between, or None when it was not a close call."""
    ranking = [entry for entry in latest_message.get("intent_ranking") or [] if entry.get("name") != FALLBACK]
    if len(ranking) < 2:
        return None
    first, second = ranking[0], ranking[1]
    confidences = [float(first.get("confidence") or 0.0), float(second.get("confidence") or 0.0)]
    if min(confidences) < MIN_EACH or sum(confidences) < MIN_COMBINED:
        return None
    choices = [choice_for(_candidate_key(entry, latest_message) or "", language) for entry in (first, second)]
    if None in choices or choices[0].key == choices[1].key:
        return None
    return choices
