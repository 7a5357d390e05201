"""What the moderation and report pages read: light rows, not models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from node.models import Object
from node.services.thread_view import CommentAuthor
from node.services.visibility import Reader, visible_object


@dataclass(frozen=True, slots=True)
class PostPlace:
    """Where a post sits: its id and the thread it belongs to."""

    id: int
    context_uri: str


@dataclass(frozen=True, slots=True)
class ReportablePost:
    """A post a member may report, as the report form shows it."""

    uri: str
    content: str  # sanitised HTML
    published_at: datetime
    author: CommentAuthor
    place: PostPlace


def place_of(row: Object) -> PostPlace:
    """The place of a post a moderation action returned."""
    return PostPlace(row.id, row.context_uri)


async def reportable_post(uri: str, reader: Reader) -> ReportablePost | None:
    """The post `uri` with its author, if `reader` is shown it whole; else None."""
    row = await visible_object(uri, reader)
    if row is None:
        return None
    actor = row.author
    author = CommentAuthor(
        actor.id, actor.uri, actor.handle, actor.domain, actor.name, actor.url, actor.is_local
    )
    return ReportablePost(row.uri, row.content, row.published_at, author, place_of(row))
