"""Time handling shared by the connector and the seed.

The database stores naive UTC datetimes (portable between SQLite, which has no time zones, and
PostgreSQL); records carry timezone-aware UTC datetimes. Callers may pass ``now`` aware in any
zone or naive, in which case it is taken to be UTC.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import overload


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime | None) -> datetime:
    """``moment`` as an aware UTC datetime; the current time when ``moment`` is None."""
    if moment is None:
        return utc_now()
    if not isinstance(moment, datetime):
        raise TypeError(f"expected a datetime, got {type(moment).__name__}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def to_db(moment: datetime) -> datetime:
    """Naive UTC, as stored in the database."""
    return as_utc(moment).replace(tzinfo=None)


@overload
def from_db(stored: datetime) -> datetime: ...


@overload
def from_db(stored: None) -> None: ...


def from_db(stored: datetime | None) -> datetime | None:
    """A stored naive UTC datetime as an aware one (PostgreSQL drivers may already attach UTC)."""
    if stored is None:
        return None
    if stored.tzinfo is None:
        return stored.replace(tzinfo=timezone.utc)
    return stored.astimezone(timezone.utc)
