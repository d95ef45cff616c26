"""FakeRasa: a stand-in for Rasa 3.6 outside the bridge's system boundary (unit tests only).

It speaks the parts of Rasa's HTTP surface the bridge uses, the way Rasa 3.6 does:
- POST /webhooks/rest/webhook -> the REST channel's list of messages (text, buttons; a
  response's `custom` as a separate element after its text);
- GET /conversations/{id}/tracker and GET / ;
- for each response it "predicts" it calls the configured NLG endpoint with Rasa's callback
  request body (response, id, arguments, tracker with all events, channel "collector") and
  stores a `bot` event carrying the returned data, as Rasa does.

Its "NLU" is a keyword table; markers in the text pin things down for tests:
"[emotion=frustrated:0.9]" sets the parsed emotion, "[delay=0.2]" delays the answer. The opening
payload "/widget_opened" gets a note only when the customer token contains "with-a-note".
The real system's behaviour is covered by the lead's integration test against Rasa.
"""

import asyncio
import random
import re
import threading
import time

import httpx

from common.service_auth import DEVELOPMENT_NLG_TOKEN, bearer_header
from jsonschema import validate
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from bridge_support.servers import ThreadedServer

# Rasa 3.6 accepts NLG responses of this shape (restated from rasa/core/nlg/callback.py).
RASA_NLG_RESPONSE_SHAPE = {
    "type": "object",
    "properties": {
        "text": {"type": "string"},
        "id": {"type": ["string", "null"]},
        "buttons": {"type": ["array", "null"], "items": {"type": "object"}},
        "elements": {"type": ["array", "null"], "items": {"type": "object"}},
        "attachment": {"type": ["object", "null"]},
        "image": {"type": ["string", "null"]},
        "custom": {"type": "object"},
    },
}
_EMOTION_MARKER = re.compile(r"\[emotion=(\w+):([0-9.]+)\]")
_DELAY_MARKER = re.compile(r"\[delay=([0-9.]+)\]")
_KEYWORD_EMOTIONS = (
    ("furious", "frustrated", 0.9),
    ("annoyed", "frustrated", 0.5),
    ("worried", "anxious", 0.7),
    ("disappointed", "sad", 0.6),
    ("confused", "confused", 0.7),
    ("thank", "happy", 0.8),
)


def _responses_for(text: str) -> list[tuple[str, dict]]:
    """(response name, arguments the 'action' passes) for a user text."""
    lowered = text.lower()
    if lowered.startswith("echo"):
        said = _DELAY_MARKER.sub("", _EMOTION_MARKER.sub("", text)).strip()[len("echo") :].strip()
        return [("utter_echo", {"said": said})]
    if "hello" in lowered or "hallo" in lowered:
        return [("utter_greet", {})]
    if "late" in lowered or "verspätet" in lowered:
        return [("utter_order_delayed", {"order_number": "40010002", "new_date": "24 Dec 2026"})]
    if "where" in lowered or "wo ist" in lowered:
        return [("utter_order_on_its_way", {"order_number": "40010011", "eta": "12.03.2026"})]
    if "password" in lowered:
        return [("utter_ask_account_identifier", {})]
    if "login" in lowered:
        return [("utter_ts_login_intro", {}), ("utter_ts_login_caps_lock", {})]
    if "system" in lowered:
        return [("utter_system_down", {"reply_kind": "apology"})]
    if "human" in lowered:
        return [("utter_handoff_done", {})]
    return [("utter_default", {})]


class FakeRasa:
    def __init__(self, port: int, nlg_url: str | None) -> None:
        self.port = port
        self.nlg_url = nlg_url
        self.trackers: dict[str, dict] = {}
        self.received: dict[str, list[str]] = {}
        self.metadata: dict[str, list[dict]] = {}  # per sender, the metadata of every turn
        self.overlapping_turns = 0  # two turns of one conversation at once (Rasa's lock prevents it)
        self.random_delay_s = (0.0, 0.0)
        self.down = False
        self._busy: set[str] = set()
        self._http: httpx.AsyncClient | None = None
        self._lock = threading.Lock()
        self._server = ThreadedServer(self._app(), port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FakeRasa":
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def _app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/", lambda request: PlainTextResponse("Hello from Rasa: 3.6.21 (fake)")),
                Route("/webhooks/rest/webhook", self._webhook, methods=["POST"]),
                Route("/conversations/{sender}/tracker", self._tracker, methods=["GET"]),
            ]
        )

    async def _tracker(self, request: Request) -> JSONResponse:
        tracker = self.trackers.get(request.path_params["sender"]) or self._new_tracker(
            request.path_params["sender"], {}
        )
        state = {key: value for key, value in tracker.items() if key != "events"}
        if request.query_params.get("include_events") != "NONE":
            state["events"] = tracker["events"]
        return JSONResponse(state)

    async def _webhook(self, request: Request):
        body = await request.json()
        sender, text, metadata = body["sender"], body["message"], body.get("metadata") or {}
        if self.down or "boom" in text:
            return PlainTextResponse("internal error", status_code=500)
        with self._lock:
            if sender in self._busy:
                self.overlapping_turns += 1
            self._busy.add(sender)
            self.received.setdefault(sender, []).append(text)
            self.metadata.setdefault(sender, []).append(metadata)
        try:
            delay = _DELAY_MARKER.search(text)
            await asyncio.sleep(float(delay.group(1)) if delay else random.uniform(*self.random_delay_s))
            return JSONResponse(await self._turn(sender, text, metadata))
        finally:
            with self._lock:
                self._busy.discard(sender)

    def _new_tracker(self, sender: str, metadata: dict) -> dict:
        return {
            "sender_id": sender,
            "slots": {"language": metadata.get("language", "en")},
            "latest_message": {},
            "events": [],
            "paused": False,
            "latest_input_channel": "rest",
            "active_loop": {},
            "latest_action": {},
            "latest_action_name": "action_listen",
            "followup_action": None,
            "latest_event_time": None,
        }

    async def _turn(self, sender: str, text: str, metadata: dict) -> list[dict]:
        tracker = self.trackers.setdefault(sender, self._new_tracker(sender, metadata))
        emotion = _parse_emotion(text)
        tracker["latest_message"] = {
            "text": text,
            "intent": {"name": "some_intent", "confidence": 0.9},
            "entities": [],
            "emotion": emotion,
        }
        tracker["slots"].update({"emotion": emotion["label"], "emotion_intensity": emotion["intensity"]})
        tracker["events"].append(
            {"event": "user", "timestamp": time.time(), "text": text, "parse_data": tracker["latest_message"]}
        )
        if text == "/widget_opened":
            # The opening turn: a note only for a token marked so (the real bot checks the account).
            if "with-a-note" in str(metadata.get("customer_token", "")):
                return [{"recipient_id": sender, "text": "A heads-up: your order 40010002 is running late."}]
            return []
        if "silent" in text:
            return []
        if "plain" in text:
            return [{"recipient_id": sender, "text": "A plain text straight from an action."}]
        output: list[dict] = []
        for response, arguments in _responses_for(text):
            generated = await self._generate(tracker, response, arguments)
            tracker["events"].append(
                {
                    "event": "bot",
                    "timestamp": time.time(),
                    "text": generated.get("text"),
                    "data": {"buttons": generated.get("buttons"), "custom": generated.get("custom")},
                    "metadata": {"utter_action": response},
                }
            )
            output += _as_rest_messages(sender, generated)
        return output

    async def _generate(self, tracker: dict, response: str, arguments: dict) -> dict:
        if self.nlg_url is None:
            return {"text": f"({response})"}
        body = {
            "response": response,
            "id": None,
            "arguments": arguments,
            "tracker": tracker,
            "channel": {"name": "collector"},
        }
        if self._http is None:  # created on the server's own event loop, reused like Rasa's session
            self._http = httpx.AsyncClient(timeout=10)
        # As bot/endpoints.yml makes Rasa send it.
        answer = await self._http.post(self.nlg_url, json=body, headers=bearer_header(DEVELOPMENT_NLG_TOKEN))
        answer.raise_for_status()
        generated = answer.json()
        validate(generated, RASA_NLG_RESPONSE_SHAPE)
        return generated


def _parse_emotion(text: str) -> dict:
    marker = _EMOTION_MARKER.search(text)
    label, intensity = ("neutral", 0.0)
    if marker:
        label, intensity = marker.group(1), float(marker.group(2))
    else:
        for keyword, keyword_label, keyword_intensity in _KEYWORD_EMOTIONS:
            if keyword in text.lower():
                label, intensity = keyword_label, keyword_intensity
                break
    return {"label": label, "confidence": 0.9, "intensity": intensity, "scores": {label: 0.9}}


def _as_rest_messages(sender: str, generated: dict) -> list[dict]:
    """What Rasa's CollectingOutputChannel makes of one response."""
    messages = []
    text = generated.get("text")
    if text and generated.get("buttons"):
        messages.append({"recipient_id": sender, "text": text, "buttons": generated["buttons"]})
    elif text:
        messages += [{"recipient_id": sender, "text": part} for part in text.strip().split("\n\n")]
    if generated.get("custom"):
        messages.append({"recipient_id": sender, "custom": generated["custom"]})
    return messages
