"""Tell Rasa that a conversation is back with the bot after an agent handed it back.

While a person has the conversation, Rasa's `handoff_requested` slot stays true, which keeps the
escalation check quiet and steers the dialogue rules. Handing back must clear it (and any open
offer), or the bot would never escalate this customer again. It also ends whatever the bot was in
the middle of when the customer was handed over (a form, a pending request, a troubleshooting
question, the count of misunderstood messages): minutes later, with a person in between, the
customer's next message is a new request, not the answer to that old question. What the bot
learnt (verification, order number, language) stays, so nobody is asked again. Uses Rasa's HTTP
API (`POST /conversations/{id}/tracker/events`, enabled by `--enable-api`, signed with our JWT).
"""

from __future__ import annotations

import logging

import httpx

from common.conversation_routing import conversation_headers

logger = logging.getLogger(__name__)

HANDED_BACK_EVENTS = [
    {"event": "slot", "name": "handoff_requested", "value": False},
    {"event": "slot", "name": "human_offered", "value": False},
    {"event": "slot", "name": "escalation", "value": None},
    # The unfinished business from before the handoff (bot/domain: account, handoff, troubleshooting).
    {"event": "active_loop", "name": None},
    {"event": "slot", "name": "requested_slot", "value": None},
    {"event": "slot", "name": "pending_request", "value": None},
    {"event": "slot", "name": "fallback_count", "value": 0.0},
    {"event": "slot", "name": "troubleshoot_active", "value": False},
    {"event": "slot", "name": "troubleshoot_topic", "value": None},
    {"event": "slot", "name": "troubleshoot_step", "value": None},
]


async def mark_back_with_bot(rasa_url: str, conversation_id: str, auth: httpx.Auth, *, timeout_s: float = 10.0) -> bool:
    """Clear the handoff slots in the conversation's tracker; False (and a warning) when Rasa is away."""
    url = f"{rasa_url.rstrip('/')}/conversations/{conversation_id}/tracker/events"
    try:
        async with httpx.AsyncClient(timeout=timeout_s, auth=auth) as client:
            response = await client.post(
                url,
                json=HANDED_BACK_EVENTS,
                params={"include_events": "NONE"},
                headers=conversation_headers(conversation_id),
            )
            response.raise_for_status()
    except httpx.HTTPError as error:
        logger.warning("could not reset the handoff slots in Rasa: %s", type(error).__name__)
        return False
    return True
