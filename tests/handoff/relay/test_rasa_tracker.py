"""The hand-back's events for Rasa's tracker: what they reset, what they keep, and how they are sent."""

import asyncio
import json

import httpx
import pytest

from common.rasa_http import RasaApiAuth
from handoff.relay import rasa_tracker
from handoff.relay.rasa_tracker import HANDED_BACK_EVENTS, mark_back_with_bot

SECRET = "test-rasa-jwt-secret-long-enough-for-hs256"


def rasa_answering(monkeypatch, answer) -> None:  # noqa: ANN001
    """Rasa's HTTP API replaced by `answer(request) -> httpx.Response`."""
    real_client = httpx.AsyncClient
    monkeypatch.setattr(
        rasa_tracker.httpx,
        "AsyncClient",
        lambda **options: real_client(transport=httpx.MockTransport(answer), **options),
    )


def reset_slots() -> dict:
    return {event["name"]: event["value"] for event in HANDED_BACK_EVENTS if event["event"] == "slot"}


def test_the_handoff_and_whatever_the_bot_was_in_the_middle_of_are_reset() -> None:
    slots = reset_slots()
    assert (slots["handoff_requested"], slots["human_offered"], slots["escalation"]) == (False, False, None)
    # An open form, a pending request, a troubleshooting question: the next message is a new request.
    assert {"event": "active_loop", "name": None} in HANDED_BACK_EVENTS
    assert slots["requested_slot"] is None and slots["pending_request"] is None
    assert slots["troubleshoot_active"] is False and slots["fallback_count"] == 0.0


@pytest.mark.parametrize("kept", ["verified", "customer_id", "order_number", "language", "emotion"])
def test_what_the_bot_learnt_stays_so_nobody_is_asked_again(kept: str) -> None:
    assert kept not in reset_slots()


def test_the_events_go_to_the_conversations_tracker_signed_with_our_jwt(monkeypatch) -> None:  # noqa: ANN001
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    rasa_answering(monkeypatch, answer)
    ok = asyncio.run(mark_back_with_bot("http://rasa:5005/", "conv-1", RasaApiAuth(SECRET, "handoff")))
    assert ok and len(seen) == 1
    request = seen[0]
    assert request.url.path == "/conversations/conv-1/tracker/events"
    assert request.headers["Authorization"].startswith("Bearer ")
    assert json.loads(request.content) == HANDED_BACK_EVENTS


def test_rasa_away_is_a_warning_not_a_failure(monkeypatch, caplog) -> None:  # noqa: ANN001
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    rasa_answering(monkeypatch, refuse)
    assert asyncio.run(mark_back_with_bot("http://rasa:5005", "conv-1", RasaApiAuth(SECRET, "handoff"))) is False
    assert "could not reset the handoff slots" in caplog.text
