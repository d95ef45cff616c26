"""Across a long conversation no empathy phrase is said twice, and every acknowledgement is
followed by the concrete next step in the same message."""

import itertools

import pytest
from bridge_support.client import BridgeClient, of_type

from avatar_bridge.core.config import PACKAGE_DIR
from avatar_bridge.wording.playbooks import load_playbooks

PLAYBOOKS = load_playbooks(
    PACKAGE_DIR / "wording" / "playbooks",
    frozenset({"good_news", "bad_news", "apology", "question", "handoff", "info", "greeting", "farewell"}),
)
TURNS = 60
# Feelings change from turn to turn, so most turns are eligible for an acknowledgement.
MOODS = [
    "frustrated:0.9",
    "anxious:0.8",
    "sad:0.9",
    "frustrated:0.5",
    "confused:0.9",
    "anxious:0.4",
    "sad:0.5",
    "frustrated:0.2",
    "happy:0.9",
    "sad:0.2",
]
REQUESTS = {
    "en": ["I forgot my password", "my login fails", "where is my order", "it is late", "system?", "human please"],
    "de": ["password vergessen", "login geht nicht", "wo ist meine Bestellung", "verspätet", "system?", "human"],
}


def _all_phrases(language: str) -> list[str]:
    playbook = PLAYBOOKS[language]
    phrases = [p for bands in playbook.phrases.values() for band in bands.values() for p in band]
    return phrases + list(playbook.apologies)


@pytest.mark.parametrize("language", ["en", "de"])
def test_no_empathy_phrase_twice_in_a_long_conversation(own_bridge, language):
    stack = own_bridge(speech_enabled=False, user_messages_per_second=1000.0, frames_per_second=1000.0)
    client = BridgeClient(stack.ws_url)
    client.start(language)
    texts = []
    moods, requests = itertools.cycle(MOODS), itertools.cycle(REQUESTS[language])
    for _ in range(TURNS):
        label, intensity = next(moods).split(":")
        frames = client.ask(f"{next(requests)} [emotion={label}:{intensity}]")
        assert frames[-1]["type"] == "turn_complete"
        texts += [cue["text"] for cue in of_type(frames, "bot_message")]
    client.close()

    used = {phrase: [text for text in texts if phrase in text] for phrase in _all_phrases(language)}
    repeated = {phrase: hits for phrase, hits in used.items() if len(hits) > 1}
    assert not repeated
    acknowledged = [(phrase, hits[0]) for phrase, hits in used.items() if hits]
    assert len(acknowledged) >= 10, "the conversation should have exercised the playbook"
    for phrase, text in acknowledged:
        step = text.split(phrase, 1)[1].strip()
        assert len(step) > 10, f"acknowledgement without a next step: {text!r}"


def test_the_domains_own_empathy_sentence_is_said_once(own_bridge):
    stack = own_bridge(speech_enabled=False, user_messages_per_second=1000.0, frames_per_second=1000.0)
    client = BridgeClient(stack.ws_url)
    client.start("en")
    intros = [of_type(client.ask("my login fails"), "bot_message")[0]["text"] for _ in range(3)]
    client.close()
    assert intros[0].startswith("I can see it's annoying")
    # Heard in full once: the intro is not said again, the next step comes first (a question is
    # asked again: it needs an answer).
    assert intros[1:] == ["Is Caps Lock off? Can you sign in now?"] * 2
