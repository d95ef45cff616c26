"""What the customer is told when their speech could not be used, in their language."""

from avatar_bridge.protocol.errors import ErrorCode

_TEXTS: dict[str, dict[ErrorCode, str]] = {
    "en": {
        ErrorCode.NO_SPEECH: "I didn't hear anything, could you say that again?",
        ErrorCode.AUDIO_TOO_LONG: (
            "That was longer than {limit} seconds, so I stopped listening. Please say it in shorter parts, or type it."
        ),
        ErrorCode.AUDIO_INTERRUPTED: "Part of your recording got lost on the way. Please say it again.",
        ErrorCode.UNSUPPORTED_AUDIO: "Your browser sent audio in a format I cannot use. Please type your message.",
        ErrorCode.SPEECH_BUSY: (
            "I'm listening to a lot of people at once right now. Please try again in a moment, or type your message."
        ),
        ErrorCode.SPEECH_UNAVAILABLE: "Speaking to me is not available right now. Please type your message.",
    },
    "de": {
        ErrorCode.NO_SPEECH: "Ich habe nichts gehört. Könnten Sie das bitte noch einmal sagen?",
        ErrorCode.AUDIO_TOO_LONG: (
            "Das war länger als {limit} Sekunden, deshalb habe ich aufgehört zuzuhören. "
            "Bitte sagen Sie es in kürzeren Teilen oder schreiben Sie es."
        ),
        ErrorCode.AUDIO_INTERRUPTED: (
            "Ein Teil Ihrer Aufnahme ist unterwegs verloren gegangen. Bitte sagen Sie es noch einmal."
        ),
        ErrorCode.UNSUPPORTED_AUDIO: (
            "Ihr Browser hat Audio in einem Format gesendet, das ich nicht verwenden kann. "
            "Bitte schreiben Sie Ihre Nachricht."
        ),
        ErrorCode.SPEECH_BUSY: (
            "Ich höre gerade sehr vielen Menschen gleichzeitig zu. "
            "Bitte versuchen Sie es gleich noch einmal oder schreiben Sie Ihre Nachricht."
        ),
        ErrorCode.SPEECH_UNAVAILABLE: "Sprechen ist gerade nicht möglich. Bitte schreiben Sie Ihre Nachricht.",
    },
}


def notice(language: str, code: ErrorCode, **values: object) -> str:
    texts = _TEXTS.get(language, _TEXTS["en"])
    return texts[code].format(**values)
