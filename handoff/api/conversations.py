"""One conversation: its context package and chat lines, messages, notes, end, hand back."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field, field_validator

from handoff.api.deps import AgentUser
from handoff.api.errors import as_http
from handoff.queue.entries import public_row
from handoff.queue.service import OUTCOME_CODES

router = APIRouter(prefix="/api/conversations", tags=["conversations"])

MAX_TEXT = 2000
# "Lines after this one": a line's id (a Redis stream id, "<ms>-<seq>", each part 64-bit) or "-" for all.
# Anything else is the caller's mistake (422), not a Redis error.
AfterLine = Annotated[str, Query(max_length=39, pattern=r"^(-|\d{1,19}(-\d{1,19})?)$")]


class TextBody(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT)

    @field_validator("text")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the text is empty")
        return value.strip()


class EndBody(BaseModel):
    outcome_code: str = Field(min_length=1, max_length=64)

    @field_validator("outcome_code")
    @classmethod
    def known(cls, value: str) -> str:
        if value not in OUTCOME_CODES:
            raise ValueError(f"unknown outcome code; one of {', '.join(OUTCOME_CODES)}")
        return value


def service(request: Request):  # noqa: ANN201
    return request.app.state.service


@router.get("/mine")
async def mine(user: AgentUser, request: Request) -> dict:
    rows = await request.app.state.queue.agent_conversations(user.username)
    return {"items": [public_row(row) for row in rows]}


@router.get("/{conversation_id}")
async def conversation(conversation_id: str, user: AgentUser, request: Request, after: AfterLine = "-") -> dict:
    with as_http():
        row = await service(request).may_see(user, conversation_id[:128])
    queue = request.app.state.queue
    return {
        "conversation": public_row(row),
        "context": await queue.context(row["conversation_id"]),
        "messages": await queue.messages(row["conversation_id"], after),
    }


@router.get("/{conversation_id}/messages")
async def messages(conversation_id: str, user: AgentUser, request: Request, after: AfterLine = "-") -> dict:
    with as_http():
        row = await service(request).may_see(user, conversation_id[:128])
    return {"messages": await request.app.state.queue.messages(row["conversation_id"], after)}


@router.post("/{conversation_id}/messages")
async def send(conversation_id: str, body: TextBody, user: AgentUser, request: Request) -> dict:
    with as_http():
        message_id = await service(request).send_to_customer(user, conversation_id[:128], body.text)
    return {"id": message_id}


@router.post("/{conversation_id}/notes")
async def note(conversation_id: str, body: TextBody, user: AgentUser, request: Request) -> dict:
    with as_http():
        message_id = await service(request).note(user, conversation_id[:128], body.text)
    return {"id": message_id}


@router.post("/{conversation_id}/end")
async def end(conversation_id: str, body: EndBody, user: AgentUser, request: Request) -> dict:
    with as_http():
        await service(request).end(user, conversation_id[:128], body.outcome_code)
    return {"state": "ended"}


@router.post("/{conversation_id}/handback")
async def hand_back(conversation_id: str, user: AgentUser, request: Request) -> dict:
    with as_http():
        await service(request).end(user, conversation_id[:128], "handed_back_to_bot", back_to_bot=True)
    return {"state": "bot"}


@router.get("")
async def outcome_codes(user: AgentUser) -> dict:
    return {"outcome_codes": list(OUTCOME_CODES)}
