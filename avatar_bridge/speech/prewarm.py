"""Speech for the bot's fixed replies, made in the background at start, so that a common reply's
first audio comes straight from the cache.

Fixed: a domain response variation whose text keeps no placeholder once the assistant's name is
filled in (a greeting, an FAQ answer; not "order {order_number} ..."). It is spoken as a turn with a
neutral customer would speak it: the expression planner's prosody for that reply kind, sentence
by sentence, so the cache keys are the turn's own. Other feelings get other prosody and are made
when they happen, as before; the cache is on disk, so a restart finds what was made earlier.

Low priority and bounded: one sentence at a time (at most one worker of a pool is busy with it
while customers use the others), at most ``limit`` sentences, a failure only skips its sentence.
"""

import logging
from dataclasses import dataclass

from avatar_bridge.dialogue.emotion import NEUTRAL
from avatar_bridge.dialogue.reply_kinds import ReplyKinds
from avatar_bridge.expression.planner import ExpressionPlanner
from avatar_bridge.speech.sentences import split_sentences
from avatar_bridge.speech.service import Prosody, SpeechService
from avatar_bridge.speech.worker_pool import Priority
from avatar_bridge.wording.domain_responses import DomainResponses, render
from avatar_bridge.wording.playbooks import BANDS, Playbook
from contracts.wording import ASSISTANT_NAME

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FixedReply:
    text: str
    language: str
    prosody: Prosody


def fixed_replies(
    responses: DomainResponses, reply_kinds: ReplyKinds, planner: ExpressionPlanner, assistant_name: str
) -> list[FixedReply]:
    replies = []
    for name, variation in responses.variations():
        text = render(variation, {ASSISTANT_NAME: assistant_name}).get("text")
        language = _language(variation)
        if not isinstance(text, str) or not text.strip() or "{" in text or language is None:
            continue
        plan = planner.plan(NEUTRAL.label, NEUTRAL.intensity, reply_kinds.classify(name, text))
        replies.append(FixedReply(text, language, plan.prosody))
    return replies


def opener_replies(playbooks: dict[str, Playbook], planner: ExpressionPlanner) -> list[FixedReply]:
    """The sentences a reply to a customer with a feeling starts with (an acknowledgement, a
    sincere one for a vulnerable situation, an apology), each with every prosody it can be spoken
    with: such a reply's first audio then comes from the cache too, while its facts are made.
    Ordered so the strongest feelings come first (they are the ones a slow first audio hurts)."""
    bands = planner.intensity_bands()
    seen: set[tuple[str, str, Prosody]] = set()
    replies: list[FixedReply] = []

    def add(text: str, language: str, emotion: str, band: str, kinds) -> None:
        if "{" in text:  # filled in per conversation: not the same sentence for everyone
            return
        for kind in sorted(kinds):
            prosody = planner.plan(emotion, bands[band], kind).prosody
            if (text, language, prosody) not in seen:
                seen.add((text, language, prosody))
                replies.append(FixedReply(text, language, prosody))

    for band in reversed(BANDS):
        for language, playbook in sorted(playbooks.items()):
            kinds = playbook.acknowledge.reply_kinds
            for emotion in sorted(playbook.phrases):
                min_band = playbook.min_band(emotion)
                if min_band is None or BANDS.index(band) < BANDS.index(min_band):
                    continue
                for weaker in BANDS[BANDS.index(min_band) : BANDS.index(band) + 1]:  # as _candidates picks
                    for phrase in playbook.phrases_for(emotion, weaker):
                        add(phrase, language, emotion, band, kinds)
                for phrases in playbook.vulnerable.values():
                    for phrase in phrases:
                        add(phrase, language, emotion, band, kinds)
                for phrase in playbook.apologies:
                    add(phrase, language, emotion, band, {"apology"})
    return replies


def _language(variation: dict) -> str | None:
    """The variation's language condition; "en" without one (Rasa's default variation); None for a
    variation that depends on another slot's value (not a reply every customer gets)."""
    conditions = variation.get("condition") or []
    languages = [c.get("value") for c in conditions if isinstance(c, dict) and c.get("name") == "language"]
    if len(languages) != len(conditions):
        return None
    return str(languages[0]) if languages else "en"


async def prewarm(speech: SpeechService, replies: list[FixedReply], limit: int) -> int:
    """Make (or find in the cache) the speech of up to ``limit`` sentences; how many are ready."""
    ready = 0
    for reply in replies:
        for sentence in split_sentences(reply.text):
            if ready >= limit:
                return ready
            try:
                await speech.speak(sentence.text, reply.language, reply.prosody, Priority.BACKGROUND)
            except Exception as error:  # a worker failed: skip this sentence, go on with the rest
                logger.warning("prewarming speech skipped a sentence (%s)", type(error).__name__)
                continue
            ready += 1
    return ready
