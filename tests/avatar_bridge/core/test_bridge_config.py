import pytest
from pydantic import ValidationError

from avatar_bridge.core.config import Settings


REAL = {"nlg_token": "n" * 32, "audio_url_secret": "a" * 32, "rasa_jwt_secret": "r" * 32, "redis_password": "p" * 32}


def test_production_refuses_to_start_with_development_or_missing_secrets():
    with pytest.raises(ValidationError) as refused:
        Settings(production=True)
    message = str(refused.value)
    assert "AVATAR_BRIDGE_NLG_TOKEN (the public development value)" in message
    assert "AVATAR_BRIDGE_AUDIO_URL_SECRET (missing)" in message
    assert "AVATAR_BRIDGE_RASA_JWT_SECRET (the public development value)" in message
    assert "AVATAR_BRIDGE_REDIS_PASSWORD (missing)" in message
    with pytest.raises(ValidationError, match=r"AVATAR_BRIDGE_REDIS_PASSWORD \(shorter than 16"):
        Settings(production=True, **{**REAL, "redis_password": "short"})
    assert Settings(production=True, **REAL).rasa_jwt_secret.get_secret_value() == "r" * 32


def test_settings_come_from_prefixed_environment_variables(monkeypatch):
    monkeypatch.setenv("AVATAR_BRIDGE_PORT", "9911")
    monkeypatch.setenv("AVATAR_BRIDGE_RASA_URL", "http://rasa.internal:5005/")
    settings = Settings()
    assert settings.port == 9911
    assert settings.rasa_base == "http://rasa.internal:5005"


def test_bad_values_fail_at_start():
    with pytest.raises(ValidationError):
        Settings(user_message_burst=0)
