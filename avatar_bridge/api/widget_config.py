"""`/widget-config.json`: the assistant's name, accent colour, logo and greetings as the deployment
configured them (core/widget_look.py). The page and the embedded widget read it at start (the
page's CSP forbids inline script, so it cannot be written into the HTML). Public and the same for
everyone, so any shop page may read it (CORS `*`, no credentials). The name follows the avatar shown
now unless WIDGET_NAME is set, so it is read per request and not cached, like /avatar.json."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from avatar_bridge.api.deps import ServicesDep

router = APIRouter(tags=["web client"])


@router.get("/widget-config.json", include_in_schema=False)
async def widget_config(services: ServicesDep) -> JSONResponse:
    return JSONResponse(
        services.settings.widget(services.avatar.current.avatar),
        headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache"},
    )
