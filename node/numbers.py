"""Whole numbers from outside input (paths, queries, forms, the command line): one rule."""

from __future__ import annotations

import re

# Ids live in 32-bit integer columns on PostgreSQL for most tables: a larger number can match
# no row, and asking PostgreSQL for one is an error rather than an empty answer.
MAX_ID = 2**31 - 1
MAX_PAGE = 100_000
_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII only: int() takes some of what isdigit() allows


def whole_number(text: str, low: int = 0, high: int = MAX_ID) -> int | None:
    """`text` as an int when it is ASCII digits from `low` to `high`, else None."""
    if _DIGITS.fullmatch(text) is None:
        return None
    number = int(text)
    return number if low <= number <= high else None


def page_number(text: str) -> int | None:
    """A collection or list page from 1 to MAX_PAGE, else None."""
    return whole_number(text, 1, MAX_PAGE)
