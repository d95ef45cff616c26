"""What the customer is told when Redis (sessions, frame numbering, replay) is away for a moment.

Both texts go out as `error` `temporarily_unavailable` straight to the socket, in the session's
language: one for a message the bridge could not take, one for a turn it could not finish. Nothing
is lost either way, so both ask the customer to send the message again (docs/operations.md,
"Fault behaviour")."""

RETRY_AFTER_MS = 3000

_NOT_TAKEN = {
    "en": "I couldn't take this message just now because part of our system is restarting. "
    "Your conversation is safe; please send it again in a few seconds.",
    "de": "Ich konnte diese Nachricht gerade nicht annehmen, weil ein Teil unseres Systems neu startet. "
    "Ihr Gespräch ist sicher; bitte senden Sie sie in ein paar Sekunden noch einmal.",
}
_NOT_FINISHED = {
    "en": "I couldn't finish answering this message because part of our system is unavailable. "
    "Your conversation is safe; please send it again in a few seconds.",
    "de": "Ich konnte diese Nachricht nicht fertig beantworten, weil ein Teil unseres Systems gerade "
    "nicht erreichbar ist. Ihr Gespräch ist sicher; bitte senden Sie sie in ein paar Sekunden "
    "noch einmal.",
}


def message_not_taken(language: str) -> str:
    return _NOT_TAKEN.get(language, _NOT_TAKEN["en"])


def turn_not_finished(language: str) -> str:
    return _NOT_FINISHED.get(language, _NOT_FINISHED["en"])
