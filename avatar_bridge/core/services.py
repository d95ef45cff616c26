"""Everything the bridge needs at run time, built once at start-up and closed at shutdown.

Built in the app's lifespan (never at import): configuration files are loaded and checked
here, so a broken expression table or playbook stops the start instead of a customer's turn.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from redis.asyncio import Redis

from avatar_bridge.core.config import Settings
from avatar_bridge.core.metrics import BridgeMetrics, MeteredCodec
from avatar_bridge.core.redis import bridge_redis
from avatar_bridge.dialogue.action_server import ActionServerHealth, custom_action_names
from avatar_bridge.dialogue.fallback import FallbackDesk
from avatar_bridge.dialogue.rasa_client import RasaClient
from avatar_bridge.dialogue.reply_kinds import ReplyKinds
from avatar_bridge.protocol.codec import ProtocolCodec
from avatar_bridge.protocol.schema_registry import SchemaRegistry
from avatar_bridge.sessions.deliveries import DeliveryListener
from avatar_bridge.sessions.frame_notices import FrameNotices, keep_alive
from avatar_bridge.sessions.hub import SessionHub
from avatar_bridge.sessions.store import SessionStore
from avatar_bridge.sessions.turns import TurnRunner
from avatar_bridge.tone.documents import ToneFiles
from avatar_bridge.tone.avatar_choice import LiveAvatar
from avatar_bridge.tone.live import LiveTone, watch_for_changes
from avatar_bridge.speech.prewarm import FixedReply, fixed_replies, opener_replies, prewarm
from avatar_bridge.speech.service import SpeechService
from avatar_bridge.speech_in.recogniser import SpeechRecogniser
from avatar_bridge.wording.acknowledger import Acknowledger
from avatar_bridge.wording.domain_responses import DomainResponses
from avatar_bridge.wording.empathy_ledger import EmpathyLedger
from avatar_bridge.wording.nlg import NlgComposer
from common.service_auth import RasaJwt

logger = logging.getLogger(__name__)
PREWARM_TASK = "speech-prewarm"  # one at a time: a newer avatar choice replaces it


@dataclass
class BridgeServices:
    settings: Settings
    redis: Redis
    http: httpx.AsyncClient
    schemas: SchemaRegistry
    codec: ProtocolCodec
    rasa: RasaClient
    hub: SessionHub
    nlg: NlgComposer
    speech: SpeechService | None
    tone: LiveTone
    avatar: LiveAvatar
    recogniser: SpeechRecogniser | None = None
    background: set[asyncio.Task] = field(default_factory=set)

    @classmethod
    async def start(cls, settings: Settings, metrics: BridgeMetrics | None = None) -> "BridgeServices":
        schemas = SchemaRegistry.load()
        reply_kinds = ReplyKinds.load(settings.reply_kinds_path, frozenset(schemas.shared_enum("reply_kind")))
        tone_files = ToneFiles(settings.expression_table_path, settings.playbook_dir, settings.reply_kinds_path)
        planner, playbooks = tone_files.load(schemas)
        tone = LiveTone(tone_files, schemas, planner, playbooks)
        avatar = LiveAvatar(settings.avatar_choice_path, settings.avatar_model)
        responses = DomainResponses(settings.response_paths)
        responses.reload_if_changed()
        codec = ProtocolCodec(schemas, settings.max_frame_bytes, settings.max_text_chars)
        # The hub's frames go through the metrics (error frames by code, turn latency).
        hub_codec = MeteredCodec(codec, metrics) if metrics is not None else codec

        redis = bridge_redis(settings)  # retries a command once Redis is back; pool sized from the limits
        http = httpx.AsyncClient(
            timeout=settings.rasa_timeout_s,
            limits=httpx.Limits(max_connections=256, max_keepalive_connections=128),
        )
        rasa = RasaClient(
            settings.rasa_base, http, RasaJwt(settings.rasa_jwt_secret.get_secret_value(), "avatar-bridge")
        )
        speech = SpeechService.create(settings, lambda: avatar.current.avatar) if settings.speech_enabled else None

        store = SessionStore(redis, settings)
        hub = SessionHub(store, hub_codec, settings, inline_audio=speech.audio_base64 if speech else _no_audio)
        turn_handler = TurnRunner(
            hub,
            rasa,
            planner,
            reply_kinds,
            playbooks,
            speech,
            settings,
            FallbackDesk(redis, store, playbooks, settings),
            ActionServerHealth(settings.action_server_base, http, settings.action_server_probe_s),
            custom_action_names(settings.response_paths),
        ).run
        hub.set_turn_handler(metrics.wrap_turn_handler(turn_handler) if metrics is not None else turn_handler)
        ledger = EmpathyLedger(redis, settings.redis_key_prefix, settings.session_ttl_s)
        nlg = NlgComposer(
            responses,
            reply_kinds,
            playbooks,
            Acknowledger(ledger),
            planner.band,
            settings.emotion_min_confidence,
            lambda: settings.assistant_name(avatar.current.avatar),  # follows the admin's avatar choice
        )
        recogniser = (
            SpeechRecogniser(
                workers=settings.speech_in_workers,
                queue_limit=settings.speech_in_queue_limit,
                cpu_threads=settings.speech_in_cpu_threads,
                languages=schemas.shared_enum("language"),
                check_language=settings.speech_in_language_check,
                timeout_s=settings.speech_in_timeout_s,
            )
            if settings.speech_in_enabled
            else None
        )
        services = cls(settings, redis, http, schemas, codec, rasa, hub, nlg, speech, tone, avatar, recogniser)

        services.spawn(DeliveryListener(redis, hub, schemas, settings).run(), "deliveries")
        services.spawn(FrameNotices(redis, hub, settings).run(), "frame-notices")
        services.spawn(keep_alive(hub), "instance-heartbeat")
        services.spawn(tone.watch(settings.tone_watch_s), "tone-watch")
        services.spawn(watch_for_changes(avatar, settings.tone_watch_s, "the avatar choice"), "avatar-watch")
        if speech is not None:

            def replies() -> list[FixedReply]:  # with the name the avatar shown now goes by
                name = settings.assistant_name(avatar.current.avatar)
                return fixed_replies(responses, reply_kinds, tone.planner, name)

            services.spawn(_ready_speech(services, speech, replies), "speech-warm-up")
            # Another avatar speaks with another voice (a Piper voice perhaps not loaded yet) and may
            # go by another name: its voices are loaded and its fixed replies made again.
            avatar.on_change(
                lambda _choice: services.restart(_prewarm_for_avatar(speech, replies, tone, settings), PREWARM_TASK)
            )
        if recogniser is not None and settings.speech_in_warm_up:
            services.spawn(recogniser.warm_up(), "speech-in-warm-up")
        return services

    def spawn(self, coroutine, name: str) -> None:
        """A tracked background task: logged if it fails, cancelled and awaited at shutdown."""
        task = asyncio.create_task(coroutine, name=name)
        self.background.add(task)
        task.add_done_callback(self._forget)

    def restart(self, coroutine, name: str) -> None:
        """Like spawn, cancelling a running task of the same name first (its work is out of date)."""
        for task in list(self.background):
            if task.get_name() == name:
                task.cancel()
        self.spawn(coroutine, name)

    def _forget(self, task: asyncio.Task) -> None:
        self.background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("background task %s failed", task.get_name(), exc_info=task.exception())

    async def stop(self) -> None:
        await self.hub.drain(timeout_s=self.settings.shutdown_grace_s)
        for task in list(self.background):
            task.cancel()
        await asyncio.gather(*self.background, return_exceptions=True)
        await self.http.aclose()
        with contextlib.suppress(Exception):
            await self.redis.aclose()
        if self.speech is not None:
            await self.speech.aclose()
        if self.recogniser is not None:
            await self.recogniser.aclose()


async def _no_audio(key: str) -> None:
    return None


async def _ready_speech(
    services: BridgeServices, speech: SpeechService, replies: Callable[[], list[FixedReply]]
) -> None:
    """Start the speech workers, then make the speech of the fixed replies (speech/prewarm.py)."""
    await speech.warm_up()
    if services.settings.speech_prewarm_sentences or services.settings.speech_prewarm_openers:
        services.restart(_prewarm(speech, replies, services.tone, services.settings), PREWARM_TASK)


async def _prewarm_for_avatar(
    speech: SpeechService, replies: Callable[[], list[FixedReply]], tone: LiveTone, settings: Settings
) -> None:
    await speech.prepare_voices()
    if settings.speech_prewarm_sentences or settings.speech_prewarm_openers:
        await _prewarm(speech, replies, tone, settings)


async def _prewarm(
    speech: SpeechService, replies: Callable[[], list[FixedReply]], tone: LiveTone, settings: Settings
) -> None:
    ready = await prewarm(speech, replies(), settings.speech_prewarm_sentences)
    logger.info("speech of %d sentences of fixed replies is ready", ready)
    if settings.speech_prewarm_openers:
        # After the replies, so a neutral greeting is never behind them; read now, from the live tone.
        openers = await prewarm(speech, opener_replies(tone.playbooks, tone.planner), settings.speech_prewarm_openers)
        logger.info("speech of %d opening sentences (acknowledgements, apologies) is ready", openers)
