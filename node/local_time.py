"""Times as the organisation reads them: in its time zone (a site setting), in words.

Times are stored in UTC; pages and forms speak the organisation's zone. The zone of the
request being rendered is set once per request (web/page_context.py) and read here.
"""

from __future__ import annotations

import contextvars
import functools
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_datetime

from node.i18n import current_language

DEFAULT_TIME_ZONE = "Europe/London"

_zone: contextvars.ContextVar[str] = contextvars.ContextVar("time_zone", default=DEFAULT_TIME_ZONE)


@functools.cache
def _known_zones() -> frozenset[str]:
    # read once per process: listing the zone files walks the tz database's folders, which
    # costs more than rendering a page
    return frozenset(available_timezones())


def is_time_zone(name: str) -> bool:
    """Whether `name` is an IANA time zone this machine knows (Europe/London, UTC, …)."""
    if name not in _known_zones() and name != "UTC":
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def use_time_zone(name: str) -> None:
    """Speak `name`'s local time for the rest of this task (one request)."""
    _zone.set(name if is_time_zone(name) else DEFAULT_TIME_ZONE)


def current_zone() -> ZoneInfo:
    """The organisation's zone for this task."""
    return ZoneInfo(_zone.get())


def local(moment: datetime) -> datetime:
    """`moment` (aware, or naive UTC) in the organisation's zone."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(current_zone())


def date_in(zone: str, moment: datetime) -> date:
    """The day `moment` (aware, or naive UTC) falls on in the zone named `zone`; for work done
    outside a request (the report frozen by a decision), which names the zone it counts in."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(zone if is_time_zone(zone) else DEFAULT_TIME_ZONE)).date()


def day_and_time(moment: datetime) -> str:
    """'Friday 12 December 2026, 17:00' in the organisation's zone, in the words of the
    language being rendered ('Dydd Gwener 12 Rhagfyr 2026, 17:00')."""
    return format_datetime(local(moment), "EEEE d MMMM y, HH:mm", locale=current_language())


def day(moment: datetime) -> str:
    """'12 December 2026' in the organisation's zone (in the language being rendered)."""
    return format_datetime(local(moment), "d MMMM y", locale=current_language())


def in_words(moment: datetime, pattern: str) -> str:
    """`moment` in its own zone (UTC when naive) written by the CLDR `pattern` ("d MMMM y") in
    the words of the language being rendered: for times shown as stored, in UTC."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return format_datetime(aware, pattern, tzinfo=aware.tzinfo, locale=current_language())


def from_local(on: date, at: time) -> datetime:
    """The UTC moment of a date and time on the organisation's clock (a form's fields)."""
    return datetime.combine(on, at, tzinfo=current_zone()).astimezone(UTC)
