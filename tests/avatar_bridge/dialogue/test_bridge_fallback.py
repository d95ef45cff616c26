"""The bridge's fallback when Rasa or the action server is down: wording, the offer's choices, the
handoff record built from the frame log, and which turns needed the action server.

The whole path against the real system is in tests/faults/."""

import asyncio
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from avatar_bridge.core.config import PACKAGE_DIR, REPOSITORY_ROOT
from avatar_bridge.dialogue.action_server import (
    ActionServerHealth,
    custom_action_names,
    turn_needed_action_server,
)
from avatar_bridge.dialogue.bridge_handoff import (
    ASSISTANT_UNAVAILABLE,
    HIDDEN_ANSWER,
    LOOKUPS_UNAVAILABLE,
    record_from_frames,
)
from avatar_bridge.dialogue.fallback import Choice, choice_of, normalise, offer_reply
from avatar_bridge.protocol.schema_registry import SchemaRegistry
from avatar_bridge.wording.playbooks import load_playbooks
from contracts.escalation.reasons import reason_text
from contracts.handoff_record.schema import record_problems
from handoff.context import build_context_package
from handoff.queue.entries import conversation_from_record

REPLY_KINDS = frozenset(SchemaRegistry.load().shared_enum("reply_kind"))
PLAYBOOKS = load_playbooks(PACKAGE_DIR / "wording" / "playbooks", REPLY_KINDS)
EN, DE = PLAYBOOKS["en"].fallback, PLAYBOOKS["de"].fallback


# --- wording ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_fallback_text_is_there_and_distinct_in_both_languages(language: str) -> None:
    wording = PLAYBOOKS[language].fallback
    texts = [
        wording.assistant_unavailable,
        wording.lookups_unavailable,
        wording.still_unavailable,
        wording.handed_over,
        wording.handoff_failed,
        wording.nothing_to_retry,
        wording.talk_to_person,
        wording.try_again,
    ]
    assert all(text.strip() for text in texts)
    assert len(set(texts)) == len(texts)
    # An apology where we are at fault, with the concrete next step (a person, or trying again).
    for text in (
        wording.assistant_unavailable,
        wording.lookups_unavailable,
        wording.still_unavailable,
        wording.handoff_failed,
    ):
        assert PLAYBOOKS[language].apologises(text), text
    # Typed phrases are stored the way typed text is compared.
    assert all(normalise(phrase) == phrase for phrase in wording.accept_phrases | wording.retry_phrases)
    assert not wording.accept_phrases & wording.retry_phrases


def test_english_and_german_say_the_same_things_in_their_own_words() -> None:
    for field in ("assistant_unavailable", "lookups_unavailable", "handed_over", "talk_to_person"):
        assert getattr(EN, field) != getattr(DE, field)


def test_the_offer_is_an_apology_with_two_quick_replies_and_the_emotion_it_was_given() -> None:
    emotion = {"label": "frustrated", "intensity": 0.8, "confidence": 1.0}
    reply = offer_reply(DE, DE.assistant_unavailable, "de", emotion)
    assert reply.text == DE.assistant_unavailable
    assert reply.buttons == [
        {"title": DE.talk_to_person, "payload": "/request_human"},
        {"title": DE.try_again, "payload": "/try_again"},
    ]
    assert reply.cue == {"reply_kind": "apology", "language": "de", "emotion": emotion}


# --- the customer's answer to the offer ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "wording", "expected"),
    [
        ("/request_human", EN, Choice.ACCEPT),
        ("/affirm", DE, Choice.ACCEPT),  # Rasa's own offer buttons mean the same
        ("  /request_human ", EN, Choice.ACCEPT),
        ("/try_again", EN, Choice.RETRY),
        ("Yes, please!", EN, Choice.ACCEPT),
        ("TALK TO A PERSON", EN, Choice.ACCEPT),
        ("Ja, bitte.", DE, Choice.ACCEPT),
        ("Mit einem Menschen sprechen", DE, Choice.ACCEPT),
        ("Ja gerne, bitte", DE, Choice.ACCEPT),  # the phrases' words in another order
        ("ok yes please", EN, Choice.ACCEPT),
        ("yes please yes please yes please yes", EN, Choice.OTHER),  # too long to be a plain answer
        ("ja aber wo ist meine Bestellung", DE, Choice.OTHER),
        ("try again", EN, Choice.RETRY),
        ("Noch einmal versuchen!", DE, Choice.RETRY),
        ("where is my order?", EN, Choice.OTHER),
        ("yes my order is late", EN, Choice.OTHER),  # a yes inside a new request is not an acceptance
        ("no thanks", EN, Choice.OTHER),
        ("", EN, Choice.OTHER),
        ("?!?", EN, Choice.OTHER),
        ("/request_human_now", EN, Choice.OTHER),
        ("/try_again/../", EN, Choice.OTHER),
        ("yes " * 500, EN, Choice.OTHER),
        ("\u0000\u202e", EN, Choice.OTHER),
        ("\u0000\u202eyes", EN, Choice.ACCEPT),  # invisible characters around a plain yes do not hide it
    ],
)
def test_the_customers_answer_to_the_offer(text: str, wording, expected: Choice) -> None:
    assert choice_of(text, wording) is expected


def test_normalise_drops_punctuation_and_case_but_keeps_umlauts() -> None:
    assert normalise("  Ja,   GERNE!! ") == "ja gerne"
    assert normalise("Mit Kollegin – bitte?") == "mit kollegin bitte"
    assert normalise("Ärger") == "ärger"


# --- the handoff record from the frame log -------------------------------------------------------


def _frame(seq: int, frame_type: str, **fields) -> str:
    return json.dumps({"v": 1, "type": frame_type, "seq": seq, "ts": 1767000000.0 + seq, **fields})


FRAMES = [
    _frame(1, "ack", reply_to="m1", text="Where is my order? It's late again!"),
    _frame(
        2,
        "bot_message",
        reply_to="m1",
        message_id="m1.0",
        text="Please tell me your e-mail.",
        customer_emotion={"label": "frustrated", "intensity": 0.7},
    ),
    _frame(3, "bot_speech", reply_to="m1", message_id="m1.0", speech={}),
    _frame(4, "turn_complete", reply_to="m1", messages=1),
    _frame(5, "ack", reply_to="m2", text="4821"),
    _frame(
        6,
        "bot_message",
        reply_to="m2",
        message_id="m2.0",
        text=EN.assistant_unavailable,
        customer_emotion={"label": "neutral", "intensity": 0.1},
    ),
    _frame(7, "error", reply_to="m2", code="dialogue_unavailable", message="..."),
    "{not json",
    json.dumps(["not", "an", "object"]),
    _frame(8, "ack", reply_to="m3", text="/request_human"),
    _frame(9, "agent_message", message_id="a1", agent={"display_name": "Mia"}, text="Hi, Mia here."),
    _frame(10, "status", state="queued", queue_position=1),
]


def test_the_record_carries_the_transcript_the_customer_saw() -> None:
    now = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    record = record_from_frames("session-1", "en", ASSISTANT_UNAVAILABLE, FRAMES, now=now)
    assert record["schema"] == "handoff.v2" and record["conversation_id"] == "session-1"
    assert record_problems(record) == []  # the handoff service's intake accepts it
    assert record["created_at"] == now.isoformat()
    assert record["reason"] == ASSISTANT_UNAVAILABLE
    assert record["reason_text"] == reason_text(ASSISTANT_UNAVAILABLE)
    assert record["reasons"] == [{"code": ASSISTANT_UNAVAILABLE, "text": reason_text(ASSISTANT_UNAVAILABLE)}]
    assert (record["skill"], record["priority"], record["verified"], record["customer_id"]) == (
        "general",
        "normal",
        False,
        None,
    )
    assert [(line["role"], line["text"]) for line in record["transcript"]] == [
        ("customer", "Where is my order? It's late again!"),
        ("bot", "Please tell me your e-mail."),
        ("customer", HIDDEN_ANSWER),  # the phone digits never reach the agent
        ("bot", EN.assistant_unavailable),
        ("agent", "Hi, Mia here."),
    ]
    assert record["transcript"][0]["emotion"] == {"label": "frustrated", "intensity": 0.7}
    assert record["transcript"][2]["emotion"] is None  # neutral is also "nothing known"
    assert record["emotion_timeline"] == [
        {"turn": 1, "label": "frustrated", "intensity": 0.7, "distress": None, "timestamp": 1767000001.0}
    ]
    assert record["emotion"]["label"] == "neutral"  # the latest reading, as the cue said


def test_a_record_from_nothing_is_still_a_valid_record() -> None:
    record = record_from_frames("session-2", "fr", LOOKUPS_UNAVAILABLE, [])
    assert record["transcript"] == [] and record["emotion_timeline"] == []
    assert record["language"] == "en"  # only languages the service knows
    assert record_problems(record) == []
    assert record["emotion"]["label"] is None
    assert record_from_frames("s", "en", LOOKUPS_UNAVAILABLE, [])["handoff_id"] != record["handoff_id"]


class _NoCustomerDatabase:
    """Stands in for the customer database: the record names no customer, so it must not be asked."""

    def __getattr__(self, name: str):
        raise AssertionError(f"the customer database was asked for {name}")


@pytest.mark.parametrize("reason", [ASSISTANT_UNAVAILABLE, LOOKUPS_UNAVAILABLE])
def test_the_handoff_service_takes_the_record_without_a_rasa_tracker(reason: str) -> None:
    record = record_from_frames("session-3", "de", reason, FRAMES)
    package = build_context_package(record, _NoCustomerDatabase(), [])
    assert package["reasons"][0] == {"code": reason, "text": reason_text(reason)}
    assert package["skill"] == "general" and package["language"] == "de"
    assert [line["role"] for line in package["transcript"]] == ["customer", "bot", "customer", "bot", "agent"]
    assert package["summary"] and package["next_step"]
    entry = conversation_from_record(record, package, time.time())
    assert entry["reason_text"] == reason_text(reason) and entry["skill"] == "general"
    # The sentence is written for the agent, not a code with a generic prefix.
    assert not reason_text(reason).startswith("Handed over by the assistant")


# --- did the turn need the action server? --------------------------------------------------------

CUSTOM = frozenset({"action_start_request", "verify_form", "action_session_start"})


def _tracker(*events: tuple[str, str | None], active_loop: dict | None = None) -> dict:
    return {
        "active_loop": active_loop or {},
        "events": [
            {"event": kind, **({"name": name} if kind == "action" else {"text": name})} for kind, name in events
        ],
    }


@pytest.mark.parametrize(
    ("tracker", "needed"),
    [
        # "where is my order?": the request action failed, Rasa fell back.
        (
            _tracker(
                ("action", "action_listen"),
                ("user", "where"),
                ("action", "action_start_request"),
                ("action", "action_default_fallback"),
                ("action", "action_listen"),
            ),
            True,
        ),
        # A greeting that needed nothing custom.
        (
            _tracker(
                ("action", "action_listen"), ("user", "hi"), ("action", "utter_greet"), ("action", "action_listen")
            ),
            False,
        ),
        # A custom action of an earlier turn does not count.
        (
            _tracker(
                ("action", "action_start_request"),
                ("action", "action_listen"),
                ("user", "thanks"),
                ("action", "utter_you_are_welcome"),
                ("action", "action_listen"),
            ),
            False,
        ),
        # A new conversation whose custom session start failed (no action_listen before the message).
        (_tracker(("action", "action_session_start"), ("user", "hi"), ("action", "action_default_fallback")), True),
        # A form still active: stuck, whatever the turn ran.
        (_tracker(("action", "action_listen"), ("user", "x"), active_loop={"name": "verify_form"}), True),
        (_tracker(), False),
        (None, False),
        ({"events": "nonsense", "active_loop": None}, False),
        ({"events": [None, 3, {"event": "user"}, {"event": "action", "name": "verify_form"}]}, True),
    ],
)
def test_which_turns_needed_the_action_server(tracker: dict | None, needed: bool) -> None:
    assert turn_needed_action_server(tracker, CUSTOM) is needed


def test_the_custom_actions_come_from_the_bots_domain(tmp_path: Path) -> None:
    names = custom_action_names([REPOSITORY_ROOT / "bot" / "domain"])
    assert {
        "action_start_request",
        "action_session_start",
        "action_handoff",
        "verify_form",
        "address_form",
        "validate_verify_form",
    } <= names
    assert not {name for name in names if name.startswith("utter_")}
    (tmp_path / "broken.yml").write_text("actions: [unclosed")
    (tmp_path / "list.yml").write_text("- a list")
    (tmp_path / "ok.yml").write_text("actions: [action_x]\nforms: {some_form: {required_slots: []}}")
    assert custom_action_names([tmp_path]) == {"action_x", "some_form"}


# --- the action server's health, probed at most once per TTL -------------------------------------


class _ActionServerStandIn:
    """Answers the probe like the action server would (httpx transport; counts the probes)."""

    def __init__(self) -> None:
        self.status: int | None = 200  # None: connection refused
        self.paths: list[str] = []
        self.refuse_next = 0  # refuse this many probes, whatever the status

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        if self.refuse_next:
            self.refuse_next -= 1
            raise httpx.ConnectError("refused once", request=request)
        if self.status is None:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(self.status, json={"status": "ok"})


def test_the_probe_is_cached_and_notices_a_server_going_down_and_back() -> None:
    asyncio.run(_probe_going_down_and_back())


async def _probe_going_down_and_back() -> None:
    server = _ActionServerStandIn()
    async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as http:
        health = ActionServerHealth("http://actions.test:5055/webhook", http, ttl_s=0.2)
        assert [await health.is_down() for _ in range(20)] == [False] * 20
        assert server.paths == ["/health"]  # one probe for twenty turns, at the server's root
        server.status = None
        assert await health.is_down() is False  # still the cached answer
        await asyncio.sleep(0.25)
        assert await health.is_down() is True
        server.status = 500
        await asyncio.sleep(0.25)
        assert await health.is_down() is True
        server.status = 200
        await asyncio.sleep(0.25)
        assert await health.is_down() is False
        # One probe while up, two (the failure and its confirmation) for each "down" verdict.
        assert len(server.paths) == 6


def test_one_failed_probe_is_not_enough_to_call_the_server_down() -> None:
    async def probe() -> bool:
        server = _ActionServerStandIn()
        server.refuse_next = 1
        async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as http:
            down = await ActionServerHealth("http://actions.test:5055/webhook", http, ttl_s=1).is_down()
        assert server.paths == ["/health", "/health"]
        return down

    assert asyncio.run(probe()) is False


def test_without_an_action_server_url_nothing_is_probed() -> None:
    server = _ActionServerStandIn()

    async def probe() -> bool:
        async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as http:
            return await ActionServerHealth(None, http, ttl_s=1).is_down()

    assert asyncio.run(probe()) is False
    assert server.paths == []
