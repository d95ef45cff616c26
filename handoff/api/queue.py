"""The agent's queue: what waits in my queues (searched, filtered, sorted, paged), claim, claim
next, pause, my load."""

import time
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

from contracts.emotion.taxonomy import load_taxonomy
from contracts.escalation.config import SKILLS
from handoff.api.deps import AgentUser
from handoff.api.errors import as_http
from handoff.queue.listing import DEFAULT_LIMIT, MAX_LIMIT, CursorError, ListQuery, page
from handoff.queue.routing import current_load

router = APIRouter(prefix="/api/queue", tags=["queue"])


def service(request: Request):  # noqa: ANN201
    return request.app.state.service


class PauseRequest(BaseModel):
    paused: bool


def invalid(field: str, problem: str) -> RequestValidationError:
    """A 422 in the same shape as FastAPI's own validation errors (handoff/app.py words them)."""
    return RequestValidationError([{"loc": ("query", field), "msg": problem, "type": "value_error"}])


@router.get("")
async def my_queue(
    user: AgentUser,
    request: Request,
    q: Annotated[str, Query(max_length=100, description="words in name, reason or last message")] = "",
    skill: Annotated[Literal[SKILLS] | None, Query()] = None,  # type: ignore[valid-type]
    language: Annotated[Literal["en", "de"] | None, Query()] = None,
    emotion: Annotated[str | None, Query(max_length=32)] = None,
    reason: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z0-9_]+$")] = None,
    sort: Annotated[Literal["wait", "distress", "newest"], Query()] = "wait",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=400, pattern=r"^[A-Za-z0-9_-]+$")] = None,
) -> dict:
    """One page of the conversations waiting in my queues, with ``total`` and ``next_cursor``."""
    if emotion is not None and emotion not in load_taxonomy().names:
        raise invalid("emotion", f"unknown emotion; one of {', '.join(load_taxonomy().names)}")
    query = ListQuery(q, skill, language, emotion, reason, sort, limit, cursor)
    rows = await service(request).queue_view(user)
    try:
        return page(rows, query)
    except CursorError as error:
        raise invalid("cursor", str(error)) from error


@router.post("/{conversation_id}/claim")
async def claim(conversation_id: str, user: AgentUser, request: Request) -> dict:
    with as_http():
        row = await service(request).claim(user, conversation_id[:128])
    return {"conversation_id": row["conversation_id"], "state": row["state"], "agent": row.get("agent")}


@router.post("/next")
async def claim_next(user: AgentUser, request: Request) -> dict:
    with as_http():
        row = await service(request).claim_next(user)
    return {"conversation_id": row["conversation_id"], "state": row["state"], "agent": row.get("agent")}


@router.get("/me")
async def me(user: AgentUser, request: Request) -> dict:
    queue = request.app.state.queue
    now = time.time()
    state = await queue.agent_state(user.username, now)
    return {
        "username": user.username,
        "display_name": user.display_name,
        "paused": state.paused,
        "load": round(current_load(state, now, queue.rules), 3),
        "load_threshold": queue.rules.load_threshold,
        "skills": user.skills,
        "languages": user.languages,
    }


@router.post("/me/pause")
async def pause(body: PauseRequest, user: AgentUser, request: Request) -> dict:
    queue = request.app.state.queue
    await queue.register_agent(user)
    await queue.set_paused(user.username, body.paused)
    return {"paused": body.paused}
