"""The speech of the bot's fixed replies is made at start (avatar_bridge/speech/prewarm.py): which
replies count as fixed, and a greeting whose audio was in the cache before the customer said hello."""

import time
from pathlib import Path

from bridge_support.client import BridgeClient, of_type
from tests.avatar_bridge.conftest import FIXTURE_DOMAIN

from avatar_bridge.core.config import Settings
from avatar_bridge.dialogue.reply_kinds import ReplyKinds
from avatar_bridge.expression.planner import ExpressionPlanner
from avatar_bridge.protocol.schema_registry import SchemaRegistry
from avatar_bridge.speech.prewarm import fixed_replies
from avatar_bridge.wording.domain_responses import DomainResponses


def _fixed(settings: Settings):
    schemas = SchemaRegistry.load()
    kinds = ReplyKinds.load(settings.reply_kinds_path, frozenset(schemas.shared_enum("reply_kind")))
    planner = ExpressionPlanner.load(settings.expression_table_path, schemas)
    return fixed_replies(DomainResponses([FIXTURE_DOMAIN]), kinds, planner, "Ava"), planner, kinds


def test_fixed_replies_are_the_texts_without_placeholders_in_their_language():
    replies, planner, kinds = _fixed(Settings())
    by_text = {reply.text: reply for reply in replies}
    assert by_text["Hello! What can I do for you?"].language == "en"
    assert by_text["Hallo! Wobei kann ich helfen?"].language == "de"
    assert not any("{" in reply.text for reply in replies)  # "{said}", "{order_number}" are left out
    greeting = by_text["Hello! What can I do for you?"]
    kind = kinds.classify("utter_greet", greeting.text)
    assert greeting.prosody == planner.plan("neutral", 0.0, kind).prosody


def test_the_greetings_audio_is_ready_before_the_customer_says_hello(own_bridge, tmp_path):
    stack = own_bridge(speech_prewarm_sentences=200, speech_cache_dir=tmp_path)
    replies, _, _ = _fixed(stack.settings)
    expected = len(replies)  # at least one sentence each
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("*/*.wav"))) < expected and time.monotonic() < deadline:
        time.sleep(0.2)
    made_before = time.time()
    client = BridgeClient(stack.ws_url)
    client.start("en")
    speech = of_type(client.ask("hello"), "bot_speech")[0]["speech"]
    client.close()
    key = Path(speech["audio"]["url"]).stem
    wav = tmp_path / key[:2] / f"{key}.wav"
    assert wav.stat().st_mtime < made_before, "the greeting was synthesised for this turn, not at start"
