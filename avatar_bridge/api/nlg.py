"""POST /nlg: Rasa's NLG endpoint (configure `nlg: url:` in bot/endpoints.yml)."""

from typing import Annotated, Any

from fastapi import APIRouter, Body

from avatar_bridge.api.deps import NlgTokenChecked, ServicesDep
from avatar_bridge.wording.nlg import NlgRequest

router = APIRouter(tags=["nlg"])


@router.post("/nlg")
async def generate(services: ServicesDep, _: NlgTokenChecked, body: Annotated[dict[str, Any], Body()]) -> dict:
    return await services.nlg.compose(NlgRequest.from_body(body))
