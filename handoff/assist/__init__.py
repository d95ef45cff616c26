"""Live assist: suggestions and warnings for the agent on every customer message (docs/handoff.md
"Live assist").

    result = live_assist(lines, package, language, shown, now)

Pure functions over the chat lines (handoff/queue/store.py `messages()`), the context package and
the keys of suggestions already shown; no randomness, no model, no I/O. `memory.py` keeps the shown
keys in Redis so "never the same suggestion twice" holds across reloads.
"""

from handoff.assist.suggest import AssistResult, Suggestion, live_assist

__all__ = ["AssistResult", "Suggestion", "live_assist"]
