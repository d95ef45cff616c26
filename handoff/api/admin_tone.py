"""Admin: the avatar expression table and the locale playbooks (validated by the bridge's loaders)."""

import asyncio

from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from handoff.admin import tone
from handoff.admin.deps import Admin
from handoff.admin.errors import problems_response
from handoff.api.deps import AdminUser

router = APIRouter(prefix="/api/admin/tone", tags=["admin"])
APPLIES = "The avatar bridge reads these files when it starts: a saved change applies at its next start."


class ToneBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=200_000)


def _file(admin: Admin, file_id: str) -> tone.ToneFile:
    files = tone.tone_files(admin.settings)
    if file_id not in files:
        raise HTTPException(404, f"there is no editable file {file_id!r}")
    return files[file_id]


@router.get("")
async def list_files(_user: AdminUser, admin: Admin) -> dict:
    files = await asyncio.to_thread(tone.tone_files, admin.settings)
    return {"files": [{"id": f.id, "title": f.title} for f in files.values()], "applies": APPLIES}


@router.get("/{file_id}")
async def read_file(file_id: str, _user: AdminUser, admin: Admin) -> dict:
    file = _file(admin, file_id)
    return {
        "id": file.id,
        "title": file.title,
        "text": await asyncio.to_thread(tone.read_text, file),
        "applies": APPLIES,
    }


@router.put("/{file_id}", response_model=None)
async def save_file(file_id: str, body: ToneBody, _user: AdminUser, admin: Admin) -> dict | JSONResponse:
    file = _file(admin, file_id)
    try:
        await asyncio.to_thread(tone.save_text, file, body.text, admin.settings)
    except tone.ToneRejected as error:
        return problems_response(422, "The file was not saved.", error.problems)
    return {"id": file.id, "saved": True, "applies": APPLIES}
