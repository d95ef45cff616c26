"""The NLG endpoint as Rasa 3.6 calls it: request and response in callback.py's format."""

import itertools
import time
import uuid

import httpx
import pytest
from bridge_support.fake_rasa import RASA_NLG_RESPONSE_SHAPE
from jsonschema import validate

from avatar_bridge.core.config import PACKAGE_DIR, REPOSITORY_ROOT
from avatar_bridge.tone.avatar_choice import LiveAvatar
from avatar_bridge.wording.playbooks import load_playbooks
from common.service_auth import bearer_header

PLAYBOOKS = load_playbooks(
    PACKAGE_DIR / "wording" / "playbooks",
    frozenset({"good_news", "bad_news", "apology", "question", "handoff", "info", "greeting", "farewell"}),
)
_turn = itertools.count()


def _tracker(
    sender: str,
    language: str = "en",
    emotion: tuple[str, float] = ("neutral", 0.0),
    slots: dict | None = None,
    events: list | None = None,
    confidence: float = 0.9,
) -> dict:
    label, intensity = emotion
    latest = {
        "text": "...",
        "intent": {"name": "x"},
        "entities": [],
        "emotion": {"label": label, "confidence": confidence, "intensity": intensity, "scores": {}},
    }
    return {
        "sender_id": sender,
        "slots": {"language": language, **(slots or {})},
        "latest_message": latest,
        "events": events if events is not None else [{"event": "user", "text": "...", "timestamp": next(_turn)}],
        "latest_event_time": 1.0,
        "followup_action": None,
        "paused": False,
        "latest_input_channel": "rest",
        "active_loop": {},
        "latest_action": {"action_name": "action_listen"},
        "latest_action_name": "action_listen",
    }


def _nlg(bridge, response: str, tracker: dict, arguments: dict | None = None, http: httpx.Client | None = None) -> dict:
    body = {
        "response": response,
        "id": None,
        "arguments": arguments or {},
        "tracker": tracker,
        "channel": {"name": "collector"},
    }
    answer = (http or httpx).post(
        f"{bridge.http_url}/nlg",
        json=body,
        timeout=10,
        headers=bearer_header(bridge.settings.nlg_token.get_secret_value()),
    )
    assert answer.status_code == 200, answer.text
    generated = answer.json()
    validate(generated, RASA_NLG_RESPONSE_SHAPE)  # Rasa would reject anything else
    return generated


def _sender() -> str:
    return f"nlg-{uuid.uuid4().hex}"


def test_renders_the_language_variation_with_slots_and_arguments(bridge):
    tracker = _tracker(_sender(), "de", slots={"order_number": "40010002"})
    generated = _nlg(bridge, "utter_order_delayed", tracker, {"new_date": "24.12.2026"})
    assert (
        generated["text"]
        == "Es tut mir leid: Bestellung 40010002 verspätet sich. Neuer Liefertermin ist der 24.12.2026."
    )
    cue = generated["custom"]["avatar_cue"]
    assert (cue["response"], cue["reply_kind"], cue["language"]) == ("utter_order_delayed", "apology", "de")


def test_english_is_the_default_variation_and_buttons_come_along(bridge):
    generated = _nlg(bridge, "utter_ts_login_caps_lock", _tracker(_sender(), "en"))
    assert generated["text"] == "Is Caps Lock off? Can you sign in now?"
    assert generated["buttons"] == [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


def test_a_placeholder_without_a_value_stays_as_written_like_rasa(bridge):
    generated = _nlg(bridge, "utter_echo", _tracker(_sender()))
    assert generated["text"] == "You said: {said}"


def test_an_unknown_response_renders_nothing(bridge):
    assert _nlg(bridge, "utter_does_not_exist", _tracker(_sender())) == {}


def test_neutral_customer_gets_no_acknowledgement(bridge):
    generated = _nlg(bridge, "utter_ask_account_identifier", _tracker(_sender()))
    assert generated["text"] == "What is the e-mail address or customer number of your account?"
    assert generated["custom"]["avatar_cue"]["acknowledgement"] is None


@pytest.mark.parametrize("band, intensity", [("low", 0.2), ("medium", 0.5), ("high", 0.9)])
def test_acknowledgement_is_proportionate_and_followed_by_the_step(bridge, band, intensity):
    generated = _nlg(bridge, "utter_ask_account_identifier", _tracker(_sender(), emotion=("frustrated", intensity)))
    cue = generated["custom"]["avatar_cue"]
    assert cue["band"] == band
    assert cue["acknowledgement"] in PLAYBOOKS["en"].phrases_for("frustrated", band)
    # Acknowledge first, then the concrete next step, in one message.
    assert (
        generated["text"] == f"{cue['acknowledgement']} What is the e-mail address or customer number of your account?"
    )


def test_german_playbook_is_more_reserved_about_mild_annoyance(bridge):
    mild = _nlg(bridge, "utter_ask_account_identifier", _tracker(_sender(), "de", emotion=("frustrated", 0.2)))
    assert mild["custom"]["avatar_cue"]["acknowledgement"] is None
    strong = _nlg(bridge, "utter_ask_account_identifier", _tracker(_sender(), "de", emotion=("frustrated", 0.9)))
    assert strong["custom"]["avatar_cue"]["acknowledgement"] in PLAYBOOKS["de"].phrases_for("frustrated", "high")


def test_low_confidence_emotion_is_not_claimed(bridge):
    generated = _nlg(bridge, "utter_ask_account_identifier", _tracker(_sender(), emotion=("sad", 0.9), confidence=0.2))
    assert generated["custom"]["avatar_cue"]["emotion"]["label"] == "neutral"
    assert generated["custom"]["avatar_cue"]["acknowledgement"] is None


def test_only_one_acknowledgement_per_user_turn(bridge):
    sender = _sender()
    first = _nlg(bridge, "utter_ask_account_identifier", _tracker(sender, emotion=("anxious", 0.9)))
    events = [
        {"event": "user", "text": "..."},
        {"event": "bot", "text": first["text"], "data": {"custom": first["custom"]}},
    ]
    second = _nlg(bridge, "utter_handoff_done", _tracker(sender, emotion=("anxious", 0.9), events=events))
    assert first["custom"]["avatar_cue"]["acknowledgement"]
    assert second["custom"]["avatar_cue"]["acknowledgement"] is None


def test_same_feeling_is_not_acknowledged_again_unless_it_grows(bridge):
    sender = _sender()
    first = _nlg(bridge, "utter_ask_account_identifier", _tracker(sender, emotion=("frustrated", 0.5)))
    earlier = [
        {"event": "user", "text": "..."},
        {"event": "bot", "text": first["text"], "data": {"custom": first["custom"]}},
    ]
    same = _nlg(
        bridge,
        "utter_ask_account_identifier",
        _tracker(sender, emotion=("frustrated", 0.55), events=[*earlier, {"event": "user", "text": "again"}]),
    )
    assert same["custom"]["avatar_cue"]["acknowledgement"] is None
    grown = _nlg(
        bridge,
        "utter_ask_account_identifier",
        _tracker(sender, emotion=("frustrated", 0.95), events=[*earlier, {"event": "user", "text": "!!"}]),
    )
    assert grown["custom"]["avatar_cue"]["acknowledgement"] in PLAYBOOKS["en"].phrases_for("frustrated", "high")


def test_a_response_that_acknowledges_itself_gets_nothing_extra(bridge):
    generated = _nlg(bridge, "utter_ts_login_intro", _tracker(_sender(), emotion=("frustrated", 0.9)))
    assert generated["text"] == "I can see it's annoying not to be able to sign in. Let's go through it step by step."
    assert generated["custom"]["avatar_cue"]["acknowledgement"] is None


def test_the_domains_own_empathy_sentence_is_left_out_the_second_time(bridge):
    sender = _sender()
    _nlg(bridge, "utter_ts_login_intro", _tracker(sender))
    again = _nlg(bridge, "utter_ts_login_intro", _tracker(sender))
    assert again["text"] == "Let's go through it step by step."
    assert again["custom"]["avatar_cue"]["left_out"].startswith("I can see it's annoying")


def test_an_apology_reply_without_an_apology_gets_one(bridge):
    generated = _nlg(bridge, "utter_system_down", _tracker(_sender()), {"reply_kind": "apology"})
    cue = generated["custom"]["avatar_cue"]
    assert cue["reply_kind"] == "apology" and cue["apology"] in PLAYBOOKS["en"].apologies
    assert generated["text"].startswith(cue["apology"] + " Our order system cannot be reached")


def test_happy_customers_joy_is_not_echoed_before_bad_news(bridge):
    generated = _nlg(
        bridge,
        "utter_order_delayed",
        _tracker(_sender(), emotion=("happy", 0.9)),
        {"order_number": "40010002", "new_date": "1 May 2026"},
    )
    assert generated["custom"]["avatar_cue"]["acknowledgement"] is None


def test_only_the_configured_bearer_token_is_accepted(own_bridge):
    stack = own_bridge(nlg_token="s3cret", speech_enabled=False)
    body = {
        "response": "utter_greet",
        "arguments": {},
        "tracker": _tracker(_sender()),
        "channel": {"name": "collector"},
    }
    url = f"{stack.http_url}/nlg"
    assert httpx.post(url, json=body).status_code == 401
    assert httpx.post(url, json=body, headers=bearer_header("wrong")).status_code == 401
    assert httpx.post(url, json=body, headers={"Authorization": "s3cret"}).status_code == 401
    # Never in the query string: it would end up in access logs.
    assert httpx.post(f"{url}?token=s3cret", json=body).status_code == 401
    assert httpx.post(url, json=body, headers=bearer_header("s3cret")).status_code == 200


def test_every_response_of_the_bot_domain_renders_in_both_languages(own_bridge):
    """The real domain (bot/domain), not the test fixture: every response, en and de."""
    from avatar_bridge.core.config import REPOSITORY_ROOT
    from avatar_bridge.wording.domain_responses import DomainResponses

    domain = [REPOSITORY_ROOT / "bot" / "domain", REPOSITORY_ROOT / "bot" / "data"]
    names = sorted(DomainResponses(domain).names())
    if not names:
        pytest.skip("bot/domain has no responses yet")
    stack = own_bridge(response_paths=domain, speech_enabled=False)
    with httpx.Client() as http:
        for name in names:
            english = _nlg(stack, name, _tracker(_sender(), "en"), http=http)
            german = _nlg(stack, name, _tracker(_sender(), "de"), http=http)
            for generated in (english, german):
                assert generated.get("text") or generated.get("custom"), name
                assert generated["custom"]["avatar_cue"]["response"] == name
            assert german["custom"]["avatar_cue"]["language"] == "de"


# --- no sentence twice, and vulnerable customers -------------------------------------------------


def _said(*texts: str) -> list[dict]:
    events = []
    for text in texts:
        events += [{"event": "user", "text": "...", "timestamp": next(_turn)}, {"event": "bot", "text": text}]
    return events + [{"event": "user", "text": "this is ridiculous", "timestamp": next(_turn)}]


def test_a_sentence_already_said_is_left_out_and_the_new_ones_stay(bridge):
    tracker = _tracker(_sender(), events=_said("I'll check where your order is."))
    again = _nlg(bridge, "utter_check_then_verify", tracker)["text"]
    assert again == "Before I can show order details, I need to confirm it's you."


def test_a_variation_the_customer_has_not_heard_is_preferred(bridge):
    heard = _nlg(bridge, "utter_two_wordings", _tracker(_sender()))["text"]
    for _ in range(6):
        tracker = _tracker(_sender(), events=_said(heard))
        assert _nlg(bridge, "utter_two_wordings", tracker)["text"] != heard


def test_a_message_heard_in_full_is_not_said_again_but_a_question_is_asked_again(bridge):
    tracker = _tracker(_sender(), events=_said("Yes, I'm a virtual assistant."))
    assert _nlg(bridge, "utter_one_sentence", tracker) == {}
    question = "What is the e-mail address or customer number of your account?"
    tracker = _tracker(_sender(), events=_said(question))
    assert _nlg(bridge, "utter_ask_account_identifier", tracker)["text"] == question


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("kind", ["financial_hardship", "bereavement", "illness", "crisis"])
def test_a_vulnerable_customer_gets_the_longer_sincere_words_never_hurry(bridge, language, kind):
    tracker = _tracker(_sender(), language, emotion=("anxious", 0.6))
    tracker["latest_message"]["vulnerability"] = {"kind": kind, "confidence": 0.9}
    generated = _nlg(bridge, "utter_ask_account_identifier", tracker)
    acknowledgement = generated["custom"]["avatar_cue"]["acknowledgement"]
    assert acknowledgement in PLAYBOOKS[language].vulnerable[kind]
    assert len(acknowledgement) > 60
    assert generated["text"].startswith(acknowledgement)
    for hurry in ("quick", "schnell machen", "machen wir es schnell"):
        assert hurry not in generated["text"].lower()


def test_an_unknown_vulnerability_kind_falls_back_to_the_usual_acknowledgement(bridge):
    tracker = _tracker(_sender(), emotion=("sad", 0.9))
    tracker["latest_message"]["vulnerability"] = {"kind": "<b>made up</b>"}
    generated = _nlg(bridge, "utter_ask_account_identifier", tracker)
    acknowledgement = generated["custom"]["avatar_cue"]["acknowledgement"]
    assert acknowledgement in [phrase for band in PLAYBOOKS["en"].phrases["sad"].values() for phrase in band]


def test_the_vulnerable_offer_acknowledges_by_itself(bridge):
    tracker = _tracker(_sender(), emotion=("sad", 0.9))
    tracker["latest_message"]["vulnerability"] = {"kind": "bereavement", "confidence": 0.9}
    generated = _nlg(bridge, "utter_offer_bereaved", tracker)
    assert generated["custom"]["avatar_cue"]["acknowledgement"] is None
    assert generated["text"].startswith("I'm so sorry for your loss.")
    assert [button["payload"] for button in generated["buttons"]] == ["/affirm", "/deny"]


def test_the_bot_introduces_itself_with_the_configured_name(own_bridge):
    """The page and the bot use one name: the bridge fills `{assistant_name}` from WIDGET_NAME."""
    domain = [REPOSITORY_ROOT / "bot" / "domain", REPOSITORY_ROOT / "bot" / "data"]
    stack = own_bridge(response_paths=domain, speech_enabled=False, widget_name="Nora")
    with httpx.Client() as http:
        for response in ("utter_greet", "utter_iamabot"):
            for language in ("en", "de"):
                text = _nlg(stack, response, _tracker(_sender(), language), http=http)["text"]
                assert "Nora" in text and "{" not in text, (response, language, text)


def test_without_a_set_name_the_bot_is_called_after_the_avatar_an_admin_shows(own_bridge):
    """WIDGET_NAME unset: the man is not called Mila. After an admin's switch (stored by another
    instance, picked up by the watch) the page and the bot's next reply both use the new name."""
    domain = [REPOSITORY_ROOT / "bot" / "domain", REPOSITORY_ROOT / "bot" / "data"]
    stack = own_bridge(response_paths=domain, speech_enabled=False, tone_watch_s=0.1)  # shows the woman
    with httpx.Client() as http:

        def page_name() -> str:
            return http.get(f"{stack.http_url}/widget-config.json").json()["name"]

        assert page_name() == "Mila"
        assert "Mila" in _nlg(stack, "utter_iamabot", _tracker(_sender()), http=http)["text"]
        LiveAvatar(stack.settings.avatar_choice_path, stack.settings.avatar_model).store("valid-man", "alex")
        deadline = time.monotonic() + 10
        while page_name() != "Theo" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert page_name() == "Theo"
        for language in ("en", "de"):
            text = _nlg(stack, "utter_iamabot", _tracker(_sender(), language), http=http)["text"]
            assert "Theo" in text and "Mila" not in text, (language, text)
