"""Sign-in, sign-out and who am I."""

import asyncio
import math
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from pydantic import BaseModel, Field

from handoff.api.deps import CurrentUser, DbSession, RedisClient, Settings, Tokens, bearer_token
from handoff.auth.sign_in_limits import SignInGuard, SignInLimits
from handoff.auth.tokens import AuthUser
from handoff.auth.users import authenticate

router = APIRouter(prefix="/api/auth", tags=["auth"])

# A response carrying a sign-in token must not be kept by a browser or proxy cache.
NO_STORE = {"Cache-Control": "no-store"}


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class LoginResponse(BaseModel):
    token: str
    user: dict


def _sign_in_guard(settings: Settings, redis: RedisClient) -> SignInGuard:
    limits = SignInLimits(
        settings.login_failures_per_user, settings.login_failures_per_address, settings.login_failure_window_seconds
    )
    return SignInGuard(redis, limits, settings.key_prefix)


@router.post("/login")
async def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    tokens: Tokens,
    db: DbSession,
    guard: Annotated[SignInGuard, Depends(_sign_in_guard)],
) -> LoginResponse:
    response.headers.update(NO_STORE)
    address = request.client.host if request.client else "unknown"
    wait_s = await guard.attempt(body.username, address)
    if wait_s:
        minutes = math.ceil(wait_s / 60)
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"Too many failed sign-ins. For your account's safety, please wait {minutes} "
            f"minute{'s' if minutes != 1 else ''} before trying again, or ask an administrator to reset "
            "your password.",
            headers={"Retry-After": str(wait_s)},
        )
    # scrypt and the SQL read are blocking: keep them off the event loop.
    user = await asyncio.to_thread(authenticate, db, body.username, body.password)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Unknown username or wrong password.")
    await guard.succeeded(body.username, address)
    auth_user = AuthUser(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        skills=list(user.skills or []),
        languages=list(user.languages or []),
    )
    token = await tokens.issue(auth_user)
    return LoginResponse(token=token, user=auth_user.__dict__)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(user: CurrentUser, tokens: Tokens, token: Annotated[str, Depends(bearer_token)]) -> None:
    await tokens.revoke(token)


@router.get("/me")
async def me(user: CurrentUser) -> dict:
    return user.__dict__
