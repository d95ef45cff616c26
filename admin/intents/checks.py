"""The console's own checks on an intent change, before Rasa's validator sees it.

Each returns human-readable problems (empty: fine). They guard what `rasa data validate` does not:
sizes, characters that would change the meaning of the YAML block an example is written into,
entity annotations for entities that do not exist, and the same phrasing in two intents.
"""

import re
import unicodedata

from admin.intents.repository import LANGUAGES, IntentState, IntentView
from contracts.wording import RESPONSE_PLACEHOLDERS

INTENT_NAME = re.compile(r"^[a-z][a-z0-9_]{2,47}$")
ANNOTATION = re.compile(r"\[([^\[\]\n]{1,100})\]\(([a-z_][a-z0-9_]{0,47})\)")
# A placeholder in a response is filled from a slot; the console allows plain text only.
PLACEHOLDER = re.compile(r"[{}]")


def normalise(example: str) -> str:
    text = ANNOTATION.sub(lambda match: match.group(1), example)
    return " ".join(text.casefold().split())


def _bad_characters(text: str) -> str | None:
    for char in text:
        category = unicodedata.category(char)
        if category.startswith("C"):  # control, format, private use, unassigned
            return f"U+{ord(char):04X}"
    return None


def check_name(name: str) -> list[str]:
    if not INTENT_NAME.match(name):
        return ["the intent name must be 3–48 characters: lower-case letters, digits and _, starting with a letter"]
    return []


def check_example(example: str, entities: set[str], max_chars: int) -> list[str]:
    problems = []
    label = repr(example[:40])
    if not example.strip():
        return ["an example is empty"]
    if len(example) > max_chars:
        problems.append(f"example {label}… is longer than {max_chars} characters")
    if char := _bad_characters(example):
        problems.append(f"example {label} contains the control character {char}")
    if example != example.strip():
        problems.append(f"example {label} starts or ends with spaces")
    stripped = ANNOTATION.sub("", example)
    if any(c in stripped for c in "[]"):
        problems.append(f"example {label}: brackets only in an entity annotation like [40010002](order_number)")
    for _, entity in ANNOTATION.findall(example):
        if entity not in entities:
            problems.append(f"example {label} annotates the unknown entity {entity!r}")
    return problems


def _without_known_placeholders(text: str) -> str:
    for name in RESPONSE_PLACEHOLDERS:
        text = text.replace("{" + name + "}", "")
    return text


def check_response(text: str, max_chars: int) -> list[str]:
    label = repr(text[:40])
    if not text.strip():
        return ["a response is empty"]
    problems = []
    if len(text) > max_chars:
        problems.append(f"response {label}… is longer than {max_chars} characters")
    if char := _bad_characters(text.replace("\n", " ")):
        problems.append(f"response {label} contains the control character {char}")
    if PLACEHOLDER.search(_without_known_placeholders(text)):
        problems.append(f"response {label}: curly braces would be read as a slot placeholder")
    return problems


def check_state(
    name: str,
    state: IntentState,
    others: dict[str, IntentView],
    entities: set[str],
    *,
    max_example_chars: int,
    max_examples: int,
    max_response_chars: int,
    max_responses: int,
) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for lang in LANGUAGES:
        in_language: set[str] = set()
        examples = state.examples.get(lang, [])
        if len(examples) > max_examples:
            problems.append(f"{lang}: more than {max_examples} examples")
        for example in examples:
            problems += check_example(example, entities, max_example_chars)
            key = normalise(example)
            if key in in_language:
                problems.append(f"{lang} example {example!r} appears twice in this intent")
            in_language.add(key)
        seen |= in_language
    if sum(len(state.examples.get(lang, [])) for lang in LANGUAGES) < 2:
        problems.append("an intent needs at least two examples")
    for other_name, other in others.items():
        if other_name == name:
            continue
        for lang in LANGUAGES:
            for example in other.state.examples.get(lang, []):
                if normalise(example) in seen:
                    problems.append(f"example {example!r} already belongs to intent {other_name}")
    if state.responses is not None:
        for lang in LANGUAGES:
            texts = state.responses.get(lang, [])
            if len(texts) > max_responses:
                problems.append(f"{lang}: more than {max_responses} responses")
            for text in texts:
                problems += check_response(text, max_response_chars)
        if not state.responses.get("en"):
            problems.append("an English response is needed (it is also the fallback for other languages)")
    return problems
