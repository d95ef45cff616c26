"""Live assist for one conversation: suggestions and warnings for the latest customer message
(handoff/assist/, docs/handoff.md "Live assist")."""

import time

from fastapi import APIRouter, Request

from handoff.api.deps import AgentUser
from handoff.api.errors import as_http
from handoff.assist import live_assist
from handoff.assist.memory import AssistMemory

router = APIRouter(prefix="/api/conversations", tags=["assist"])
# The store reads lines in pages of this many (handoff/queue/store.py `messages`).
PAGE = 1000


async def all_lines(queue, cid: str) -> list[dict]:  # noqa: ANN001
    """Every line the customer can see, page by page: a long chat's newest line is past the first page."""
    lines: list[dict] = []
    while True:
        page = await queue.messages(cid, lines[-1]["id"] if lines else "-", include_private=False)
        lines += page
        if len(page) < PAGE:
            return lines


@router.get("/{conversation_id}/assist")
async def assist(conversation_id: str, user: AgentUser, request: Request) -> dict:
    """Who may see the conversation may read its assist. Suggestions are fixed per customer line (the
    same on every reload) and never repeat one shown earlier; warnings are worked out afresh."""
    with as_http():
        row = await request.app.state.service.may_see(user, conversation_id[:128])
    cid = row["conversation_id"]
    queue = request.app.state.queue
    memory = AssistMemory(queue.redis, queue.settings)
    lines = await all_lines(queue, cid)
    context = await queue.context(cid)
    answer = live_assist(lines, context, row.get("language"), await memory.shown(cid), time.time()).as_dict()
    last = await memory.last(cid)
    if last and answer["for_line"] and last.get("for_line") == answer["for_line"]:
        answer["suggestions"] = last.get("suggestions", [])
    elif answer["for_line"]:
        await memory.remember(cid, answer)
    return answer
