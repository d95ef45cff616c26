"""Launcher settings, read once from the environment (scripts/env.sh sets the defaults)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from common.service_auth import (
    DEVELOPMENT_ACTION_SERVER_TOKEN,
    DEVELOPMENT_NLG_TOKEN,
    DEVELOPMENT_RASA_JWT_SECRET,
    require_production_secrets,
)

# Rasa keeps a conversation this long after its last message: 30 days.
DEFAULT_TRACKER_RETENTION_S = 30 * 24 * 3600


@dataclass(frozen=True)
class LauncherSettings:
    root: Path
    redis_host: str
    redis_port: int
    redis_db: int
    rasa_port: int
    action_server_port: int
    bridge_port: int
    # Shared by Rasa (NLG endpoint token) and the bridge; a development value by default.
    nlg_token: str
    customer_db_url: str
    # Where logs and runtime data (Redis files, SQLite) go.
    var_dir: Path
    # The handoff service (agent and supervisor consoles); its SQL database lives in var_dir.
    handoff_port: int = 8780
    # Secrets between our services (docs/operations.md "Threat model"): Rasa's JWT secret (its HTTP
    # API; the bridge and the handoff service sign tokens with it), the action server's bearer
    # token (only Rasa calls it), and Redis's password. Development mode uses public values and
    # no Redis password; production mode (PRODUCTION=true) refuses to start without real ones.
    rasa_jwt_secret: str = DEVELOPMENT_RASA_JWT_SECRET
    action_server_token: str = DEVELOPMENT_ACTION_SERVER_TOKEN
    redis_password: str = ""
    production: bool = False
    # How long Rasa keeps a conversation's tracker in Redis after its last message (bot/endpoints.yml).
    tracker_retention_s: int = DEFAULT_TRACKER_RETENTION_S

    def __post_init__(self) -> None:
        if self.tracker_retention_s < 1:
            raise ValueError("RASA_TRACKER_RETENTION_S must be a whole number of seconds, at least 1")

    @property
    def redis_url(self) -> str:
        """Without the password: services get it separately, so it never sits in a URL or a log."""
        return f"redis://{self.redis_host}:{self.redis_port}/{self.redis_db}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def bridge_url(self) -> str:
        return f"http://127.0.0.1:{self.bridge_port}"

    @property
    def handoff_url(self) -> str:
        return f"http://127.0.0.1:{self.handoff_port}"

    @property
    def action_server_url(self) -> str:
        return f"http://127.0.0.1:{self.action_server_port}/webhook"

    @classmethod
    def from_env(cls, **overrides: object) -> "LauncherSettings":
        root = Path(os.environ.get("PROJECT_ROOT") or Path(__file__).resolve().parents[1])
        values: dict[str, object] = {
            "root": root,
            "redis_host": os.environ.get("REDIS_HOST", "127.0.0.1"),
            "redis_port": int(os.environ.get("REDIS_PORT", "6390")),
            "redis_db": int(os.environ.get("REDIS_DB", "0")),
            "rasa_port": int(os.environ.get("RASA_PORT", "5005")),
            "action_server_port": int(os.environ.get("ACTION_SERVER_PORT", "5055")),
            "bridge_port": int(os.environ.get("AVATAR_BRIDGE_PORT", "8765")),
            "nlg_token": os.environ.get("AVATAR_BRIDGE_NLG_TOKEN", DEVELOPMENT_NLG_TOKEN),
            "customer_db_url": os.environ.get("CUSTOMER_DB_URL", f"sqlite:///{root / 'var' / 'customer.db'}"),
            "var_dir": root / "var",
            "handoff_port": int(os.environ.get("HANDOFF_PORT", "8780")),
            "rasa_jwt_secret": os.environ.get("RASA_JWT_SECRET") or DEVELOPMENT_RASA_JWT_SECRET,
            "action_server_token": os.environ.get("ACTION_SERVER_TOKEN") or DEVELOPMENT_ACTION_SERVER_TOKEN,
            "redis_password": os.environ.get("REDIS_PASSWORD", ""),
            "production": os.environ.get("PRODUCTION", "").lower() in ("1", "true", "yes"),
            "tracker_retention_s": int(os.environ.get("RASA_TRACKER_RETENTION_S", str(DEFAULT_TRACKER_RETENTION_S))),
        }
        values.update(overrides)
        settings = cls(**values)  # type: ignore[arg-type]
        settings.check_secrets()
        return settings

    @classmethod
    def on_free_ports(cls, work: Path) -> "LauncherSettings":
        """Every service on a free loopback port (never the defaults someone's `make run` may
        hold), runtime files and the customer database in `work`: for tests and benchmarks."""
        from launcher.process import free_port

        return cls.from_env(
            redis_port=free_port(),
            rasa_port=free_port(),
            action_server_port=free_port(),
            bridge_port=free_port(),
            handoff_port=free_port(),
            var_dir=work,
            customer_db_url=f"sqlite:///{work / 'customer.db'}",
        )

    def check_secrets(self) -> None:
        """In production mode every secret comes from the configuration, never a default."""
        if not self.production:
            return
        require_production_secrets(
            {
                "RASA_JWT_SECRET": self.rasa_jwt_secret,
                "ACTION_SERVER_TOKEN": self.action_server_token,
                "AVATAR_BRIDGE_NLG_TOKEN": self.nlg_token,
                "REDIS_PASSWORD": self.redis_password,
            }
        )

    def current_model(self) -> Path:
        """The model `make train` produced last (models/CURRENT names it)."""
        marker = self.root / "models" / "CURRENT"
        if not marker.exists():
            raise FileNotFoundError("no trained model: run `make train` first")
        return self.root / "models" / marker.read_text().strip()
