"""The handoff service's one settings object.

Created once by the app factory (or the entry point) and handed to everything else. Environment
variables use the prefix ``HANDOFF_`` (``HANDOFF_PORT=8780``); the customer database URL is the
shared ``CUSTOMER_DB_URL``. In production mode there are no development defaults for secrets.
"""

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from common.http_guard import TrustedProxies
from common.rasa_http import RasaApiAuth
from common.service_auth import DEVELOPMENT_RASA_JWT_SECRET, require_production_secrets
from contracts.redis_keys import BRIDGE_PREFIX, HANDOFF_PREFIX, HANDOFF_REQUESTS_STREAM, prefixed

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPOSITORY_ROOT = PACKAGE_DIR.parent


class HandoffSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HANDOFF_", extra="ignore")

    # The deployment's one production switch, PRODUCTION (docs/operations.md "Secrets").
    production: bool = Field(False, validation_alias=AliasChoices("PRODUCTION", "production"))
    host: str = "127.0.0.1"
    port: int = Field(8780, ge=1, le=65535)
    log_level: str = "info"
    # Proxies whose X-Forwarded-For is believed (IPs or CIDRs, comma separated): it then gives the
    # client address the per-address limits use. Empty: nobody's (docs/operations.md).
    trusted_proxies: TrustedProxies = ""

    redis_url: str = "redis://127.0.0.1:6390/0"
    # Redis's connection pool (common/redis_pool.py): its size (None: sized from the per-address
    # limits below) and how long a command waits for a free connection before it fails.
    redis_max_connections: int | None = Field(None, ge=4)
    redis_pool_timeout_s: float = Field(2.0, gt=0)
    database_url: str = f"sqlite:///{REPOSITORY_ROOT / 'var' / 'handoff.db'}"
    customer_db_url: str = Field(
        f"sqlite:///{REPOSITORY_ROOT / 'var' / 'customer.db'}",
        validation_alias=AliasChoices("CUSTOMER_DB_URL", "HANDOFF_CUSTOMER_DB_URL"),
    )
    bridge_url: str = "http://127.0.0.1:8765"
    rasa_url: str = "http://127.0.0.1:5005"
    # Every Rasa server behind rasa_url (comma separated), so that the admin console switches a
    # model on all of them; empty: rasa_url is the only server (docs/admin.md "Several Rasa servers").
    rasa_instance_urls: str = ""

    # This instance's consumer name in the Redis stream groups. Stable across restarts: a restarted
    # instance re-reads the entries it had read but not finished. Give each instance its own
    # (docs/deployment.md says what else two instances would still share badly).
    instance_id: str = Field("handoff-1", pattern=r"^[A-Za-z0-9._-]{1,64}$")

    # Redis streams shared with the bot and the bridge (contracts/redis_keys.py, docs/protocol.md §9).
    requests_stream: str = HANDOFF_REQUESTS_STREAM
    bridge_prefix: str = BRIDGE_PREFIX
    key_prefix: str = HANDOFF_PREFIX

    # Auth: bearer tokens live this long without use being renewed (seconds).
    token_ttl_seconds: int = Field(8 * 3600, ge=60)
    # Demo users are seeded only when this is on and production is off.
    seed_demo_users: bool = True

    # Queue and routing (docs/handoff.md "Routing").
    # A claimed conversation whose agent has no live console for this long returns to the queue.
    claim_timeout_seconds: int = Field(60, ge=5)
    # Agents' consoles refresh their presence at least this often.
    presence_interval_seconds: float = Field(5.0, gt=0)
    # Emotional load: half-life of the per-agent load figure, threshold below which a heavy case
    # may be offered, distress from which a case counts as heavy.
    load_half_life_seconds: int = Field(900, ge=1)
    load_threshold: float = Field(0.5, ge=0)
    heavy_distress: float = Field(0.6, ge=0, le=1)
    # A heavy case waiting this long is offered to the least-loaded eligible agent anyway.
    heavy_override_seconds: int = Field(300, ge=0)
    # Supervisor view (handoff/supervision/): the shift the roster counts over, and the run of
    # heavy cases in a row after which it suggests the agent pauses.
    shift_hours: float = Field(8.0, gt=0, le=24)
    heavy_run_nudge: int = Field(2, ge=1)
    # Priority = distress_weight * distress + wait_weight_per_minute * minutes waiting + bonus.
    distress_weight: float = 60.0
    wait_weight_per_minute: float = 10.0
    # Expected wait (docs/handoff.md "Expected wait"): the handle time assumed until
    # handle_min_samples conversations have been measured; from long_wait_seconds on the customer
    # is offered a call back or an e-mail reply instead of waiting.
    default_handle_seconds: int = Field(240, ge=1)
    handle_min_samples: int = Field(5, ge=1)
    long_wait_seconds: int = Field(900, ge=60)
    # How often customers in the queue get an updated position.
    status_interval_seconds: float = Field(15.0, gt=0)

    # Limits (requests larger than this get 413, chunked or not; docs/operations.md).
    max_request_bytes: int = Field(64 * 1024, ge=1024)
    # Per client IP, in Redis: HTTP requests and new console WebSockets (/healthz, /readyz and
    # /metrics are not limited). Agents behind one office address share the bucket.
    ip_requests_per_second: float = Field(30.0, gt=0)
    ip_request_burst: int = Field(200, ge=1)
    ip_connections_per_second: float = Field(2.0, gt=0)
    ip_connection_burst: int = Field(30, ge=1)
    max_message_chars: int = Field(2000, ge=1)
    # Failed sign-ins (handoff/auth/sign_in_limits.py): attempts per username and per client
    # address within the window; over either, sign-in answers 429 until the window has passed.
    login_failures_per_user: int = Field(5, ge=1)
    login_failures_per_address: int = Field(20, ge=1)
    login_failure_window_seconds: int = Field(900, ge=1)

    # Bot-only conversations with no activity for this long are recorded as ended by the bot.
    idle_end_seconds: int = Field(1800, ge=10)

    admin_bootstrap_password: SecretStr | None = None
    # Rasa's JWT secret: the service signs short-lived tokens for Rasa's HTTP API (handing a
    # conversation back, switching models; common/service_auth.py). A real one in production.
    rasa_jwt_secret: SecretStr = SecretStr(DEVELOPMENT_RASA_JWT_SECRET)
    # Redis's password, kept out of redis_url so it never shows in one; required in production.
    redis_password: SecretStr | None = None

    @field_validator("rasa_instance_urls")
    @classmethod
    def _instance_urls_are_http(cls, value: str) -> str:
        for url in (part.strip() for part in value.split(",")):
            if url and not url.startswith(("http://", "https://")):
                raise ValueError(f"HANDOFF_RASA_INSTANCE_URLS: {url!r} is not an http(s) URL")
        return value

    @model_validator(mode="after")
    def _production_has_no_demo_data(self) -> "HandoffSettings":
        if not self.production:
            return self
        if self.seed_demo_users and "seed_demo_users" in self.model_fields_set:
            raise ValueError("production mode never seeds the demo users: unset HANDOFF_SEED_DEMO_USERS")
        self.seed_demo_users = False
        require_production_secrets(
            {
                "HANDOFF_RASA_JWT_SECRET": self.rasa_jwt_secret.get_secret_value(),
                "HANDOFF_REDIS_PASSWORD": self.redis_password.get_secret_value() if self.redis_password else None,
            }
        )
        return self

    def rasa_instances(self) -> list[str]:
        return [url.strip() for url in self.rasa_instance_urls.split(",") if url.strip()] or [self.rasa_url]

    def redis_password_value(self) -> str | None:
        return self.redis_password.get_secret_value() if self.redis_password is not None else None

    def rasa_auth(self) -> RasaApiAuth:
        return RasaApiAuth(self.rasa_jwt_secret.get_secret_value(), "handoff")

    def key(self, *parts: str) -> str:
        return prefixed(self.key_prefix, *parts)

    def bridge_key(self, *parts: str) -> str:
        return prefixed(self.bridge_prefix, *parts)
