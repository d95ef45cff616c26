"""/internal/tone/avatar: the avatar an admin chooses in the console (tone/avatar_choice.py).

Our own services only (a service JWT, avatar_bridge/api/deps.py), like the rest of /internal/tone.
A choice is checked against the shipped avatars (contracts/avatars.yml), stored with who made it,
and applied at once by this instance and within ``tone_watch_s`` by every other one.
"""

import asyncio
import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from avatar_bridge.api.deps import ServiceCaller, ServicesDep
from avatar_bridge.core.services import BridgeServices
from avatar_bridge.tone.avatar_choice import AvatarChoiceRejected

router = APIRouter(prefix="/internal/tone", tags=["internal"])
logger = logging.getLogger(__name__)
APPLIES = (
    "A saved avatar shows on the next page load and speaks the next reply with its voice, on every bridge "
    "instance within a few seconds."
)


class AvatarBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    avatar: str = Field(max_length=64)
    # The admin who chose (the console's signed-in user); the service caller when absent.
    changed_by: str | None = Field(None, max_length=128)


def _answer(services: BridgeServices) -> dict:
    speech = services.speech
    voices = (
        {lang: {"engine": v.engine, "name": v.name, "gender": v.gender} for lang, v in speech.voices.items()}
        if speech
        else {}
    )
    return {**services.avatar.describe(), "voices": voices, "applies": APPLIES}


@router.get("/avatar")
async def read_avatar(services: ServicesDep, _caller: ServiceCaller) -> dict:
    """The avatar shown now, where it comes from (admin or deployment), and the voices it speaks with."""
    return _answer(services)


@router.put("/avatar", response_model=None)
async def choose_avatar(body: AvatarBody, services: ServicesDep, caller: ServiceCaller) -> dict | JSONResponse:
    try:
        await asyncio.to_thread(services.avatar.store, body.avatar, body.changed_by or caller)
    except AvatarChoiceRejected as error:
        return JSONResponse({"detail": "Nothing was saved.", "problems": [str(error)]}, status_code=422)
    services.avatar.reload()
    logger.info("avatar %s chosen by %s (via %s)", body.avatar, body.changed_by, caller)
    return {**_answer(services), "saved": True}
