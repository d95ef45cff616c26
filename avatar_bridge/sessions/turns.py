"""One user turn: Rasa's answer -> text cues at once -> speech as it becomes ready -> the end.

Every accepted user message ends with exactly one terminal frame: ``turn_complete`` or an
``error`` naming it in ``reply_to``. Text cues go out the moment Rasa answers; synthesis for
all of a turn's messages starts before the first cue is sent and the speech frames follow in
message order. When Rasa or the action server is down, the turn's answer is the bridge's own
offer of a person (dialogue/fallback.py; docs/operations.md "Fault behaviour").
"""

import asyncio
import dataclasses
import logging
from dataclasses import dataclass

from redis.exceptions import RedisError

from avatar_bridge.core.config import Settings
from avatar_bridge.dialogue.action_server import (
    RESET_LOOP_EVENTS,
    ActionServerHealth,
    turn_needed_action_server,
)
from avatar_bridge.dialogue.bridge_handoff import (
    ASSISTANT_UNAVAILABLE,
    LOOKUPS_UNAVAILABLE,
)
from avatar_bridge.dialogue.emotion import (
    EMOTION_LABELS,
    NEUTRAL,
    EmotionReading,
    emotion_from_tracker,
)
from avatar_bridge.dialogue.fallback import (
    TALK_TO_PERSON,
    TRY_AGAIN,
    UNKNOWN_EMOTION,
    Choice,
    FallbackDesk,
    Offer,
    choice_of,
    offer_reply,
)
from avatar_bridge.dialogue.rasa_client import DialogueUnavailable, RasaClient
from avatar_bridge.dialogue.replies import BotReply, replies_from_rest
from avatar_bridge.dialogue.reply_kinds import ReplyKinds
from avatar_bridge.expression.planner import ExpressionPlanner, Plan
from avatar_bridge.expression.sentences import SentenceCues, SentencePlanner
from avatar_bridge.protocol.errors import ErrorCode
from avatar_bridge.protocol.messages import (
    BotMessage,
    BotSpeech,
    ErrorFrame,
    Speech,
    TurnComplete,
    UserMessage,
)
from avatar_bridge.sessions import storage_outage
from avatar_bridge.sessions.hub import SessionHub, SessionRuntime, Turn
from avatar_bridge.sessions.opening import OpeningTurn
from avatar_bridge.sessions.store import TURN_DONE, TURN_FAILED
from avatar_bridge.speech.service import SpeechResult, SpeechService
from avatar_bridge.wording.playbooks import Playbook

logger = logging.getLogger(__name__)
LANGUAGES = ("en", "de")
# The terminal frame's text when Rasa did not answer (the offer before it says it to the customer).
DIALOGUE_UNAVAILABLE_TEXT = "The assistant is not reachable right now. Please send your message again in a moment."


@dataclass(frozen=True)
class PlannedReply:
    reply: BotReply
    message_id: str
    language: str
    reply_kind: str
    emotion: EmotionReading
    plan: Plan
    sentences: list[dict]


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
        fallback: FallbackDesk,
        action_server: ActionServerHealth,
        custom_actions: frozenset[str],
    ) -> None:
        self._hub = hub
        self._rasa = rasa
        self._planner = planner
        self._reply_kinds = reply_kinds
        self._playbooks = playbooks
        self._speech = speech
        self._settings = settings
        self._fallback = fallback
        self._action_server = action_server
        self._custom_actions = custom_actions
        self._sentences = SentencePlanner(planner, SentenceCues.load(settings.sentence_kinds_path))

    async def run(self, runtime: SessionRuntime, message: Turn) -> None:
        if isinstance(message, OpeningTurn):
            await self._open(runtime, message)
            return
        try:
            # The bridge instance consuming bridge:deliveries switches the routing in Redis; the
            # one holding this socket may be another, so its copy of the record can be stale.
            stored = await self._hub.store.load(runtime.session_id)
            if stored is not None:
                runtime.record.routing = stored.routing
            if runtime.record.routing == "agent":
                await self._hub.store.forward_to_agent(runtime.session_id, message.id, message.text)
                terminal: TurnComplete | ErrorFrame = TurnComplete(reply_to=message.id, messages=0, routed_to="agent")
            else:
                terminal = await self._run_with_bot(runtime, message)
        except Exception:
            logger.exception("turn failed unexpectedly")
            await self._fail(runtime, message, ErrorCode.INTERNAL_ERROR, "Something went wrong on our side.")
            return
        # The terminal frame goes out exactly once; what follows may fail without a second one.
        try:
            await self._hub.emit(runtime, terminal)
        except (RedisError, OSError):
            await self._tell_socket_storage_is_down(runtime, message)
            return
        try:
            state = TURN_FAILED if isinstance(terminal, ErrorFrame) else TURN_DONE
            await self._hub.store.finish_turn(runtime.session_id, message.id, state)
        except Exception:
            logger.exception("could not record a finished turn")

    async def _fail(self, runtime: SessionRuntime, message: UserMessage, code: ErrorCode, text: str) -> None:
        try:
            await self._hub.emit(runtime, ErrorFrame(code=code, message=text, reply_to=message.id, retry_after_ms=2000))
            await self._hub.store.finish_turn(runtime.session_id, message.id, TURN_FAILED)
        except (RedisError, OSError):
            await self._tell_socket_storage_is_down(runtime, message)

    async def _tell_socket_storage_is_down(self, runtime: SessionRuntime, message: UserMessage) -> None:
        """Redis is away: no frame can be numbered or kept for replay, so say it on the socket itself."""
        logger.warning("Redis unavailable; the turn's end goes straight to the socket")
        sink = runtime.sink
        if sink is None:
            return  # the client gets turn_interrupted when it resumes
        frame = ErrorFrame(
            code=ErrorCode.TEMPORARILY_UNAVAILABLE,
            message=storage_outage.turn_not_finished(runtime.record.language),
            reply_to=message.id,
            retry_after_ms=storage_outage.RETRY_AFTER_MS,
        )
        await self._hub.send_transient(sink, frame, runtime)

    async def _run_with_bot(self, runtime: SessionRuntime, message: UserMessage) -> TurnComplete | ErrorFrame:
        session_id, language = runtime.session_id, runtime.record.language
        wording = self._fallback.wording(language)
        offer = await self._fallback.standing_offer(session_id)
        text = message.text
        if offer is not None:
            choice = choice_of(message.text, wording)
            if choice is Choice.ACCEPT:
                return await self._hand_over(runtime, message, offer)
            if choice is Choice.RETRY and offer.failed_text:
                text = offer.failed_text
        elif message.text.strip() == TRY_AGAIN:
            # A "Try again" button from an offer that is gone: nothing to send, but never silence.
            cue = {"reply_kind": "question", "language": language, "emotion": UNKNOWN_EMOTION}
            reply = BotReply(text=wording.nothing_to_retry, cue=cue)
            return await self._deliver(runtime, message, [reply])
        try:
            rest_messages = await self._rasa.send_message(session_id, text, _metadata(runtime))
        except DialogueUnavailable as error:
            logger.warning("turn failed: %s", error)
            if message.text.strip() == TALK_TO_PERSON:
                # The "Talk to a person" button of an offer that ran out: asking again is no use.
                return await self._hand_over(runtime, message, Offer(ASSISTANT_UNAVAILABLE, text, language))
            await self._fallback.make_offer(session_id, Offer(ASSISTANT_UNAVAILABLE, text, language))
            emotion = await self._fallback.last_customer_emotion(session_id)
            # The full explanation once; the same failure again gets a short one (no repetition).
            repeated = offer is not None and offer.reason == ASSISTANT_UNAVAILABLE
            said = wording.still_unavailable if repeated else wording.assistant_unavailable
            await self._deliver(runtime, message, [offer_reply(wording, said, language, emotion)])
            return ErrorFrame(
                code=ErrorCode.DIALOGUE_UNAVAILABLE,
                message=DIALOGUE_UNAVAILABLE_TEXT,
                reply_to=message.id,
                retry_after_ms=2000,
            )
        replies = replies_from_rest(rest_messages)
        lookups_offer = await self._offer_if_lookups_down(runtime, text, offer)
        if lookups_offer is not None:
            replies = [lookups_offer]
        elif offer is not None:
            await self._fallback.withdraw(session_id)  # answered normally: the offer is over
        if not replies:
            logger.warning("Rasa sent no message for a turn; answering with the playbook's no_reply")
            replies = [BotReply(text=self._playbook(language).no_reply, cue={"reply_kind": "apology"})]
        return await self._deliver(runtime, message, replies)

    async def _open(self, runtime: SessionRuntime, opening: OpeningTurn) -> None:
        """The opening turn: the bot's note, if it has one, like any reply; otherwise nothing at all.

        Nobody asked anything yet, so a failure is not the customer's problem: no offer of a
        person, no error frame, no playbook's "no reply"; the customer simply starts typing."""
        try:
            rest_messages = await self._rasa.send_message(runtime.session_id, opening.text, _metadata(runtime))
            replies = replies_from_rest(rest_messages)
            if not replies:
                return
            terminal = await self._deliver(runtime, opening, replies)
            await self._hub.emit(runtime, terminal)
        except DialogueUnavailable as error:
            logger.warning("opening turn skipped: %s", error)
        except (RedisError, OSError) as error:
            logger.warning("opening turn not delivered: Redis unavailable (%s)", type(error).__name__)
        except Exception:
            logger.exception("opening turn failed unexpectedly")

    async def _offer_if_lookups_down(self, runtime: SessionRuntime, text: str, offer: Offer | None) -> BotReply | None:
        """The action server is down and this turn needed it: end any stuck form and say so plainly.

        The form is ended through Rasa's HTTP API (an ``active_loop`` null event): Rasa itself
        would keep asking the form's question and ignore every answer until the validation action
        is back. Once it is, the customer's next request starts the form afresh."""
        if not await self._action_server.is_down():
            return None
        session_id, language = runtime.session_id, runtime.record.language
        tracker = await self._rasa.tracker_with_events(session_id)
        if not turn_needed_action_server(tracker, self._custom_actions):
            return None
        assert tracker is not None
        if (tracker.get("active_loop") or {}).get("name"):
            await self._rasa.append_events(session_id, RESET_LOOP_EVENTS)
        await self._fallback.make_offer(session_id, Offer(LOOKUPS_UNAVAILABLE, text, language))
        reading = emotion_from_tracker(tracker, self._settings.emotion_min_confidence)
        emotion = {"label": reading.label, "intensity": reading.intensity, "confidence": reading.confidence}
        wording = self._fallback.wording(language)
        repeated = offer is not None and offer.reason == LOOKUPS_UNAVAILABLE
        said = wording.still_unavailable if repeated else wording.lookups_unavailable
        return offer_reply(wording, said, language, emotion)

    async def _hand_over(self, runtime: SessionRuntime, message: UserMessage, offer: Offer) -> TurnComplete:
        language = runtime.record.language
        wording = self._fallback.wording(language)
        try:
            await self._fallback.hand_over(runtime.record, offer)
        except (RedisError, OSError):
            logger.warning("could not queue the bridge's handoff: Redis unavailable")
            cue = {"reply_kind": "apology", "language": language, "emotion": UNKNOWN_EMOTION}
            reply = BotReply(text=wording.handoff_failed, cue=cue)
            return await self._deliver(runtime, message, [reply])
        emotion = await self._fallback.last_customer_emotion(runtime.session_id)
        cue = {"reply_kind": "handoff", "language": language, "emotion": emotion}
        done = await self._deliver(runtime, message, [BotReply(text=wording.handed_over, cue=cue)])
        return dataclasses.replace(done, routed_to="agent")

    async def _deliver(self, runtime: SessionRuntime, message: Turn, replies: list[BotReply]) -> TurnComplete:
        """Text cues at once, then the speech frames in order; the turn_complete to send after them."""
        planned = await self._plan(runtime, message, replies)
        speech_tasks = [self._start_speech(runtime, item, leading=index == 0) for index, item in enumerate(planned)]
        speech_failed: list[str] = []
        try:
            for item, task in zip(planned, speech_tasks, strict=True):
                await self._hub.emit(runtime, _text_cue(message.id, item, speech_pending=task is not None))
            for item, parts in zip(planned, speech_tasks, strict=True):
                # One frame per sentence, in order: the first goes out while the rest are synthesised.
                for index, task in enumerate(parts or []):
                    if message.id in runtime.speech_stopped:
                        break  # the customer barged in: the rest of this turn's speech is dropped
                    speech = await _settled(task)
                    if speech is None:
                        speech_failed.append(item.message_id)
                        break
                    frame = BotSpeech(
                        reply_to=message.id,
                        message_id=item.message_id,
                        speech=_speech(speech),
                        part=index,
                        parts=len(parts),
                    )
                    await self._hub.emit(runtime, frame)
        finally:
            runtime.speech_stopped.discard(message.id)
            unfinished = [task for parts in speech_tasks for task in parts or [] if not task.done()]
            for task in unfinished:
                task.cancel()
            await asyncio.gather(*unfinished, return_exceptions=True)
        await self._follow_language(runtime, planned)
        return TurnComplete(reply_to=message.id, messages=len(planned), speech_failed=speech_failed)

    async def _plan(self, runtime: SessionRuntime, message: Turn, replies: list[BotReply]) -> list[PlannedReply]:
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
            sentences = self._sentences.plan(reply.text, reply_kind, language, emotion.label, emotion.intensity, cue)
            planned.append(PlannedReply(reply, f"{message.id}.{index}", language, reply_kind, emotion, plan, sentences))
        return planned

    def _start_speech(self, runtime: SessionRuntime, item: PlannedReply, leading: bool) -> list[asyncio.Task] | None:
        """`leading`: the turn's first reply, whose first sentence the customer waits for."""
        if self._speech is None or not runtime.record.audio:
            return None
        return self._speech.speak_sentences(item.reply.text, item.language, item.plan.prosody, leading) or None

    async def _follow_language(self, runtime: SessionRuntime, planned: list[PlannedReply]) -> None:
        """The bot switched language (the customer did): later turns and speech follow."""
        language = planned[-1].language
        if language != runtime.record.language:
            runtime.record.language = language
            # Only the language: this copy's routing may be stale (a handoff's "queued" status,
            # stored meanwhile, must not be overwritten, or the customer's next words to the
            # agent would go to the bot).
            await self._hub.store.save(runtime.record, "language")

    def _playbook(self, language: str) -> Playbook:
        return self._playbooks.get(language, self._playbooks["en"])


def _metadata(runtime: SessionRuntime) -> dict[str, str]:
    metadata = {"language": runtime.record.language, "source": "avatar_bridge"}
    if runtime.customer_token:
        metadata["customer_token"] = runtime.customer_token  # for actions; see docs/dialogue-contract.md
    return metadata


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
        sentences=item.sentences,
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
