"""Dates on pages and in mail are written in the words of the language being rendered."""

from __future__ import annotations

from contextvars import copy_context
from datetime import UTC, datetime

from node.i18n import in_language
from node.local_time import day, day_and_time, in_words, use_time_zone

MOMENT = datetime(2026, 12, 11, 17, 0, tzinfo=UTC)


def in_own_context(check: object) -> None:
    """Run `check` in a copy of the context: the zone it sets stays there (as in a request)."""
    assert callable(check)
    copy_context().run(check)


def test_dates_are_written_in_english_and_in_welsh() -> None:
    def check() -> None:
        use_time_zone("Europe/London")
        assert day_and_time(MOMENT) == "Friday 11 December 2026, 17:00"
        assert day(MOMENT) == "11 December 2026"
        assert in_words(MOMENT, "d MMMM y, HH:mm 'UTC'") == "11 December 2026, 17:00 UTC"
        with in_language("cy"):
            assert day_and_time(MOMENT) == "Dydd Gwener 11 Rhagfyr 2026, 17:00"
            assert day(MOMENT) == "11 Rhagfyr 2026"
            assert in_words(MOMENT, "d MMMM y, HH:mm 'UTC'") == "11 Rhagfyr 2026, 17:00 UTC"
        assert day(MOMENT) == "11 December 2026"  # the block's language ends with it

    in_own_context(check)


def test_a_naive_time_is_read_as_utc_and_the_organisations_zone_is_kept() -> None:
    def check() -> None:
        assert in_words(datetime(2026, 7, 1, 23, 30), "d MMMM y HH:mm") == "1 July 2026 23:30"
        use_time_zone("Europe/Paris")
        moment = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
        assert day_and_time(moment) == "Thursday 2 July 2026, 01:30"

    in_own_context(check)
