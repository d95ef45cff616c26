"""The users table."""

from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from handoff.core.db import Base


class User(Base):
    __tablename__ = "handoff_users"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))  # agent | supervisor | admin
    password_hash: Mapped[str] = mapped_column(String(256))
    skills: Mapped[list] = mapped_column(JSON, default=list)  # ⊂ billing, technical, general
    languages: Mapped[list] = mapped_column(JSON, default=list)  # ⊂ en, de
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: datetime.now(timezone.utc))
