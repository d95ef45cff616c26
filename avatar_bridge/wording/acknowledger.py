"""Emotion-aware wording: a proportionate acknowledgement, an apology where due, then the step.

Rules (the playbook supplies the words and thresholds):
- at most one acknowledgement per user turn, only on reply kinds that carry a next step, only
  when the feeling is at least the playbook's ``min_band`` strong;
- none when the domain response already acknowledges in its first sentence, and none when the
  same feeling was already acknowledged at the same or a higher intensity (prefer action);
- no phrase twice in a conversation: every phrase is claimed in the empathy ledger, and a
  domain response's own empathy sentence that was said before is left out;
- replies of kind ``apology`` that do not apologise get a short apology.
"""

import random
import re
from dataclasses import dataclass

from avatar_bridge.dialogue.emotion import EmotionReading
from avatar_bridge.wording.empathy_ledger import EmpathyLedger
from avatar_bridge.wording.playbooks import BANDS, Playbook

CUE_KEY = "avatar_cue"
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s+)(\S.*)$", re.DOTALL)
# Good news and thanks do not go in front of bad news.
_NOT_AFTER_JOY = frozenset({"bad_news", "apology"})


@dataclass(frozen=True)
class ConversationMemory:
    acknowledged_this_turn: bool = False
    last_acknowledged: tuple[str, str] | None = None  # (emotion, band)


@dataclass(frozen=True)
class Wording:
    body: str
    acknowledgement: str | None = None
    apology: str | None = None
    left_out: str | None = None  # a repeated empathy sentence of the domain response

    @property
    def text(self) -> str:
        return " ".join(part for part in (self.acknowledgement, self.apology, self.body) if part)


def memory_from_tracker(tracker: dict) -> ConversationMemory:
    """What earlier bot messages (their avatar cues, in the tracker's events) acknowledged."""
    events = [event for event in tracker.get("events") or [] if isinstance(event, dict)]
    last_user = max((index for index, event in enumerate(events) if event.get("event") == "user"), default=-1)
    this_turn = False
    last: tuple[str, str] | None = None
    for index, event in enumerate(events):
        cue = _cue_of(event)
        if not cue or not cue.get("acknowledgement"):
            continue
        last = ((cue.get("emotion") or {}).get("label", "neutral"), cue.get("band", "low"))
        if index > last_user:
            this_turn = True
    return ConversationMemory(acknowledged_this_turn=this_turn, last_acknowledged=last)


def _cue_of(event: dict) -> dict | None:
    if event.get("event") != "bot":
        return None
    custom = (event.get("data") or {}).get("custom")
    cue = custom.get(CUE_KEY) if isinstance(custom, dict) else None
    return cue if isinstance(cue, dict) else None


def split_first_sentence(text: str) -> tuple[str, str]:
    match = _FIRST_SENTENCE.match(text.strip())
    if not match:
        return text.strip(), ""
    return match.group(1), match.group(2)


class Acknowledger:
    def __init__(self, ledger: EmpathyLedger, chooser: random.Random | None = None) -> None:
        self._ledger = ledger
        self._chooser = chooser or random.Random()

    async def word(
        self,
        conversation_id: str,
        playbook: Playbook,
        emotion: EmotionReading,
        band: str,
        reply_kind: str,
        body: str,
        template: str,
        memory: ConversationMemory,
        vulnerability: str | None = None,
    ) -> Wording:
        body, left_out, acknowledges_itself = await self._own_empathy(conversation_id, playbook, body, template)
        apology = None
        if reply_kind == "apology" and not playbook.apologises(body):
            apology = await self._claim_first(conversation_id, self._shuffled(playbook.apologies))
        acknowledgement = None
        sincere = playbook.vulnerable_phrases(vulnerability)
        if sincere and not acknowledges_itself and self._wants_sincere(playbook, reply_kind, memory):
            # A vulnerable situation outweighs the feeling's band: the longer words, never "be quick".
            acknowledgement = await self._claim_first(conversation_id, self._shuffled(sincere))
        elif not acknowledges_itself and self._wants_acknowledgement(playbook, emotion, band, reply_kind, memory):
            acknowledgement = await self._claim_first(conversation_id, self._candidates(playbook, emotion.label, band))
        return Wording(body=body, acknowledgement=acknowledgement, apology=apology, left_out=left_out)

    async def _own_empathy(
        self, conversation_id: str, playbook: Playbook, body: str, template: str
    ) -> tuple[str, str | None, bool]:
        """(body, left-out sentence, whether the body still acknowledges by itself)."""
        first, rest = split_first_sentence(body)
        if not playbook.acknowledges_itself(first):
            return body, None, False
        template_first, _ = split_first_sentence(template)
        if "{" in template_first or not rest:
            # Facts live in this sentence (or nothing else is left): keep it whatever happens.
            return body, None, True
        if await self._ledger.claim(conversation_id, first):
            return body, None, True
        return rest, first, False

    @staticmethod
    def _wants_sincere(playbook: Playbook, reply_kind: str, memory: ConversationMemory) -> bool:
        return not memory.acknowledged_this_turn and reply_kind in playbook.acknowledge.reply_kinds

    @staticmethod
    def _wants_acknowledgement(
        playbook: Playbook, emotion: EmotionReading, band: str, reply_kind: str, memory: ConversationMemory
    ) -> bool:
        if emotion.is_neutral or memory.acknowledged_this_turn:
            return False
        if reply_kind not in playbook.acknowledge.reply_kinds:
            return False
        if emotion.label == "happy" and reply_kind in _NOT_AFTER_JOY:
            return False
        min_band = playbook.min_band(emotion.label)
        if min_band is None or BANDS.index(band) < BANDS.index(min_band):
            return False
        if memory.last_acknowledged is not None:
            last_emotion, last_band = memory.last_acknowledged
            if last_emotion == emotion.label and BANDS.index(band) <= BANDS.index(last_band):
                return False
        return True

    def _candidates(self, playbook: Playbook, emotion: str, band: str) -> list[str]:
        """This band's phrases first; then weaker bands down to min_band, never stronger ones."""
        min_band = playbook.min_band(emotion) or band
        candidates: list[str] = []
        for index in range(BANDS.index(band), BANDS.index(min_band) - 1, -1):
            candidates += self._shuffled(playbook.phrases_for(emotion, BANDS[index]))
        return candidates

    def _shuffled(self, phrases: tuple[str, ...]) -> list[str]:
        shuffled = list(phrases)
        self._chooser.shuffle(shuffled)
        return shuffled

    async def _claim_first(self, conversation_id: str, candidates: list[str]) -> str | None:
        for phrase in candidates:
            if await self._ledger.claim(conversation_id, phrase):
                return phrase
        return None
