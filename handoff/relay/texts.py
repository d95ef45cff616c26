"""What the avatar tells the customer while a person takes over (English and German)."""

TEXTS = {
    "queued": {
        "en": "You're number {position} in the queue for a colleague, and I'm staying with you.",
        "de": "Sie sind auf Platz {position} in der Warteschlange für eine Kollegin oder einen Kollegen, und ich bleibe bei Ihnen.",
    },
    "requeued": {
        "en": "Your colleague was disconnected; you're back in the queue at number {position}. Nothing you said is lost.",
        "de": "Die Verbindung zu Ihrem Ansprechpartner wurde unterbrochen; Sie sind wieder auf Platz {position} der Warteschlange. Nichts von dem, was Sie gesagt haben, geht verloren.",
    },
    "long_wait": {
        "en": "If you'd rather not wait, we can call you back or answer by e-mail instead: just choose below.",
        "de": "Wenn Sie nicht warten möchten, rufen wir Sie gern zurück oder antworten per E-Mail: wählen Sie einfach unten aus.",
    },
    "wait_under": {
        "en": "The wait should be under {high} minutes.",
        "de": "Die Wartezeit liegt voraussichtlich unter {high} Minuten.",
    },
    "wait_between": {
        "en": "The wait should be about {low} to {high} minutes.",
        "de": "Die Wartezeit beträgt voraussichtlich etwa {low} bis {high} Minuten.",
    },
    "wait_over": {
        "en": "The wait may be more than {low} minutes.",
        "de": "Die Wartezeit kann mehr als {low} Minuten betragen.",
    },
    "with_agent": {
        "en": "{name} from our team has joined and has read our conversation, so you don't need to repeat anything.",
        "de": "{name} aus unserem Team ist jetzt da und hat unser Gespräch gelesen – Sie müssen nichts wiederholen.",
    },
    "agent_left": {
        "en": "{name} has finished the conversation. I'm here if you need anything else.",
        "de": "{name} hat das Gespräch beendet. Ich bin da, wenn Sie noch etwas brauchen.",
    },
    "bot": {
        "en": "You're back with the assistant; {name} has handed you back to me. I can help with orders and deliveries, passwords, invoices, address changes and returns. What can I do for you?",
        "de": "Sie sind wieder beim Assistenten; {name} hat Sie an mich zurückgegeben. Ich helfe bei Bestellungen und Lieferungen, Passwörtern, Rechnungen, Adressänderungen und Rücksendungen. Was kann ich für Sie tun?",
    },
}


def status_text(kind: str, language: str, **values: object) -> str:
    table = TEXTS[kind]
    return table.get(language, table["en"]).format(**values)[:500]


def wait_sentence(language: str, low_seconds: int, high_seconds: int | None) -> str:
    """The expected wait as a range (handoff/queue/wait_estimate.py), in whole minutes."""
    low = low_seconds // 60
    if high_seconds is None:
        return status_text("wait_over", language, low=low)
    if low == 0:
        return status_text("wait_under", language, high=high_seconds // 60)
    return status_text("wait_between", language, low=low, high=high_seconds // 60)
