"""The services that make up the local system, in start order."""

from __future__ import annotations

import os
from pathlib import Path

from launcher.process import ServiceSpec
from launcher.settings import LauncherSettings

# Durable: conversations, handoffs and queues survive a Redis restart or crash. Every write goes
# to the append-only file before Redis answers (a killed Redis loses nothing it acknowledged);
# the file is fsynced every second (a power cut loses at most about a second), plus a snapshot
# each minute something changed. docker-compose.yml uses the same flags (a test checks);
# docs/operations.md ("Fault behaviour") says why not `appendfsync always`.
REDIS_PERSISTENCE = ("--appendonly", "yes", "--appendfsync", "everysec", "--save", "60 1")


def _redis_config(settings: LauncherSettings, data_dir: Path) -> list[str]:
    """A config file holding the password (readable by this user only), so that it never appears
    on a command line; none in development."""
    if not settings.redis_password:
        return []
    config = data_dir / "redis-auth.conf"
    config.touch(mode=0o600, exist_ok=True)
    config.chmod(0o600)
    config.write_text(f'requirepass "{settings.redis_password}"\n')
    return [str(config)]


def redis_spec(settings: LauncherSettings) -> ServiceSpec:
    data_dir = settings.var_dir / "redis"
    data_dir.mkdir(parents=True, exist_ok=True)
    return ServiceSpec(
        name="redis",
        command=[
            "redis-server",
            *_redis_config(settings, data_dir),
            "--bind",
            "127.0.0.1",
            "--port",
            str(settings.redis_port),
            "--dir",
            str(data_dir),
            *REDIS_PERSISTENCE,
        ],
        cwd=settings.root,
        ready_port=settings.redis_port,
        ready_timeout=20,
    )


def _service_env(settings: LauncherSettings) -> dict[str, str]:
    """The environment of the Rasa processes (Rasa and the action server)."""
    return {
        # common/site holds a sitecustomize that masks personal data in every log record of
        # these processes (common/log_privacy.py; Rasa and Sanic set up their own handlers).
        "PYTHONPATH": os.pathsep.join((str(settings.root), str(settings.root / "common" / "site"))),
        "REDIS_HOST": settings.redis_host,
        "REDIS_PORT": str(settings.redis_port),
        "REDIS_DB": str(settings.redis_db),
        "REDIS_URL": settings.redis_url,
        "REDIS_PASSWORD": settings.redis_password,
        "ACTION_SERVER_URL": settings.action_server_url,
        "ACTION_SERVER_TOKEN": settings.action_server_token,
        "CUSTOMER_DB_URL": settings.customer_db_url,
        "AVATAR_BRIDGE_NLG_URL": f"{settings.bridge_url}/nlg",
        "RASA_TRACKER_RETENTION_S": str(settings.tracker_retention_s),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PRODUCTION": "true" if settings.production else "false",
    }


def _secret_env(settings: LauncherSettings, prefix: str) -> dict[str, str]:
    """Rasa's JWT secret, the Redis password and the production switch for one of our services."""
    return {
        f"{prefix}RASA_JWT_SECRET": settings.rasa_jwt_secret,
        f"{prefix}REDIS_PASSWORD": settings.redis_password,
        "PRODUCTION": "true" if settings.production else "false",
    }


def action_server_spec(settings: LauncherSettings) -> ServiceSpec:
    python = settings.root / ".venv-rasa" / "bin" / "python"
    return ServiceSpec(
        name="action-server",
        # Our entry point: loopback only, and only Rasa's calls (bot/server/actions.py).
        command=[str(python), "-m", "bot.server.actions"],
        cwd=settings.root,
        env={
            **_service_env(settings),
            "ACTION_SERVER_HOST": "127.0.0.1",
            "ACTION_SERVER_PORT": str(settings.action_server_port),
        },
        ready_url=f"http://127.0.0.1:{settings.action_server_port}/health",
        ready_timeout=90,
    )


def rasa_spec(settings: LauncherSettings) -> ServiceSpec:
    python = settings.root / ".venv-rasa" / "bin" / "python"
    return ServiceSpec(
        name="rasa",
        # `rasa run --enable-api` with its API behind JWT (bot/server/rasa.py); loopback only,
        # because Rasa's channel webhooks are not covered by the API's authentication.
        command=[
            str(python),
            "-m",
            "bot.server.rasa",
            "--interface",
            "127.0.0.1",
            "--port",
            str(settings.rasa_port),
            "--model",
            str(settings.current_model()),
            "--endpoints",
            "bot/endpoints.yml",
            "--credentials",
            "bot/credentials.yml",
        ],
        cwd=settings.root,
        env={
            **_service_env(settings),
            "RASA_JWT_SECRET": settings.rasa_jwt_secret,
            "AVATAR_BRIDGE_NLG_TOKEN": settings.nlg_token,
        },
        # Rasa loads the model before it listens, so its open root answers only once it is loaded.
        ready_url=f"{settings.rasa_url}/",
        ready_timeout=240,
        public_url=f"{settings.rasa_url}/webhooks/rest/webhook",
    )


def avatar_bridge_spec(settings: LauncherSettings) -> ServiceSpec:
    python = settings.root / ".venv" / "bin" / "python"
    return ServiceSpec(
        name="avatar-bridge",
        command=[str(python), "-m", "avatar_bridge"],
        cwd=settings.root,
        env={
            "PYTHONPATH": str(settings.root),
            "AVATAR_BRIDGE_HOST": "127.0.0.1",
            "AVATAR_BRIDGE_PORT": str(settings.bridge_port),
            "AVATAR_BRIDGE_RASA_URL": settings.rasa_url,
            # Probed (GET /health) to tell the customer plainly when lookups are down.
            "AVATAR_BRIDGE_ACTION_SERVER_URL": settings.action_server_url,
            "AVATAR_BRIDGE_REDIS_URL": settings.redis_url,
            "AVATAR_BRIDGE_NLG_TOKEN": settings.nlg_token,
            "AVATAR_BRIDGE_SPEECH_CACHE_DIR": str(settings.var_dir / "avatar_bridge" / "speech"),
            # The avatar chosen in the admin console (kept with the rest of this system's state).
            "AVATAR_BRIDGE_AVATAR_CHOICE_PATH": str(settings.var_dir / "avatar_bridge" / "settings" / "avatar.yml"),
            **_secret_env(settings, "AVATAR_BRIDGE_"),
        },
        # /readyz waits for Rasa, which starts after the bridge (Rasa renders replies through it).
        ready_url=f"{settings.bridge_url}/healthz",
        ready_timeout=60,
        public_url=f"ws://127.0.0.1:{settings.bridge_port}/ws/v1",
    )


def handoff_spec(settings: LauncherSettings) -> ServiceSpec:
    python = settings.root / ".venv" / "bin" / "python"
    return ServiceSpec(
        name="handoff",
        command=[str(python), "-m", "handoff"],
        cwd=settings.root,
        env={
            "PYTHONPATH": str(settings.root),
            "HANDOFF_HOST": "127.0.0.1",
            "HANDOFF_PORT": str(settings.handoff_port),
            "HANDOFF_REDIS_URL": settings.redis_url,
            # Users, outcomes and the admin console's data (docs/handoff.md).
            "HANDOFF_DATABASE_URL": f"sqlite:///{settings.var_dir / 'handoff.db'}",
            "HANDOFF_BRIDGE_URL": settings.bridge_url,
            "HANDOFF_RASA_URL": settings.rasa_url,
            "CUSTOMER_DB_URL": settings.customer_db_url,
            **_secret_env(settings, "HANDOFF_"),
        },
        ready_url=f"{settings.handoff_url}/readyz",
        ready_timeout=60,
        public_url=f"{settings.handoff_url}/agent",
    )


def local_services(settings: LauncherSettings, *, start_redis: bool = True) -> list[ServiceSpec]:
    specs = [handoff_spec(settings), avatar_bridge_spec(settings), action_server_spec(settings), rasa_spec(settings)]
    return ([redis_spec(settings)] if start_redis else []) + specs
