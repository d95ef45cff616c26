"""Incidents through the real system: a supervisor publishes one in the admin console (the real
handoff service), the real Rasa and action server tell the customers it affects once, in the
latest words, answer questions about it, and answer a calm complaint instead of handing over."""

from __future__ import annotations

import time

import httpx
import pytest

from contracts.incidents.stored import INCIDENTS_KEY
from contracts.redis_keys import INCIDENTS_AUDIT_STREAM
from tests.support.system import seed_demo_users

# The action server reads incidents at most once a second (bot/actions/incidents.py).
SEEN_WITHIN_S = 1.2

TEXTS = {
    "en": {
        "summary": "A fire at a DHL depot is holding up DHL parcels by about two days.",
        "advice": "You don't need to do anything: your parcel is safe and on its way.",
        "timeline": "DHL expects to be back on schedule by Friday.",
    },
    "de": {
        "summary": "Ein Brand in einem DHL-Depot hält DHL-Pakete etwa zwei Tage auf.",
        "advice": "Sie müssen nichts tun: Ihr Paket ist sicher unterwegs.",
        "timeline": "DHL rechnet damit, bis Freitag wieder im Plan zu sein.",
    },
}


@pytest.fixture
def supervisor(system, settings, redis_client):  # noqa: ANN001, ANN201
    redis_client.delete(INCIDENTS_KEY, INCIDENTS_AUDIT_STREAM)
    seed_demo_users(system["handoff"])
    with httpx.Client(base_url=settings.handoff_url, timeout=30) as client:
        signed_in = client.post("/api/auth/login", json={"username": "sam", "password": "sam-demo-pass"})
        assert signed_in.status_code == 200, signed_in.text
        client.headers["Authorization"] = f"Bearer {signed_in.json()['token']}"
        yield client
    redis_client.delete(INCIDENTS_KEY, INCIDENTS_AUDIT_STREAM)
    time.sleep(SEEN_WITHIN_S)  # the next test's conversations must not hear of these incidents


def reset_password(chat, email: str, last4: str, language: str = "en") -> str:  # noqa: ANN001
    chat.text("Hi, I forgot my password" if language == "en" else "Hallo, ich habe mein Passwort vergessen")
    chat.text(email)
    return chat.text(last4)


def test_a_carrier_incident_reaches_its_customers_once_and_updates_replace_the_wording(conversation, supervisor):
    published = supervisor.post(
        "/api/admin/incidents", json={"scope": {"kind": "carrier", "values": ["DHL"]}, "texts": TEXTS}
    )
    assert published.status_code == 201, published.text
    incident_id = published.json()["incident_id"]
    time.sleep(SEEN_WITHIN_S)

    anna = conversation()  # Anna's order 40010001 is on its way with DHL
    reply = reset_password(anna, "anna.schmidt@example.de", "4821")
    assert "a***@example.de" in reply and TEXTS["en"]["summary"] in reply and TEXTS["en"]["timeline"] in reply
    assert anna.slot("incidents_told") == [incident_id]
    again = anna.text("where is my order 40010001?")
    assert "40010001" in again and TEXTS["en"]["summary"] not in again  # told once

    james = conversation()  # James ships with Royal Mail and UPS
    assert TEXTS["en"]["summary"] not in reset_password(james, "james.carter@example.com", "7315")

    newer = {**TEXTS, "de": {**TEXTS["de"], "timeline": "DHL holt den Rückstand jetzt bis Montag auf."}}
    updated = supervisor.put(
        f"/api/admin/incidents/{incident_id}", json={"scope": {"kind": "carrier", "values": ["DHL"]}, "texts": newer}
    )
    assert updated.status_code == 200 and updated.json()["version"] == 2
    time.sleep(SEEN_WITHIN_S)
    german = conversation(language="de")
    reply = reset_password(german, "anna.schmidt@example.de", "4821", "de")
    assert "bis Montag" in reply and "bis Freitag" not in reply

    assert supervisor.post(f"/api/admin/incidents/{incident_id}/close", json={}).status_code == 200
    time.sleep(SEEN_WITHIN_S)
    after = conversation()
    assert TEXTS["en"]["summary"] not in reset_password(after, "anna.schmidt@example.de", "4821")


def test_asked_and_complained_about_the_assistant_answers_instead_of_handing_over(conversation, supervisor):
    chat = conversation()
    assert "don't know of any problem" in chat.text("are there any delivery problems at the moment?")

    everyone = {"scope": {"kind": "everyone", "values": []}, "texts": TEXTS}
    assert supervisor.post("/api/admin/incidents", json=everyone).status_code == 201
    time.sleep(SEEN_WITHIN_S)
    # The widget's opening turn (sent by the bridge while an incident for everyone is active):
    # told before typing, in the session's language, once.
    opened = conversation(language="de")
    assert TEXTS["de"]["summary"] in opened.text("/widget_opened")
    assert TEXTS["de"]["summary"] not in reset_password(opened, "anna.schmidt@example.de", "4821", "de")

    chat = conversation()
    reply = chat.text("are there any delivery problems at the moment?")
    assert TEXTS["en"]["summary"] in reply and TEXTS["en"]["advice"] in reply
    reply = chat.text("I want to make a complaint")
    assert "I understand why you're annoyed" in reply and chat.slot("handoff_requested") is not True
    assert chat.slot("human_offered") is True
