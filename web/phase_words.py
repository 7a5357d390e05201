"""A proposal's phase and its date in words that fit it, on the organisation's clock:

    Draft — not yet open
    Open for comments until Friday 12 December 2026, 17:00
    Closed on Friday 12 December 2026, 17:00
    Decided: adopted on 3 January 2027

Every page that shows a proposal (its page, the lists, the home page) says it this way.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from node.i18n import gettext_ as _
from node.local_time import day, day_and_time


def _decided(value: str) -> str:
    if value == "adopted":
        return _("Decided: adopted")
    if value == "changed":
        return _("Decided: adopted with changes")
    return _("Decided: dropped")


def phase_words(
    status: str | Enum,
    closes_at: datetime | None = None,
    closed_at: datetime | None = None,
    decided_at: datetime | None = None,
) -> str:
    """The phase of a proposal and its date, as one sentence."""
    value = str(status.value if isinstance(status, Enum) else status)
    if value == "draft":
        return _("Draft — not yet open")
    if value == "open":
        if closes_at is None:
            return _("Open for comments")
        return _("Open for comments until %(when)s") % {"when": day_and_time(closes_at)}
    if value == "closed":
        when = closed_at or closes_at
        return _("Closed on %(when)s") % {"when": day_and_time(when)} if when else _("Closed")
    if value in ("adopted", "changed", "dropped"):
        decided = _decided(value)
        if decided_at is None:
            return decided
        return _("%(decided)s on %(day)s") % {"decided": decided, "day": day(decided_at)}
    return value
