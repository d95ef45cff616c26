"""Admin: escalation thresholds — view, preview on stored conversations, apply live, audit log."""

import asyncio
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from contracts.escalation.config import ConfigError, default_config, parse_config
from admin.deps import Admin, AdminUser
from admin.errors import problems_response
from admin.escalation.preview import load_conversations, preview

router = APIRouter(prefix="/api/admin/escalation", tags=["admin"])


class ConfigBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    config: dict[str, Any]
    comment: str = Field("", max_length=1000)


class PreviewBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    config: dict[str, Any]
    limit: int = Field(50, ge=1, le=10_000)


def _invalid(error: ConfigError) -> JSONResponse:
    return problems_response(422, "The configuration is not valid.", list(error.problems))


@router.get("")
async def current(_user: AdminUser, admin: Admin) -> dict:
    config, version = await asyncio.to_thread(admin.escalation.current)
    return {"config": config.to_dict(), "version": version, "defaults": default_config().to_dict()}


@router.put("", response_model=None)
async def apply(body: ConfigBody, user: AdminUser, admin: Admin) -> dict | JSONResponse:
    try:
        version = await asyncio.to_thread(admin.escalation.update, body.config, user.username, body.comment)
    except ConfigError as error:
        return _invalid(error)
    return {"version": version}


@router.post("/preview", response_model=None)
async def preview_routing(body: PreviewBody, _user: AdminUser, admin: Admin) -> dict | JSONResponse:
    try:
        proposed = parse_config(body.config)
    except ConfigError as error:
        return _invalid(error)
    limit = min(body.limit, admin.settings.max_preview_conversations)

    def run() -> dict:
        current_config, _ = admin.escalation.current()
        conversations = load_conversations(
            admin.sync_redis,
            limit,
            index_key=admin.settings.conversation_index_key,
            events_prefix=admin.settings.conversation_events_prefix,
        )
        return preview(current_config, proposed, conversations)

    return await asyncio.to_thread(run)


@router.get("/audit")
async def audit(_user: AdminUser, admin: Admin, limit: int = Query(50, ge=1, le=500)) -> dict:
    return {"entries": await asyncio.to_thread(admin.escalation.audit, limit)}
