"""The counts of "what we heard" about what people wrote, in a fixed number of queries.

A response is a public, live, shown object of the proposal's thread other than the proposal,
its questions, its decision's Note and its published report. One grouped query counts the
responses per author (kind, organisation and server are counted from its rows, one per
author), one reads their days; the rest are grouped queries too. Replies that arrived after
the closing date (`Object.late`) are counted apart and left out of every other figure.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from node.local_time import date_in
from node.models import (
    Amendment,
    AmendmentState,
    Object,
    ObjectTag,
    Proposal,
    Reaction,
    ResponseTheme,
    ThemedResponse,
)
from node.sanitize import plain_text
from node.services.endorsements import bucket_of, endorsement_counts
from node.services.report_figures import KINDS, TIMELINE, CommentExcerpt, Figure, Row, cut
from node.services.report_organisations import organisation_rows
from node.services.settings import site_settings

MOST_ENDORSED = 5
MAX_DAYS = 366  # participation over time shows at most the last year
AUTHOR_FIELDS = ("author_id", "author__type", "author__role", "author__is_local", "author__domain")
EXCERPT_FIELDS = (
    "uri",
    "url",
    "content",
    "published_at",
    "author__name",
    "author__handle",
    "author__domain",
)


@dataclass(frozen=True)
class ResponseCounts:
    """What report_counts counts: totals, figures by slug, and the comments it quotes."""

    responses: int
    respondents: int
    late_replies: int
    endorsements: int
    figures: dict[str, Figure]
    most_endorsed: tuple[CommentExcerpt, ...]
    quotes: tuple[CommentExcerpt, ...]


def thread_responses(proposal: Proposal) -> QuerySet[Object]:
    """The responses of the proposal's thread, late ones included (see the module's note)."""
    rows = (
        Object.filter(
            context_uri=proposal.object.context_uri,
            is_public=True,
            deleted_at=None,
            hidden_at=None,
        )
        .exclude(id=proposal.object.id)
        .exclude(type="Question")
    )
    if proposal.decided_at is not None and proposal.closed_at is not None:
        # once closed the node takes no comment of its own: what it published since in the
        # thread is the decision's Note, which is no response
        rows = rows.filter(Q(is_local=False) | Q(published_at__lt=proposal.closed_at))
    report_object_id = proposal.report_object_id  # type: ignore[attr-defined]
    return rows.exclude(id=report_object_id) if report_object_id else rows


async def count_responses(proposal: Proposal) -> ResponseCounts:
    """Count the responses to `proposal` by day, kind, organisation, server, tag and theme."""
    responses = thread_responses(proposal)
    rows = (
        await responses.annotate(responses=Count("id"))
        .group_by("late", *AUTHOR_FIELDS)
        .values("late", "responses", *AUTHOR_FIELDS)
    )
    counted = [row for row in rows if not row["late"]]
    late = [row for row in rows if row["late"]]
    on_time = responses.filter(late=False)
    moments: list[Any] = await on_time.values_list("published_at", flat=True)
    zone = (await site_settings()).time_zone  # days as the organisation counts them
    days = [date_in(zone, moment) for moment in moments]
    endorsements = await endorsement_counts(proposal.object.uri)
    figures = {
        "participation": _participation(days, date_in(zone, proposal.object.published_at)),
        "respondents": _by_kind(counted),
        "organisations": Figure("organisations", await organisation_rows(counted)),
        "servers": _by_server(counted, "servers"),
        "endorsements": Figure(
            "endorsements",
            tuple(Row(kind, kind, (getattr(endorsements, kind),)) for kind in KINDS),
        ),
        "hashtags": await _hashtags(on_time),
        "themes": await _themes(proposal, on_time),
        "amendments": await _amendments(proposal),
        "late": _by_server(late, "late"),
    }
    return ResponseCounts(
        responses=sum(int(row["responses"]) for row in counted),
        respondents=len({row["author_id"] for row in counted}),
        late_replies=sum(int(row["responses"]) for row in late),
        endorsements=endorsements.total,
        figures=figures,
        most_endorsed=await _most_endorsed(on_time),
        quotes=await _quotes(proposal),
    )


def _participation(days: list[date], opened: date) -> Figure:
    """Responses per day (in the organisation's time zone) from the day the proposal was
    published to the last response."""
    per_day = Counter(days)
    last = max(per_day, default=opened)
    first = max(min(opened, *per_day) if per_day else opened, last - timedelta(days=MAX_DAYS - 1))
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return Figure(
        "participation",
        tuple(Row(day.isoformat(), day.isoformat(), (per_day.get(day, 0),)) for day in days),
        chart=TIMELINE,
    )


def kind_of(row: dict[str, Any]) -> str:
    """The kind of respondent (endorsements.bucket_of) of a row read with AUTHOR_FIELDS."""
    return bucket_of(
        str(row["author__type"]), str(row["author__role"]), bool(row["author__is_local"])
    )


def _by_kind(rows: list[dict[str, Any]]) -> Figure:
    per_kind: Counter[str] = Counter()
    for row in rows:
        per_kind[kind_of(row)] += int(row["responses"])
    return Figure("respondents", tuple(Row(kind, kind, (per_kind[kind],)) for kind in KINDS))


def _by_server(rows: list[dict[str, Any]], slug: str) -> Figure:
    """Responses per server (the authors' domains), most first."""
    per_domain: Counter[str] = Counter()
    for row in rows:
        per_domain[str(row["author__domain"])] += int(row["responses"])
    ranked = sorted(per_domain.items(), key=lambda item: (-item[1], item[0]))
    return Figure(slug, tuple(Row(domain, domain, (count,)) for domain, count in ranked))


async def _hashtags(on_time: QuerySet[Object]) -> Figure:
    rows = (
        await ObjectTag.filter(object_id__in=Subquery(on_time.values("id")))
        .annotate(responses=Count("id"))
        .group_by("name")
        .values("name", "responses")
    )
    ranked = sorted(rows, key=lambda row: (-int(row["responses"]), str(row["name"])))
    return Figure(
        "hashtags",
        tuple(Row(row["name"], f"#{row['name']}", (int(row["responses"]),)) for row in ranked),
    )


async def _themes(proposal: Proposal, on_time: QuerySet[Object]) -> Figure:
    """Responses per staff theme, every theme of the consultation shown (unused ones at 0)."""
    themes = (
        await ResponseTheme.filter(proposal_id=proposal.id).order_by("name").values("id", "name")
    )
    rows = (
        await ThemedResponse.filter(
            theme__proposal_id=proposal.id, object_id__in=Subquery(on_time.values("id"))
        )
        .annotate(responses=Count("id"))
        .group_by("theme_id")
        .values("theme_id", "responses")
    )
    counts = {int(row["theme_id"]): int(row["responses"]) for row in rows}
    ranked = sorted(themes, key=lambda theme: (-counts.get(theme["id"], 0), theme["name"]))
    return Figure(
        "themes",
        tuple(Row(str(t["id"]), t["name"], (counts.get(t["id"], 0),)) for t in ranked),
    )


async def _amendments(proposal: Proposal) -> Figure:
    """Amendments suggested on time, by the author's answer."""
    rows = (
        await Amendment.filter(
            proposal_id=proposal.id,
            object__late=False,
            object__deleted_at=None,
            object__hidden_at=None,
        )
        .annotate(amendments=Count("id"))
        .group_by("state")
        .values("state", "amendments")
    )
    counts = {str(row["state"]): int(row["amendments"]) for row in rows}
    states = (AmendmentState.ACCEPTED, AmendmentState.DECLINED, AmendmentState.PENDING)
    return Figure(
        "amendments", tuple(Row(s.value, s.value, (counts.get(s.value, 0),)) for s in states)
    )


async def _most_endorsed(on_time: QuerySet[Object]) -> tuple[CommentExcerpt, ...]:
    """The comments with the most endorsements (Likes), most first, at most MOST_ENDORSED."""
    top = (
        await Reaction.filter(kind="Like", object_uri__in=Subquery(on_time.values("uri")))
        .annotate(likes=Count("id"))
        .group_by("object_uri")
        .order_by("-likes", "object_uri")
        .limit(MOST_ENDORSED)
        .values("object_uri", "likes")
    )
    likes = {str(row["object_uri"]): int(row["likes"]) for row in top}
    if not likes:
        return ()
    rows = await Object.filter(uri__in=list(likes)).values(*EXCERPT_FIELDS)
    excerpts = [excerpt_of(row, "", likes[row["uri"]]) for row in rows]
    return tuple(sorted(excerpts, key=lambda item: (-item.endorsements, item.uri)))


async def _quotes(proposal: Proposal) -> tuple[CommentExcerpt, ...]:
    """The public, shown comments staff marked to quote, in the order they were marked."""
    rows = (
        await proposal.quotes.filter(  # type: ignore[attr-defined]
            object__is_public=True, object__deleted_at=None, object__hidden_at=None
        )
        .order_by("created_at", "id")
        .values(*(f"object__{name}" for name in EXCERPT_FIELDS))
    )
    return tuple(excerpt_of(row, "object__") for row in rows)


def excerpt_of(row: dict[str, Any], prefix: str, endorsements: int = 0) -> CommentExcerpt:
    """A CommentExcerpt from a values() row read with EXCERPT_FIELDS under `prefix`."""
    handle, domain = row[f"{prefix}author__handle"], row[f"{prefix}author__domain"]
    return CommentExcerpt(
        uri=row[f"{prefix}uri"],
        url=row[f"{prefix}url"] or row[f"{prefix}uri"],
        author=row[f"{prefix}author__name"] or handle,
        address=f"{handle}@{domain}",
        published=row[f"{prefix}published_at"].isoformat(timespec="seconds"),
        text=cut(html.unescape(plain_text(str(row[f"{prefix}content"] or "")))),
        endorsements=endorsements,
    )
