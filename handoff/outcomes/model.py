"""The conversation_outcomes table (contract in docs/handoff.md "Outcome records")."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from handoff.core.db import Base

RESOLVED_BY = ("bot", "agent", "abandoned")


class ConversationOutcome(Base):
    __tablename__ = "conversation_outcomes"

    conversation_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    customer_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(16), nullable=True)
    primary_intent: Mapped[str | None] = mapped_column(String(64), nullable=True)
    handoff_reason: Mapped[str | None] = mapped_column(String(64), nullable=True)
    handoff_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    agent_joined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    wait_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    handle_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    csat: Mapped[int | None] = mapped_column(Integer, nullable=True)
    outcome_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    first_contact: Mapped[bool] = mapped_column(Boolean, default=True)
    proactive: Mapped[bool] = mapped_column(Boolean, default=False)
    emotion_start: Mapped[str | None] = mapped_column(String(32), nullable=True)
    emotion_peak: Mapped[str | None] = mapped_column(String(32), nullable=True)
    emotion_end: Mapped[str | None] = mapped_column(String(32), nullable=True)
    emotion_path: Mapped[list] = mapped_column(JSON, default=list)
    intents: Mapped[list] = mapped_column(JSON, default=list)
    # Known problems the assistant raised before being asked ("delayed_order:40010002") and the
    # incidents the customer was told about (ids); NULL in rows from before they were recorded.
    proactive_topics: Mapped[list | None] = mapped_column(JSON, nullable=True)
    incidents: Mapped[list | None] = mapped_column(JSON, nullable=True)
    agent_username: Mapped[str | None] = mapped_column(String(64), nullable=True)
