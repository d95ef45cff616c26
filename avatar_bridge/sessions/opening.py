"""The opening turn: a session started with a customer token, or any session while an incident
for everyone is active (an outage), asks the bot once, before the customer types, whether there is
something to tell them (docs/protocol.md "Opening turn").

It is not a customer message: no `ack` (so the client shows nothing as the customer's), and the
`bot_message`/`bot_speech`/`turn_complete` frames name OPENING_TURN_ID in `reply_to` only when the
bot said something. A resume never sends it again; nothing is said when the dialogue is down.
"""

import logging
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

from contracts.incidents.stored import INCIDENTS_KEY, incidents_from_stored

logger = logging.getLogger(__name__)

# The intent payload the bot's rule answers with action_open_conversation (bot/domain/opening.yml).
OPENING_PAYLOAD = "/widget_opened"
# Fits the client message id pattern, as `reply_to` requires; the client never sends it itself.
OPENING_TURN_ID = "widget-opened"


@dataclass(frozen=True)
class OpeningTurn:
    id: str = OPENING_TURN_ID
    text: str = OPENING_PAYLOAD


async def incident_for_everyone(redis: Redis) -> bool:
    """Whether an active incident concerns every customer (contracts/incidents/): then even an
    anonymous customer hears about it when the widget opens. Redis away: no (logged)."""
    try:
        stored = await redis.hgetall(INCIDENTS_KEY)
    except (RedisError, OSError) as error:
        logger.warning("incidents unavailable for the opening turn (%s)", type(error).__name__)
        return False
    return any(i.active and i.scope.kind == "everyone" for i in incidents_from_stored(stored))
