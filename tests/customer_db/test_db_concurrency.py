"""The action server calls the connector from several threads at once."""

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlsplit


def test_simultaneous_wrong_answers_are_all_counted(db, now):
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: db.verify_customer("C100001", "0000", now=now), range(6)))
    counted = sorted(result.failures for result in results if not result.locked)
    assert counted == [1, 2]  # no update lost: the third failure locks, later ones are refused
    assert sum(result.locked for result in results) == 4
    assert db.is_verification_locked("C100001", now=now)


def test_a_token_used_twice_at_once_works_once(db, now):
    link = db.create_password_reset("C100001", "https://shop.example.com/reset", now=now)
    token = parse_qs(urlsplit(link.url).query)["token"][0]
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: db.consume_password_reset(token, now=now), range(6)))
    assert results.count("C100001") == 1 and results.count(None) == 5
