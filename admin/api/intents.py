"""Admin: intents with their examples and responses, changes and their history (docs/admin.md)."""

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from admin.deps import Admin, AdminUser
from admin.errors import problems_response
from admin.intents.repository import LANGUAGES, IntentState
from admin.intents.service import ChangeRejected

router = APIRouter(prefix="/api/admin", tags=["admin"])
# Hard ceilings on the request shape; the finer limits (characters per example, ...) are settings.
MAX_ITEMS = 2000
MAX_TEXT = 2000


class Texts(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: list[Annotated[str, Field(max_length=MAX_TEXT)]] = Field(default_factory=list, max_length=MAX_ITEMS)
    de: list[Annotated[str, Field(max_length=MAX_TEXT)]] = Field(default_factory=list, max_length=MAX_ITEMS)


class IntentBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    examples: Texts
    responses: Texts | None = None
    comment: str = Field("", max_length=500)


class NewIntentBody(IntentBody):
    name: str = Field(min_length=1, max_length=64)
    responses: Texts


def _state(body: IntentBody) -> IntentState:
    responses = None if body.responses is None else {lang: getattr(body.responses, lang) for lang in LANGUAGES}
    return IntentState({lang: getattr(body.examples, lang) for lang in LANGUAGES}, responses)


def _rejected(error: ChangeRejected) -> JSONResponse:
    return problems_response(error.status, "The change was not accepted.", error.problems)


def _person_intents(admin: Admin) -> set[str]:
    config, _ = admin.escalation.current()
    return set(config.always_escalate.intents) | set(config.explicit_request.intents)


@router.get("/intents")
async def list_intents(_user: AdminUser, admin: Admin) -> dict:
    intents = await admin.intents.all()
    person = await asyncio.to_thread(_person_intents, admin)
    return {
        "intents": [
            {**view.to_dict(), "routing": "person" if name in person else "automated"} for name, view in intents.items()
        ]
    }


@router.post("/intents", status_code=201, response_model=None)
async def create_intent(body: NewIntentBody, user: AdminUser, admin: Admin) -> dict | JSONResponse:
    try:
        return await admin.intents.save(user.username, body.name, _state(body), create=True, comment=body.comment)
    except ChangeRejected as error:
        return _rejected(error)


@router.put("/intents/{name:path}", response_model=None)
async def update_intent(name: str, body: IntentBody, user: AdminUser, admin: Admin) -> dict | JSONResponse:
    try:
        return await admin.intents.save(user.username, name, _state(body), comment=body.comment)
    except ChangeRejected as error:
        return _rejected(error)


@router.delete("/intents/{name:path}", response_model=None)
async def delete_intent(name: str, user: AdminUser, admin: Admin) -> dict | JSONResponse:
    try:
        return await admin.intents.save(user.username, name, None, comment="removed")
    except ChangeRejected as error:
        return _rejected(error)


@router.get("/intent-changes")
async def intent_changes(
    _user: AdminUser,
    admin: Admin,
    intent: str | None = Query(None, max_length=64),
    limit: int = Query(50, ge=1, le=500),
) -> dict:
    return {"changes": await asyncio.to_thread(admin.intents.history, intent, limit)}


@router.post("/intent-changes/{change_id}/revert", response_model=None)
async def revert_change(change_id: int, user: AdminUser, admin: Admin) -> dict | JSONResponse:
    try:
        return await admin.intents.revert(user.username, change_id)
    except ChangeRejected as error:
        return _rejected(error)
