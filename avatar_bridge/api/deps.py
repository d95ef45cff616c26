"""FastAPI dependencies, as Annotated aliases."""

from typing import Annotated

from fastapi import Depends, Header, HTTPException, status
from starlette.requests import HTTPConnection

from avatar_bridge.core.config import Settings
from avatar_bridge.core.services import BridgeServices
from common.service_auth import bearer_matches, verify_jwt


def get_services(connection: HTTPConnection) -> BridgeServices:
    return connection.app.state.services


def get_settings(services: Annotated[BridgeServices, Depends(get_services)]) -> Settings:
    return services.settings


ServicesDep = Annotated[BridgeServices, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def require_nlg_token(settings: SettingsDep, authorization: Annotated[str | None, Header()] = None) -> None:
    """Rasa sends `Authorization: Bearer <token>` (bot/endpoints.yml); a token in the query string
    is not accepted (query strings end up in access logs)."""
    if not bearer_matches(authorization, settings.nlg_token.get_secret_value()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "wrong or missing token", headers={"WWW-Authenticate": "Bearer"}
        )


NlgTokenChecked = Annotated[None, Depends(require_nlg_token)]


def require_service_token(settings: SettingsDep, authorization: Annotated[str | None, Header()] = None) -> str:
    """The bridge's internal interface (/internal/...) answers our own services only: a short-lived
    JWT signed with the secret the services share for Rasa's API (common/service_auth.py)."""
    scheme, _, token = (authorization or "").partition(" ")
    secret = settings.rasa_jwt_secret.get_secret_value()
    claims = verify_jwt(token.strip(), secret) if scheme.lower() == "bearer" else None
    user = claims.get("user") if claims else None
    service = user.get("username") if isinstance(user, dict) else None
    if not service:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "this interface is for our own services",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return str(service)


ServiceCaller = Annotated[str, Depends(require_service_token)]
