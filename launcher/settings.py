"""Launcher settings, read once from the environment (scripts/env.sh sets the defaults)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


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

    @property
    def redis_url(self) -> str:
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
            "nlg_token": os.environ.get("AVATAR_BRIDGE_NLG_TOKEN", "local-development-token"),
            "customer_db_url": os.environ.get(
                "CUSTOMER_DB_URL", f"sqlite:///{root / 'var' / 'customer.db'}"
            ),
            "var_dir": root / "var",
            "handoff_port": int(os.environ.get("HANDOFF_PORT", "8780")),
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    def current_model(self) -> Path:
        """The model `make train` produced last (models/CURRENT names it)."""
        marker = self.root / "models" / "CURRENT"
        if not marker.exists():
            raise FileNotFoundError("no trained model: run `make train` first")
        return self.root / "models" / marker.read_text().strip()
