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
