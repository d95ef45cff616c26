"""Dependencies shared by every router, as ``Annotated`` aliases.

@router.get("/things")
def things(user: CurrentUser, db: DbSession) -> ...        # any signed-in user
@router.post("/x", dependencies=[Depends(require_role("supervisor"))])
"""

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from redis.asyncio import Redis
from sqlalchemy.orm import Session

from handoff.auth.roles import ROLES
from handoff.auth.tokens import AuthUser, TokenStore
from handoff.core.config import HandoffSettings


def get_settings(request: Request) -> HandoffSettings:
    return request.app.state.settings


def get_redis(request: Request) -> Redis:
    return request.app.state.redis


def get_tokens(request: Request) -> TokenStore:
    return request.app.state.tokens


def get_db(request: Request) -> Iterator[Session]:
    session = request.app.state.session_factory()
    try:
        yield session
    finally:
        session.close()


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Sign in first: send 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return token.strip()


async def get_current_user(
    token: Annotated[str, Depends(bearer_token)],
    tokens: Annotated[TokenStore, Depends(get_tokens)],
) -> AuthUser:
    user = await tokens.resolve(token)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "The sign-in has expired or is not valid; sign in again.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


Settings = Annotated[HandoffSettings, Depends(get_settings)]
RedisClient = Annotated[Redis, Depends(get_redis)]
DbSession = Annotated[Session, Depends(get_db)]
Tokens = Annotated[TokenStore, Depends(get_tokens)]
CurrentUser = Annotated[AuthUser, Depends(get_current_user)]


def require_role(role: str) -> Callable[..., AuthUser]:
    """A dependency that returns the signed-in user if their role is at least ``role`` (401/403)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    async def dependency(user: CurrentUser) -> AuthUser:
        if not user.has_role(role):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"This needs the {role} role.")
        return user

    return dependency


AgentUser = Annotated[AuthUser, Depends(require_role("agent"))]
SupervisorUser = Annotated[AuthUser, Depends(require_role("supervisor"))]
AdminUser = Annotated[AuthUser, Depends(require_role("admin"))]


async def admin_from_request(request: Request) -> AuthUser:
    """The signed-in admin of a request (401/403 otherwise): the admin console's sign-in check."""
    user = await get_current_user(bearer_token(request), get_tokens(request))
    return await require_role("admin")(user)


async def supervisor_from_request(request: Request) -> AuthUser:
    """The signed-in supervisor or admin (401/403 otherwise): who may publish incidents."""
    user = await get_current_user(bearer_token(request), get_tokens(request))
    return await require_role("supervisor")(user)
