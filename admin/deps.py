"""The admin console's services, created once per app on first use (never at import time).

Everything from the hosting service comes through ``AdminHost`` (admin/host.py), put on
``app.state.admin_host`` by ``mount_admin``. Tests (and a deployment that wants other paths) put
their own ``AdminSettings`` on ``app.state.admin_settings`` before the first request.
"""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from redis import Redis
from sqlalchemy.orm import sessionmaker

from admin.escalation.store import EscalationConfigStore
from admin.host import AdminHost
from admin.incidents.store import IncidentStore
from admin.intents.service import IntentService
from admin.models import create_tables
from admin.settings import AdminSettings
from admin.tone import BridgeTone
from admin.training.job import TrainingService
from common.redis_pool import sync_redis


@dataclass
class AdminServices:
    settings: AdminSettings
    host: AdminHost
    intents: IntentService
    training: TrainingService
    escalation: EscalationConfigStore
    incidents: IncidentStore
    tone: BridgeTone
    # Synchronous client (used from worker threads): the escalation store and the conversation log.
    sync_redis: Redis
    session_factory: sessionmaker

    async def close(self) -> None:
        await self.training.close()
        await self.tone.aclose()
        self.sync_redis.close()


def get_admin(request: Request) -> AdminServices:
    state = request.app.state
    services = getattr(state, "admin", None)
    if services is None:
        host: AdminHost = state.admin_host
        settings = getattr(state, "admin_settings", None) or AdminSettings()
        session_factory = host.session_factory()
        create_tables(session_factory.kw["bind"])
        intents = IntentService(settings, session_factory)
        training = TrainingService(
            settings,
            host.redis(),
            session_factory,
            host.rasa_url,
            intents,
            host.key_prefix,
            rasa_instance_urls=host.rasa_instance_urls,
            rasa_auth=host.rasa_auth,
        )
        redis_client = sync_redis(host.redis_url, password=host.redis_password)
        services = state.admin = AdminServices(
            settings,
            host,
            intents,
            training,
            EscalationConfigStore(redis_client),
            IncidentStore(redis_client),
            BridgeTone(host.bridge_url, host.rasa_auth),
            redis_client,
            session_factory,
        )
    return services


async def signed_in_admin(request: Request) -> Any:
    """The signed-in admin (401/403 from the host otherwise)."""
    return await request.app.state.admin_host.authenticate_admin(request)


async def signed_in_supervisor(request: Request) -> Any:
    """The signed-in supervisor or admin (401/403 from the host otherwise)."""
    return await request.app.state.admin_host.authenticate_supervisor(request)


Admin = Annotated[AdminServices, Depends(get_admin)]
AdminUser = Annotated[Any, Depends(signed_in_admin)]
SupervisorUser = Annotated[Any, Depends(signed_in_supervisor)]
