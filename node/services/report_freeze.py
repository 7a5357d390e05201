"""Freezing "what we heard" when the decision is published, and federating it as an Article.

The report as it stands is stored in `Proposal.report_snapshot` (the page renders from it from
then on) and published by the proposal's author as an `Article` in the proposal's thread:
`inReplyTo` the proposal, in its `context`, addressed like it, its content the report's
summary with every figure as a table. The organisation announces it like any object of its
threads, so servers following only the organisation receive it.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from html import escape
from typing import Any

from tortoise.transactions import in_transaction

from federation.vocab import as_list
from node.activitypub import new_activity
from node.i18n import N_, ngettext_
from node.i18n import gettext_ as _
from node.models import Actor, Object, Proposal
from node.services import local_objects
from node.services.consultation_report import Report, count_report, reportable_proposal
from node.services.errors import Conflict
from node.services.outbox import Outbox
from node.services.report_figures import CommentExcerpt, Figure
from node.services.report_text import figure_columns, figure_summary, figure_title, row_label
from node.services.threads import announce_in_thread

log = logging.getLogger("townhall.report")


async def freeze_report(outbox: Outbox, proposal_id: int) -> Object:
    """Freeze the report of a published local proposal and publish it as an Article; the
    Article's row. A report already frozen is not published again: its Article is returned."""
    proposal = await reportable_proposal(proposal_id)
    if proposal.report_object_id is not None:  # type: ignore[attr-defined]
        return await Object.get(id=proposal.report_object_id)  # type: ignore[attr-defined]
    report = await count_report(proposal)
    report = replace(report, frozen_at=datetime.now(UTC).isoformat(timespec="seconds"))
    author = await Actor.get(id=proposal.object.author_id)  # type: ignore[attr-defined]
    document = _article(outbox, proposal, author, report)
    create = new_activity(
        outbox.urls, "Create", author, document, to=document["to"], cc=document["cc"]
    )
    async with in_transaction():
        row = await local_objects.save_object(author, document)
        stored = await Proposal.filter(id=proposal.id, report_object_id=None).update(
            report_snapshot=report.as_json(), report_object_id=row.id
        )
        if not stored:  # frozen meanwhile by another request: this transaction is undone
            raise Conflict(N_("the report has already been frozen"))
        await outbox.publish(author, create, to_followers=True)
        await announce_in_thread(outbox, row)
    log.info("report.frozen", extra={"proposal": proposal.object.uri, "article": row.uri})
    return row


def _article(outbox: Outbox, proposal: Proposal, author: Actor, report: Report) -> dict[str, Any]:
    """The Article that carries the frozen report, addressed like the proposal."""
    published = proposal.object.document
    page = f"{outbox.urls.base}/proposals/{proposal.id}/report"
    document = local_objects.build_object(
        outbox.urls,
        author,
        {
            "type": "Article",
            "name": _("What we heard: %(title)s") % {"title": report.title},
            "summary": escape(summary_sentence(report)),
            "content": report_html(report, page),
            "inReplyTo": proposal.object.uri,
            "to": as_list(published.get("to")),
            "cc": as_list(published.get("cc")),
        },
    )
    document["context"] = proposal.object.context_uri
    document["url"] = page
    if published.get("audience"):
        document["audience"] = published["audience"]
    return document


def summary_sentence(report: Report) -> str:
    """The report in one sentence (what Mastodon shows under the Article's title)."""
    return " ".join(
        (
            ngettext_("%(num)d response", "%(num)d responses", report.responses)
            % {"num": report.responses},
            ngettext_(
                "from %(num)d person or organisation",
                "from %(num)d people and organisations",
                report.respondents,
            )
            % {"num": report.respondents},
            ngettext_(
                "and %(num)d answer to the questions.",
                "and %(num)d answers to the questions.",
                report.answers,
            )
            % {"num": report.answers},
        )
    )


def report_html(report: Report, page: str) -> str:
    """The report as HTML: its summary, every figure as a table, the quoted comments."""
    parts = [f"<p>{escape(summary_sentence(report))}</p>"]
    if report.late_replies:
        parts.append(
            "<p>"
            + escape(
                ngettext_(
                    "%(num)d late reply arrived after the closing date; it is not counted.",
                    "%(num)d late replies arrived after the closing date; they are not counted.",
                    report.late_replies,
                )
                % {"num": report.late_replies}
            )
            + "</p>"
        )
    parts.extend(_figure_html(figure) for figure in report.figures if figure.rows)
    if report.quotes:
        parts.append(f"<h2>{escape(_('In their own words'))}</h2>")
        parts.extend(_quote_html(quote) for quote in report.quotes)
    parts.append(
        f'<p><a href="{escape(page)}">{escape(_("The whole report, with charts"))}</a></p>'
    )
    return "\n".join(parts)


def _figure_html(figure: Figure) -> str:
    head = "".join(f"<th>{escape(column)}</th>" for column in figure_columns(figure))
    body = "".join(
        "<tr><th>"
        + escape(row_label(figure, row))
        + "</th>"
        + "".join(f"<td>{value}</td>" for value in row.values)
        + "</tr>"
        for row in figure.rows
    )
    return (
        f"<h2>{escape(figure_title(figure))}</h2><p>{escape(figure_summary(figure))}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _quote_html(quote: CommentExcerpt) -> str:
    said = f"<p>{escape(quote.text)}</p>"
    return f"<blockquote>{said}<p>{escape(quote.author)} ({escape(quote.address)})</p></blockquote>"
