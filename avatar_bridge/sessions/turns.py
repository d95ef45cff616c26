"""One user turn: Rasa's answer -> text cues at once -> speech as it becomes ready -> the end.

Every accepted user message ends with exactly one terminal frame: ``turn_complete`` or an
``error`` naming it in ``reply_to``. Text cues go out the moment Rasa answers; synthesis for
all of a turn's messages starts before the first cue is sent and the speech frames follow in
message order.
"""

import asyncio
import logging
from dataclasses import dataclass

from avatar_bridge.core.config import Settings
from avatar_bridge.dialogue.emotion import EMOTION_LABELS, NEUTRAL, EmotionReading, emotion_from_tracker
from avatar_bridge.dialogue.rasa_client import DialogueUnavailable, RasaClient
from avatar_bridge.dialogue.replies import BotReply, replies_from_rest
from avatar_bridge.dialogue.reply_kinds import ReplyKinds
from avatar_bridge.expression.planner import ExpressionPlanner, Plan
from avatar_bridge.protocol.errors import ErrorCode
from avatar_bridge.protocol.messages import (
    BotMessage,
    BotSpeech,
    ErrorFrame,
    Speech,
    TurnComplete,
    UserMessage,
)
from avatar_bridge.sessions.hub import SessionHub, SessionRuntime
from avatar_bridge.sessions.store import TURN_DONE, TURN_FAILED
from avatar_bridge.speech.service import SpeechResult, SpeechService
from avatar_bridge.wording.playbooks import Playbook

logger = logging.getLogger(__name__)
LANGUAGES = ("en", "de")


@dataclass(frozen=True)
class PlannedReply:
    reply: BotReply
    message_id: str
    language: str
    reply_kind: str
    emotion: EmotionReading
    plan: Plan


class TurnRunner:
    def __init__(
        self,
        hub: SessionHub,
        rasa: RasaClient,
        planner: ExpressionPlanner,
        reply_kinds: ReplyKinds,
        playbooks: dict[str, Playbook],
        speech: SpeechService | None,
        settings: Settings,
    ) -> None:
        self._hub = hub
        self._rasa = rasa
        self._planner = planner
        self._reply_kinds = reply_kinds
        self._playbooks = playbooks
        self._speech = speech
        self._settings = settings

    async def run(self, runtime: SessionRuntime, message: UserMessage) -> None:
        try:
            if runtime.record.routing == "agent":
                await self._hub.store.forward_to_agent(runtime.session_id, message.id, message.text)
                terminal = TurnComplete(reply_to=message.id, messages=0, routed_to="agent")
            else:
                terminal = await self._run_with_bot(runtime, message)
        except DialogueUnavailable as error:
            logger.warning("turn failed: %s", error)
            await self._fail(
                runtime,
                message,
                ErrorCode.DIALOGUE_UNAVAILABLE,
                "The assistant is not reachable right now. Please send your message again in a moment.",
            )
            return
        except Exception:
            logger.exception("turn failed unexpectedly")
            await self._fail(runtime, message, ErrorCode.INTERNAL_ERROR, "Something went wrong on our side.")
            return
        # The terminal frame goes out exactly once; what follows may fail without a second one.
        await self._hub.emit(runtime, terminal)
        try:
            await self._hub.store.finish_turn(runtime.session_id, message.id, TURN_DONE)
        except Exception:
            logger.exception("could not record a finished turn")

    async def _fail(self, runtime: SessionRuntime, message: UserMessage, code: ErrorCode, text: str) -> None:
        await self._hub.emit(runtime, ErrorFrame(code=code, message=text, reply_to=message.id, retry_after_ms=2000))
        await self._hub.store.finish_turn(runtime.session_id, message.id, TURN_FAILED)

    async def _run_with_bot(self, runtime: SessionRuntime, message: UserMessage) -> TurnComplete:
        metadata = {"language": runtime.record.language, "source": "avatar_bridge"}
        if runtime.customer_token:
            metadata["customer_token"] = runtime.customer_token  # for actions; see docs/dialogue-contract.md
        rest_messages = await self._rasa.send_message(runtime.session_id, message.text, metadata)
        replies = replies_from_rest(rest_messages)
        if not replies:
            logger.warning("Rasa sent no message for a turn; answering with the playbook's no_reply")
            replies = [BotReply(text=self._playbook(runtime.record.language).no_reply, cue={"reply_kind": "apology"})]
        planned = await self._plan(runtime, message, replies)
        speech_tasks = [self._start_speech(runtime, item) for item in planned]
        speech_failed: list[str] = []
        try:
            for item, task in zip(planned, speech_tasks, strict=True):
                await self._hub.emit(runtime, _text_cue(message.id, item, speech_pending=task is not None))
            for item, task in zip(planned, speech_tasks, strict=True):
                if task is None:
                    continue
                speech = await _settled(task)
                if speech is None:
                    speech_failed.append(item.message_id)
                    continue
                await self._hub.emit(
                    runtime, BotSpeech(reply_to=message.id, message_id=item.message_id, speech=_speech(speech))
                )
        finally:
            unfinished = [task for task in speech_tasks if task is not None and not task.done()]
            for task in unfinished:
                task.cancel()
            await asyncio.gather(*unfinished, return_exceptions=True)
        await self._follow_language(runtime, planned)
        return TurnComplete(reply_to=message.id, messages=len(planned), speech_failed=speech_failed)

    async def _plan(self, runtime: SessionRuntime, message: UserMessage, replies: list[BotReply]) -> list[PlannedReply]:
        # Messages rendered by our NLG endpoint carry the customer's emotion; others (text sent
        # straight from an action) need one look at the tracker.
        fallback_emotion = NEUTRAL
        if any(reply.cue is None or "emotion" not in reply.cue for reply in replies):
            tracker = await self._rasa.tracker(runtime.session_id)
            fallback_emotion = emotion_from_tracker(tracker, self._settings.emotion_min_confidence)
        planned = []
        for index, reply in enumerate(replies):
            cue = reply.cue or {}
            emotion = _emotion_of(cue) or fallback_emotion
            language = str(cue["language"]) if cue.get("language") in LANGUAGES else runtime.record.language
            # The cue's kind is used only if it is one the protocol knows.
            reply_kind = self._reply_kinds.classify(None, reply.text, cue.get("reply_kind"))
            plan = self._planner.plan(emotion.label, emotion.intensity, reply_kind)
            planned.append(PlannedReply(reply, f"{message.id}.{index}", language, reply_kind, emotion, plan))
        return planned

    def _start_speech(self, runtime: SessionRuntime, item: PlannedReply) -> asyncio.Task | None:
        if self._speech is None or not runtime.record.audio:
            return None
        return asyncio.create_task(self._speech.speak(item.reply.text, item.language, item.plan.prosody))

    async def _follow_language(self, runtime: SessionRuntime, planned: list[PlannedReply]) -> None:
        """The bot switched language (the customer did): later turns and speech follow."""
        language = planned[-1].language
        if language != runtime.record.language:
            runtime.record.language = language
            await self._hub.store.save(runtime.record)

    def _playbook(self, language: str) -> Playbook:
        return self._playbooks.get(language, self._playbooks["en"])


async def _settled(task: asyncio.Task) -> SpeechResult | None:
    try:
        return await task
    except Exception:
        logger.exception("speech synthesis failed")
        return None


def _emotion_of(cue: dict) -> EmotionReading | None:
    emotion = cue.get("emotion")
    if not isinstance(emotion, dict) or emotion.get("label") not in EMOTION_LABELS:
        return None
    intensity = emotion.get("intensity")
    return EmotionReading(
        label=emotion["label"],
        intensity=float(intensity) if isinstance(intensity, (int, float)) else 0.0,
        confidence=float(emotion.get("confidence") or 0.0),
    )


def _text_cue(reply_to: str, item: PlannedReply, speech_pending: bool) -> BotMessage:
    return BotMessage(
        reply_to=reply_to,
        message_id=item.message_id,
        text=item.reply.text,
        buttons=item.reply.buttons or None,
        language=item.language,
        reply_kind=item.reply_kind,
        expression=item.plan.expression,
        gesture=item.plan.gesture,
        speech_pending=speech_pending,
        customer_emotion={"label": item.emotion.label, "intensity": round(item.emotion.intensity, 3)},
    )


def _speech(result: SpeechResult) -> Speech:
    return Speech(
        audio={"url": result.url},
        format="wav",
        sample_rate=result.sample_rate,
        duration_ms=result.duration_ms,
        visemes=result.visemes,
        words=result.words,
        voice=result.voice,
    )
