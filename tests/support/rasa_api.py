"""Rasa's HTTP API as our own services call it: with a JWT signed with the system's secret
(common/service_auth.py). Tests read trackers and parse texts this way; without it Rasa says 401."""

from __future__ import annotations

from launcher.settings import LauncherSettings
from common.rasa_http import RasaApiAuth


def rasa_api_auth(settings: LauncherSettings) -> RasaApiAuth:
    return RasaApiAuth(settings.rasa_jwt_secret, "tests")
