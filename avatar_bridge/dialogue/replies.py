"""Rasa's REST output -> one BotReply per bot message.

With the bridge as Rasa's NLG endpoint, every rendered response carries an ``avatar_cue`` in
its ``custom`` payload. Rasa's REST channel sends a message's ``custom`` as a separate element
right after its text, so a cue belongs to the text messages just before it (the REST channel
also splits a text at blank lines, hence "messages", plural).
"""

from dataclasses import dataclass, field

CUE_KEY = "avatar_cue"


@dataclass
class BotReply:
    text: str
    buttons: list[dict] = field(default_factory=list)
    cue: dict | None = None  # from the NLG endpoint: reply_kind, language, emotion, ...


def replies_from_rest(messages: list[dict]) -> list[BotReply]:
    replies: list[BotReply] = []
    waiting_for_cue: list[BotReply] = []
    for message in messages:
        text = message.get("text")
        if isinstance(text, str) and text.strip():
            reply = BotReply(text=text.strip(), buttons=_buttons(message.get("buttons")))
            replies.append(reply)
            waiting_for_cue.append(reply)
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get(CUE_KEY), dict):
            for reply in waiting_for_cue:
                reply.cue = custom[CUE_KEY]
            waiting_for_cue = []
    return replies


def _buttons(buttons: object) -> list[dict]:
    if not isinstance(buttons, list):
        return []
    return [
        {"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))}
        for button in buttons
        if isinstance(button, dict) and button.get("title") is not None
    ]
