"""The shapes of "what we heard": a figure is rows of counts; comments are quoted as excerpts.

Only data lives here (what a snapshot stores); what each figure is called, its columns and its
summary in words are report_text's, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The kinds of respondent, in the order figures show them (endorsements.bucket_of's buckets).
KINDS = ("organisations", "practitioner", "service_user", "staff", "members_other", "public")
TIMELINE, BARS = "timeline", "bars"


@dataclass(frozen=True)
class Row:
    """One row of a figure: what it counts (`key`, and `label` to show) and its counts."""

    key: str
    label: str
    values: tuple[int, ...]

    @property
    def value(self) -> int:
        """The row's first (for most figures, only) count."""
        return self.values[0] if self.values else 0


@dataclass(frozen=True)
class Figure:
    """A chart with its data: rows of counts, drawn as bars or as participation over time."""

    slug: str  # its name in URLs: participation, respondents, … , question-1, …
    rows: tuple[Row, ...]
    chart: str = BARS
    heading: str = ""  # a question's own words (the other figures are named by report_text)

    @property
    def total(self) -> int:
        """The sum of the rows' first counts."""
        return sum(row.value for row in self.rows)

    @property
    def largest(self) -> Row | None:
        """The row with the most (the first of equals), or None when nothing was counted."""
        best = max(self.rows, key=lambda row: row.value, default=None)
        return best if best is not None and best.value > 0 else None

    @staticmethod
    def from_json(data: dict[str, Any]) -> Figure:
        """A figure back from a snapshot."""
        rows = tuple(Row(row["key"], row["label"], tuple(row["values"])) for row in data["rows"])
        return Figure(data["slug"], rows, data["chart"], data["heading"])


@dataclass(frozen=True)
class CommentExcerpt:
    """A comment as the report quotes it."""

    uri: str
    url: str
    author: str  # display name, else handle
    address: str  # handle@domain
    published: str  # ISO 8601
    text: str  # plain text, cut near EXCERPT_LENGTH
    endorsements: int = 0


EXCERPT_LENGTH = 400


def cut(text: str, length: int = EXCERPT_LENGTH) -> str:
    """`text` with whitespace folded, cut at a word near `length`."""
    folded = " ".join(text.split())
    return folded if len(folded) <= length else folded[:length].rsplit(" ", 1)[0] + "…"
