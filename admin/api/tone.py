"""Admin: the avatar expression table and the locale playbooks, kept by the avatar bridge."""

import re

from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from admin.deps import Admin, AdminUser
from admin.errors import problems_response
from admin.tone import ToneNotFound, ToneRejected, ToneUnavailable

router = APIRouter(prefix="/api/admin/tone", tags=["admin"])
DOCUMENT_ID = re.compile(r"^[a-z][a-z0-9-]{0,63}$")


class ToneBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=200_000)


def _checked(document_id: str) -> str:
    if not DOCUMENT_ID.match(document_id):
        raise HTTPException(404, f"there is no editable file {document_id!r}")
    return document_id


async def relay_to_bridge(call):  # noqa: ANN001, ANN202 - one place that turns bridge failures into answers
    try:
        return await call
    except ToneNotFound as error:
        raise HTTPException(404, str(error)) from None
    except ToneUnavailable as error:
        raise HTTPException(503, f"The avatar bridge is not available: {error}. Nothing was changed.") from None


@router.get("")
async def list_files(_user: AdminUser, admin: Admin) -> dict:
    answer = await relay_to_bridge(admin.tone.documents())
    return {"files": answer["documents"], "applies": answer["applies"]}


@router.get("/expression-form")
async def read_expression_form(_user: AdminUser, admin: Admin) -> dict:
    """The expression table as values for the form (the bridge's /internal/tone/expression-table/form)."""
    return await relay_to_bridge(admin.tone.table_form())


@router.put("/expression-form", response_model=None)
async def save_expression_form(body: dict, _user: AdminUser, admin: Admin) -> dict | JSONResponse:
    """Checked by the bridge field by field and with its loaders; refused values are never stored."""
    if len(str(body)) > 200_000:
        raise HTTPException(413, "The form is too large.")
    try:
        return await relay_to_bridge(admin.tone.save_table_form(body))
    except ToneRejected as error:
        return problems_response(422, "Nothing was saved.", error.problems)


@router.get("/face-preview")
async def face_preview(_user: AdminUser, admin: Admin) -> dict:
    """Where the page frames the avatar's face preview (web_client/src/preview/facePreview.js)."""
    base = admin.settings.face_preview_url
    if not base:
        return {"url": None, "origin": None}
    origin = base.rstrip("/")
    return {"url": f"{origin}/?preview=face", "origin": origin}


@router.get("/{file_id}")
async def read_file(file_id: str, _user: AdminUser, admin: Admin) -> dict:
    return await relay_to_bridge(admin.tone.read(_checked(file_id)))


@router.put("/{file_id}", response_model=None)
async def save_file(file_id: str, body: ToneBody, _user: AdminUser, admin: Admin) -> dict | JSONResponse:
    try:
        return await relay_to_bridge(admin.tone.replace(_checked(file_id), body.text))
    except ToneRejected as error:
        return problems_response(422, "The file was not saved.", error.problems)
