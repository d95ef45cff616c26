"""The services that make up the local system, in start order."""

from __future__ import annotations

from launcher.process import ServiceSpec
from launcher.settings import LauncherSettings


def redis_spec(settings: LauncherSettings) -> ServiceSpec:
    data_dir = settings.var_dir / "redis"
    data_dir.mkdir(parents=True, exist_ok=True)
    return ServiceSpec(
        name="redis",
        command=[
            "redis-server",
            "--bind", "127.0.0.1",
            "--port", str(settings.redis_port),
            "--dir", str(data_dir),
            # Durable: conversations and handoffs survive a Redis restart.
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "60 1",
        ],
        cwd=settings.root,
        ready_port=settings.redis_port,
        ready_timeout=20,
    )


def _service_env(settings: LauncherSettings) -> dict[str, str]:
    return {
        "PYTHONPATH": str(settings.root),
        "REDIS_HOST": settings.redis_host,
        "REDIS_PORT": str(settings.redis_port),
        "REDIS_DB": str(settings.redis_db),
        "REDIS_URL": settings.redis_url,
        "ACTION_SERVER_URL": settings.action_server_url,
        "CUSTOMER_DB_URL": settings.customer_db_url,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    }


def action_server_spec(settings: LauncherSettings) -> ServiceSpec:
    rasa = settings.root / ".venv-rasa" / "bin" / "rasa"
    return ServiceSpec(
        name="action-server",
        command=[str(rasa), "run", "actions", "--actions", "bot.actions",
                 "--port", str(settings.action_server_port)],
        cwd=settings.root,
        env=_service_env(settings),
        ready_url=f"http://127.0.0.1:{settings.action_server_port}/health",
        ready_timeout=90,
    )


def rasa_spec(settings: LauncherSettings) -> ServiceSpec:
    rasa = settings.root / ".venv-rasa" / "bin" / "rasa"
    return ServiceSpec(
        name="rasa",
        command=[
            str(rasa), "run",
            "--enable-api",
            "--interface", "127.0.0.1",
            "--port", str(settings.rasa_port),
            "--model", str(settings.current_model()),
            "--endpoints", "bot/endpoints.yml",
            "--credentials", "bot/credentials.yml",
            "--cors", "*",
        ],
        cwd=settings.root,
        env=_service_env(settings),
        # /status answers only once the model is loaded.
        ready_url=f"{settings.rasa_url}/status",
        ready_timeout=240,
        public_url=f"{settings.rasa_url}/webhooks/rest/webhook",
    )


def local_services(settings: LauncherSettings, *, start_redis: bool = True) -> list[ServiceSpec]:
    specs = [action_server_spec(settings), rasa_spec(settings)]
    return ([redis_spec(settings)] if start_redis else []) + specs
