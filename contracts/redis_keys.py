"""Redis keys and streams that more than one service reads or writes (docs/handoff.md,
docs/protocol.md §9). Each service builds these names from here, never from its own spelling.

Names under a prefix are given as the part after it, because each service's prefix is a setting
(`bridge` and `handoff` by default): `f"{prefix}:{BRIDGE_DELIVERIES}"`.
"""

import json

# The handoff service's request stream: the action server and the bridge append handoff records
# (field `payload`, JSON; contracts.handoff_record), the handoff service reads them.
HANDOFF_REQUESTS_STREAM = "handoff:requests"
HANDOFF_PREFIX = "handoff"

# The escalation configuration: the admin console writes it (with an audit stream), the action
# server reads it on every turn (contracts.escalation.stored says what the values look like).
ESCALATION_CONFIG_KEY = "handoff:escalation:config"
ESCALATION_AUDIT_STREAM = "handoff:escalation:audit"

# Incidents (outages, carrier delays, recalls): the admin console writes them (a hash of incident
# id -> JSON, with an audit stream), the action server and the handoff service read them
# (contracts.incidents.stored says what the values look like).
INCIDENTS_KEY = "handoff:incidents"
INCIDENTS_AUDIT_STREAM = "handoff:incidents:audit"

# The avatar bridge's streams the handoff service uses, under the bridge's prefix.
BRIDGE_PREFIX = "bridge"
BRIDGE_DELIVERIES = "deliveries"  # handoff service → bridge: frames for the customer's widget
BRIDGE_AGENT_INBOX = "agent_inbox"  # bridge → handoff service: customer messages for an agent
BRIDGE_CSAT = "csat"  # bridge → handoff service: the customer's rating
BRIDGE_SESSION_ENDS = "session_ends"  # bridge → handoff service: a customer ended their chat

# The bot's conversation log, written by its event broker (bot/brokers/conversation_log.py) as Rasa
# publishes each event: per conversation a list of Rasa's event JSON (oldest first, capped), and an
# index of conversations scored by their last event's time. The handoff service reads it for
# outcomes, the admin console for the escalation preview; Rasa's tracker store stays Rasa's own.
CONVERSATION_EVENTS_PREFIX = "bot:conversation:"  # + sender id: list of events (JSON)
CONVERSATIONS_BY_LAST_EVENT = "bot:conversations"  # sorted set: sender id -> last event timestamp
# The most events kept per conversation (a long conversation keeps its latest ones).
CONVERSATION_EVENTS_MAX = 2000


def conversation_events_key(sender_id: str) -> str:
    return f"{CONVERSATION_EVENTS_PREFIX}{sender_id}"


def decode_events(raw_events: list) -> list[dict]:
    """The events of a conversation log list; entries that are not JSON objects are skipped."""
    events = []
    for raw in raw_events:
        try:
            event = json.loads(raw)
        except (TypeError, ValueError):
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def prefixed(prefix: str, *parts: str) -> str:
    """A key under a service's prefix: prefixed("bridge", BRIDGE_CSAT) == "bridge:csat"."""
    return ":".join((prefix, *parts))
