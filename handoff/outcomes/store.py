"""Writing and reading outcome records."""

from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handoff.outcomes.model import RESOLVED_BY, ConversationOutcome

FIELDS = frozenset(c.name for c in ConversationOutcome.__table__.columns) - {"conversation_id"}


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def upsert_outcome(session: Session, conversation_id: str, **fields: object) -> ConversationOutcome:
    """Creates or updates the record; fields given as None are left as they are."""
    if unknown := set(fields) - FIELDS:
        raise ValueError(f"unknown outcome fields: {', '.join(sorted(unknown))}")
    if fields.get("resolved_by") not in (None, *RESOLVED_BY):
        raise ValueError(f"resolved_by must be one of {RESOLVED_BY}")
    csat = fields.get("csat")
    if csat is not None and not (isinstance(csat, int) and 1 <= csat <= 5):
        raise ValueError("csat must be an integer 1..5")
    for attempt in range(2):
        row = session.get(ConversationOutcome, conversation_id)
        if row is None:
            row = ConversationOutcome(
                conversation_id=conversation_id, emotion_path=[], intents=[], first_contact=True, proactive=False
            )
            session.add(row)
        for name, value in fields.items():
            if value is not None:
                setattr(row, name, value)
        if row.started_at is None:
            row.started_at = datetime.now(timezone.utc)
        try:
            session.commit()
            return row
        except IntegrityError:
            # Another writer created the row at the same moment (intake and claim race): update it.
            session.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")


def get_outcome(session: Session, conversation_id: str) -> ConversationOutcome | None:
    return session.get(ConversationOutcome, conversation_id)


def list_outcomes(
    session: Session, since: datetime | None = None, until: datetime | None = None
) -> list[ConversationOutcome]:
    query = select(ConversationOutcome).order_by(ConversationOutcome.started_at)
    if since is not None:
        query = query.where(ConversationOutcome.started_at >= _aware(since))
    if until is not None:
        query = query.where(ConversationOutcome.started_at < _aware(until))
    return list(session.scalars(query))


def outcome_records(session: Session, since: datetime, until: datetime) -> list[dict]:
    """Outcomes as plain mappings (column name → value): what the admin console's figures read."""
    columns = [column.name for column in ConversationOutcome.__table__.columns]
    return [{name: getattr(row, name) for name in columns} for row in list_outcomes(session, since, until)]
