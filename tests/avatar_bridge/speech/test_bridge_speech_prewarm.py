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
from avatar_bridge.speech.prewarm import fixed_replies, opener_replies
from avatar_bridge.tone.avatar_choice import LiveAvatar
from avatar_bridge.tone.documents import ToneFiles
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


def _wait_for_files(folder: Path, count: int) -> None:
    deadline = time.monotonic() + 60
    while len(list(folder.glob("*/*.wav"))) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(list(folder.glob("*/*.wav"))) == count


def test_after_an_avatar_switch_the_greeting_is_made_again_with_the_new_avatars_name_and_voice(own_bridge, tmp_path):
    """Without WIDGET_NAME the greeting says the shown avatar's name: the speech made at start (Mila)
    does not fit the man, so his greeting (Theo, his voice) is made as soon as an admin shows him."""
    domain = tmp_path / "domain.yml"
    domain.write_text('responses:\n  utter_greet:\n  - text: "Hello, I am {assistant_name}."\n', "utf-8")
    cache = tmp_path / "speech"
    stack = own_bridge(
        response_paths=[domain],
        speech_prewarm_sentences=10,
        speech_cache_dir=cache,
        speech_engine="espeak",  # the man's voice without Piper: fast, and still his own
        tone_watch_s=0.1,
    )
    _wait_for_files(cache, 1)  # the woman's greeting
    LiveAvatar(stack.settings.avatar_choice_path, stack.settings.avatar_model).store("valid-man", "alex")
    _wait_for_files(cache, 2)  # the man's, made in the background after the switch
    made_before = time.time()
    client = BridgeClient(stack.ws_url)
    client.start("en")
    frames = client.ask("hello")
    client.close()
    assert of_type(frames, "bot_message")[0]["text"] == "Hello, I am Theo."
    speech = of_type(frames, "bot_speech")[0]["speech"]
    assert speech["voice"]["name"] == "en"  # espeak-ng's male voice (the woman's is en+f3)
    key = Path(speech["audio"]["url"]).stem
    assert (cache / key[:2] / f"{key}.wav").stat().st_mtime < made_before, "Theo's greeting was not prewarmed"


def test_openers_are_every_acknowledgement_and_apology_with_the_prosody_a_turn_gives_them():
    settings = Settings()
    schemas = SchemaRegistry.load()
    planner, playbooks = ToneFiles(
        settings.expression_table_path, settings.playbook_dir, settings.reply_kinds_path
    ).load(schemas)
    openers = opener_replies(playbooks, planner)
    made = {(reply.text, reply.language, reply.prosody) for reply in openers}
    assert len(made) == len(openers)  # each sentence once per prosody
    english = playbooks["en"]
    high = planner.intensity_bands()["high"]
    for emotion in english.phrases:
        if english.min_band(emotion) is None:
            continue
        for kind in english.acknowledge.reply_kinds:
            prosody = planner.plan(emotion, high, kind).prosody
            for phrase in english.phrases_for(emotion, "high"):
                assert (phrase, "en", prosody) in made, (emotion, kind, phrase)
    frustrated_apology = planner.plan("frustrated", high, "apology").prosody
    assert all((apology, "de", frustrated_apology) in made for apology in playbooks["de"].apologies)
    # The strongest feelings first, so a limit keeps those: the first opener is a high band's.
    high_band = {planner.plan(e, high, k).prosody for e in planner_emotions(playbooks) for k in all_kinds(playbooks)}
    assert openers[0].prosody in high_band


def planner_emotions(playbooks):
    return {emotion for playbook in playbooks.values() for emotion in playbook.phrases}


def all_kinds(playbooks):
    return {"apology"} | {kind for playbook in playbooks.values() for kind in playbook.acknowledge.reply_kinds}
