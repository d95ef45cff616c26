"""The admin console page (static HTML + ES modules in handoff/web/admin/; data from /api/admin)."""

from fastapi import APIRouter
from fastapi.responses import FileResponse

from handoff.api.pages import HEADERS, WEB

router = APIRouter(include_in_schema=False)


@router.get("/admin")
async def admin_page() -> FileResponse:
    return FileResponse(WEB / "admin" / "index.html", headers=HEADERS)
