"""The readable collections of local actors and objects: outbox, followers, following, inbox,
likes, shares and replies, paged newest first; a thread's context collection oldest first."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from node.activitypub import page_url, to_collection, to_collection_page
from node.i18n import N_
from node.models import (
    Activity,
    Follow,
    FollowState,
    InboxEntry,
    Object,
    Proposal,
    ProposalVersion,
    Reaction,
)
from node.numbers import MAX_PAGE, page_number
from node.services.errors import ServiceError
from node.services.limited_servers import without_limited
from node.services.visibility import NOBODY, Reader, guard_activities, without_hidden_objects

PAGE_SIZE = 20


@dataclass(frozen=True)
class CollectionQuery:
    """Which collection, and which page of it (None for the collection itself)."""

    collection_id: str
    page: int | None


def parse_page(value: str | None) -> int | None:
    """The page number from `?page=`, or a ServiceError for nonsense."""
    if value is None:
        return None
    number = page_number(value)
    if number is None:
        raise ServiceError(
            N_("page must be a whole number from 1 to %(max_page)s"), max_page=MAX_PAGE
        )
    return number


async def render(
    query: CollectionQuery,
    rows: QuerySet[Any],
    item: Any,
    guard: Callable[[list[Any]], Awaitable[list[Any]]] | None = None,
) -> dict[str, Any]:
    """The collection document or one of its pages, items converted by `item` (and the page's
    items then passed through `guard`, which may leave some out or replace them)."""
    total = await rows.count()
    if query.page is None:
        first = page_url(query.collection_id, 1)
        return to_collection(query.collection_id, total, first_page=first)
    offset = (query.page - 1) * PAGE_SIZE
    page_rows = await rows.offset(offset).limit(PAGE_SIZE + 1)
    items = [item(row) for row in page_rows[:PAGE_SIZE]]
    if guard is not None:
        items = await guard(items)
    return to_collection_page(
        query.collection_id, query.page, items, total=total, has_next=len(page_rows) > PAGE_SIZE
    )


async def outbox(actor_id: int, query: CollectionQuery) -> dict[str, Any]:
    """The actor's public activities; none about a hidden object, deleted ones as Tombstones."""
    rows = without_hidden_objects(Activity.filter(actor_id=actor_id, is_public=True))
    return await render(
        query,
        rows.order_by("-published_at", "-id"),
        lambda row: row.document,
        lambda items: guard_activities(items, NOBODY),
    )


async def followers(actor_id: int, query: CollectionQuery) -> dict[str, Any]:
    """Who follows the actor."""
    rows = (
        Follow.filter(followee_id=actor_id, state=FollowState.ACCEPTED)
        .order_by("-created_at", "-id")
        .prefetch_related("follower")
    )
    return await render(query, rows, lambda row: row.follower.uri)


async def following(actor_id: int, query: CollectionQuery) -> dict[str, Any]:
    """Whom the actor follows."""
    rows = (
        Follow.filter(follower_id=actor_id, state=FollowState.ACCEPTED)
        .order_by("-created_at", "-id")
        .prefetch_related("followee")
    )
    return await render(query, rows, lambda row: row.followee.uri)


async def inbox(reader: Reader, query: CollectionQuery) -> dict[str, Any]:
    """What the reader's actor received, newest first (readable only by its owner); nothing
    hidden, deleted objects as Tombstones."""
    rows = InboxEntry.filter(recipient_id=reader.actor_id).order_by("-received_at", "-id")
    return await render(
        query, rows, lambda row: row.document, lambda items: guard_activities(items, reader)
    )


async def reactions(kind: str, target_uri: str, query: CollectionQuery) -> dict[str, Any]:
    """Likes or Announces of an object, as the ids of those activities."""
    rows = Reaction.filter(kind=kind, object_uri=target_uri).order_by("-created_at", "-id")
    return await render(query, rows, lambda row: row.uri)


async def replies(target_uri: str, query: CollectionQuery) -> dict[str, Any]:
    """Public replies to an object, as ids (none hidden or deleted)."""
    rows = Object.filter(
        in_reply_to_uri=target_uri, is_public=True, deleted_at=None, hidden_at=None
    ).order_by("-published_at", "-id")
    return await render(query, await without_limited(rows, NOBODY), lambda row: row.uri)


async def context(context_uri: str, query: CollectionQuery) -> dict[str, Any]:
    """Every public object of a thread (FEP-7888/f228), oldest first as FEP-f228 asks, deleted
    ones too: their ids answer 410 (ours) or their origin says they are gone. Hidden ones are
    left out, and so are other servers' objects our moderators removed (hidden as they were
    tombstoned: their origin may still serve them, and a node backfilling the thread would
    bring them back)."""
    rows = (
        Object.filter(context_uri=context_uri, is_public=True)
        .filter(Q(hidden_at=None) | Q(deleted_at__not_isnull=True, is_local=True))
        .order_by("published_at", "id")
    )
    return await render(query, await without_limited(rows, NOBODY), lambda row: row.uri)


async def timeline(actor_id: int, query: CollectionQuery, tag: str = "") -> dict[str, Any]:
    """What the actors `actor_id` follows wrote, and the threads of their proposals, newest first.

    Following an organisation shows its members' proposals and every comment in their threads;
    `tag` keeps only the objects carrying that hashtag.
    """
    rows = await without_limited(timeline_objects(actor_id, tag), Reader(actor_id))
    return await render(query, rows.order_by("-published_at", "-id"), lambda row: row.document)


def timeline_objects(actor_id: int, tag: str = "") -> QuerySet[Object]:
    """The objects of `actor_id`'s timeline (unordered): by whom it follows, or in their
    threads."""
    followed = Follow.filter(follower_id=actor_id, state=FollowState.ACCEPTED)
    followee_ids = followed.values_list("followee_id", flat=True)
    threads = (
        Proposal.filter(
            Q(organisation_id__in=Subquery(followee_ids))
            | Q(object__author_id__in=Subquery(followee_ids))
        )
        .exclude(object__context_uri="")
        .values_list("object__context_uri", flat=True)
    )
    rows = Object.filter(
        Q(author_id__in=Subquery(followee_ids)) | Q(context_uri__in=Subquery(threads)),
        is_public=True,
        deleted_at=None,
        hidden_at=None,
    )
    if tag:
        rows = rows.filter(tags__name=tag)
    return rows


async def history(proposal_id: int, query: CollectionQuery) -> dict[str, Any]:
    """The earlier versions of a proposal, whole (FEP-bad1), newest first."""
    rows = ProposalVersion.filter(proposal_id=proposal_id).order_by("-number")
    return await render(query, rows, lambda row: row.document)
