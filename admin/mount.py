"""Mount the admin console into a FastAPI app (docs/architecture.md, docs/admin.md)."""

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from admin.api import avatar, dashboard, escalation, incidents, intents, pages, tone, training
from admin.api.pages import WEB
from admin.host import AdminHost

ROUTERS = (pages, intents, training, escalation, tone, avatar, incidents, dashboard)


def mount_admin(app: FastAPI, host: AdminHost) -> None:
    """The console's page at /admin, its files at /admin/static, its API at /api/admin."""
    app.state.admin_host = host
    for module in ROUTERS:
        app.include_router(module.router)
    app.mount("/admin/static", StaticFiles(directory=WEB), name="admin-static")


async def close_admin(app: FastAPI) -> None:
    """Release what the console opened (it starts on its first request, if ever)."""
    services = getattr(app.state, "admin", None)
    if services is not None:
        await services.close()
