"""What the report's figures are called, their columns and their summaries, in the reader's
language: the page, the CSV files and the published Article all say it this way."""

from __future__ import annotations

from node.i18n import gettext_ as _
from node.i18n import ngettext_
from node.services.amendment_words import amendment_state_words
from node.services.report_figures import KINDS, TIMELINE, Figure, Row
from node.services.report_organisations import NOT_KNOWN


def kind_label(kind: str) -> str:
    """A kind of respondent (endorsements.bucket_of's bucket) in words."""
    labels = {
        "organisations": _("Organisations"),
        "practitioner": _("Practitioners"),
        "service_user": _("People who use the services"),
        "staff": _("Staff"),
        "members_other": _("Other members"),
        "public": _("The public (fediverse)"),
    }
    return labels.get(kind, kind)


def figure_title(figure: Figure) -> str:
    """The figure's heading."""
    if figure.slug.startswith("question-"):
        return figure.heading or _("Question")
    titles = {
        "participation": _("Participation over time"),
        "respondents": _("Responses by kind of respondent"),
        "organisations": _("Responses by organisation"),
        "servers": _("Responses by server"),
        "endorsements": _("Endorsements of the proposal by kind of endorser"),
        "hashtags": _("Themes by hashtag"),
        "themes": _("Themes noted by staff"),
        "amendments": _("Amendments suggested, accepted and declined"),
        "late": _("Late replies by server (not counted above)"),
    }
    return titles.get(figure.slug, figure.slug)


def figure_columns(figure: Figure) -> tuple[str, ...]:
    """The headings of the figure's table (and CSV): what a row is, then its counts."""
    if figure.slug.startswith("question-"):
        return (_("Option"), _("All answers"), *(kind_label(kind) for kind in KINDS))
    columns = {
        "participation": (_("Day"), _("Responses")),
        "respondents": (_("Kind of respondent"), _("Responses")),
        "organisations": (_("Organisation"), _("Responses")),
        "servers": (_("Server"), _("Responses")),
        "endorsements": (_("Kind of endorser"), _("Endorsements")),
        "hashtags": (_("Hashtag"), _("Responses")),
        "themes": (_("Theme"), _("Responses")),
        "amendments": (_("Answer"), _("Amendments")),
        "late": (_("Server"), _("Late replies")),
    }
    return columns.get(figure.slug, (_("What"), _("How many")))


def row_label(figure: Figure, row: Row) -> str:
    """A row's label in words."""
    if figure.slug in ("respondents", "endorsements"):
        return kind_label(row.key)
    if figure.slug == "organisations" and row.key == NOT_KNOWN:
        return _("Not known")
    if figure.slug == "amendments":
        return amendment_state_words(row.key)
    return row.label


def figure_summary(figure: Figure) -> str:
    """The figure said in a sentence or two (its text alternative, with its table)."""
    largest = figure.largest
    if largest is None:
        return _("Nothing to count yet.")
    share = round(100 * largest.value / figure.total)
    if figure.chart == TIMELINE:
        responses = ngettext_("%(num)d response", "%(num)d responses", figure.total) % {
            "num": figure.total
        }
        days = ngettext_("over %(num)d day.", "over %(num)d days.", len(figure.rows)) % {
            "num": len(figure.rows)
        }
        busiest = _("The busiest day was %(day)s, with %(count)d.") % {
            "day": largest.label,
            "count": largest.value,
        }
        return f"{responses} {days} {busiest}"
    if figure.slug.startswith("question-"):
        return (
            ngettext_("%(num)d answer.", "%(num)d answers.", figure.total) % {"num": figure.total}
            + " "
            + _("Most chose \u201c%(option)s\u201d: %(count)d (%(share)d%%).")
            % {
                "option": largest.label,
                "count": largest.value,
                "share": share,
            }
        )
    return _("%(total)d in all. The most: %(label)s, %(count)d (%(share)d%%).") % {
        "total": figure.total,
        "label": row_label(figure, largest),
        "count": largest.value,
        "share": share,
    }
