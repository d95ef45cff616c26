"""The active incidents, for agents: shown next to every conversation (contracts/incidents/).

Admins and supervisors publish them in the admin console; this service only reads them."""

from typing import Annotated

from fastapi import APIRouter, Depends
from redis.asyncio import Redis

from contracts.incidents.stored import INCIDENTS_KEY, incidents_from_stored
from handoff.api.deps import AgentUser, get_redis

router = APIRouter(prefix="/api/incidents", tags=["incidents"])


@router.get("")
async def active_incidents(_user: AgentUser, redis: Annotated[Redis, Depends(get_redis)]) -> dict:
    incidents = incidents_from_stored(await redis.hgetall(INCIDENTS_KEY))
    return {"incidents": [incident.to_dict() for incident in incidents if incident.active]}
