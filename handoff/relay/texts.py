"""What the avatar tells the customer while a person takes over (English and German)."""

TEXTS = {
    "queued": {
        "en": "You're number {position} in the queue for a colleague; the expected wait is about {minutes} minute(s). I'm staying with you.",
        "de": "Sie sind auf Platz {position} in der Warteschlange für eine Kollegin oder einen Kollegen; die Wartezeit beträgt etwa {minutes} Minute(n). Ich bleibe bei Ihnen.",
    },
    "requeued": {
        "en": "Your colleague was disconnected; you're back in the queue at number {position}. Nothing you said is lost.",
        "de": "Die Verbindung zu Ihrem Ansprechpartner wurde unterbrochen; Sie sind wieder auf Platz {position} der Warteschlange. Nichts von dem, was Sie gesagt haben, geht verloren.",
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
