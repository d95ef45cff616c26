"""/internal/tone: the expression table and the locale playbooks, for the admin console.

Our own services only (a service JWT, avatar_bridge/api/deps.py). A replacement is checked by the
bridge's own loaders, stored, and applied at once by this instance and within
``tone_watch_s`` by every other one (avatar_bridge/tone/live.py).
"""

import asyncio
import logging

from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from avatar_bridge.api.deps import ServiceCaller, ServicesDep
from avatar_bridge.core.services import BridgeServices
from avatar_bridge.tone.documents import EXPRESSION_TABLE, MAX_DOCUMENT_BYTES, ToneDocument, ToneRejected
from avatar_bridge.tone.table_form import FORM_LIMITS, apply_form, form_of

router = APIRouter(prefix="/internal/tone", tags=["internal"])
logger = logging.getLogger(__name__)
APPLIES = "A saved change applies to the next reply, on every bridge instance within a few seconds."


class ToneBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=MAX_DOCUMENT_BYTES * 2)


def _document(services: BridgeServices, document_id: str) -> ToneDocument:
    documents = services.tone.files.documents()
    if document_id not in documents:
        raise HTTPException(404, f"there is no tone document {document_id!r}")
    return documents[document_id]


@router.get("")
async def list_documents(services: ServicesDep, _caller: ServiceCaller) -> dict:
    documents = services.tone.files.documents().values()
    return {
        "documents": [{"id": d.id, "title": d.title} for d in documents],
        "version": services.tone.version,
        "applies": APPLIES,
    }


@router.get("/{document_id}")
async def read_document(document_id: str, services: ServicesDep, _caller: ServiceCaller) -> dict:
    document = _document(services, document_id)
    text = await asyncio.to_thread(document.path.read_text, "utf-8")
    return {"id": document.id, "title": document.title, "text": text, "applies": APPLIES}


@router.put("/{document_id}", response_model=None)
async def replace_document(
    document_id: str, body: ToneBody, services: ServicesDep, caller: ServiceCaller
) -> dict | JSONResponse:
    document = _document(services, document_id)
    try:
        await asyncio.to_thread(services.tone.files.replace, document, body.text, services.schemas)
    except ToneRejected as error:
        return JSONResponse({"detail": "The document was not saved.", "problems": error.problems}, status_code=422)
    applied = services.tone.reload()
    logger.info("tone document %s replaced by %s (applied: %s)", document.id, caller, applied)
    return {"id": document.id, "saved": True, "applied": applied, "version": services.tone.version, "applies": APPLIES}


@router.get("/expression-table/form")
async def read_table_form(services: ServicesDep, _caller: ServiceCaller) -> dict:
    """The expression table's values for a form, with the vocabulary a value may take."""
    document = _document(services, EXPRESSION_TABLE)
    text = await asyncio.to_thread(document.path.read_text, "utf-8")
    return {
        **form_of(text),
        "expressions": sorted(services.schemas.shared_enum("expression_name")),
        "limits": FORM_LIMITS,
        "version": services.tone.version,
        "applies": APPLIES,
    }


@router.put("/expression-table/form", response_model=None)
async def save_table_form(body: dict, services: ServicesDep, caller: ServiceCaller) -> dict | JSONResponse:
    document = _document(services, EXPRESSION_TABLE)
    try:
        text = await asyncio.to_thread(document.path.read_text, "utf-8")
        changed = apply_form(text, body)
        await asyncio.to_thread(services.tone.files.replace, document, changed, services.schemas)
    except ToneRejected as error:
        return JSONResponse({"detail": "Nothing was saved.", "problems": error.problems}, status_code=422)
    applied = services.tone.reload()
    logger.info("expression table saved from the form by %s (applied: %s)", caller, applied)
    return {"saved": True, "applied": applied, "version": services.tone.version, "applies": APPLIES}
