"""The bridge's one settings object.

Created once by the app factory (or the entry point) and handed to everything else; nothing
reads the environment anywhere else. Environment variables use the prefix ``AVATAR_BRIDGE_``,
e.g. ``AVATAR_BRIDGE_RASA_URL=http://localhost:5005``.
"""

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, AnyHttpUrl, Field, RedisDsn, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from avatar_bridge.core.widget_look import (
    DEFAULT_ACCENT,
    AssistantName,
    Greeting,
    HexColour,
    LogoUrl,
    widget_config,
)
from common.http_guard import TrustedProxies
from contracts.avatars import avatar_name, default_avatar
from contracts.redis_keys import BRIDGE_PREFIX, HANDOFF_REQUESTS_STREAM, prefixed
from common.service_auth import (
    DEVELOPMENT_AUDIO_URL_SECRET,
    DEVELOPMENT_NLG_TOKEN,
    DEVELOPMENT_RASA_JWT_SECRET,
    DEVELOPMENT_SHOP_TOKEN_SECRET,
    require_production_secrets,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPOSITORY_ROOT = PACKAGE_DIR.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AVATAR_BRIDGE_", extra="ignore")

    # The deployment's one production switch, PRODUCTION (docs/operations.md "Secrets").
    production: bool = Field(False, validation_alias=AliasChoices("PRODUCTION", "production"))
    host: str = "127.0.0.1"
    port: int = Field(8765, ge=1, le=65535)
    log_level: str = "info"
    # Load balancers whose X-Forwarded-For is believed (IPs or CIDRs, comma separated): it then
    # gives the client address the per-address limits use. Empty: nobody's (docs/operations.md).
    trusted_proxies: TrustedProxies = ""

    # Rasa (REST channel + HTTP API).
    rasa_url: AnyHttpUrl = AnyHttpUrl("http://localhost:5005")
    # Rasa's JWT secret: the bridge signs short-lived tokens for Rasa's HTTP API (tracker reads and
    # writes; common/service_auth.py). Required: Rasa's API refuses requests without one.
    rasa_jwt_secret: SecretStr = SecretStr(DEVELOPMENT_RASA_JWT_SECRET)
    # Redis's password, kept out of redis_url so it never shows in one; required in production.
    redis_password: SecretStr | None = None
    rasa_timeout_s: float = Field(20.0, gt=0)
    # The action server (its /health is probed to tell "lookups are down" apart; docs/operations.md
    # "Fault behaviour"). In cluster mode this is the load balancer's URL. None: never probed.
    action_server_url: AnyHttpUrl | None = AnyHttpUrl("http://localhost:5055")
    # How long one probe result is trusted, so a turn costs no probe of its own.
    action_server_probe_s: float = Field(5.0, gt=0)

    # When Rasa or the action server is down the bridge offers a person and can queue the handoff
    # itself (avatar_bridge/dialogue/fallback.py): the handoff service's request stream, and how
    # long a typed "yes" still counts as accepting the offer.
    handoff_requests_stream: str = HANDOFF_REQUESTS_STREAM
    fallback_offer_ttl_s: int = Field(1800, ge=10)

    # Redis holds the session state, replay buffers and the empathy ledger.
    redis_url: RedisDsn = RedisDsn("redis://127.0.0.1:6390/0")  # the launcher's Redis, as in every service
    # The handoff service reads and writes streams under it (contracts/redis_keys.py).
    redis_key_prefix: str = BRIDGE_PREFIX
    # Redis's connection pool (common/redis_pool.py): its size (None: sized from the per-address
    # limits below) and how long a command waits for a free connection before it fails.
    redis_max_connections: int | None = Field(None, ge=4)
    redis_pool_timeout_s: float = Field(2.0, gt=0)
    # This instance's name when several bridges share Redis (its consumer name on the deliveries
    # stream; docs/deployment.md). Keep it stable across restarts of the same instance.
    instance_id: str = Field("bridge", pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    session_ttl_s: int = Field(24 * 3600, gt=0)
    replay_buffer_frames: int = Field(200, ge=10)

    # The NLG endpoint Rasa calls: `Authorization: Bearer <token>` (bot/endpoints.yml `headers`).
    nlg_token: SecretStr = SecretStr(DEVELOPMENT_NLG_TOKEN)
    # Keys the speech cache, so audio URLs cannot be derived from a guessed text.
    audio_url_secret: SecretStr | None = None

    # Limits that protect the service (documented in docs/protocol.md).
    max_text_chars: int = Field(2000, ge=1)
    max_frame_bytes: int = Field(16 * 1024, ge=1024)
    user_messages_per_second: float = Field(1.0, gt=0)
    user_message_burst: int = Field(5, ge=1)
    frames_per_second: float = Field(10.0, gt=0)
    frame_burst: int = Field(30, ge=1)
    # Per client IP, in Redis (docs/operations.md "Hardening"): HTTP requests and new WebSocket
    # connections. /nlg (Rasa's own calls), /healthz, /readyz and /metrics are not limited.
    ip_requests_per_second: float = Field(20.0, gt=0)
    ip_request_burst: int = Field(100, ge=1)
    ip_connections_per_second: float = Field(5.0, gt=0)
    ip_connection_burst: int = Field(50, ge=1)
    # HTTP request bodies (the largest is Rasa's NLG call, which carries the whole tracker).
    max_request_bytes: int = Field(2 * 1024 * 1024, ge=1024)

    # Wording: the domain whose responses the NLG endpoint renders.
    response_paths: list[Path] = Field(
        default_factory=lambda: [REPOSITORY_ROOT / "bot" / "domain", REPOSITORY_ROOT / "bot" / "data"]
    )
    playbook_dir: Path = PACKAGE_DIR / "wording" / "playbooks"
    reply_kinds_path: Path = PACKAGE_DIR / "dialogue" / "reply_kinds.yml"
    expression_table_path: Path = PACKAGE_DIR / "expression" / "table.yml"
    # Per-sentence reply kinds, so the face follows each sentence (avatar_bridge/expression/sentences.py).
    sentence_kinds_path: Path = PACKAGE_DIR / "expression" / "sentence_kinds.yml"
    # How often each instance looks for tone files and the avatar choice changed elsewhere
    # (avatar_bridge/tone/live.py).
    tone_watch_s: float = Field(2.0, gt=0)
    # Below this model confidence the customer's emotion is treated as neutral.
    emotion_min_confidence: float = Field(0.45, ge=0, le=1)

    # The built web client (`make setup` builds it; the page and /widget.js answer 503 without it).
    web_client_dir: Path = REPOSITORY_ROOT / "web_client" / "dist"
    # The assistant's name (the page shows it and the bot introduces itself with it), the widget's
    # accent colour, logo and greetings: WIDGET_NAME, WIDGET_ACCENT (#rgb or #rrggbb),
    # WIDGET_LOGO_URL (a path on this origin or an https:// URL), WIDGET_GREETING_EN / _DE.
    # Served as /widget-config.json (docs/shop-integration.md "Name and look"). WIDGET_NAME unset:
    # the name of the avatar shown now (contracts/avatars.yml), so a man is not called Mila.
    widget_name: AssistantName | None = Field(None, validation_alias=AliasChoices("WIDGET_NAME", "widget_name"))
    widget_accent: HexColour = Field(DEFAULT_ACCENT, validation_alias=AliasChoices("WIDGET_ACCENT", "widget_accent"))
    widget_logo_url: LogoUrl | None = Field(None, validation_alias=AliasChoices("WIDGET_LOGO_URL", "widget_logo_url"))
    widget_greeting_en: Greeting | None = Field(
        None, validation_alias=AliasChoices("WIDGET_GREETING_EN", "widget_greeting_en")
    )
    widget_greeting_de: Greeting | None = Field(
        None, validation_alias=AliasChoices("WIDGET_GREETING_DE", "widget_greeting_de")
    )
    # The avatar the page shows (GET /avatar.json) until an admin chooses another one in the console:
    # a realistic model shipped with the client (web_client/public/avatars/manifest.json) or
    # `procedural`, the light head built in code (the ids: contracts/avatars.yml). Its gender also
    # picks the voice (speech/voices.py). Unset: the contract's default (the man, whose voice is the
    # installed Piper voice).
    avatar_model: Literal["valid-woman", "valid-man", "procedural"] = Field(
        default_factory=default_avatar,
        validation_alias=AliasChoices("AVATAR_MODEL", "AVATAR_BRIDGE_AVATAR_MODEL", "avatar_model"),
    )
    # Where the admin console's avatar choice is kept (avatar_bridge/tone/avatar_choice.py); every
    # instance reads it (share the folder between instances). No file: avatar_model above.
    avatar_choice_path: Path = REPOSITORY_ROOT / "var" / "avatar_bridge" / "settings" / "avatar.yml"
    # Development only: the demo page mints shop customer tokens with it (api/demo_sign_in.py), the
    # same variable the action server checks them with. Unused in production, which never mints.
    shop_token_secret: SecretStr = Field(
        SecretStr(DEVELOPMENT_SHOP_TOKEN_SECRET),
        validation_alias=AliasChoices("SHOP_TOKEN_SECRET", "shop_token_secret"),
        min_length=1,
    )

    # Speech.
    speech_enabled: bool = True
    # espeak-ng runs in worker programs too (speech_worker/, GPL boundary), one message at a time each.
    speech_workers: int = Field(2, ge=1)
    espeak_timeout_s: float = Field(10.0, gt=0)
    # Speech of the bot's fixed replies made at start, at most this many sentences (0: off);
    # avatar_bridge/speech/prewarm.py.
    speech_prewarm_sentences: int = Field(400, ge=0)
    # Then the sentences a reply to a customer with a feeling opens with (acknowledgements,
    # apologies), in every prosody the expression table gives them, at most this many (0: off).
    speech_prewarm_openers: int = Field(1000, ge=0)
    speech_cache_dir: Path = REPOSITORY_ROOT / "var" / "avatar_bridge" / "speech"
    speech_cache_max_entries: int = Field(5000, ge=10)
    # espeak-ng voices, the fallback engine (a "+variant" suffix is added to match the avatar).
    voice_en: str = "en"
    voice_de: str = "de"
    # Voices (avatar_bridge/speech/voices.py, docs/operations.md "Voices"): "auto" uses a Piper voice
    # where one fits, "espeak" never does. A Piper voice is named by its id in a voice manifest;
    # unset: an installed voice of the language with the avatar's gender; "none": espeak-ng.
    speech_engine: Literal["auto", "espeak"] = "auto"
    piper_voice_en: str | None = None
    piper_voice_de: str | None = None
    # The operator's own voices (.onnx + .onnx.json, pinned by SHA-256; avatar_bridge/speech/manifest.py).
    voice_manifest: Path | None = None
    # The voice's gender; unset: the shown avatar's (the admin's choice, else avatar_model above).
    avatar_voice_gender: Literal["female", "male"] | None = None
    # Piper runs in separate worker programs (speech_worker/, GPL boundary); each holds its voices.
    piper_workers: int = Field(2, ge=1, le=8)
    piper_timeout_s: float = Field(20.0, gt=0)
    base_rate_wpm: int = Field(170, ge=80, le=450)
    base_pitch: int = Field(50, ge=0, le=100)

    # Speech in (avatar_bridge/speech_in/, docs/operations.md "Speech input"): off hides the
    # widget's microphone. The model loads in a background task at start (warm-up) or on first use.
    speech_in_enabled: bool = True
    speech_in_warm_up: bool = True
    # Worker processes (each holds the model, about 360 MB resident) and the CPU threads each one uses (one
    # thread: on a busy 2-core machine a second one mostly waits for the first; docs/benchmarks.md).
    speech_in_workers: int = Field(1, ge=1, le=8)
    speech_in_cpu_threads: int = Field(1, ge=1, le=16)
    # Utterances running or waiting at once, all sessions together; beyond it: speech_busy.
    speech_in_queue_limit: int = Field(4, ge=1)
    speech_in_max_utterance_s: float = Field(30.0, gt=0, le=120)
    speech_in_timeout_s: float = Field(30.0, gt=0)
    # Whisper's language detection as a check on the session's language, for transcripts the model
    # was unsure of (it costs one more encoder pass; avatar_bridge/speech_in/recognise.py).
    speech_in_language_check: bool = True
    # Diagnostics only, off by default: keep every utterance as a WAV file in this directory. Unset,
    # audio lives in memory for one recognition and is never written or logged.
    speech_in_keep_audio_dir: Path | None = None

    # On shutdown, running turns get this long to finish; unfinished ones are reported to the
    # client as turn_interrupted when it resumes.
    shutdown_grace_s: float = Field(5.0, ge=0)

    # Validate every outgoing frame against its schema (tests turn it on; costs CPU).
    validate_outgoing: bool = False

    @model_validator(mode="after")
    def _secrets_in_production(self) -> "Settings":
        if not self.production:
            return self
        require_production_secrets(
            {
                f"AVATAR_BRIDGE_{name.upper()}": (value.get_secret_value() if value is not None else None)
                for name, value in (
                    ("nlg_token", self.nlg_token),
                    ("audio_url_secret", self.audio_url_secret),
                    ("rasa_jwt_secret", self.rasa_jwt_secret),
                    ("redis_password", self.redis_password),
                )
            }
        )
        return self

    def audio_secret(self) -> bytes:
        if self.audio_url_secret is not None:
            return self.audio_url_secret.get_secret_value().encode()
        return DEVELOPMENT_AUDIO_URL_SECRET.encode()

    def assistant_name(self, avatar: str) -> str:
        """What the assistant is called while `avatar` is shown: WIDGET_NAME when the operator set
        one, else the avatar's own name."""
        return self.widget_name or avatar_name(avatar)

    def widget(self, avatar: str) -> dict:
        """The public /widget-config.json document while `avatar` is shown."""
        greetings = {"en": self.widget_greeting_en, "de": self.widget_greeting_de}
        return widget_config(self.assistant_name(avatar), self.widget_accent, self.widget_logo_url, greetings)

    def key(self, *parts: str) -> str:
        """A Redis key under this bridge's prefix."""
        return prefixed(self.redis_key_prefix, *parts)

    @property
    def rasa_base(self) -> str:
        return str(self.rasa_url).rstrip("/")

    @property
    def action_server_base(self) -> str | None:
        return str(self.action_server_url).rstrip("/") if self.action_server_url is not None else None
