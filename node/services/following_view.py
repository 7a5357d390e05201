"""What the follow page and the timeline read: light rows, not models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q

from node.models import Actor, Follow, FollowState, Object
from node.services.collections import timeline_objects
from node.services.limited_servers import without_limited
from node.services.remote_pages import remote_pages_among
from node.services.thread_view import CommentAuthor
from node.services.visibility import Reader


@dataclass(frozen=True, slots=True)
class FollowedActor:
    """Someone a member follows, and whether they answered yet."""

    followee: CommentAuthor
    state: FollowState


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """One post on a member's timeline."""

    id: int
    type: str
    uri: str
    url: str
    name: str
    summary: str
    content: str
    published_at: datetime
    author: CommentAuthor
    page_here: bool = False  # another node's, with its page here (/remote/objects/{id})


@dataclass(frozen=True, slots=True)
class TimelinePage:
    """A page of the timeline, newest first, and whether older posts follow."""

    items: list[TimelineItem]
    more: bool


def _author(actor: Actor) -> CommentAuthor:
    return CommentAuthor(
        actor.id, actor.uri, actor.handle, actor.domain, actor.name, actor.url, actor.is_local
    )


async def followed_by(actor_id: int) -> list[FollowedActor]:
    """Whom the actor follows (asked, answered or declined), newest first."""
    follows = (
        await Follow.filter(follower_id=actor_id).select_related("followee").order_by("-created_at")
    )
    return [FollowedActor(_author(follow.followee), follow.state) for follow in follows]


async def follow_uri(follower_id: int, followee_uri: str) -> str | None:
    """The id of the actor's follow of `followee_uri`, or None when it follows no such actor."""
    follow = await Follow.get_or_none(follower_id=follower_id, followee__uri=followee_uri)
    return follow.uri if follow is not None else None


async def timeline_page(actor_id: int, tag: str, before: int | None, size: int) -> TimelinePage:
    """Up to `size` timeline posts (tagged `tag`, if given) published before post `before`,
    newest first by when they were published: a thread backfilled today, or a post delivered
    late, takes its place by its own date, not by when it arrived here."""
    rows = await without_limited(
        timeline_objects(actor_id, tag).filter(hidden_at__isnull=True), Reader(actor_id)
    )
    if before is not None:
        last = await Object.get_or_none(id=before).only("id", "published_at")
        if last is None:
            return TimelinePage([], False)
        rows = rows.filter(
            Q(published_at__lt=last.published_at)
            | Q(published_at=last.published_at, id__lt=last.id)
        )
    found: list[Object] = (
        await rows.select_related("author").order_by("-published_at", "-id").limit(size + 1)
    )
    shown = found[:size]
    here = await remote_pages_among(shown)
    items = [_item(row, row.id in here) for row in shown]
    return TimelinePage(items, len(found) > size)


def _item(row: Object, page_here: bool) -> TimelineItem:
    return TimelineItem(
        id=row.id,
        type=row.type,
        uri=row.uri,
        url=row.url,
        name=row.name,
        summary=row.summary,
        content=row.content,
        published_at=row.published_at,
        author=_author(row.author),
        page_here=page_here,
    )
