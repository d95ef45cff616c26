"""Rasa's NLG endpoint: render a domain response, word it for the customer's feelings, and
attach the cue the avatar pipeline needs.

Request and response follow rasa/core/nlg/callback.py in Rasa 3.6:
request ``{"response", "id", "arguments", "tracker", "channel": {"name"}}``,
response ``{"text", "buttons", "image", "elements", "attachment", "custom"}``.
The cue travels in ``custom.avatar_cue``; Rasa's REST channel delivers it right after the text.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from avatar_bridge.dialogue.emotion import EmotionReading, emotion_from_tracker, vulnerability_from_tracker
from avatar_bridge.dialogue.reply_kinds import ReplyKinds
from avatar_bridge.wording.acknowledger import (
    CUE_KEY,
    Acknowledger,
    memory_from_tracker,
)
from avatar_bridge.wording.domain_responses import DomainResponses, render
from avatar_bridge.wording.playbooks import Playbook
from avatar_bridge.wording.repetition import is_droppable_repeat, repeated_count, said_sentences, without_repeats
from contracts.wording import ASSISTANT_NAME

logger = logging.getLogger(__name__)
CUE_VERSION = 1
LANGUAGES = ("en", "de")
# The response keys Rasa's NLG response schema allows.
_RESPONSE_KEYS = ("text", "buttons", "image", "elements", "attachment", "custom", "quick_replies")


@dataclass(frozen=True)
class NlgRequest:
    response: str
    arguments: dict
    tracker: dict
    channel: str | None

    @classmethod
    def from_body(cls, body: dict) -> "NlgRequest":
        channel, arguments, tracker = body.get("channel"), body.get("arguments"), body.get("tracker")
        return cls(
            response=str(body.get("response") or ""),
            arguments=arguments if isinstance(arguments, dict) else {},
            tracker=tracker if isinstance(tracker, dict) else {},
            channel=str(channel.get("name")) if isinstance(channel, dict) else None,
        )


class NlgComposer:
    def __init__(
        self,
        responses: DomainResponses,
        reply_kinds: ReplyKinds,
        playbooks: dict[str, Playbook],
        acknowledger: Acknowledger,
        band_of,  # intensity -> band, from the expression planner, so both use the same bands
        min_confidence: float,
        assistant_name: Callable[[], str],
    ) -> None:
        self._responses = responses
        self._reply_kinds = reply_kinds
        self._playbooks = playbooks
        self._acknowledger = acknowledger
        self._band_of = band_of
        self._min_confidence = min_confidence
        # `{assistant_name}` in a response: the name the page shows now (Settings.assistant_name),
        # asked per reply because it follows the avatar an admin may switch at run time.
        self._assistant_name = assistant_name

    async def compose(self, request: NlgRequest) -> dict:
        tracker_slots = request.tracker.get("slots")
        slots: dict = tracker_slots if isinstance(tracker_slots, dict) else {}
        language = str(slots["language"]) if slots.get("language") in LANGUAGES else "en"
        values = {ASSISTANT_NAME: self._assistant_name(), **slots, **request.arguments}
        said = said_sentences(request.tracker)
        variation = self._responses.choose(
            request.response,
            slots,
            request.channel,
            cost=lambda candidate: repeated_count(str(render(candidate, values).get("text") or ""), said),
        )
        if variation is None:
            # Rasa would log an error and send nothing; an empty response does the same.
            logger.warning("no response %r in the domain (or no variation fits)", request.response)
            return {}
        rendered = render(variation, values)
        text = rendered.get("text")
        body, repeated = without_repeats(text, said) if isinstance(text, str) else ("", [])
        if repeated:
            rendered["text"] = body
        emotion = emotion_from_tracker(request.tracker, self._min_confidence)
        band = self._band_of(emotion.intensity)
        reply_kind = self._reply_kinds.classify(request.response, body, request.arguments.get("reply_kind"))
        if isinstance(text, str) and is_droppable_repeat(text, said, reply_kind, variation):
            # A whole message heard before that neither asks nor holds facts ("I'll check where
            # your order is.") is not said again; the turn's next message carries on.
            return {}
        conversation_id = str(request.tracker.get("sender_id") or "")
        wording = None
        if body and conversation_id:
            wording = await self._acknowledger.word(
                conversation_id,
                self._playbooks.get(language, self._playbooks["en"]),
                emotion,
                band,
                reply_kind,
                body,
                variation.get("text") or "",
                memory_from_tracker(request.tracker),
                vulnerability_from_tracker(request.tracker),
            )
        response = {key: rendered[key] for key in _RESPONSE_KEYS if rendered.get(key) is not None}
        if wording is not None:
            response["text"] = wording.text
        custom = dict(response.get("custom") or {})
        custom[CUE_KEY] = _cue(request.response, reply_kind, language, emotion, band, wording)
        response["custom"] = custom
        return response


def _cue(response: str, reply_kind: str, language: str, emotion: EmotionReading, band: str, wording) -> dict:
    return {
        "v": CUE_VERSION,
        "response": response,
        "reply_kind": reply_kind,
        "language": language,
        "emotion": {"label": emotion.label, "intensity": emotion.intensity, "confidence": emotion.confidence},
        "band": band,
        "acknowledgement": wording.acknowledgement if wording else None,
        "apology": wording.apology if wording else None,
        "left_out": wording.left_out if wording else None,
    }
