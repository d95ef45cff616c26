"""The one settings object of the action server, read from the environment on first use.

    from bot.actions.settings import get_settings
    get_settings().customer_db_url

Tests change the environment and call `get_settings.cache_clear()` (and
`bot.actions.base.reset_clients()` for the connections built from the settings).
"""

from functools import lru_cache
from pathlib import Path

from pydantic import AnyHttpUrl, BaseSettings, Field, validator

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CUSTOMER_DB_URL = f"sqlite:///{REPO_ROOT / 'var' / 'customer.db'}"


class ActionSettings(BaseSettings):
    """Where the action server finds the customer database, Redis and the reset page."""

    customer_db_url: str = Field(DEFAULT_CUSTOMER_DB_URL, env="CUSTOMER_DB_URL")
    redis_url: str = Field("redis://localhost:6379/0", env="REDIS_URL")
    # Apart from the URL, so that it never shows in one; empty in development.
    redis_password: str = Field("", env="REDIS_PASSWORD")
    reset_link_base_url: AnyHttpUrl = Field(
        "http://localhost:8000/reset-password", env="RESET_LINK_BASE_URL"
    )
    # Short timeouts: a customer waits for the answer while the action talks to Redis.
    redis_timeout_seconds: float = Field(2.0, env="ACTIONS_REDIS_TIMEOUT_SECONDS", gt=0)

    class Config:
        allow_mutation = False

    @validator("customer_db_url", "redis_url")
    def _not_blank(cls, value: str) -> str:  # noqa: N805 (pydantic passes the class)
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()


@lru_cache(maxsize=1)
def get_settings() -> ActionSettings:
    """Return the settings, reading the environment the first time only."""
    return ActionSettings()
