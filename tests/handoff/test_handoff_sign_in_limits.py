"""Failed sign-ins are limited per username and per client address (handoff/auth/sign_in_limits.py),
in the real Redis: a clear 429 with Retry-After, a success clears the username's count."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from redis.asyncio import Redis

from handoff.app import create_app
from handoff.auth.sign_in_limits import SignInGuard, SignInLimits
from handoff.users import seed_demo
from tests.handoff.conftest import PASSWORDS, make_settings
from tests.support.redis_server import RedisServer

LOGIN = "/api/auth/login"


@pytest.fixture
def limited(
    request: pytest.FixtureRequest, redis_server: RedisServer, tmp_path: Path, customer_db_url: str
) -> Iterator[TestClient]:
    """The service with small limits: 3 per account, 6 per address (or the test's parameter)."""
    settings = make_settings(
        redis_server.url,
        tmp_path / "handoff.db",
        customer_db_url,
        login_failures_per_user=3,
        login_failures_per_address=getattr(request, "param", 6),
        login_failure_window_seconds=2,
    )
    with TestClient(create_app(settings)) as client:
        seed_demo(client.app.state.session_factory, settings)
        yield client


def _sign_in(client: TestClient, username: str, password: str | None = None):  # noqa: ANN202
    return client.post(LOGIN, json={"username": username, "password": password or PASSWORDS[username]})


def test_an_account_is_held_after_repeated_failures_and_free_again_after_the_window(limited: TestClient) -> None:
    for _ in range(3):
        assert _sign_in(limited, "mia", "guess-guess").status_code == 401
    refused = _sign_in(limited, "mia")  # the right password, but the account is held
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 2
    assert "Too many failed sign-ins" in refused.json()["detail"] and "wait 1 minute " in refused.json()["detail"]
    # The same account typed differently is the same account.
    assert _sign_in(limited, " MIA ", "guess-guess").status_code == 429
    # Another account from the same address is not held (3 + 1 + 1 attempts < 6).
    assert _sign_in(limited, "tom").status_code == 200

    time.sleep(2.2)
    assert _sign_in(limited, "mia").status_code == 200


def test_a_success_clears_the_accounts_failures(limited: TestClient) -> None:
    for _ in range(2):
        assert _sign_in(limited, "mia", "guess-guess").status_code == 401
    assert _sign_in(limited, "mia").status_code == 200
    # Counting starts again: three more failures are answered 401, not 429.
    assert [_sign_in(limited, "mia", "guess-guess").status_code for _ in range(3)] == [401, 401, 401]
    assert _sign_in(limited, "mia", "guess-guess").status_code == 429


def test_one_address_trying_many_accounts_is_held_and_a_success_does_not_clear_it(limited: TestClient) -> None:
    # A success takes back its own attempt only: 5 failures + 1 success + 1 failure = 6 counted.
    statuses = [_sign_in(limited, name, "guess-guess").status_code for name in ("a1", "a2", "a3", "a4", "a5")]
    assert statuses == [401] * 5
    assert _sign_in(limited, "tom").status_code == 200
    assert _sign_in(limited, "a6", "guess-guess").status_code == 401
    refused = _sign_in(limited, "sam")  # a new account, the right password, from a held address
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


@pytest.mark.parametrize("limited", [100], indirect=True)  # per address: not the limit tested here
def test_unknown_accounts_are_limited_like_real_ones(limited: TestClient) -> None:
    # Otherwise the 429 would tell which usernames exist.
    for name in ("mia", "nobody-here"):
        answers = [_sign_in(limited, name, "guess-guess").status_code for _ in range(4)]
        assert answers == [401, 401, 401, 429], name


@pytest.mark.parametrize(
    "body",
    [
        {"username": "x" * 65, "password": "p"},
        {"username": "", "password": "p"},
        {"username": "mia"},
        {"password": "p"},
    ],
)
def test_malformed_sign_ins_are_refused_and_not_counted(limited: TestClient, body: dict) -> None:
    for _ in range(5):
        assert limited.post(LOGIN, json=body).status_code == 422
    assert _sign_in(limited, "mia").status_code == 200


def test_parallel_guesses_cannot_get_past_the_limit(redis_server: RedisServer) -> None:
    async def guesses() -> list[int]:
        redis = Redis.from_url(redis_server.url, decode_responses=True)
        guard = SignInGuard(
            redis,
            SignInLimits(failures_per_user=3, failures_per_address=100, window_seconds=60),
            key_prefix=f"parallel-{time.monotonic_ns()}",
        )
        try:
            return await asyncio.gather(*(guard.attempt("mia", f"10.0.0.{index}") for index in range(12)))
        finally:
            await redis.aclose()

    waits = asyncio.run(guesses())
    assert sorted(wait == 0 for wait in waits).count(True) == 3
    assert all(0 < wait <= 60 for wait in waits if wait)
