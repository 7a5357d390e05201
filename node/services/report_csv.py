"""Every figure of "what we heard" as a CSV file (the csv module; cells that a spreadsheet would
read as a formula are defused, since labels and comments come from anyone)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from node.i18n import gettext_ as _
from node.services.consultation_report import CommentExcerpt, Report
from node.services.report_text import figure_columns, row_label

COMMENT_LISTS = ("most-endorsed", "quotes")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_slugs(report: Report) -> list[str]:
    """The names of the report's CSV files, figures first."""
    return [figure.slug for figure in report.figures] + list(COMMENT_LISTS)


def report_csv(report: Report, slug: str) -> str | None:
    """The CSV text of one figure (or comment list) of the report, None when it has none."""
    figure = report.figure(slug)
    if figure is not None:
        rows: Iterable[Iterable[object]] = (
            (row_label(figure, row), *row.values) for row in figure.rows
        )
        return _write(figure_columns(figure), rows)
    if slug in COMMENT_LISTS:
        comments = report.most_endorsed if slug == "most-endorsed" else report.quotes
        return _write(_comment_columns(), (_comment_row(comment) for comment in comments))
    return None


def _comment_columns() -> tuple[str, ...]:
    return (_("Author"), _("Address"), _("Published"), _("Endorsements"), _("Comment"), _("Link"))


def _comment_row(comment: CommentExcerpt) -> tuple[object, ...]:
    return (
        comment.author,
        comment.address,
        comment.published,
        comment.endorsements,
        comment.text,
        comment.url,
    )


def _write(columns: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([defused(cell) for cell in row])
    return out.getvalue()


def defused(cell: object) -> object:
    """A text cell starting like a formula gets a leading apostrophe (OWASP's advice)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell
