"""Tables of the admin console: every accepted intent change and every model switch."""

from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, Engine, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """The console's own tables, in the host's database (created on the console's first use)."""


def create_tables(engine: Engine) -> None:
    Base.metadata.create_all(engine)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class IntentChange(Base):
    """One accepted change of one intent: who, when, what (its state before and after)."""

    __tablename__ = "admin_intent_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    actor: Mapped[str] = mapped_column(String(64))
    intent: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(16))  # create | update | delete | revert
    before: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    reverts: Mapped[int | None] = mapped_column(Integer, nullable=True)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "intent": self.intent,
            "action": self.action,
            "before": self.before,
            "after": self.after,
            "comment": self.comment,
            "reverts": self.reverts,
        }


class ModelSwitch(Base):
    """A model made active in the running Rasa (after training, or by a rollback)."""

    __tablename__ = "admin_model_switches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))  # activate | rollback
    model: Mapped[str] = mapped_column(String(200))
    previous_model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    evaluation: Mapped[dict | None] = mapped_column(JSON, nullable=True)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "model": self.model,
            "previous_model": self.previous_model,
            "evaluation": self.evaluation,
        }
