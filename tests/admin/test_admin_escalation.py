"""Escalation thresholds: preview on prepared stored conversations, apply live, audit log."""

import copy

import redis

from fastapi.testclient import TestClient

from contracts.escalation.config import default_config
from contracts.escalation.rules import decide, facts_from_events
from admin.escalation.store import EscalationConfigStore
from tests.admin.conftest import log_conversation, sign_in


def user(intent: str, label: str = "neutral", intensity: float = 0.1, at: float = 0.0) -> list[dict]:
    return [
        {
            "event": "user",
            "timestamp": at,
            "text": f"({intent})",
            "parse_data": {
                "intent": {"name": intent, "confidence": 0.9},
                "emotion": {"label": label, "intensity": intensity, "confidence": 0.9},
            },
        },
        {"event": "action", "timestamp": at + 0.1, "name": "action_listen"},
    ]


# Five stored conversations; what the defaults and the proposal do with each is worked out below.
CONVERSATIONS = {
    "calm": user("order_status", at=10) + user("affirm", at=11),
    "angry-once": user("order_status", "frustrated", 0.8, at=20),
    "angry-twice": user("order_status", "frustrated", 0.9, at=30) + user("order_status", "frustrated", 0.9, at=31),
    "two-fallbacks": user("nlu_fallback", at=40) + user("nlu_fallback", at=41),
    "billing": user("billing_double_charge", at=50),
}


def proposal() -> dict:
    config = copy.deepcopy(default_config().to_dict())
    config["emotion"]["labels"]["frustrated"] = {"min_intensity": 0.7, "consecutive_turns": 1}
    config["fallbacks"]["max_fallbacks"] = 3
    return config


def bot_redis(client: TestClient) -> redis.Redis:
    return redis.Redis.from_url(client.app.state.settings.redis_url, decode_responses=True)


def store_conversations(client: TestClient) -> None:
    """As the bot's event broker logs them (bot/brokers/conversation_log.py)."""
    redis_client = bot_redis(client)
    for name, events in CONVERSATIONS.items():
        log_conversation(redis_client, client.app.state.admin_settings, name, events)


def test_preview_on_prepared_conversations(client: TestClient, admin_headers: dict) -> None:
    store_conversations(client)
    response = client.post(
        "/api/admin/escalation/preview", json={"config": proposal(), "limit": 50}, headers=admin_headers
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["conversations"] == 5
    assert result["current"] == {"bot": 2, "offer": 1, "handoff": 2}
    assert result["proposed"] == {"bot": 2, "offer": 0, "handoff": 3}
    assert result["changed"] == 3
    rows = {row["conversation_id"]: row for row in result["rows"]}
    assert [row["conversation_id"] for row in result["rows"]][0] == "billing"  # newest first
    assert rows["angry-once"]["current"]["route"] == "bot"
    assert rows["angry-once"]["proposed"] == {
        "route": "handoff",
        "turn": 1,
        "reasons": ["emotion_frustrated"],
        "skill": rows["angry-once"]["proposed"]["skill"],
    }
    assert (rows["angry-twice"]["current"]["turn"], rows["angry-twice"]["proposed"]["turn"]) == (2, 1)
    assert rows["two-fallbacks"]["current"]["route"] == "offer"
    assert rows["two-fallbacks"]["proposed"]["route"] == "bot"
    assert not rows["calm"]["changed"] and not rows["billing"]["changed"]
    # The preview changes nothing.
    assert client.get("/api/admin/escalation", headers=admin_headers).json()["version"] == 0
    limited = client.post(
        "/api/admin/escalation/preview", json={"config": proposal(), "limit": 2}, headers=admin_headers
    ).json()
    assert [row["conversation_id"] for row in limited["rows"]] == ["billing", "two-fallbacks"]


def test_apply_is_live_for_the_next_conversation_and_audited(client: TestClient, admin_headers: dict) -> None:
    redis_client = bot_redis(client)
    # The action server's view: a store that reads Redis on every turn (as bot/actions/escalation.py).
    bot_store = EscalationConfigStore(redis_client)
    next_conversation = facts_from_events(CONVERSATIONS["angry-once"])
    assert not decide(bot_store.current()[0], next_conversation).escalate

    applied = client.put(
        "/api/admin/escalation", json={"config": proposal(), "comment": "stricter on anger"}, headers=admin_headers
    )
    assert applied.status_code == 200, applied.text
    assert applied.json()["version"] == 1

    config, version = bot_store.current()
    assert version == 1
    decision = decide(config, next_conversation)
    assert decision.escalate and [r.code for r in decision.reasons] == ["emotion_frustrated"]

    audit = client.get("/api/admin/escalation/audit", headers=admin_headers).json()["entries"]
    assert audit[0]["actor"] == "alex" and audit[0]["comment"] == "stricter on anger"
    assert audit[0]["before"]["emotion"]["labels"]["frustrated"]["min_intensity"] == 0.85
    assert audit[0]["after"]["emotion"]["labels"]["frustrated"]["min_intensity"] == 0.7
    current = client.get("/api/admin/escalation", headers=admin_headers).json()
    assert current["config"]["fallbacks"]["max_fallbacks"] == 3


def test_invalid_values_are_refused_with_reasons(client: TestClient, admin_headers: dict) -> None:
    bad = proposal()
    bad["emotion"]["labels"]["frustrated"]["min_intensity"] = 7
    bad["fallbacks"]["max_fallbacks"] = -1
    for method, path in (("PUT", "/api/admin/escalation"), ("POST", "/api/admin/escalation/preview")):
        response = client.request(method, path, json={"config": bad}, headers=admin_headers)
        assert response.status_code == 422, response.text
        problems = " ".join(response.json()["problems"])
        assert "min_intensity" in problems and "max_fallbacks" in problems
    assert client.get("/api/admin/escalation", headers=admin_headers).json()["version"] == 0
    assert client.get("/api/admin/escalation/audit", headers=admin_headers).json()["entries"] == []
    supervisor = sign_in(client, "sam")
    assert client.put("/api/admin/escalation", json={"config": proposal()}, headers=supervisor).status_code == 403
