"""The opening turn: a session started with a customer token asks the bot once, before the
customer types, whether there is something to tell them (docs/protocol.md "Opening turn").

It is not a customer message: no `ack` (so the client shows nothing as the customer's), and the
`bot_message`/`bot_speech`/`turn_complete` frames name OPENING_TURN_ID in `reply_to` only when the
bot said something. A resume never sends it again; nothing is said when the dialogue is down.
"""

from dataclasses import dataclass

# The intent payload the bot's rule answers with action_open_conversation (bot/domain/opening.yml).
OPENING_PAYLOAD = "/widget_opened"
# Fits the client message id pattern, as `reply_to` requires; the client never sends it itself.
OPENING_TURN_ID = "widget-opened"


@dataclass(frozen=True)
class OpeningTurn:
    id: str = OPENING_TURN_ID
    text: str = OPENING_PAYLOAD
