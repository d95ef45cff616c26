"""The handoff record (handoff.v2): its JSON Schema and the one builder every writer uses.

    record = build_record(conversation_id=..., language="de", reasons=[{"code": ..., "text": ...}], ...)
    from contracts.handoff_record.schema import record_problems
    record_problems(record)       # [] when it matches handoff.v2.schema.json

Writers keep only what is theirs: the action server reads a Rasa tracker
(bot/actions/handoff_record.py), the avatar bridge reads its session's frames
(avatar_bridge/dialogue/bridge_handoff.py). The handoff service validates what it reads. The
schema module (jsonschema) is imported only by those who validate, so a writer needs PyYAML only.
"""

from contracts.handoff_record.builder import (
    HIDDEN_ANSWER,
    MAX_LINE_CHARS,
    SCHEMA,
    build_record,
    timeline_point,
    transcript_line,
)

__all__ = ["HIDDEN_ANSWER", "MAX_LINE_CHARS", "SCHEMA", "build_record", "timeline_point", "transcript_line"]
