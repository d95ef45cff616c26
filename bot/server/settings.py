"""What Rasa's own process reads from the environment at start (never at import): the secrets it
uses or passes on. The action server's settings are bot/actions/settings.py.

A small dataclass (Rasa's environment has no pydantic-settings); the names are the ones
scripts/env.sh, the launcher and docker-compose.yml set.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping, Optional

from common.service_auth import require_production_secrets

_TRUE = ("1", "true", "yes")


@dataclass(frozen=True)
class RasaSettings:
    production: bool
    rasa_jwt_secret: Optional[str]
    action_server_token: Optional[str]
    nlg_token: Optional[str]
    redis_password: Optional[str]

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "RasaSettings":
        return cls(
            production=env.get("PRODUCTION", "").lower() in _TRUE,
            rasa_jwt_secret=env.get("RASA_JWT_SECRET") or None,
            action_server_token=env.get("ACTION_SERVER_TOKEN") or None,
            nlg_token=env.get("AVATAR_BRIDGE_NLG_TOKEN") or None,
            redis_password=env.get("REDIS_PASSWORD") or None,
        )

    def check(self, *needed: str) -> None:
        """Every secret in `needed` (environment names) must be set; in production, real."""
        values = {
            "RASA_JWT_SECRET": self.rasa_jwt_secret,
            "ACTION_SERVER_TOKEN": self.action_server_token,
            "AVATAR_BRIDGE_NLG_TOKEN": self.nlg_token,
            "REDIS_PASSWORD": self.redis_password,
        }
        if self.production:
            require_production_secrets({name: values[name] for name in needed})
            return
        missing = [name for name in needed if name != "REDIS_PASSWORD" and not values[name]]
        if missing:
            raise ValueError(f"set {', '.join(missing)} (scripts/env.sh has development values)")
