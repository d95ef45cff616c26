import pytest
from pydantic import ValidationError

from avatar_bridge.core.config import Settings


def test_production_refuses_to_start_without_its_secrets():
    with pytest.raises(
        ValidationError, match="AVATAR_BRIDGE_NLG_TOKEN, AVATAR_BRIDGE_AUDIO_URL_SECRET, AVATAR_BRIDGE_RASA_TOKEN"
    ):
        Settings(environment="production")
    Settings(environment="production", nlg_token="a", audio_url_secret="b", rasa_token="c")


def test_settings_come_from_prefixed_environment_variables(monkeypatch):
    monkeypatch.setenv("AVATAR_BRIDGE_PORT", "9911")
    monkeypatch.setenv("AVATAR_BRIDGE_RASA_URL", "http://rasa.internal:5005/")
    settings = Settings()
    assert settings.port == 9911
    assert settings.rasa_base == "http://rasa.internal:5005"


def test_bad_values_fail_at_start():
    with pytest.raises(ValidationError):
        Settings(user_message_burst=0)
