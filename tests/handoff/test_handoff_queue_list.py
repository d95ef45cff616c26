"""GET /api/queue as the agent console pages it: search, filters, sort orders, keyset cursor, and
a clear 422 for every bad parameter (docs/handoff.md "The queue list")."""

import pytest

from tests.handoff.conftest import sign_in
from tests.handoff.queue_seed import seed_waiting, varied_cases

CASES = varied_cases(40, prefix="list")


@pytest.fixture
def seeded(client, settings):  # noqa: ANN001, ANN201
    client.portal.call(seed_waiting, settings, CASES)
    return client


def listing(client, headers, **params) -> dict:  # noqa: ANN001
    response = client.get("/api/queue", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def ids(page: dict) -> list[str]:
    return [item["conversation_id"] for item in page["items"]]


def test_rows_carry_what_the_list_shows_longest_wait_first(seeded) -> None:  # noqa: ANN001
    sam = sign_in(seeded, "sam")  # a supervisor sees every queue
    page = listing(seeded, sam)
    assert page["total"] == 40 and page["next_cursor"] is None
    waits = [item["waiting_seconds"] for item in page["items"]]
    assert waits == sorted(waits, reverse=True)
    first = page["items"][0]
    assert first["conversation_id"] == "list-0039"
    assert first["customer_name"] == CASES[39].name
    assert first["last_message"] == "Message number 39 about order A1039"
    assert first["last_message_at"] > 0 and first["emotion"] and first["reason_text"]


def test_search_and_filters_narrow_the_list(seeded) -> None:  # noqa: ANN001
    sam = sign_in(seeded, "sam")
    assert ids(listing(seeded, sam, q="order a1007")) == ["list-0007"]  # last message, any case
    assert set(ids(listing(seeded, sam, q="lena vogel"))) == {c.conversation_id for c in CASES if "Lena" in c.name}
    assert ids(listing(seeded, sam, q="nobody-like-this")) == []
    for field, value in (("skill", "technical"), ("language", "de"), ("emotion", "frustrated")):
        expected = {c.conversation_id for c in CASES if getattr(c, field) == value}
        assert set(ids(listing(seeded, sam, **{field: value}))) == expected
    both = listing(seeded, sam, reason="payment_failed", language="en")
    assert set(ids(both)) == {c.conversation_id for c in CASES if c.reason == "payment_failed" and c.language == "en"}
    assert both["total"] == len(both["items"])


def test_sort_orders(seeded) -> None:  # noqa: ANN001
    sam = sign_in(seeded, "sam")
    newest = listing(seeded, sam, sort="newest")["items"]
    assert [item["conversation_id"] for item in newest[:2]] == ["list-0000", "list-0001"]
    distressed = [item["distress"] for item in listing(seeded, sam, sort="distress")["items"]]
    assert distressed == sorted(distressed, reverse=True) and distressed[0] == 0.7


def test_pages_follow_each_other_without_gaps_even_when_one_is_claimed(seeded) -> None:  # noqa: ANN001
    mia = sign_in(seeded, "mia")  # billing and general, English and German
    everything = ids(listing(seeded, mia, limit=200))
    first = listing(seeded, mia, limit=7)
    assert ids(first) == everything[:7] and first["total"] == len(everything)
    # Someone takes a conversation on the next page: the cursor still continues after the last shown.
    taken = everything[9]
    assert seeded.post(f"/api/queue/{taken}/claim", headers=sign_in(seeded, "sam")).status_code == 200
    seen, cursor = ids(first), first["next_cursor"]
    while cursor:
        page = listing(seeded, mia, limit=7, cursor=cursor)
        seen += ids(page)
        cursor = page["next_cursor"]
    assert seen == [cid for cid in everything if cid != taken]


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"limit": 0}, "query.limit"),
        ({"limit": 201}, "query.limit"),
        ({"limit": "ten"}, "query.limit"),
        ({"sort": "random"}, "query.sort"),
        ({"skill": "cooking"}, "query.skill"),
        ({"language": "fr"}, "query.language"),
        ({"emotion": "furious"}, "query.emotion: unknown emotion"),
        ({"reason": "DROP TABLE"}, "query.reason"),
        ({"q": "x" * 101}, "query.q"),
        ({"cursor": "not*a*cursor"}, "query.cursor"),
        ({"cursor": "bm90IGpzb24"}, "query.cursor: not a cursor this API gave out"),
    ],
)
def test_bad_parameters_are_422_with_the_parameter_named(client, params, problem) -> None:  # noqa: ANN001
    response = client.get("/api/queue", headers=sign_in(client, "mia"), params=params)
    assert response.status_code == 422
    assert any(line.startswith(problem) for line in response.json()["problems"]), response.json()


def test_a_cursor_of_another_sort_order_is_refused(seeded) -> None:  # noqa: ANN001
    mia = sign_in(seeded, "mia")
    cursor = listing(seeded, mia, limit=2)["next_cursor"]
    response = seeded.get("/api/queue", headers=mia, params={"cursor": cursor, "sort": "newest"})
    assert response.status_code == 422 and "sort order 'wait'" in response.json()["problems"][0]
