"""GET /api/conversations/{id}/assist: who may read it, suggestions fixed per customer line, and the
remembered set in Redis that keeps "never the same suggestion twice" across reloads."""

import json

from tests.handoff.conftest import handoff_record, publish, sign_in, wait_until


def claimed_conversation(client, settings, redis_client) -> tuple[str, dict]:  # noqa: ANN001
    mia = sign_in(client, "mia")
    record = handoff_record(emotion="frustrated", distress=0.9)
    cid = record["conversation_id"]
    publish(redis_client, settings, record)
    wait_until(lambda: client.get(f"/api/conversations/{cid}", headers=mia).status_code == 200, message="intake")
    assert client.post(f"/api/queue/{cid}/claim", headers=mia).status_code == 200
    return cid, mia


def customer_says(client, settings, redis_client, cid: str, headers: dict, text: str, message_id: str) -> None:  # noqa: ANN001
    entry = {"session_id": cid, "text": text, "ts": 1.0, "message_id": message_id}
    redis_client.xadd(f"{settings.bridge_prefix}:agent_inbox", {"payload": json.dumps(entry)})

    def arrived() -> bool:
        lines = client.get(f"/api/conversations/{cid}/messages", headers=headers).json()["messages"]
        return any(line["kind"] == "customer" and line["text"] == text for line in lines)

    wait_until(arrived, message="customer line")


def assist(client, cid: str, headers: dict) -> dict:  # noqa: ANN001
    response = client.get(f"/api/conversations/{cid}/assist", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_suggestions_follow_the_customer_and_never_repeat(client, settings, redis_client) -> None:  # noqa: ANN001
    cid, mia = claimed_conversation(client, settings, redis_client)
    # Before the customer writes to the agent: nothing to answer (the opening line covers it).
    before = assist(client, cid, mia)
    assert before["suggestions"] == [] and before["for_line"] is None

    customer_says(client, settings, redis_client, cid, mia, "Why was I charged twice? <b>fix it</b>", "m1")
    first = assist(client, cid, mia)
    assert [item["kind"] for item in first["suggestions"]] == ["acknowledge", "ask", "act"]
    assert first["language"] == "en" and first["emotion"] == "frustrated"
    assert "open_question" in [warning["code"] for warning in first["warnings"]]
    assert "<b>fix it</b>" in json.dumps(first["warnings"])  # kept as text; the console sets textContent

    # Read again (a reload, another console tab): the same suggestions, nothing new remembered.
    assert assist(client, cid, mia)["suggestions"] == first["suggestions"]
    shown_key = settings.key("conv", cid, "assist", "shown")
    first_keys = {item["key"] for item in first["suggestions"]}
    assert redis_client.smembers(shown_key) == first_keys
    assert 0 < redis_client.ttl(shown_key) <= 3 * 24 * 3600

    client.post(f"/api/conversations/{cid}/messages", headers=mia, json={"text": "Let me check that."})
    customer_says(client, settings, redis_client, cid, mia, "Please hurry, I need the money back", "m2")
    second = assist(client, cid, mia)
    assert second["for_line"] != first["for_line"]
    assert not {item["key"] for item in second["suggestions"]} & first_keys
    assert not {item["text"] for item in second["suggestions"]} & {item["text"] for item in first["suggestions"]}
    assert redis_client.smembers(shown_key) == first_keys | {item["key"] for item in second["suggestions"]}


def test_only_the_agent_holding_it_or_a_supervisor_may_read_it(client, settings, redis_client) -> None:  # noqa: ANN001
    cid, _mia = claimed_conversation(client, settings, redis_client)
    tom, sam = sign_in(client, "tom"), sign_in(client, "sam")
    assert client.get(f"/api/conversations/{cid}/assist", headers=tom).status_code == 403
    assert client.get(f"/api/conversations/{cid}/assist", headers=sam).status_code == 200
    assert client.get("/api/conversations/no-such-conversation/assist", headers=sam).status_code == 404
    assert client.get(f"/api/conversations/{cid}/assist").status_code == 401
