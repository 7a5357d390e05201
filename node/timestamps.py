"""ISO 8601 times as ActivityStreams writes them ("…Z"): read into aware UTC datetimes, and
written to the millisecond, so a reply posted within a second of its parent still sorts after it
at a peer that orders a thread by time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def now() -> datetime:
    """The current UTC time to the millisecond: what a document sends is what the row keeps."""
    moment = datetime.now(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def format_time(moment: datetime) -> str:
    """An aware datetime as documents carry it, to the millisecond: 2025-01-31T12:00:00.123Z."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(value: Any) -> datetime | None:
    """An aware UTC datetime for an ISO 8601 string (naive times are taken as UTC), else None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
