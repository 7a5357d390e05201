"""What the node's Atom and RSS feeds carry: the organisation's proposals, its open
consultations, its decisions, its proposals under one hashtag, and one proposal's comments.

Only what a visitor may see (node/services/visibility.py: no drafts, nothing private, hidden
or withdrawn), newest first, at most FEED_SIZE entries, each feed read in a fixed number of
queries. The web layer turns a Feed into XML.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from node.i18n import N_
from node.models import Object, ObjectTag, Proposal, ProposalStatus
from node.proposal_documents import clean_hashtag
from node.services.actors import get_organisation
from node.services.errors import NotFound, ServiceError
from node.services.limited_servers import without_limited
from node.services.visibility import (
    NOBODY,
    Seen,
    proposals_shown_to_everyone,
    seen_of_uri,
    shown_to_everyone,
)

FEED_SIZE = 50
DECIDED = (ProposalStatus.ADOPTED, ProposalStatus.CHANGED, ProposalStatus.DROPPED)
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # a feed with no entries and no organisation yet

_PROPOSAL_FIELDS = (
    "object_id",
    "object__uri",
    "object__url",
    "object__name",
    "object__summary",
    "object__content",
    "object__published_at",
    "object__updated_at",
    "object__author__name",
    "object__author__handle",
    "object__author__domain",
    "object__author__is_local",
    "status",
    "closes_at",
    "decided_at",
    "decision_html",
)
_COMMENT_FIELDS = (
    "id",
    "uri",
    "url",
    "content",
    "published_at",
    "updated_at",
    "author__name",
    "author__handle",
    "author__domain",
    "author__is_local",
)


class GoneFeed(ServiceError):
    """The proposal was withdrawn or removed: its comments' feed is gone (410)."""

    status = 410


@dataclass(frozen=True)
class FeedEntry:
    """One entry: a proposal, a decision on one, or a comment."""

    id: str
    link: str  # its page
    title: str  # a proposal's title; empty for a comment
    author: str  # a display name, with @handle@domain for someone on another server
    summary: str  # plain text
    content_html: str  # sanitised when it was stored
    published: datetime
    updated: datetime
    status: str = ""  # a proposal's status (open, closed, adopted…)
    closes_at: datetime | None = None
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feed:
    """A feed's entries, newest first, and what its title is made of."""

    organisation: str  # the organisation's name (or handle)
    subject: str  # the hashtag, or the proposal whose comments these are; empty otherwise
    page: str  # the page the feed follows (a path, or a proposal's URL)
    updated: datetime
    entries: tuple[FeedEntry, ...]


async def proposals_feed() -> Feed:
    """The organisation's published proposals, newest first."""
    return await _proposal_feed(Proposal.filter(object__is_local=True), "/proposals")


async def open_consultations_feed() -> Feed:
    """The organisation's proposals open for comment, newest first."""
    rows = Proposal.filter(object__is_local=True, status=ProposalStatus.OPEN)
    return await _proposal_feed(rows, "/proposals?status=open")


async def tag_feed(tag: str) -> Feed:
    """The organisation's proposals with the hashtag `tag`; a ServiceError if it is not one."""
    name = clean_hashtag(tag)
    if not name:
        raise ServiceError(
            N_("%(tag)s is not a hashtag: use letters, digits or underscores"), tag=repr(tag)
        )
    tagged = Subquery(ObjectTag.filter(name=name).values("object_id"))
    rows = Proposal.filter(object__is_local=True, object_id__in=tagged)
    return await _proposal_feed(rows, f"/proposals?tag={name}", subject=name)


async def decisions_feed() -> Feed:
    """Decisions on the organisation's proposals, the latest first."""
    decided = proposals_shown_to_everyone(
        Proposal.filter(object__is_local=True, status__in=list(DECIDED))
    )
    # those with a decision date first, then any without (decided before dates were kept):
    # two queries, as SQLite and PostgreSQL put NULLs at opposite ends of a descending order
    values = await (
        decided.filter(decided_at__isnull=False)
        .order_by("-decided_at", "-object_id")
        .limit(FEED_SIZE)
        .values(*_PROPOSAL_FIELDS)
    )
    if len(values) < FEED_SIZE:
        values += await (
            decided.filter(decided_at__isnull=True)
            .order_by("-object__updated_at", "-object_id")
            .limit(FEED_SIZE - len(values))
            .values(*_PROPOSAL_FIELDS)
        )
    tags = await _tags_of([row["object_id"] for row in values])
    entries = tuple(_decision_entry(row, tags[row["object_id"]]) for row in values)
    return Feed(await _organisation_name(), "", "/proposals", await _updated(entries), entries)


async def comments_feed(proposal_uri: str) -> Feed:
    """The public comments on the local proposal `proposal_uri`, newest first; NotFound when
    a visitor may not see the proposal, GoneFeed once it is withdrawn."""
    seen = await seen_of_uri(proposal_uri, NOBODY)
    if seen is Seen.GONE:
        raise GoneFeed(N_("This proposal has been withdrawn or removed."))
    row = await Object.get_or_none(uri=proposal_uri, is_local=True, type="Article")
    if seen is Seen.NOTHING or row is None or not await Proposal.exists(object_id=row.id):
        raise NotFound(N_("There is no such proposal."))
    comments = await without_limited(
        shown_to_everyone(Object.filter(context_uri=row.context_uri, type="Note")), NOBODY
    )
    values = (
        await comments.order_by("-published_at", "-id").limit(FEED_SIZE).values(*_COMMENT_FIELDS)
    )
    entries = tuple(_comment_entry(value) for value in values)
    updated = max((entry.updated for entry in entries), default=row.published_at)
    return Feed(await _organisation_name(), row.name, row.url or row.uri, updated, entries)


async def _proposal_feed(rows: QuerySet[Proposal], page: str, subject: str = "") -> Feed:
    shown = proposals_shown_to_everyone(rows).order_by("-object__published_at", "-object_id")
    values = await shown.limit(FEED_SIZE).values(*_PROPOSAL_FIELDS)
    tags = await _tags_of([row["object_id"] for row in values])
    entries = tuple(_proposal_entry(row, tags[row["object_id"]]) for row in values)
    return Feed(await _organisation_name(), subject, page, await _updated(entries), entries)


async def _tags_of(object_ids: list[int]) -> defaultdict[int, tuple[str, ...]]:
    found: defaultdict[int, tuple[str, ...]] = defaultdict(tuple)
    rows = (
        await ObjectTag.filter(object_id__in=object_ids)
        .order_by("name")
        .values("object_id", "name")
    )
    for row in rows:
        found[row["object_id"]] = (*found[row["object_id"]], row["name"])
    return found


def _proposal_entry(row: dict[str, Any], tags: tuple[str, ...]) -> FeedEntry:
    published = row["object__published_at"]
    return FeedEntry(
        id=row["object__uri"],
        link=row["object__url"] or row["object__uri"],
        title=row["object__name"],
        author=_author(row, "object__author__"),
        summary=html.unescape(row["object__summary"]),
        content_html=row["object__content"],
        published=published,
        updated=row["object__updated_at"] or published,
        status=str(row["status"]),
        closes_at=row["closes_at"],
        categories=tags,
    )


def _decision_entry(row: dict[str, Any], tags: tuple[str, ...]) -> FeedEntry:
    proposal = _proposal_entry(row, tags)
    decided = row["decided_at"] or proposal.updated
    return FeedEntry(
        id=f"{proposal.id}#decision",
        link=proposal.link,
        title=proposal.title,
        author=proposal.author,
        summary=proposal.summary,
        content_html=row["decision_html"],
        published=decided,
        updated=decided,
        status=proposal.status,
        categories=tags,
    )


def _comment_entry(row: dict[str, Any]) -> FeedEntry:
    return FeedEntry(
        id=row["uri"],
        link=row["url"] or row["uri"],
        title="",
        author=_author(row, "author__"),
        summary="",
        content_html=row["content"],
        published=row["published_at"],
        updated=row["updated_at"] or row["published_at"],
    )


def _author(row: dict[str, Any], prefix: str) -> str:
    name = row[f"{prefix}name"] or row[f"{prefix}handle"]
    if row[f"{prefix}is_local"]:
        return str(name)
    return f"{name} (@{row[f'{prefix}handle']}@{row[f'{prefix}domain']})"


async def _organisation_name() -> str:
    organisation = await get_organisation()
    return (organisation.name or organisation.handle) if organisation else "Townhall"


async def _updated(entries: tuple[FeedEntry, ...]) -> datetime:
    """When the feed last changed: its newest entry, else when the organisation was made."""
    if entries:
        return max(entry.updated for entry in entries)
    organisation = await get_organisation()
    return organisation.created_at if organisation else EPOCH
