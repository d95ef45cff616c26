"""Which voice speaks each language: a Piper voice where one fits, espeak-ng otherwise.

The voice follows the avatar shown (the admin console's choice, else AVATAR_MODEL): a man's voice
for the man avatar, a woman's for the woman. What decides, first match wins (docs/operations.md
"Voices"): a Piper voice the operator names per language (AVATAR_BRIDGE_PIPER_VOICE_EN / _DE, or
"none" for espeak-ng), then a gender the operator pins (AVATAR_BRIDGE_AVATAR_VOICE_GENDER), then the
avatar's gender (contracts/avatars.yml). The only Piper voice that
setup installs is en_US-joe-medium (male, CC0), so by default

- the man avatar (the default, for this reason) speaks English with Piper joe and German with
  espeak-ng's German voice;
- the woman avatar speaks both languages with espeak-ng's female variant ("+f3"),
  because a man's voice coming from a woman's face reads as a fault. An operator who installs a
  female Piper voice (an .onnx + .onnx.json pair listed in their voice manifest) gets it by
  naming it in AVATAR_BRIDGE_PIPER_VOICE_EN / _DE.
"""

from dataclasses import dataclass

from avatar_bridge.core.config import Settings
from avatar_bridge.speech.manifest import ManifestError, PiperVoiceFiles
from contracts.avatars import avatar_gender as shipped_avatar_gender

LANGUAGES = ("en", "de")
FEMALE, MALE = "female", "male"
# espeak-ng variants matching the avatar (`espeak-ng --voices=variant`).
ESPEAK_VARIANTS = {FEMALE: "+f3", MALE: ""}
_DISABLED = {"", "none", "espeak"}


@dataclass(frozen=True)
class VoiceChoice:
    language: str
    engine: str  # "piper" | "espeak"
    gender: str
    espeak_voice: str  # always set: the fallback when Piper fails at run time
    piper: PiperVoiceFiles | None = None
    reason: str = ""

    @property
    def name(self) -> str:
        return self.piper.voice_id if self.piper is not None else self.espeak_voice


def avatar_gender(settings: Settings, avatar: str | None = None) -> str:
    """The configured voice gender, else the gender of `avatar` (default: the deployment's avatar)."""
    if settings.avatar_voice_gender:
        return settings.avatar_voice_gender
    return shipped_avatar_gender(avatar or settings.avatar_model)


def choose_voices(
    settings: Settings, manifest: dict[str, PiperVoiceFiles | None], avatar: str | None = None
) -> dict[str, VoiceChoice]:
    """One choice per language for `avatar` (default: the deployment's); raises ManifestError for a
    named voice that is not installed."""
    gender = avatar_gender(settings, avatar)
    choices = {}
    for language in LANGUAGES:
        base = settings.voice_de if language == "de" else settings.voice_en
        espeak_voice = base if "+" in base else base + ESPEAK_VARIANTS[gender]
        choices[language] = _choose(settings, manifest, language, gender, espeak_voice)
    return choices


def _choose(settings, manifest, language, gender, espeak_voice) -> VoiceChoice:
    def espeak(reason: str) -> VoiceChoice:
        return VoiceChoice(language, "espeak", gender, espeak_voice, reason=reason)

    named = settings.piper_voice_de if language == "de" else settings.piper_voice_en
    if settings.speech_engine == "espeak":
        return espeak("AVATAR_BRIDGE_SPEECH_ENGINE=espeak")
    if named is not None and named.strip().lower() in _DISABLED:
        return espeak(f"Piper switched off for {language}")
    if named:
        files = manifest.get(named)
        if files is None:
            raise ManifestError(f"voice {named!r} for {language} is not installed or not in a voice manifest")
        if files.language != language:
            raise ManifestError(f"voice {named!r} speaks {files.language}, not {language}")
        # The operator's explicit choice wins, whatever its gender.
        return VoiceChoice(language, "piper", files.gender, espeak_voice, files, f"named: {named}")
    fitting = sorted(
        voice_id
        for voice_id, files in manifest.items()
        if files is not None and files.language == language and files.gender == gender
    )
    if not fitting:
        return espeak(f"no installed Piper voice for {language} with a {gender} voice")
    files = manifest[fitting[0]]
    return VoiceChoice(language, "piper", gender, espeak_voice, files, f"installed {gender} voice")
