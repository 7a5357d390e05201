"""A closing date and time typed into a form, on the organisation's clock, as `closesAt`."""

from __future__ import annotations

from datetime import date, datetime, time

from node.i18n import gettext_ as _
from node.local_time import from_local, local
from node.timestamps import format_time, now

DEFAULT_CLOSING_TIME = "17:00"  # the end of a working day, unless the author says otherwise


def closing_values(closes_at: datetime | None) -> dict[str, str]:
    """The form's date and time fields for a stored closing time (local clock)."""
    if closes_at is None:
        return {"closes_on": "", "closes_time": DEFAULT_CLOSING_TIME}
    shown = local(closes_at)
    return {"closes_on": shown.date().isoformat(), "closes_time": shown.strftime("%H:%M")}


def read_closing(values: dict[str, str], *, required: bool) -> tuple[str | None, str]:
    """(closesAt as ISO 8601 UTC, or None when no date was given; an error message or '')."""
    day_text = values.get("closes_on", "").strip()
    time_text = values.get("closes_time", "").strip() or DEFAULT_CLOSING_TIME
    if not day_text:
        return None, _("Give the closing date.") if required else ""
    try:
        on = date.fromisoformat(day_text)
    except ValueError:
        return None, _("Give the closing date as a date, such as 2027-03-31.")
    try:
        at = time.fromisoformat(time_text)
    except ValueError:
        return None, _("Give the closing time as hours and minutes, such as 17:00.")
    moment = from_local(on, at)
    if moment <= now():
        return None, _("The closing date has already passed.")
    return format_time(moment), ""
