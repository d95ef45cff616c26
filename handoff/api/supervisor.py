"""Supervisor: every live conversation with its emotion, monitor, whisper, barge in."""

import time

from fastapi import APIRouter, Request

from handoff.api.conversations import TextBody
from handoff.api.deps import SupervisorUser
from handoff.api.errors import as_http
from handoff.queue.routing import current_load
from handoff.queue.entries import public_row
from handoff.supervision.overview import build_overview

router = APIRouter(prefix="/api/supervisor", tags=["supervisor"])


@router.get("/live")
async def live(user: SupervisorUser, request: Request) -> dict:
    queue = request.app.state.queue
    now = time.time()
    rows = [row for row in await queue.many(await queue.live_ids()) if row.get("state") in ("queued", "assigned")]
    agents = [
        {
            "username": a.username,
            "paused": a.paused,
            "online": a.online,
            "load": round(current_load(a, now, queue.rules), 3),
        }
        for a in await queue.agent_states(now)
    ]
    return {
        "conversations": [
            {**public_row(r), "waiting_seconds": int(now - float(r.get("requested_at") or now))} for r in rows
        ],
        "agents": agents,
    }


@router.get("/overview")
async def overview(user: SupervisorUser, request: Request) -> dict:
    """Live figures, the agents' load over the shift and the conversations, most at risk first
    (docs/handoff.md "Supervisor view")."""
    state = request.app.state
    return await build_overview(state.queue, state.session_factory, state.settings)


@router.post("/{conversation_id}/whisper")
async def whisper(conversation_id: str, body: TextBody, user: SupervisorUser, request: Request) -> dict:
    with as_http():
        message_id = await request.app.state.service.whisper(user, conversation_id[:128], body.text)
    return {"id": message_id}


@router.post("/{conversation_id}/barge")
async def barge(conversation_id: str, body: TextBody, user: SupervisorUser, request: Request) -> dict:
    with as_http():
        message_id = await request.app.state.service.send_to_customer(user, conversation_id[:128], body.text)
    return {"id": message_id}
