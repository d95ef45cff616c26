"""The widget's name and look as deployment settings: validated at start-up with a clear error."""

import pytest
from pydantic import ValidationError

from avatar_bridge.core.config import Settings
from avatar_bridge.core.guard import security_headers, web_client_csp


def test_defaults_name_the_assistant_and_leave_greetings_to_the_client():
    settings = Settings()
    assert settings.widget(settings.avatar_model) == {
        "v": 1,
        "name": "Theo",  # the default avatar is the man (contracts/avatars.yml)
        "accent": "#1f6f6a",
        "logo_url": None,
        "greeting": {"en": None, "de": None},
    }


@pytest.mark.parametrize("avatar, name", [("valid-woman", "Mila"), ("valid-man", "Theo"), ("procedural", "Mila")])
def test_without_a_set_name_the_assistant_goes_by_the_name_of_the_avatar_shown(avatar, name):
    settings = Settings(avatar_model="valid-woman")  # the deployment's avatar; an admin shows another
    assert settings.widget_name is None
    assert settings.assistant_name(avatar) == name
    assert settings.widget(avatar)["name"] == name


@pytest.mark.parametrize("avatar", ["valid-woman", "valid-man", "procedural"])
def test_a_name_the_operator_sets_wins_whatever_the_avatar(avatar):
    settings = Settings(widget_name="Nora")
    assert settings.assistant_name(avatar) == "Nora"
    assert settings.widget(avatar)["name"] == "Nora"


def test_settings_come_from_the_widget_environment_variables(monkeypatch):
    monkeypatch.setenv("WIDGET_NAME", "  Nora ")
    monkeypatch.setenv("WIDGET_ACCENT", "#A0522D")
    monkeypatch.setenv("WIDGET_LOGO_URL", "https://cdn.shop.example/logo.svg")
    monkeypatch.setenv("WIDGET_GREETING_DE", "Willkommen bei Nora!")
    config = Settings().widget("valid-man")
    assert config["name"] == "Nora" and config["accent"] == "#a0522d"
    assert config["logo_url"] == "https://cdn.shop.example/logo.svg"
    assert config["greeting"] == {"en": None, "de": "Willkommen bei Nora!"}


@pytest.mark.parametrize("accent", ["#abc", "#1F6F6A"])
def test_hex_colours_are_accepted(accent):
    assert Settings(widget_accent=accent).widget_accent == accent.lower()


@pytest.mark.parametrize("accent", ["red", "1f6f6a", "#12345", "#1f6f6a; background:url(x)", "rgb(0,0,0)"])
def test_anything_but_a_hex_colour_is_refused(accent):
    with pytest.raises(ValidationError, match="must be a hex colour"):
        Settings(widget_accent=accent)


@pytest.mark.parametrize("logo", ["/brand/logo.svg", "https://cdn.shop.example/a/logo.png?v=2"])
def test_logos_on_this_origin_or_https_are_accepted(logo):
    assert Settings(widget_logo_url=logo).widget_logo_url == logo


@pytest.mark.parametrize(
    "logo",
    [
        "http://cdn.shop.example/logo.png",
        "//evil.example/logo.png",
        "javascript:alert(1)",
        "data:image/png;base64,AA",
        "logo.png",
        "/a b.png",
        'https://x.example/"onload="',
    ],
)
def test_other_logo_urls_are_refused(logo):
    with pytest.raises(ValidationError, match="must be a path on the bridge's own origin"):
        Settings(widget_logo_url=logo)


@pytest.mark.parametrize("name", ["", "   ", "x" * 41, "Mila\nNora"])
def test_a_name_is_one_short_line(name):
    with pytest.raises(ValidationError):
        Settings(widget_name=name)


def test_the_page_policy_allows_the_configured_logo_origin_only():
    assert "img-src 'self' data: blob:;" in web_client_csp(None)
    assert "img-src 'self' data: blob:;" in web_client_csp("/brand/logo.svg")
    headers = security_headers(Settings(widget_logo_url="https://cdn.shop.example/logo.svg"))
    assert "img-src 'self' data: blob: https://cdn.shop.example;" in headers("/")["Content-Security-Policy"]
    assert "Content-Security-Policy" not in headers("/widget.js")
