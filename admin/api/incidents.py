"""Incidents: publish, update and close what customers are told about an outage, a delay or a
recall (contracts/incidents/). Supervisors and admins; every change audited."""

import asyncio

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from admin.deps import Admin, SupervisorUser
from admin.errors import problems_response
from admin.incidents.store import UnknownIncident
from contracts.incidents.model import INCIDENT_ID, LANGUAGES, SCOPE_KINDS, TEXT_FIELDS, IncidentError

router = APIRouter(prefix="/api/admin/incidents", tags=["admin"])


class IncidentBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Shapes are checked by contracts.incidents.model, which names every problem at once.
    scope: dict
    texts: dict
    comment: str = Field("", max_length=1000)


class CloseBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment: str = Field("", max_length=1000)


def _invalid(error: IncidentError) -> JSONResponse:
    return problems_response(422, "The incident is not valid.", list(error.problems))


def _checked_id(incident_id: str) -> str:
    if not INCIDENT_ID.match(incident_id):
        raise HTTPException(404, "There is no such incident.")
    return incident_id


@router.get("")
async def list_incidents(_user: SupervisorUser, admin: Admin, active: bool = False) -> dict:
    incidents = await asyncio.to_thread(admin.incidents.list, active)
    return {
        "incidents": [incident.to_dict() for incident in incidents],
        "scope_kinds": list(SCOPE_KINDS),
        "languages": list(LANGUAGES),
        "text_fields": list(TEXT_FIELDS),
    }


@router.post("", status_code=201, response_model=None)
async def publish(body: IncidentBody, user: SupervisorUser, admin: Admin) -> dict | JSONResponse:
    try:
        incident = await asyncio.to_thread(admin.incidents.create, body.model_dump(), user.username, body.comment)
    except IncidentError as error:
        return _invalid(error)
    return incident.to_dict()


async def _change(call, *args) -> dict | JSONResponse:  # noqa: ANN001 - one place for the answers
    try:
        incident = await asyncio.to_thread(call, *args)
    except UnknownIncident:
        raise HTTPException(404, "There is no such incident.") from None
    except IncidentError as error:
        return _invalid(error)
    return incident.to_dict()


@router.put("/{incident_id}", response_model=None)
async def update(incident_id: str, body: IncidentBody, user: SupervisorUser, admin: Admin) -> dict | JSONResponse:
    checked = _checked_id(incident_id)
    return await _change(admin.incidents.update, checked, body.model_dump(), user.username, body.comment)


@router.post("/{incident_id}/close", response_model=None)
async def close(incident_id: str, body: CloseBody, user: SupervisorUser, admin: Admin) -> dict | JSONResponse:
    return await _change(admin.incidents.close, _checked_id(incident_id), user.username, body.comment)


@router.get("/{incident_id}/audit")
async def audit(incident_id: str, _user: SupervisorUser, admin: Admin, limit: int = Query(50, ge=1, le=500)) -> dict:
    return {"entries": await asyncio.to_thread(admin.incidents.audit, _checked_id(incident_id), limit)}
