"""Redis keys and streams that more than one service reads or writes (docs/handoff.md,
docs/protocol.md §9). Each service builds these names from here, never from its own spelling.

Names under a prefix are given as the part after it, because each service's prefix is a setting
(`bridge` and `handoff` by default): `f"{prefix}:{BRIDGE_DELIVERIES}"`.
"""

# The handoff service's request stream: the action server and the bridge append handoff records
# (field `payload`, JSON; contracts.handoff_record), the handoff service reads them.
HANDOFF_REQUESTS_STREAM = "handoff:requests"
HANDOFF_PREFIX = "handoff"

# The escalation configuration: the admin console writes it (with an audit stream), the action
# server reads it on every turn (contracts.escalation.stored says what the values look like).
ESCALATION_CONFIG_KEY = "handoff:escalation:config"
ESCALATION_AUDIT_STREAM = "handoff:escalation:audit"

# The avatar bridge's streams the handoff service uses, under the bridge's prefix.
BRIDGE_PREFIX = "bridge"
BRIDGE_DELIVERIES = "deliveries"  # handoff service → bridge: frames for the customer's widget
BRIDGE_AGENT_INBOX = "agent_inbox"  # bridge → handoff service: customer messages for an agent
BRIDGE_CSAT = "csat"  # bridge → handoff service: the customer's rating

# Rasa's tracker store (bot/endpoints.yml: RedisTrackerStore with key_prefix "tracker") keeps a
# conversation under "tracker:tracker:<sender id>"; the handoff service reads it for outcomes and
# the admin console's escalation preview.
RASA_TRACKER_KEY_PREFIX = "tracker:tracker:"


def prefixed(prefix: str, *parts: str) -> str:
    """A key under a service's prefix: prefixed("bridge", BRIDGE_CSAT) == "bridge:csat"."""
    return ":".join((prefix, *parts))
