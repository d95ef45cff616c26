"""Paths and a small example set shared by the emotion tests (imported by name, unlike conftest)."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import yaml

REPO_ROOT = Path(__file__).resolve().parents[3]
ENCODER_DIR = REPO_ROOT / "models" / "encoder" / "all-MiniLM-L6-v2"
PROJECT_EMOTION_DATA = REPO_ROOT / "nlu_data" / "emotion"

# A few examples per label and language, enough to train a head for the mechanics tests (the
# accuracy tests use the project's own data in nlu_data/emotion).
SMALL_EXAMPLES: Dict[str, Dict[str, List[str]]] = {
    "en": {
        "neutral": [
            "I would like to know my account balance",
            "please update my billing address",
            "what does shipping to Spain cost",
            "my order number is 40010012",
            "can I change the colour of my order",
            "how do I download my invoice",
        ],
        "frustrated": [
            "this is ridiculous, I have asked four times now",
            "your app is useless, it crashed again",
            "I am so angry, nobody ever calls back",
            "stop wasting my time and refund me",
            "what a terrible service, absolutely awful",
            "I've had enough of these delays",
        ],
        "anxious": [
            "I'm worried the payment went through twice",
            "will my parcel arrive before Christmas? I'm nervous",
            "I'm afraid someone logged into my account",
            "please, the present is for tomorrow morning",
            "I am scared I will be charged a late fee",
            "is my personal data safe with you?",
        ],
        "sad": [
            "I'm really disappointed, it was meant for my grandmother",
            "what a letdown, I was so excited about it",
            "I feel ignored and let down",
            "it arrived broken and now the birthday is over",
            "sadly I don't think I will order again",
            "I'm heartbroken, the necklace is lost",
        ],
        "confused": [
            "I don't understand why I was charged",
            "why does the app say my order is cancelled?",
            "what is this extra fee on my bill",
            "I'm confused, which password do you mean?",
            "huh, the tracking shows a different city",
            "how can it be delivered if I have nothing?",
        ],
        "happy": [
            "thank you, that solved it",
            "brilliant, the parcel just arrived",
            "you are great, thanks for the help",
            "I'm so pleased with my new shoes",
            "perfect, everything works again",
            "wonderful service, thank you",
        ],
    },
    "de": {
        "neutral": [
            "Ich möchte meinen Kontostand wissen",
            "bitte ändern Sie meine Rechnungsadresse",
            "was kostet der Versand nach Spanien",
            "meine Bestellnummer ist 40010012",
        ],
        "frustrated": [
            "das ist lächerlich, ich frage zum vierten Mal",
            "Ihre App ist nutzlos, schon wieder abgestürzt",
            "ich bin so wütend, niemand ruft zurück",
            "hören Sie auf meine Zeit zu verschwenden",
        ],
        "anxious": [
            "ich habe Angst, dass doppelt abgebucht wurde",
            "kommt mein Paket vor Weihnachten? ich bin nervös",
            "ich fürchte, jemand hat sich in mein Konto eingeloggt",
            "bitte, das Geschenk ist für morgen früh",
        ],
        "sad": [
            "ich bin wirklich enttäuscht, es war für meine Oma",
            "was für eine Enttäuschung, ich hatte mich so gefreut",
            "ich fühle mich ignoriert und im Stich gelassen",
            "es kam kaputt an und der Geburtstag ist vorbei",
        ],
        "confused": [
            "ich verstehe nicht, warum mir das berechnet wurde",
            "warum steht in der App, dass storniert wurde?",
            "was ist diese Zusatzgebühr auf meiner Rechnung",
            "ich bin verwirrt, welches Passwort meinen Sie?",
        ],
        "happy": [
            "danke, das hat es gelöst",
            "super, das Paket ist gerade angekommen",
            "Sie sind toll, danke für die Hilfe",
            "perfekt, alles funktioniert wieder",
        ],
    },
}


def write_emotion_data(folder: Path, examples: Dict[str, Dict[str, List[str]]] = SMALL_EXAMPLES) -> Path:
    for language, by_label in examples.items():
        (folder / language).mkdir(parents=True, exist_ok=True)
        for label, texts in by_label.items():
            document = {"language": language, "label": label, "examples": texts}
            (folder / language / f"{label}.yml").write_text(
                yaml.safe_dump(document, allow_unicode=True), encoding="utf-8"
            )
    return folder
