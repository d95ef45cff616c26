"""Chat lines are identified by the service (issue #17, every message shown once): the id a send
returns is the line's id in every read, a read "after" a line returns only newer ones, a customer
message read twice from the bridge's inbox (a replay after a restart) is one line, and lines from
one source racing each other (a supervisor's "joined" line) are one line."""

import asyncio
import json

from tests.handoff.conftest import handoff_record, publish, sign_in, wait_until


def claimed_conversation(client, settings, redis_client) -> tuple[str, dict]:  # noqa: ANN001
    mia = sign_in(client, "mia")
    record = handoff_record()
    cid = record["conversation_id"]
    publish(redis_client, settings, record)
    wait_until(lambda: client.get(f"/api/conversations/{cid}", headers=mia).status_code == 200, message="intake")
    assert client.post(f"/api/queue/{cid}/claim", headers=mia).status_code == 200
    return cid, mia


def lines_of(client, cid: str, headers: dict, after: str = "-") -> list[dict]:  # noqa: ANN001
    response = client.get(f"/api/conversations/{cid}/messages", headers=headers, params={"after": after})
    assert response.status_code == 200, response.text
    return response.json()["messages"]


def from_the_bridge(redis_client, settings, cid: str, text: str, message_id: object = None) -> None:  # noqa: ANN001
    entry = {"session_id": cid, "text": text, "ts": 1.0}
    if message_id is not None:
        entry["message_id"] = message_id
    redis_client.xadd(f"{settings.bridge_prefix}:agent_inbox", {"payload": json.dumps(entry)})


def test_a_sent_line_has_one_id_and_a_read_after_it_returns_only_newer_lines(client, settings, redis_client) -> None:  # noqa: ANN001
    cid, mia = claimed_conversation(client, settings, redis_client)
    said = client.post(f"/api/conversations/{cid}/messages", headers=mia, json={"text": "Hello, I'm Mia."})
    noted = client.post(f"/api/conversations/{cid}/notes", headers=mia, json={"text": "refund likely"})
    first, second = said.json()["id"], noted.json()["id"]

    everything = lines_of(client, cid, mia)
    assert [line["id"] for line in everything][-2:] == [first, second]
    assert len({line["id"] for line in everything}) == len(everything)
    assert [line["text"] for line in lines_of(client, cid, mia, after=first)] == ["refund likely"]
    assert lines_of(client, cid, mia, after=second) == []
    # The console's first read of a conversation takes the same cursor.
    opened = client.get(f"/api/conversations/{cid}", headers=mia, params={"after": first}).json()
    assert [line["id"] for line in opened["messages"]] == [second]


def test_a_cursor_that_is_not_a_line_id_is_refused_not_a_server_error(client, settings, redis_client) -> None:  # noqa: ANN001
    cid, mia = claimed_conversation(client, settings, redis_client)
    for after in ("bogus", "1-x", "-1", "1--2", "1-2-3", "9" * 20, "1-" + "9" * 20, "(1-0"):
        for path in (f"/api/conversations/{cid}/messages", f"/api/conversations/{cid}"):
            assert client.get(path, headers=mia, params={"after": after}).status_code == 422, (path, after)


def test_a_customer_message_read_twice_from_the_bridge_is_one_line(client, settings, redis_client) -> None:  # noqa: ANN001
    cid, mia = claimed_conversation(client, settings, redis_client)
    from_the_bridge(redis_client, settings, cid, "my card was charged twice", "c1")
    from_the_bridge(redis_client, settings, cid, "my card was charged twice", "c1")  # the replay
    from_the_bridge(redis_client, settings, cid, "my card was charged twice", "c2")  # said again: a new line
    from_the_bridge(redis_client, settings, cid, "no id from an older bridge")
    from_the_bridge(redis_client, settings, cid, "an unusable id", {"not": "a string"})
    from_the_bridge(redis_client, settings, cid, "last", "c3")

    def customer_lines() -> list[str]:
        texts = [line["text"] for line in lines_of(client, cid, mia) if line["kind"] == "customer"]
        return texts if "last" in texts else []

    assert wait_until(customer_lines, message="the customer's lines") == [
        "my card was charged twice",
        "my card was charged twice",
        "no id from an older bridge",
        "an unusable id",
        "last",
    ]
    assert not redis_client.xrange(f"{settings.key_prefix}:rejected")


def test_lines_from_one_source_racing_each_other_are_one_line(settings) -> None:  # noqa: ANN001
    """Two barge-ins at once (two tabs) both add the supervisor's "joined" line: one is kept."""
    from redis.asyncio import Redis

    from handoff.queue.store import QueueStore

    async def race() -> tuple[list[str], list[dict]]:
        redis = Redis.from_url(settings.redis_url, decode_responses=True)
        try:
            store = QueueStore(redis, settings)
            joined = "Sam (supervisor) joined the conversation."
            ids = await asyncio.gather(
                *(store.add_message("c1", "system", "sam", "Sam", joined, source_id="joined:sam") for _ in range(8))
            )
            await store.add_message("c1", "system", "tom", "Tom", "Tom (supervisor) joined.", source_id="joined:tom")
            return ids, await store.messages("c1")
        finally:
            await redis.aclose()

    ids, lines = asyncio.run(race())
    assert len(set(ids)) == 1 and [line["id"] for line in lines][0] == ids[0]
    assert [line["author"] for line in lines] == ["sam", "tom"]
