"""FastAPI dependencies, as Annotated aliases."""

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Query, status
from starlette.requests import HTTPConnection

from avatar_bridge.core.config import Settings
from avatar_bridge.core.services import BridgeServices


def get_services(connection: HTTPConnection) -> BridgeServices:
    return connection.app.state.services


def get_settings(services: Annotated[BridgeServices, Depends(get_services)]) -> Settings:
    return services.settings


ServicesDep = Annotated[BridgeServices, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def require_nlg_token(settings: SettingsDep, token: Annotated[str | None, Query()] = None) -> None:
    """Rasa's EndpointConfig sends `token` as a query parameter."""
    expected = settings.nlg_token.get_secret_value() if settings.nlg_token else ""
    if expected and not hmac.compare_digest(expected, token or ""):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong or missing token")


NlgTokenChecked = Annotated[None, Depends(require_nlg_token)]
