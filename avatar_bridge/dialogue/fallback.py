"""When the assistant cannot answer: say so plainly, offer a person, and hand over without Rasa.

A turn that Rasa could not answer (down, timed out, failed inside), or one that needed the action
server while it is down, ends with an *offer*: a bot message in the customer's language that says
what does not work, with the quick replies "Talk to a person" and "Try again". The offer is
kept in Redis (``{prefix}:session:{id}:offer``, any bridge instance sees it) together with the
message that failed. While it stands (``fallback_offer_ttl_s``):

- the "Talk to a person" payload, Rasa's own ``/affirm``, or a typed yes ("yes please", "ja",
  "a person", the playbook's ``accept_phrases``) accepts it: the bridge queues the handoff itself
  (bridge_handoff.py) on the handoff service's stream and routes the session to the agent side;
- "Try again" (or a typed "try again") sends the failed message to Rasa once more;
- anything else goes to Rasa as usual; a normal answer withdraws the offer.
"""

import enum
import json
import logging
import re
import time
from dataclasses import dataclass
from typing import cast

from redis.asyncio import Redis

from avatar_bridge.core.config import Settings
from avatar_bridge.dialogue.bridge_handoff import record_from_frames
from avatar_bridge.dialogue.replies import BotReply
from avatar_bridge.sessions.store import SessionRecord, SessionStore
from avatar_bridge.wording.playbooks import FallbackWording, Playbook

logger = logging.getLogger(__name__)

# Quick-reply payloads. "/request_human" is also Rasa's intent, so the button still means the
# right thing if it reaches Rasa after the offer is gone; "/try_again" is the bridge's own.
TALK_TO_PERSON = "/request_human"
TRY_AGAIN = "/try_again"
_ACCEPT_PAYLOADS = frozenset({TALK_TO_PERSON, "/affirm"})
_NOT_A_WORD = re.compile(r"[^\w\s]+")
MAX_ACCEPT_WORDS = 6
# The cue's emotion when the bridge knows none: with one in the cue, planning the reply needs no
# look at Rasa's tracker (which may be the thing that is down).
UNKNOWN_EMOTION = {"label": "neutral", "intensity": 0.0, "confidence": 0.0}


class Choice(enum.Enum):
    ACCEPT = "accept"
    RETRY = "retry"
    OTHER = "other"


@dataclass(frozen=True)
class Offer:
    reason: str  # bridge_handoff.ASSISTANT_UNAVAILABLE or LOOKUPS_UNAVAILABLE
    failed_text: str  # the customer's message that could not be answered
    language: str


def normalise(text: str) -> str:
    """Lower case, punctuation dropped, single spaces: "Yes, please!" -> "yes please"."""
    return " ".join(_NOT_A_WORD.sub(" ", text.casefold()).split())


def choice_of(text: str, wording: FallbackWording) -> Choice:
    stripped = text.strip()
    if stripped in _ACCEPT_PAYLOADS:
        return Choice.ACCEPT
    if stripped == TRY_AGAIN:
        return Choice.RETRY
    typed = normalise(text)
    if typed in wording.retry_phrases:
        return Choice.RETRY
    if typed in wording.accept_phrases or _only_words_of(typed, wording.accept_phrases):
        return Choice.ACCEPT
    return Choice.OTHER


def _only_words_of(typed: str, phrases: frozenset[str]) -> bool:
    """A short answer made only of the accepting phrases' words ("ja gerne", "ok yes please"); a
    new request ("yes my order is late") has other words and goes to Rasa."""
    words = typed.split()
    vocabulary = {word for phrase in phrases for word in phrase.split()}
    return 0 < len(words) <= MAX_ACCEPT_WORDS and all(word in vocabulary for word in words)


def offer_reply(wording: FallbackWording, reason_text: str, language: str, emotion: dict) -> BotReply:
    """The offer as a bot message: what does not work, with the two quick replies."""
    cue = {"reply_kind": "apology", "language": language, "emotion": emotion}
    return BotReply(
        text=reason_text,
        buttons=[
            {"title": wording.talk_to_person, "payload": TALK_TO_PERSON},
            {"title": wording.try_again, "payload": TRY_AGAIN},
        ],
        cue=cue,
    )


class FallbackDesk:
    def __init__(
        self,
        redis: Redis,
        store: SessionStore,
        playbooks: dict[str, Playbook],
        settings: Settings,
    ) -> None:
        self._redis = redis
        self._store = store
        self._playbooks = playbooks
        self._settings = settings

    def wording(self, language: str) -> FallbackWording:
        return self._playbooks.get(language, self._playbooks["en"]).fallback

    def _key(self, session_id: str) -> str:
        return self._settings.key("session", session_id, "offer")

    async def standing_offer(self, session_id: str) -> Offer | None:
        # The client decodes responses, so Redis hands back str (redis-py's types say bytes | str).
        fields = cast(dict[str, str], await self._redis.hgetall(self._key(session_id)))
        if not fields or "reason" not in fields:
            return None
        return Offer(
            fields["reason"],
            fields.get("failed_text", ""),
            fields.get("language", "en"),
        )

    async def make_offer(self, session_id: str, offer: Offer) -> None:
        key = self._key(session_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.hset(
                key,
                mapping={
                    "reason": offer.reason,
                    "failed_text": offer.failed_text,
                    "language": offer.language,
                    "ts": time.time(),
                },
            )
            pipe.expire(key, self._settings.fallback_offer_ttl_s)
            await pipe.execute()

    async def withdraw(self, session_id: str) -> None:
        await self._redis.delete(self._key(session_id))

    async def hand_over(self, record: SessionRecord, offer: Offer) -> None:
        """Queue the handoff on the handoff service's stream (raises if Redis is away)."""
        frames = [payload for _, payload in await self._store.numbered_frames_after(record.session_id, 0)]
        document = record_from_frames(record.session_id, record.language, offer.reason, frames)
        await self._redis.xadd(
            self._settings.handoff_requests_stream,
            {"payload": json.dumps(document, ensure_ascii=False)},
        )
        # The handoff service's "queued" status switches the routing too; doing it now means a
        # message sent before that arrives already goes to the agent, not to the broken assistant.
        record.routing = "agent"
        await self._store.save(record)
        await self.withdraw(record.session_id)
        logger.info("handoff queued by the bridge (reason %s)", offer.reason)

    async def last_customer_emotion(self, session_id: str) -> dict:
        """The customer's emotion as the session's latest text cue reported it (UNKNOWN_EMOTION if none)."""
        frames = await self._store.numbered_frames_after(session_id, 0)
        for _, payload in reversed(frames):
            if '"customer_emotion"' not in payload:
                continue
            emotion = json.loads(payload).get("customer_emotion")
            if isinstance(emotion, dict) and emotion.get("label"):
                return {
                    "label": emotion["label"],
                    "intensity": emotion.get("intensity", 0.0),
                    "confidence": 1.0,
                }
        return UNKNOWN_EMOTION
