"""Limited servers and accounts (a block of severity "limit", Mastodon's "silence"): what they
post is kept, and shown only to the members who follow its author, and to moderators. Visitors,
other members, search, feeds, timelines and the `context` and `replies` collections other
servers read are not shown it. Their endorsements and answers still count: a limit is about
who reads them, and suspending is how a server stops counting.

The one question ("is this author limited for this reader?") is answered here, for single
objects (visibility.seen_as) and for lists read in one query (`without_limited`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from node.models import Actor, Follow, FollowState, Object
from node.services.blocklist import BlockList, current_blocks, on_domain
from node.services.thread_view import ThreadItem, ThreadView

if TYPE_CHECKING:
    from node.services.visibility import Reader


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


async def without_limited(rows: QuerySet[Object], reader: Reader) -> QuerySet[Object]:
    """`rows` without the objects of limited authors the reader does not follow."""
    limited = _limited_actors(await current_blocks())
    if limited is None or reader.is_moderator:
        return rows
    authors = Subquery(limited.values_list("id", flat=True))
    if reader.actor_id is None:
        return rows.exclude(author_id__in=authors)
    return rows.filter(
        Q(author_id__not_in=authors) | Q(author_id__in=_followed_by(reader.actor_id))
    )


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


async def mark_limited(thread: ThreadView, reader: Reader) -> None:
    """Mark the thread's comments by limited authors the reader does not follow (the page
    shows in their place that only their author's followers see them)."""
    items = [thread.root, *thread.orphans]
    every: list[ThreadItem] = []
    while items:
        item = items.pop()
        every.append(item)
        items.extend(item.replies)
    remote = {item.object.author.uri for item in every if not item.object.author.is_local}
    limited = await limited_authors(remote, reader) if remote else set()
    for item in every:
        if item.object.author.uri in limited:
            item.object = replace(item.object, limited=True)
