"""What a comment said before each edit: kept whenever it is edited (by its author here, through
the pages or the API, or by an `Update` from its own server), readable as its history, and
dropped with it when it is withdrawn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from node.models import Object, ObjectRevision
from node.services.thread_view import AUTHOR_FIELDS, CommentAuthor

# proposals keep their versions (ProposalVersion); every other object keeps revisions
KEEPS_VERSIONS = frozenset({"Article"})


async def keep_revision(row: Object) -> None:
    """Record what `row` says now, before an edit replaces it (nothing when it says nothing)."""
    if row.type in KEEPS_VERSIONS or not (row.content or row.name or row.summary):
        return
    await ObjectRevision.create(
        object_id=row.id,
        name=row.name,
        summary=row.summary,
        content=row.content,
        source=row.source,
        written_at=row.updated_at or row.published_at,
    )


def says_something_else(row: Object, name: str, summary: str, content: str) -> bool:
    """Whether new text differs from what `row` says (an Update that changes nothing is no
    edit)."""
    return (row.name, row.summary, row.content) != (name, summary, content)


async def forget_revisions(objects: QuerySet[Object]) -> None:
    """Withdrawn comments (those `objects` selects) take their earlier texts with them."""
    await ObjectRevision.filter(object_id__in=Subquery(objects.values("id"))).delete()


@dataclass(frozen=True, slots=True)
class Revision:
    """One earlier text of a comment (sanitised HTML) and when it was written and replaced."""

    content: str
    name: str
    written_at: datetime
    replaced_at: datetime


@dataclass(frozen=True, slots=True)
class CommentHistory:
    """A comment as it is now and what it said before, newest first."""

    id: int
    uri: str
    is_local: bool
    author: CommentAuthor
    content: str
    name: str
    published_at: datetime
    updated_at: datetime | None
    revisions: tuple[Revision, ...]


async def comment_history(object_id: int) -> CommentHistory | None:
    """The history of the live object `object_id` (its reader already checked), if any."""
    row = await Object.get_or_none(id=object_id, deleted_at=None).select_related("author")
    if row is None:
        return None
    revisions = await ObjectRevision.filter(object_id=row.id).order_by("-replaced_at", "-id")
    return CommentHistory(
        id=row.id,
        uri=row.uri,
        is_local=row.is_local,
        author=CommentAuthor(**{name: getattr(row.author, name) for name in AUTHOR_FIELDS}),
        content=row.content,
        name=row.name,
        published_at=row.published_at,
        updated_at=row.updated_at,
        revisions=tuple(
            Revision(each.content, each.name, each.written_at, each.replaced_at)
            for each in revisions
        ),
    )
