"""A proposal's whole thread, read in a fixed number of queries whatever its size.

This is what the proposal page is built from: the proposal, every object of its context with
authors, reply counts and likes, the earlier versions; the tree is assembled in memory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tortoise.expressions import Subquery
from tortoise.functions import Count

from node.models import Object, Proposal, ProposalVersion, Reaction
from node.services.errors import NotFound


@dataclass
class ThreadItem:
    """One object of the thread with what the page shows about it."""

    object: Object
    likes: int = 0
    replies: list[ThreadItem] = field(default_factory=list)

    @property
    def deleted(self) -> bool:
        """Withdrawn by its author: shown as a marker so the replies keep their place."""
        return self.object.deleted_at is not None


@dataclass
class ThreadView:
    """The proposal, its thread as a tree, and its history."""

    proposal: Proposal
    root: ThreadItem
    versions: list[ProposalVersion]
    size: int
    orphans: list[ThreadItem] = field(default_factory=list)


async def load_thread(proposal_uri: str) -> ThreadView:
    """Everything about one proposal's thread, in four queries."""
    proposal = await Proposal.get_or_none(object__uri=proposal_uri).select_related(
        "object", "object__author"
    )
    if proposal is None:
        raise NotFound(f"no proposal {proposal_uri}")
    context = proposal.object.context_uri
    objects = (
        await Object.filter(context_uri=context)
        .exclude(id=proposal.object.id)
        .select_related("author")
        .order_by("published_at", "id")
    )
    likes = await _like_counts(context)
    versions = await ProposalVersion.filter(proposal_id=proposal.id).order_by("number")
    root = ThreadItem(proposal.object, likes.get(proposal.object.uri, 0))
    orphans = _assemble(root, objects, likes)
    return ThreadView(proposal, root, versions, len(objects) + 1, orphans)


async def _like_counts(context: str) -> dict[str, int]:
    in_thread = Subquery(Object.filter(context_uri=context).values("uri"))
    rows = (
        await Reaction.filter(kind="Like", object_uri__in=in_thread)
        .annotate(count=Count("id"))
        .group_by("object_uri")
        .values("object_uri", "count")
    )
    return {row["object_uri"]: int(row["count"]) for row in rows}


def _assemble(root: ThreadItem, objects: list[Object], likes: dict[str, int]) -> list[ThreadItem]:
    """Hang each object under its parent; those whose parent is unknown are returned."""
    items = {root.object.uri: root}
    for row in objects:
        items[row.uri] = ThreadItem(row, likes.get(row.uri, 0))
    children: dict[str, list[ThreadItem]] = defaultdict(list)
    orphans = []
    for row in objects:
        parent = row.in_reply_to_uri
        if parent in items:
            children[parent].append(items[row.uri])
        else:
            orphans.append(items[row.uri])
    for uri, item in items.items():
        item.replies = children.get(uri, [])
    return orphans
