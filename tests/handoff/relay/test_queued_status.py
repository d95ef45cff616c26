"""The queued status frame (range, long-wait offer, both languages) and the customer's answer to the offer."""

import json

import pytest

from avatar_bridge.protocol.schema_registry import SchemaRegistry
from handoff.queue.wait_estimate import WaitEstimate
from handoff.relay.contact_request import contact_request_from, contact_request_line
from handoff.relay.deliveries import Deliveries

SHORT = WaitEstimate(position=2, low_seconds=300, high_seconds=600, long=False)
SOON = WaitEstimate(position=1, low_seconds=0, high_seconds=120, long=False)
LONG = WaitEstimate(position=9, low_seconds=7200, high_seconds=None, long=True)


def frame_of(estimate: WaitEstimate, language: str = "en", **options: bool) -> dict:
    document = json.loads(Deliveries.queued_payload("s1", language, estimate, **options))
    assert document["session_id"] == "s1"
    return document["frame"]


def test_a_short_wait_is_a_range_without_an_offer() -> None:
    frame = frame_of(SHORT)
    assert frame["queue_position"] == 2
    assert (frame["estimated_wait_min_s"], frame["estimated_wait_s"]) == (300, 600)
    assert "contact_options" not in frame
    assert "number 2" in frame["text"] and "about 5 to 10 minutes" in frame["text"]
    assert "under 2 minutes" in frame_of(SOON)["text"]


def test_a_long_wait_offers_a_call_back_or_an_e_mail_in_the_customers_language() -> None:
    english, german = frame_of(LONG), frame_of(LONG, "de")
    assert english["contact_options"] == german["contact_options"] == ["callback", "email"]
    assert english["estimated_wait_s"] == english["estimated_wait_min_s"] == 7200  # an open range
    assert "more than 120 minutes" in english["text"] and "call you back" in english["text"]
    assert "mehr als 120 Minuten" in german["text"] and "E-Mail" in german["text"]
    assert frame_of(LONG, "fr")["text"] == english["text"]  # unknown language: English


def test_a_requeued_customer_hears_the_wait_too() -> None:
    frame = frame_of(SHORT, "de", requeued=True)
    assert "wieder auf Platz 2" in frame["text"] and "5 bis 10 Minuten" in frame["text"]


@pytest.mark.parametrize("estimate", [SHORT, SOON, LONG])
@pytest.mark.parametrize("language", ["en", "de"])
def test_every_queued_frame_matches_the_protocol_schema(estimate: WaitEstimate, language: str) -> None:
    frame = frame_of(estimate, language)
    assert SchemaRegistry.load().errors("status", {**frame, "v": 1, "seq": 1, "ts": 0}) == []


@pytest.mark.parametrize(
    ("text", "via"),
    [
        ('/contact_request{"via": "callback"}', "callback"),
        ('  /contact_request{"via":"email"} ', "email"),
        ('/contact_request{"via": "fax"}', None),
        ("/contact_request", None),
        ('/contact_request{"via": "email"', None),
        ('/contact_request["email"]', None),
        ('please /contact_request{"via": "email"}', None),
        ("Can you call me back?", None),
        ("", None),
    ],
)
def test_only_the_widgets_exact_request_counts_as_one(text: str, via: str | None) -> None:
    assert contact_request_from(text) == via


def test_the_agent_reads_what_the_customer_chose() -> None:
    assert "called back" in contact_request_line("callback")
    assert "e-mail" in contact_request_line("email")
