"""Production mode takes every secret from the configuration: every service refuses to start
without one, or with the repository's public development value, and says which
(docs/operations.md "Threat model")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from avatar_bridge.core.config import Settings
from common.service_auth import DEVELOPMENT_SECRETS, production_secret_problems
from handoff.core.config import HandoffSettings
from launcher.services import local_services
from launcher.settings import LauncherSettings

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
REAL = "r3al-secret-" + "x" * 20


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (None, "missing"),
        ("", "missing"),
        ("short", "shorter than 16 characters"),
        *((secret, "the public development value") for secret in sorted(DEVELOPMENT_SECRETS)),
    ],
)
def test_unusable_secrets_are_named_with_the_reason(value: str | None, problem: str) -> None:
    assert production_secret_problems({"SOME_SECRET": value}) == [f"SOME_SECRET ({problem})"]
    assert production_secret_problems({"SOME_SECRET": REAL}) == []


def test_the_bridge_names_each_unusable_secret() -> None:
    with pytest.raises(ValidationError, match=r"AVATAR_BRIDGE_RASA_JWT_SECRET \(the public development value\)"):
        Settings(production=True, nlg_token=REAL, audio_url_secret=REAL, redis_password=REAL)


def test_the_handoff_service_needs_real_secrets_and_never_seeds_demo_users() -> None:
    with pytest.raises(ValidationError) as refused:
        HandoffSettings(production=True)
    assert "HANDOFF_RASA_JWT_SECRET (the public development value)" in str(refused.value)
    assert "HANDOFF_REDIS_PASSWORD (missing)" in str(refused.value)
    with pytest.raises(ValidationError, match="demo users"):
        HandoffSettings(production=True, rasa_jwt_secret=REAL, redis_password=REAL, seed_demo_users=True)
    assert HandoffSettings(production=True, rasa_jwt_secret=REAL, redis_password=REAL).seed_demo_users is False


def test_the_launcher_refuses_production_with_development_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AVATAR_BRIDGE_NLG_TOKEN", "RASA_JWT_SECRET", "ACTION_SERVER_TOKEN", "REDIS_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PRODUCTION", "true")
    with pytest.raises(ValueError) as refused:
        LauncherSettings.from_env()
    for problem in (
        "RASA_JWT_SECRET (the public development value)",
        "ACTION_SERVER_TOKEN (the public development value)",
        "AVATAR_BRIDGE_NLG_TOKEN (the public development value)",
        "REDIS_PASSWORD (missing)",
    ):
        assert problem in str(refused.value)


def test_the_launcher_hands_each_service_its_secrets_outside_command_lines(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "CURRENT").write_text("m.tar.gz")
    settings = LauncherSettings.from_env(
        root=ROOT,
        var_dir=tmp_path,
        production=True,
        rasa_jwt_secret="jwt-" + REAL,
        nlg_token="nlg-" + REAL,
        action_server_token="act-" + REAL,
        redis_password="redis-" + REAL,
    )
    specs = {spec.name: spec for spec in local_services(settings)}
    secrets = ("jwt-" + REAL, "nlg-" + REAL, "act-" + REAL, "redis-" + REAL)
    for spec in specs.values():  # a command line is visible to every local user (ps)
        assert not any(secret in " ".join(spec.command) for secret in secrets), spec.name
    assert specs["rasa"].env["RASA_JWT_SECRET"] == "jwt-" + REAL
    assert specs["rasa"].env["ACTION_SERVER_TOKEN"] == "act-" + REAL
    assert specs["rasa"].env["AVATAR_BRIDGE_NLG_TOKEN"] == "nlg-" + REAL
    assert specs["action-server"].env["ACTION_SERVER_TOKEN"] == "act-" + REAL
    assert "RASA_JWT_SECRET" not in specs["action-server"].env  # only what each one needs
    assert specs["avatar-bridge"].env["AVATAR_BRIDGE_RASA_JWT_SECRET"] == "jwt-" + REAL
    assert specs["avatar-bridge"].env["AVATAR_BRIDGE_REDIS_PASSWORD"] == "redis-" + REAL
    assert specs["avatar-bridge"].env["PRODUCTION"] == "true"  # the one switch, for every service
    assert specs["handoff"].env["HANDOFF_RASA_JWT_SECRET"] == "jwt-" + REAL
    assert specs["handoff"].env["PRODUCTION"] == "true"
    for name in ("rasa", "action-server"):
        assert specs[name].env["PRODUCTION"] == "true"
        assert specs[name].env["REDIS_PASSWORD"] == "redis-" + REAL
    # Redis reads its password from a file only this user can read.
    redis_config = Path(specs["redis"].command[1])
    assert redis_config.read_text().strip() == f'requirepass "redis-{REAL}"'
    assert redis_config.stat().st_mode & 0o077 == 0


def _clean_env(**extra: str) -> dict[str, str]:
    prefixes = ("AVATAR_BRIDGE_", "HANDOFF_", "RASA_JWT", "ACTION_SERVER", "REDIS_PASSWORD", "PRODUCTION")
    clean = {name: value for name, value in os.environ.items() if not name.startswith(prefixes)}
    return {**clean, "PYTHONPATH": str(ROOT), **extra}


@pytest.mark.parametrize(
    ("command", "env", "expected"),
    [
        (
            [sys.executable, "-m", "avatar_bridge"],
            {"PRODUCTION": "true"},
            "AVATAR_BRIDGE_RASA_JWT_SECRET (the public development value)",
        ),
        (
            [sys.executable, "-m", "handoff"],
            {"PRODUCTION": "true"},
            "HANDOFF_RASA_JWT_SECRET (the public development value)",
        ),
        (
            [str(RASA_PYTHON), "-m", "bot.server.actions"],
            {"PRODUCTION": "true", "ACTION_SERVER_TOKEN": "development-action-server-token"},
            "ACTION_SERVER_TOKEN (the public development value)",
        ),
        (
            [str(RASA_PYTHON), "-m", "bot.server.rasa"],
            {"PRODUCTION": "true", "ACTION_SERVER_TOKEN": REAL},
            "RASA_JWT_SECRET (missing)",
        ),
    ],
)
def test_a_production_start_with_unusable_secrets_exits_with_the_reason(
    command: list[str], env: dict[str, str], expected: str
) -> None:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, env=_clean_env(**env))
    assert result.returncode != 0
    assert "production mode needs real secrets from the configuration" in result.stderr
    assert expected in result.stderr


def test_rasa_refuses_options_that_would_weaken_its_api() -> None:
    for option in ("--auth-token", "--cors"):
        result = subprocess.run(
            [str(RASA_PYTHON), "-m", "bot.server.rasa", option, "x"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env=_clean_env(RASA_JWT_SECRET=REAL, ACTION_SERVER_TOKEN=REAL, AVATAR_BRIDGE_NLG_TOKEN=REAL),
        )
        assert result.returncode == 2 and f"{option}: set by this entry point" in result.stderr
