"""What the assistant raised before being asked, from a conversation's events (docs/admin.md,
"Proactive care"): the known problems (slot ``proactive_topic``) and the incidents the customer
was told about (slot ``incidents_told``; the notice after a request is proactive, the answer to
"is something wrong?" is not)."""

from typing import Any

ANSWERED_BY = "action_answer_incident"  # the incidents this action sets were asked about
MAX_ITEMS = 20


def care_fields(events: list[Any]) -> dict:
    topics: list[str] = []
    incidents: list[str] = []
    raised_incident = False
    last_action = None
    for event in events:
        if not isinstance(event, dict):
            continue
        if event.get("event") == "action":
            last_action = event.get("name")
            continue
        if event.get("event") != "slot":
            continue
        value = event.get("value")
        if event.get("name") == "proactive_topic" and isinstance(value, str) and value and value not in topics:
            topics.append(value[:80])
        elif event.get("name") == "incidents_told" and isinstance(value, list):
            new = [str(item)[:40] for item in value if str(item)[:40] not in incidents]
            incidents.extend(new)
            raised_incident = raised_incident or bool(new and last_action != ANSWERED_BY)
    return {
        "proactive": bool(topics) or raised_incident,
        "proactive_topics": topics[:MAX_ITEMS],
        "incidents": incidents[:MAX_ITEMS],
    }
