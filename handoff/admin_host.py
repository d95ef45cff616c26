"""What this service gives the admin console it hosts (admin/host.py): its sign-in, its database
and Redis, its outcome records, and the addresses of Rasa and the avatar bridge."""

from fastapi import FastAPI

from admin.host import AdminHost
from handoff.api.deps import admin_from_request, supervisor_from_request
from handoff.core.config import HandoffSettings
from handoff.outcomes.store import outcome_records


def admin_host(app: FastAPI, settings: HandoffSettings) -> AdminHost:
    return AdminHost(
        authenticate_admin=admin_from_request,
        authenticate_supervisor=supervisor_from_request,
        session_factory=lambda: app.state.session_factory,
        redis=lambda: app.state.redis,
        outcome_records=outcome_records,
        redis_url=settings.redis_url,
        redis_password=settings.redis_password_value(),
        key_prefix=settings.key_prefix,
        rasa_url=settings.rasa_url,
        rasa_instance_urls=tuple(settings.rasa_instances()),
        rasa_auth=settings.rasa_auth(),
        bridge_url=settings.bridge_url,
    )
