"""The one settings object of the action server, read from the environment on first use.

    from bot.actions.settings import get_settings
    get_settings().customer_db_url

Names follow the project's convention (docs/architecture.md "Configuration"): the action server's
own settings carry the prefix ``ACTIONS_``; facts of the whole deployment are unprefixed and shared
with the other services (``PRODUCTION``, ``REDIS_URL``, ``REDIS_PASSWORD``, ``CUSTOMER_DB_URL``) or
with Rasa, which sends the token (``ACTION_SERVER_TOKEN``, ``ACTION_SERVER_HOST``/``_PORT``), or
with the shop, which signs its customer tokens (``SHOP_TOKEN_SECRET``, docs/shop-integration.md).
Rasa's environment has pydantic 1, whose ``BaseSettings`` is the same idea as pydantic-settings.

Tests change the environment and call `get_settings.cache_clear()` (and
`bot.actions.base.reset_clients()` for the connections built from the settings).
"""

from functools import lru_cache
from pathlib import Path

from pydantic import AnyHttpUrl, BaseSettings, Field, root_validator, validator

from common.service_auth import DEVELOPMENT_SHOP_TOKEN_SECRET, require_production_secrets

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CUSTOMER_DB_URL = f"sqlite:///{REPO_ROOT / 'var' / 'customer.db'}"


class ActionSettings(BaseSettings):
    """Where the action server listens, whom it answers, and where it finds its data."""

    # The one production switch of the deployment (docs/operations.md "Secrets").
    production: bool = Field(False, env="PRODUCTION")
    # Loopback unless a container needs its internal network (docs/operations.md "Threat model").
    host: str = Field("127.0.0.1", env="ACTION_SERVER_HOST")
    port: int = Field(5055, env="ACTION_SERVER_PORT", ge=1, le=65535)
    # Rasa's calls carry it (bot/endpoints.yml); nothing else is answered.
    token: str = Field("", env="ACTION_SERVER_TOKEN")

    customer_db_url: str = Field(DEFAULT_CUSTOMER_DB_URL, env="CUSTOMER_DB_URL")
    redis_url: str = Field("redis://127.0.0.1:6390/0", env="REDIS_URL")
    # Apart from the URL, so that it never shows in one; empty in development.
    redis_password: str = Field("", env="REDIS_PASSWORD")
    reset_link_base_url: AnyHttpUrl = Field("http://localhost:8000/reset-password", env="RESET_LINK_BASE_URL")
    # Short timeouts: a customer waits for the answer while the action talks to Redis.
    redis_timeout_seconds: float = Field(2.0, env="ACTIONS_REDIS_TIMEOUT_SECONDS", gt=0)

    # Shared with the shop, which signs its customer tokens with it (contracts/shop_token.py).
    # Empty in production: the shop's sign-in is off and customers verify in the chat.
    shop_token_secret: str = Field("", env="SHOP_TOKEN_SECRET")

    class Config:
        allow_mutation = False

    @validator("customer_db_url", "redis_url")
    def _not_blank(cls, value: str) -> str:  # noqa: N805 (pydantic passes the class)
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @root_validator(skip_on_failure=True)
    def _secrets(cls, values: dict) -> dict:  # noqa: N805
        # Development needs a token only to serve (bot/server/actions.py checks); the actions'
        # unit tests run without one.
        if values["production"]:
            require_production_secrets(
                {"ACTION_SERVER_TOKEN": values["token"], "REDIS_PASSWORD": values["redis_password"]}
            )
            if values["shop_token_secret"]:
                require_production_secrets({"SHOP_TOKEN_SECRET": values["shop_token_secret"]})
        return values

    @property
    def shop_secret(self) -> str:
        """The secret shop tokens are checked with; empty: the shop's sign-in is off."""
        if self.shop_token_secret or self.production:
            return self.shop_token_secret
        return DEVELOPMENT_SHOP_TOKEN_SECRET


@lru_cache(maxsize=1)
def get_settings() -> ActionSettings:
    """Return the settings, reading the environment the first time only."""
    return ActionSettings()
