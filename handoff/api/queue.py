"""The agent's queue: what waits in my queues, claim, claim next, pause, my load."""

import time

from fastapi import APIRouter, Request
from pydantic import BaseModel

from handoff.api.deps import AgentUser
from handoff.api.errors import as_http
from handoff.queue.routing import current_load

router = APIRouter(prefix="/api/queue", tags=["queue"])


def service(request: Request):  # noqa: ANN201
    return request.app.state.service


class PauseRequest(BaseModel):
    paused: bool


@router.get("")
async def my_queue(user: AgentUser, request: Request) -> dict:
    return {"items": await service(request).queue_view(user)}


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
