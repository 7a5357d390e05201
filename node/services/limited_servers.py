"""Limited servers and accounts (a block of severity "limit", Mastodon's "silence"): what they
post is kept, and shown only to the members who follow its author, and to moderators. Visitors,
other members, search, feeds, timelines and the `context` and `replies` collections other
servers read are not shown it. Their endorsements and answers still count: a limit is about
who reads them, and suspending is how a server stops counting.

The one question ("is this author limited for this reader?") is answered here, for single
objects (visibility.seen_as), for lists read in one query (`without_limited`, objects or the
proposals of their `author_field`), for raw SQL (`unseen_author_ids`), and for a thread's
count of comments (`mark_limited`). Lists, searches and counts leave out what the reader is
not shown, so their totals are counted after the limit, never before.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from tortoise.expressions import Q, Subquery
from tortoise.models import Model
from tortoise.queryset import QuerySet

from node.models import Actor, Follow, FollowState, Object
from node.services.blocklist import BlockList, current_blocks, on_domain
from node.services.thread_view import ThreadItem, ThreadView

if TYPE_CHECKING:
    from node.services.visibility import Reader

Rows = TypeVar("Rows", bound=Model)


def _limited_actors(blocks: BlockList) -> QuerySet[Actor] | None:
    """The remote actors a limit covers, or None when nothing is limited."""
    if not blocks.limited_actors and not blocks.limited_domains:
        return None
    covered = Q(uri__in=sorted(blocks.limited_actors))
    for host in sorted(blocks.limited_domains):
        covered |= on_domain(host)
    return Actor.filter(covered, is_local=False)


def _followed_by(actor_id: int) -> Subquery:
    return Subquery(
        Follow.filter(follower_id=actor_id, state=FollowState.ACCEPTED).values_list(
            "followee_id", flat=True
        )
    )


async def without_limited(
    rows: QuerySet[Rows], reader: Reader, author_field: str = "author_id"
) -> QuerySet[Rows]:
    """`rows` without those by limited authors the reader does not follow; `author_field`
    names the author's id in `rows` (`object__author_id` for proposals)."""
    limited = _limited_actors(await current_blocks())
    if limited is None or reader.is_moderator:
        return rows
    authors = Subquery(limited.values_list("id", flat=True))
    if reader.actor_id is None:
        return rows.exclude(**{f"{author_field}__in": authors})
    not_limited: dict[str, Any] = {f"{author_field}__not_in": authors}
    followed: dict[str, Any] = {f"{author_field}__in": _followed_by(reader.actor_id)}
    return rows.filter(Q(**not_limited) | Q(**followed))


async def unseen_author_ids(reader: Reader) -> list[int]:
    """The ids of the limited authors the reader is not shown, for queries written in SQL."""
    limited = _limited_actors(await current_blocks())
    if limited is None or reader.is_moderator:
        return []
    if reader.actor_id is not None:
        limited = limited.exclude(id__in=_followed_by(reader.actor_id))
    ids: list[int] = await limited.values_list("id", flat=True)  # type: ignore[assignment]
    return sorted(ids)


async def limited_authors(author_uris: set[str], reader: Reader) -> set[str]:
    """Which of the authors `author_uris` the reader is not shown, being limited."""
    blocks = await current_blocks()
    limited = {uri for uri in author_uris if blocks.limits_actor(uri)}
    if not limited or reader.is_moderator:
        return set()
    if reader.actor_id is None:
        return limited
    followed = await Actor.filter(
        uri__in=sorted(limited), id__in=_followed_by(reader.actor_id)
    ).values_list("uri", flat=True)
    return limited - {str(uri) for uri in followed}


async def is_limited_for(row: Object, reader: Reader) -> bool:
    """Whether `row` is by a limited author the reader does not follow."""
    if row.is_local or reader.is_moderator:
        return False
    blocks = await current_blocks()
    if not blocks.limited_actors and not blocks.limited_domains:
        return False
    author = await Actor.get_or_none(id=row.author_id).only("id", "uri")  # type: ignore[attr-defined]
    return author is not None and bool(await limited_authors({author.uri}, reader))


async def mark_limited(thread: ThreadView, reader: Reader) -> ThreadView:
    """The thread with its comments by limited authors the reader does not follow marked
    (the page shows in their place that only their author's followers see them) and left out
    of its count of comments. `thread` itself is left as it is (it may be shared between
    readers): a thread with such comments comes back as a marked copy."""
    remote = {item.object.author.uri for item in _every(thread) if not item.object.author.is_local}
    limited = await limited_authors(remote, reader) if remote else set()
    if not limited:
        return thread
    size = thread.size
    copies: dict[int, ThreadItem] = {}
    for item in _every(thread):  # copied without recursion: a reply chain may be long
        shown = item.object
        if shown.author.uri in limited:
            if item is not thread.root and shown.hidden_at is None:
                size -= 1
            shown = replace(shown, limited=True)
        copies[id(item)] = replace(item, object=shown)
    for copy in copies.values():
        copy.replies = [copies[id(reply)] for reply in copy.replies]
    return replace(
        thread,
        root=copies[id(thread.root)],
        orphans=[copies[id(orphan)] for orphan in thread.orphans],
        size=size,
    )


def _every(thread: ThreadView) -> list[ThreadItem]:
    items, every = [thread.root, *thread.orphans], []
    while items:
        item = items.pop()
        every.append(item)
        items.extend(item.replies)
    return every
