"""Production mode takes every secret from the configuration: start-up fails with a clear
message naming what is missing (docs/operations.md "Secrets")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from avatar_bridge.core.config import Settings
from handoff.core.config import HandoffSettings
from launcher.services import local_services
from launcher.settings import LauncherSettings

ROOT = Path(__file__).resolve().parents[2]


def test_the_bridge_names_each_missing_secret() -> None:
    with pytest.raises(ValidationError, match="missing: AVATAR_BRIDGE_RASA_TOKEN"):
        Settings(environment="production", nlg_token="n", audio_url_secret="a")
    with pytest.raises(ValidationError, match="AVATAR_BRIDGE_NLG_TOKEN"):
        Settings(environment="production", nlg_token="", audio_url_secret="a", rasa_token="r")


def test_the_handoff_service_needs_the_rasa_token_and_never_seeds_demo_users() -> None:
    with pytest.raises(ValidationError, match="missing: HANDOFF_RASA_TOKEN"):
        HandoffSettings(production=True)
    with pytest.raises(ValidationError, match="demo users"):
        HandoffSettings(production=True, rasa_token="r", seed_demo_users=True)


def test_the_launcher_refuses_production_with_development_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AVATAR_BRIDGE_NLG_TOKEN", raising=False)
    monkeypatch.delenv("RASA_AUTH_TOKEN", raising=False)
    monkeypatch.setenv("PRODUCTION", "true")
    with pytest.raises(ValueError, match="missing: RASA_AUTH_TOKEN, AVATAR_BRIDGE_NLG_TOKEN"):
        LauncherSettings.from_env()


def test_the_launcher_hands_the_rasa_token_to_rasa_and_our_services(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    settings = LauncherSettings.from_env(root=ROOT, var_dir=tmp_path, production=True, rasa_token="secret-r",
                                         nlg_token="secret-n")
    specs = {spec.name: spec for spec in local_services(settings)}
    rasa = specs["rasa"].command
    assert rasa[rasa.index("--auth-token") + 1] == "secret-r"
    assert specs["avatar-bridge"].env["AVATAR_BRIDGE_RASA_TOKEN"] == "secret-r"
    assert specs["avatar-bridge"].env["AVATAR_BRIDGE_ENVIRONMENT"] == "production"
    assert specs["handoff"].env["HANDOFF_RASA_TOKEN"] == "secret-r"
    assert specs["handoff"].env["HANDOFF_PRODUCTION"] == "true"


@pytest.mark.parametrize(("module", "env"), [
    ("avatar_bridge", {"AVATAR_BRIDGE_ENVIRONMENT": "production"}),
    ("handoff", {"HANDOFF_PRODUCTION": "true"}),
])
def test_a_production_start_without_secrets_exits_with_the_reason(module: str, env: dict[str, str]) -> None:
    clean = {name: value for name, value in os.environ.items()
             if not name.startswith(("AVATAR_BRIDGE_", "HANDOFF_"))}
    result = subprocess.run([sys.executable, "-m", module], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**clean, "PYTHONPATH": str(ROOT), **env})
    assert result.returncode != 0
    assert "production mode needs secrets from the configuration, missing:" in result.stderr
