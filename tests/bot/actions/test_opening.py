"""The opening turn and the shop's sign-in: a valid shop token verifies the customer, and a known
problem on their account gets one short note before they type (real customer database with the
demo data; James Carter, C100002, has a delayed order, Anna Schmidt, C100001, none)."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from rasa_sdk import Tracker

from bot.actions.opening import OPENING_RESPONSES, ActionOpenConversation
from bot.actions.proactive import PROACTIVE_SLOT
from bot.actions.settings import get_settings
from bot.actions.shop_sign_in import track_shop_sign_in
from contracts.shop_token import mint_shop_token

SECRET = "secret-the-shop-and-we-share-for-tests"
NOTE = "utter_opening_delayed_order_dispatched"


@pytest.fixture()
def shop_secret(customer_db, monkeypatch):
    monkeypatch.setenv("SHOP_TOKEN_SECRET", SECRET)
    get_settings.cache_clear()
    yield SECRET
    get_settings.cache_clear()


def opening_tracker(make_tracker, token, **slots) -> Tracker:
    tracker = make_tracker("widget_opened", "/widget_opened", slots={"language": "en", **slots})
    metadata = {"language": "en", "source": "avatar_bridge"}
    if token is not None:
        metadata["customer_token"] = token
    tracker.latest_message["metadata"] = metadata
    return tracker


def test_a_signed_in_customer_with_a_delayed_order_hears_about_it_first(shop_secret, make_tracker, act):
    token = mint_shop_token("C100002", shop_secret)
    outcome = act(ActionOpenConversation(), opening_tracker(make_tracker, token))

    assert outcome.responses == [NOTE]
    assert outcome.message(NOTE)["order_number"] == "40010002"
    assert outcome.slots == {
        "verified": True,
        "customer_id": "C100002",
        "verification_failures": 0.0,
        PROACTIVE_SLOT: "delayed_order:40010002",  # proactive care will not raise it again
    }


def test_a_signed_in_customer_without_problems_is_verified_and_hears_nothing(shop_secret, make_tracker, act):
    outcome = act(ActionOpenConversation(), opening_tracker(make_tracker, mint_shop_token("C100001", shop_secret)))
    assert outcome.responses == []  # the widget's own welcome is enough
    assert outcome.slots == {"verified": True, "customer_id": "C100001", "verification_failures": 0.0}


def test_a_topic_already_raised_is_not_raised_again(shop_secret, make_tracker, act):
    tracker = opening_tracker(
        make_tracker, mint_shop_token("C100002", shop_secret), **{PROACTIVE_SLOT: "delayed_order:40010002"}
    )
    assert act(ActionOpenConversation(), tracker).responses == []


def test_a_conversation_verified_as_someone_else_is_left_alone(shop_secret, make_tracker, act):
    tracker = opening_tracker(
        make_tracker, mint_shop_token("C100002", shop_secret), verified=True, customer_id="C100001"
    )
    outcome = act(ActionOpenConversation(), tracker)
    assert outcome.responses == [] and outcome.events == []


@pytest.mark.parametrize(
    "token",
    [
        None,
        "garbage",
        "v1.a.b",
        mint_shop_token("C100002", "not-the-shops-secret-at-all"),
        mint_shop_token("C100002", SECRET, lifetime_s=60, now=time.time() - 3600),
        "x" * 600,
    ],
    ids=["none", "garbage", "malformed", "wrong-secret", "expired", "oversized"],
)
def test_without_a_valid_token_nothing_happens_and_the_token_is_not_logged(
    shop_secret, make_tracker, act, caplog, token
):
    caplog.set_level(logging.DEBUG)
    outcome = act(ActionOpenConversation(), opening_tracker(make_tracker, token))
    assert outcome.responses == [] and outcome.events == []
    if token:
        assert token not in caplog.text
        assert "shop customer token ignored" in caplog.text


def test_the_opening_wording_exists_in_both_languages(domain):
    for response in OPENING_RESPONSES.values():
        variations = domain["responses"][response]
        assert [v.get("condition", [{}])[0].get("value") for v in variations] == ["de", None], response
    assert "action_open_conversation" in domain["actions"]
    assert "widget_opened" in domain["intents"]


# --- the observer: every turn, not only the opening --------------------------------------------


def test_the_turn_observer_verifies_a_customer_signed_in_at_the_shop(shop_secret, make_tracker):
    tracker = opening_tracker(make_tracker, mint_shop_token("C100002", shop_secret))
    events = track_shop_sign_in(tracker)
    assert {e["name"]: e["value"] for e in events} == {
        "verified": True,
        "customer_id": "C100002",
        "verification_failures": 0.0,
    }


def test_the_turn_observer_keeps_an_existing_verification_and_ignores_bad_tokens(shop_secret, make_tracker):
    token = mint_shop_token("C100002", shop_secret)
    assert track_shop_sign_in(opening_tracker(make_tracker, token, verified=True, customer_id="C100001")) == []
    assert track_shop_sign_in(opening_tracker(make_tracker, token + "x")) == []


def test_production_without_a_shop_secret_ignores_tokens(customer_db, make_tracker, monkeypatch):
    for name, value in {
        "PRODUCTION": "true",
        "ACTION_SERVER_TOKEN": "a-real-action-server-token",
        "REDIS_PASSWORD": "a-real-redis-password",
        "SHOP_TOKEN_SECRET": "",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        from common.service_auth import DEVELOPMENT_SHOP_TOKEN_SECRET

        token = mint_shop_token("C100002", DEVELOPMENT_SHOP_TOKEN_SECRET)
        assert track_shop_sign_in(opening_tracker(make_tracker, token)) == []
    finally:
        get_settings.cache_clear()


def test_production_refuses_the_development_shop_secret(monkeypatch):
    from common.service_auth import DEVELOPMENT_SHOP_TOKEN_SECRET

    for name, value in {
        "PRODUCTION": "true",
        "ACTION_SERVER_TOKEN": "a-real-action-server-token",
        "REDIS_PASSWORD": "a-real-redis-password",
        "SHOP_TOKEN_SECRET": DEVELOPMENT_SHOP_TOKEN_SECRET,
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        with pytest.raises(ValueError, match="SHOP_TOKEN_SECRET"):
            get_settings()
    finally:
        get_settings.cache_clear()


def test_rasa_sets_the_verification_from_a_token_in_the_message_metadata(shop_secret, monkeypatch):
    """Rasa 3.6's action_extract_slots passes the observer's slots on: the whole conversation is verified."""
    from rasa.core.actions import action as rasa_actions
    from rasa.core.channels import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa_sdk.executor import CollectingDispatcher

    from bot.actions.turn import ActionObserveTurn
    from tests.bot.actions.conftest import REPO_ROOT

    domain = Domain.load(str(REPO_ROOT / "bot/domain"))

    async def run_remote(self, output_channel, nlg, tracker, domain):
        sdk_tracker = Tracker.from_dict(tracker.current_state())
        events = await ActionObserveTurn().run(CollectingDispatcher(), sdk_tracker, domain.as_dict())
        return [Event.from_parameters(event) for event in events]

    monkeypatch.setattr(rasa_actions.RemoteAction, "run", run_remote)
    intent = {"name": "order_status", "confidence": 0.9}
    metadata = {"customer_token": mint_shop_token("C100002", shop_secret)}
    tracker = DialogueStateTracker.from_events(
        "shop-sign-in", [UserUttered("where is my order?", intent, [], None, metadata=metadata)], slots=domain.slots
    )
    extract = rasa_actions.ActionExtractSlots(action_endpoint=None)
    events = asyncio.run(
        extract.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses), tracker, domain)
    )
    values = {event.key: event.value for event in events}
    assert values["verified"] is True and values["customer_id"] == "C100002"


def test_an_incident_that_affects_the_customer_comes_first_at_the_opening(shop_secret, redis_client, make_tracker, act):
    from tests.bot.actions.test_incidents import publish

    publish(redis_client, "inc-0000000000a1", "carrier", ["Royal Mail"])  # James's late parcel
    outcome = act(ActionOpenConversation(), opening_tracker(make_tracker, mint_shop_token("C100002", shop_secret)))
    assert outcome.responses == ["utter_incident_notice"]
    assert outcome.slots["incidents_told"] == ["inc-0000000000a1"] and PROACTIVE_SLOT not in outcome.slots


def test_an_anonymous_opening_hears_only_of_an_incident_for_everyone(
    customer_db, redis_client, make_tracker, act, monkeypatch
):
    from tests.bot.actions.test_incidents import publish

    monkeypatch.setattr("bot.actions.incidents.CACHE_SECONDS", 0.0)  # published between two openings
    publish(redis_client, "inc-0000000000a2", "carrier", ["DHL"])
    quiet = act(ActionOpenConversation(), opening_tracker(make_tracker, None))
    assert quiet.responses == [] and quiet.slots == {}
    publish(redis_client, "inc-0000000000a3", "everyone", [], version=2)
    told = act(ActionOpenConversation(), opening_tracker(make_tracker, None))
    assert told.responses == ["utter_incident_notice"]
    assert told.slots == {"incidents_told": ["inc-0000000000a3"]}  # and nobody was verified
