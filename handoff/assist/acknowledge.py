"""Words of acknowledgement, a pool per emotion label and language (contracts/emotion/taxonomy.yml).

Four or more per pool so an agent can acknowledge again later in new words; the order is the order
they are offered in. A label missing here (a new label in the taxonomy) falls back to `neutral`.
"""

from __future__ import annotations

POOLS: dict[str, dict[str, tuple[str, ...]]] = {
    "neutral": {
        "en": (
            "Thanks for explaining that.",
            "Understood, thank you.",
            "Thank you, that helps me.",
            "Got it, thanks for letting me know.",
        ),
        "de": (
            "Danke, dass Sie das erklären.",
            "Verstanden, vielen Dank.",
            "Danke, das hilft mir weiter.",
            "Alles klar, danke für den Hinweis.",
        ),
    },
    "frustrated": {
        "en": (
            "I can see why this has annoyed you.",
            "You're right to be unhappy about this.",
            "That's not the experience you should have had with us.",
            "I understand you've had enough of this, and I want to get it fixed.",
            "It's fair that you're fed up; let's put it right.",
        ),
        "de": (
            "Ich verstehe gut, dass Sie das ärgert.",
            "Sie haben recht, damit unzufrieden zu sein.",
            "So sollte es bei uns nicht laufen.",
            "Ich verstehe, dass Sie genug davon haben, und ich möchte das lösen.",
            "Ihr Ärger ist berechtigt; bringen wir das in Ordnung.",
        ),
    },
    "anxious": {
        "en": (
            "I can tell this is worrying you.",
            "I understand this feels urgent for you.",
            "Let me take the uncertainty out of this for you.",
            "You don't need to worry about this alone; I'm on it.",
        ),
        "de": (
            "Ich merke, dass Sie das beschäftigt.",
            "Ich verstehe, dass das für Sie dringend ist.",
            "Ich möchte Ihnen hier die Unsicherheit nehmen.",
            "Sie müssen sich darum nicht allein sorgen; ich kümmere mich.",
        ),
    },
    "sad": {
        "en": (
            "I'm sorry this has been such a disappointment.",
            "I understand you expected more from us.",
            "That must have been a let-down, and I'm sorry.",
            "I can hear how disappointing this has been.",
        ),
        "de": (
            "Es tut mir leid, dass Sie so enttäuscht wurden.",
            "Ich verstehe, dass Sie mehr von uns erwartet haben.",
            "Das war sicher enttäuschend, das tut mir leid.",
            "Ich kann gut verstehen, wie enttäuschend das für Sie ist.",
        ),
    },
    "confused": {
        "en": (
            "That's a fair question; let me make it clear.",
            "I can see how this would be confusing.",
            "Let me go through it one step at a time.",
            "It isn't obvious, so let me explain what happened.",
        ),
        "de": (
            "Das ist eine berechtigte Frage; ich erkläre es Ihnen.",
            "Ich verstehe, dass das verwirrend ist.",
            "Gehen wir das Schritt für Schritt durch.",
            "Das ist wirklich nicht offensichtlich, ich erkläre Ihnen, was passiert ist.",
        ),
    },
    "happy": {
        "en": (
            "I'm glad to hear that.",
            "That's good news, thank you.",
            "Great, I'm pleased that helped.",
            "Thanks, that's nice to hear.",
        ),
        "de": (
            "Das freut mich zu hören.",
            "Das sind gute Nachrichten, danke.",
            "Schön, dass das geholfen hat.",
            "Danke, das freut mich.",
        ),
    },
}
# When the customer repeated themselves: show them they were heard ("…" is the agent's summary).
SUMMARISE = {
    "en": (
        "Let me check I've understood you correctly: … Is that right?",
        "So that I get this right, here is what I understood: … Have I missed anything?",
    ),
    "de": (
        "Damit ich Sie richtig verstehe, fasse ich kurz zusammen: … Stimmt das so?",
        "Ich möchte sichergehen, dass ich alles habe: … Habe ich etwas vergessen?",
    ),
}


def pool(label: str, language: str) -> tuple[str, ...]:
    return POOLS.get(label, POOLS["neutral"])[language]
