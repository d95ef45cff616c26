"""The choices the assistant offers when torn between two requests are requests the domain has."""

from __future__ import annotations

import pytest

from bot.actions.clarify import _choices, choice_for


def test_every_choice_is_an_intent_or_faq_answer_of_the_domain_in_both_languages(domain):
    intents = {entry if isinstance(entry, str) else next(iter(entry)) for entry in domain["intents"]}
    for key in _choices():
        assert f"utter_{key}" in domain["responses"] if key.startswith("faq/") else key in intents, key
        for language in ("en", "de"):
            choice = choice_for(key, language)
            assert choice.about and choice.title, (key, language)
            # The web client sends a payload that starts with "/" and otherwise the title.
            assert choice.payload == (choice.title if key.startswith("faq/") else f"/{key}")


@pytest.mark.parametrize("key", ["greet", "affirm", "out_of_scope", "faq", "nlu_fallback", "unknown"])
def test_small_talk_answers_and_unknown_keys_are_never_offered(key):
    assert choice_for(key, "en") is None
