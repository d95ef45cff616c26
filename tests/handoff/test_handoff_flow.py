"""The complete path through the service: intake → queue → claim → chat both ways → end → outcome."""

import json
import uuid

from contracts.redis_keys import conversation_events_key
from handoff.outcomes.store import get_outcome
from tests.handoff.conftest import deliveries, handoff_record, publish, sign_in, wait_until


def queue_ids(client, headers) -> list[str]:  # noqa: ANN001
    return [item["conversation_id"] for item in client.get("/api/queue", headers=headers).json()["items"]]


def test_handoff_is_queued_claimed_chatted_and_ended(client, settings, redis_client) -> None:  # noqa: ANN001
    mia = sign_in(client, "mia")
    record = handoff_record(distress=0.3, emotion="frustrated")
    cid = record["conversation_id"]
    publish(redis_client, settings, record)
    wait_until(lambda: cid in queue_ids(client, mia), message="handoff in the queue")

    # The customer was told where they stand.
    queued = wait_until(lambda: [f for f in deliveries(redis_client, settings, cid) if f["type"] == "status"])
    assert queued[0]["state"] == "queued" and queued[0]["queue_position"] == 1
    assert queued[0]["estimated_wait_s"] > 0 and "number 1" in queued[0]["text"]

    # The context package (handoff.context) came with it: profile, transcript, summary.
    opened = client.get(f"/api/conversations/{cid}", headers=mia).json()
    assert opened["conversation"]["customer_name"] == "James Carter"
    assert opened["context"]["transcript"][0]["text"] == "I was charged twice!"
    assert opened["context"]["summary"]

    claimed = client.post(f"/api/queue/{cid}/claim", headers=mia)
    assert claimed.status_code == 200, claimed.text
    frames = deliveries(redis_client, settings, cid)
    assert frames[-1]["state"] == "with_agent" and "Mia" in frames[-1]["text"]

    # Agent → customer through the bridge's deliveries stream, as a person with a name.
    assert (
        client.post(f"/api/conversations/{cid}/messages", headers=mia, json={"text": "Hi, I'm Mia."}).status_code == 200
    )
    message = deliveries(redis_client, settings, cid)[-1]
    assert message == {
        "type": "agent_message",
        "message_id": message["message_id"],
        "agent": {"display_name": "Mia", "role": "agent"},
        "text": "Hi, I'm Mia.",
    }

    # Customer → agent through the bridge's agent inbox.
    redis_client.xadd(
        f"{settings.bridge_prefix}:agent_inbox",
        {"payload": json.dumps({"session_id": cid, "message_id": "m1", "text": "<b>thanks</b>", "ts": 1.0})},
    )

    def customer_lines() -> list[str]:
        lines = client.get(f"/api/conversations/{cid}/messages", headers=mia).json()["messages"]
        return [line["text"] for line in lines if line["kind"] == "customer"]

    assert wait_until(customer_lines, message="customer message") == ["<b>thanks</b>"]

    assert (
        client.post(f"/api/conversations/{cid}/notes", headers=mia, json={"text": "refund approved"}).status_code == 200
    )
    ended = client.post(f"/api/conversations/{cid}/end", headers=mia, json={"outcome_code": "refund_issued"})
    assert ended.status_code == 200, ended.text
    assert deliveries(redis_client, settings, cid)[-1]["state"] == "agent_left"
    # Notes never go to the customer.
    assert not any("refund approved" in json.dumps(f) for f in deliveries(redis_client, settings, cid))

    with client.app.state.session_factory() as session:
        outcome = get_outcome(session, cid)
    assert outcome.resolved_by == "agent" and outcome.outcome_code == "refund_issued"
    assert outcome.handoff_reason == "billing_double_charge" and outcome.agent_username == "mia"
    assert outcome.wait_seconds is not None and outcome.handle_seconds is not None
    assert outcome.customer_id == "C100002"


def test_hand_back_routes_the_customer_to_the_bot(client, settings, redis_client) -> None:  # noqa: ANN001
    mia = sign_in(client, "mia")
    record = handoff_record(language="de")
    cid = record["conversation_id"]
    publish(redis_client, settings, record)
    wait_until(lambda: cid in queue_ids(client, mia))
    assert client.post(f"/api/queue/{cid}/claim", headers=mia).status_code == 200
    assert client.post(f"/api/conversations/{cid}/handback", headers=mia).status_code == 200
    last = deliveries(redis_client, settings, cid)[-1]
    # The customer hears that the assistant is back and what it can do, in their language.
    assert last["state"] == "bot" and "Mia" in last["text"] and "wieder beim Assistenten" in last["text"]
    assert "Bestellungen" in last["text"] and "Passwörtern" in last["text"]
    assert cid not in [c["conversation_id"] for c in client.get("/api/conversations/mine", headers=mia).json()["items"]]


def test_csat_without_a_handoff_records_a_bot_resolved_conversation(client, settings, redis_client) -> None:  # noqa: ANN001
    redis_client.xadd(
        f"{settings.bridge_prefix}:csat",
        {"payload": json.dumps({"session_id": "bot-only-1", "score": 5, "language": "en", "ts": 1.0})},
    )

    def outcome():  # noqa: ANN202
        with client.app.state.session_factory() as session:
            return get_outcome(session, "bot-only-1")

    row = wait_until(outcome, message="outcome row")
    assert row.resolved_by == "bot" and row.csat == 5


def log_bot_conversation(redis_client, sender: str, start: float) -> None:  # noqa: ANN001
    """What the bot's event broker writes (bot/brokers/conversation_log.py): two customer turns."""
    events = [
        {
            "event": "user",
            "text": "where is my order",
            "timestamp": start,
            "parse_data": {"intent": {"name": "order_status"}},
        },
        {"event": "bot", "text": "It arrives tomorrow.", "timestamp": start + 5},
        {"event": "user", "text": "thanks", "timestamp": start + 40, "parse_data": {"intent": {"name": "thank"}}},
    ]
    redis_client.rpush(conversation_events_key(sender), *[json.dumps(e) for e in events])


def test_a_rating_counts_the_whole_bot_conversation_at_once(client, settings, redis_client) -> None:  # noqa: ANN001
    sender = f"bot-rated-{uuid.uuid4().hex[:8]}"
    log_bot_conversation(redis_client, sender, 1_700_000_000.0)
    redis_client.xadd(
        f"{settings.bridge_prefix}:csat",
        {"payload": json.dumps({"session_id": sender, "score": 4, "language": "en", "ts": 1.0})},
    )
    row = wait_until(lambda: outcome_of(client, sender), message="outcome row")
    # Its start is the first message (not the moment of the rating), so its duration is real.
    assert row.started_at.timestamp() == 1_700_000_000.0 and row.primary_intent == "order_status"
    assert row.resolved_by == "bot" and row.csat == 4


def outcome_of(client, cid: str):  # noqa: ANN001, ANN201
    with client.app.state.session_factory() as session:
        return get_outcome(session, cid)


def test_a_customer_who_ends_the_chat_is_counted_now_and_leaves_the_queue(client, settings, redis_client) -> None:  # noqa: ANN001
    mia = sign_in(client, "mia")
    ends = f"{settings.bridge_prefix}:session_ends"
    # With the bot only: the outcome is written at once, from the bot's log.
    sender = f"bot-ended-{uuid.uuid4().hex[:8]}"
    log_bot_conversation(redis_client, sender, 1_700_000_100.0)
    redis_client.xadd(ends, {"payload": json.dumps({"session_id": sender, "ts": 1_700_000_200.0})})
    row = wait_until(lambda: outcome_of(client, sender), message="bot outcome")
    assert row.resolved_by == "bot" and row.ended_at.timestamp() == 1_700_000_140.0

    # Waiting for a person: out of the queue (nobody behind waits for them), counted as abandoned.
    first, second = handoff_record(), handoff_record()
    for record in (first, second):
        publish(redis_client, settings, record)
    wait_until(lambda: {first["conversation_id"], second["conversation_id"]} <= set(queue_ids(client, mia)))
    redis_client.xadd(ends, {"payload": json.dumps({"session_id": first["conversation_id"], "ts": 1.0})})
    wait_until(lambda: first["conversation_id"] not in queue_ids(client, mia), message="left the queue")

    # The outcome and the positions of those behind are written after the queue entry goes
    # (positions in the background, bursts merged): wait for each, don't assume the order.
    def ended_outcome():  # noqa: ANN202
        row = outcome_of(client, first["conversation_id"])
        return row if row is not None and row.resolved_by else None

    left = wait_until(ended_outcome, message="abandoned outcome")
    assert left.resolved_by == "abandoned" and left.outcome_code == "customer_left"

    def latest_position() -> int | None:
        statuses = [f for f in deliveries(redis_client, settings, second["conversation_id"]) if f["type"] == "status"]
        return statuses[-1].get("queue_position") if statuses else None

    wait_until(lambda: latest_position() == 1, message="moved up to first")

    # With an agent: the agent is told, and ends it themselves.
    claimed = client.post(f"/api/queue/{second['conversation_id']}/claim", headers=mia)
    assert claimed.status_code == 200
    redis_client.xadd(ends, {"payload": json.dumps({"session_id": second["conversation_id"], "ts": 2.0})})

    def system_lines() -> list[str]:
        lines = client.get(f"/api/conversations/{second['conversation_id']}/messages", headers=mia).json()["messages"]
        return [line["text"] for line in lines if line["kind"] == "system" and "closed the chat" in line["text"]]

    assert len(wait_until(system_lines, message="the agent is told")) == 1


def test_a_malformed_session_end_is_rejected(client, settings, redis_client) -> None:  # noqa: ANN001
    redis_client.xadd(f"{settings.bridge_prefix}:session_ends", {"payload": json.dumps({"ts": 1.0})})
    rejected = wait_until(lambda: redis_client.xrange(settings.key("rejected")), message="rejected entry")
    assert any("session_id" in json.dumps(fields) for _id, fields in rejected)


def test_malformed_handoff_is_rejected_not_retried_forever(client, settings, redis_client) -> None:  # noqa: ANN001
    redis_client.xadd(settings.requests_stream, {"payload": "{not json"})
    redis_client.xadd(settings.requests_stream, {"payload": json.dumps({"conversation_id": 5})})
    rejected = wait_until(lambda: redis_client.xlen(f"{settings.key_prefix}:rejected") >= 2, message="rejections")
    assert rejected
    pending = redis_client.xpending(settings.requests_stream, "handoff")
    assert pending["pending"] == 0


def test_a_returning_customer_is_not_on_first_contact(client, settings, redis_client) -> None:  # noqa: ANN001
    sam = sign_in(client, "sam")
    first, second = handoff_record(customer_id="C100001"), handoff_record(customer_id="C100001")
    publish(redis_client, settings, first)

    def outcome(cid: str):  # noqa: ANN202
        with client.app.state.session_factory() as session:
            return get_outcome(session, cid)

    assert wait_until(lambda: outcome(first["conversation_id"])).first_contact is True
    publish(redis_client, settings, second)
    assert wait_until(lambda: outcome(second["conversation_id"])).first_contact is False
    live = client.get("/api/supervisor/live", headers=sam).json()["conversations"]
    assert {c["conversation_id"] for c in live} == {first["conversation_id"], second["conversation_id"]}


def test_waiting_customers_move_up_when_someone_is_taken(client, settings, redis_client) -> None:  # noqa: ANN001
    mia = sign_in(client, "mia")
    first, second = handoff_record(distress=0.5), handoff_record(distress=0.1)
    publish(redis_client, settings, first)
    publish(redis_client, settings, second)

    def positions(cid: str) -> list[int]:
        return [f["queue_position"] for f in deliveries(redis_client, settings, cid) if f.get("state") == "queued"]

    wait_until(lambda: 2 in positions(second["conversation_id"]), message="second customer at number 2")
    assert client.post(f"/api/queue/{first['conversation_id']}/claim", headers=mia).status_code == 200
    wait_until(lambda: positions(second["conversation_id"])[-1] == 1, message="second customer moves up")


def test_a_replayed_handoff_is_stored_once(client, settings, redis_client) -> None:  # noqa: ANN001
    sam = sign_in(client, "sam")
    record = handoff_record()
    publish(redis_client, settings, record)
    publish(redis_client, settings, record)  # e.g. redelivered after a crash before the acknowledgement
    cid = record["conversation_id"]
    wait_until(
        lambda: (
            redis_client.xpending(settings.requests_stream, "handoff")["pending"] == 0
            and redis_client.xinfo_groups(settings.requests_stream)[0]["entries-read"] == 2
        )
    )
    live = client.get("/api/supervisor/live", headers=sam).json()["conversations"]
    assert [c["conversation_id"] for c in live] == [cid]
    lines = client.get(f"/api/conversations/{cid}/messages", headers=sam).json()["messages"]
    assert [line["kind"] for line in lines].count("system") == 1


def test_supervisor_whispers_to_the_agent_and_barges_in(client, settings, redis_client) -> None:  # noqa: ANN001
    mia, sam = sign_in(client, "mia"), sign_in(client, "sam")
    record = handoff_record(distress=0.8, emotion="frustrated")
    cid = record["conversation_id"]
    publish(redis_client, settings, record)
    wait_until(lambda: cid in queue_ids(client, mia))
    assert client.post(f"/api/supervisor/{cid}/whisper", headers=sam, json={"text": "early"}).status_code == 409
    assert client.post(f"/api/queue/{cid}/claim", headers=mia).status_code == 200

    live = client.get("/api/supervisor/live", headers=sam).json()
    row = next(c for c in live["conversations"] if c["conversation_id"] == cid)
    assert (row["state"], row["agent"], row["emotion"], row["distress"]) == ("assigned", "mia", "frustrated", 0.8)
    assert next(a for a in live["agents"] if a["username"] == "mia")["load"] >= 0.79  # the heavy case counts

    assert (
        client.post(f"/api/supervisor/{cid}/whisper", headers=sam, json={"text": "offer a voucher"}).status_code == 200
    )
    assert (
        client.post(f"/api/supervisor/{cid}/barge", headers=sam, json={"text": "I'm Sam, the team lead."}).status_code
        == 200
    )
    kinds = [
        (line["kind"], line["text"])
        for line in client.get(f"/api/conversations/{cid}/messages", headers=mia).json()["messages"]
    ]
    assert ("whisper", "offer a voucher") in kinds and ("agent", "I'm Sam, the team lead.") in kinds
    frames = deliveries(redis_client, settings, cid)
    assert frames[-1]["agent"] == {"display_name": "Sam", "role": "supervisor"}  # not "Sam (agent)"
    # A second barge-in: the "joined" line once; each line has its own id; the consoles name the role.
    assert client.post(f"/api/supervisor/{cid}/barge", headers=sam, json={"text": "Still here."}).status_code == 200
    lines = client.get(f"/api/conversations/{cid}/messages", headers=mia).json()["messages"]
    assert [line["text"] for line in lines].count("Sam (supervisor) joined the conversation.") == 1
    assert len({line["id"] for line in lines}) == len(lines)
    sams = [line for line in lines if line["author"] == "sam" and line["kind"] == "agent"]
    assert {line.get("author_role") for line in sams} == {"supervisor"}
    thanked = client.post(f"/api/conversations/{cid}/messages", headers=mia, json={"text": "Thanks, Sam."})
    assert thanked.status_code == 200
    assert deliveries(redis_client, settings, cid)[-1]["agent"] == {"display_name": "Mia", "role": "agent"}
    assert not any("voucher" in json.dumps(frame) for frame in frames)


def test_a_record_that_breaks_the_handoff_v2_schema_is_refused_and_kept(
    client,
    settings,
    redis_client,  # noqa: ANN001
    caplog,
) -> None:
    record = handoff_record(text="my secret words")
    record["skill"] = "legal"
    record["transcript"][0]["role"] = "customer-ish"
    entry_id = publish(redis_client, settings, record)

    rejected = wait_until(lambda: redis_client.xrange(f"{settings.key_prefix}:rejected"), message="rejection")
    [(_, fields)] = rejected
    assert fields["entry"] == entry_id and json.loads(fields["payload"]) == record  # nothing lost
    assert "not a valid handoff.v2 record" in fields["error"] and "skill: fails enum" in fields["error"]
    assert "transcript/0/role" in fields["error"] and "secret" not in fields["error"]
    # Acknowledged once refused (the acknowledgement follows the rejection entry): not retried forever.
    wait_until(
        lambda: redis_client.xpending(settings.requests_stream, "handoff")["pending"] == 0, message="acknowledged"
    )
    assert redis_client.hgetall(f"{settings.key_prefix}:conv:{record['conversation_id']}") == {}
    assert any("not a valid handoff.v2 record" in message for message in caplog.messages)


def test_a_long_wait_offers_a_call_back_and_the_choice_reaches_the_agent(client, settings, redis_client) -> None:  # noqa: ANN001
    mia = sign_in(client, "mia")
    record = handoff_record(language="de")
    cid = record["conversation_id"]
    publish(redis_client, settings, record)
    # No console is open, so nobody serves billing in German: the wait counts as long.
    queued = wait_until(lambda: [f for f in deliveries(redis_client, settings, cid) if f["type"] == "status"])
    assert queued[0]["contact_options"] == ["callback", "email"]
    assert "zurück" in queued[0]["text"] and queued[0]["estimated_wait_min_s"] <= queued[0]["estimated_wait_s"]

    for text in ('/contact_request{"via": "fax"}', '/contact_request{"via": "callback"}'):
        redis_client.xadd(
            f"{settings.bridge_prefix}:agent_inbox",
            {"payload": json.dumps({"session_id": cid, "message_id": text[-12:], "text": text, "ts": 2.0})},
        )

    def row() -> dict:
        items = client.get("/api/queue", headers=mia).json()["items"]
        return next((item for item in items if item["conversation_id"] == cid and item["contact_request"]), {})

    assert wait_until(row, message="the request on the queue entry")["contact_request"] == "callback"
    lines = client.get(f"/api/conversations/{cid}/messages", headers=mia).json()["messages"]
    # The unknown choice is an ordinary customer line; the real one a request the agent reads.
    assert [(line["kind"], line["text"]) for line in lines if line["author"] == "customer"] == [
        ("customer", '/contact_request{"via": "fax"}'),
        ("system", "The customer would rather be called back than wait: call the number on file."),
    ]
