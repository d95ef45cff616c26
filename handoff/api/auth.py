"""Sign-in, sign-out and who am I."""

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field

from handoff.api.deps import CurrentUser, DbSession, Tokens, bearer_token
from handoff.auth.tokens import AuthUser
from handoff.auth.users import authenticate

router = APIRouter(prefix="/api/auth", tags=["auth"])


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class LoginResponse(BaseModel):
    token: str
    user: dict


@router.post("/login")
async def login(body: LoginRequest, tokens: Tokens, db: DbSession) -> LoginResponse:
    # scrypt and the SQL read are blocking: keep them off the event loop.
    user = await asyncio.to_thread(authenticate, db, body.username, body.password)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Unknown username or wrong password.")
    auth_user = AuthUser(username=user.username, display_name=user.display_name, role=user.role,
                         skills=list(user.skills or []), languages=list(user.languages or []))
    token = await tokens.issue(auth_user)
    return LoginResponse(token=token, user=auth_user.__dict__)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(user: CurrentUser, tokens: Tokens, token: Annotated[str, Depends(bearer_token)]) -> None:
    await tokens.revoke(token)


@router.get("/me")
async def me(user: CurrentUser) -> dict:
    return user.__dict__
