"""The admin console's services, created once per app on first use (never at import time).

Tests (and a deployment that wants other paths) put their own ``AdminSettings`` on
``app.state.admin_settings`` before the first request.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from redis import Redis
from sqlalchemy.orm import sessionmaker

from handoff.admin.escalation.store import EscalationConfigStore
from handoff.admin.intents.service import IntentService
from handoff.admin.settings import AdminSettings
from handoff.admin.training.job import TrainingService
from handoff.core.redis import sync_redis


@dataclass
class AdminServices:
    settings: AdminSettings
    intents: IntentService
    training: TrainingService
    escalation: EscalationConfigStore
    # Synchronous client (used from worker threads): the escalation store and the tracker store.
    escalation_redis: Redis
    session_factory: sessionmaker


def get_admin(request: Request) -> AdminServices:
    state = request.app.state
    services = getattr(state, "admin", None)
    if services is None:
        settings = getattr(state, "admin_settings", None) or AdminSettings()
        handoff_settings = state.settings
        intents = IntentService(settings, state.session_factory)
        training = TrainingService(
            settings,
            state.redis,
            state.session_factory,
            handoff_settings.rasa_url,
            intents,
            handoff_settings.key_prefix,
            rasa_instance_urls=handoff_settings.rasa_instances(),
            rasa_auth=handoff_settings.rasa_auth(),
        )
        redis_client = sync_redis(handoff_settings.redis_url, password=handoff_settings.redis_password_value())
        escalation = EscalationConfigStore(redis_client)
        services = state.admin = AdminServices(
            settings, intents, training, escalation, redis_client, state.session_factory
        )
    return services


Admin = Annotated[AdminServices, Depends(get_admin)]
