"""A proposal's whole thread, read in a fixed number of queries whatever its size.

This is what the proposal page is built from: the proposal, every object of its context with
authors, reply counts and likes, the earlier versions; the tree is assembled in memory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from node.emoji_reactions import OTHER_REACTION
from node.i18n import N_
from node.models import Object, Proposal, ProposalVersion, Reaction, Statement
from node.services.errors import NotFound
from node.services.privacy_settings import for_members_only


@dataclass(frozen=True, slots=True)
class CommentAuthor:
    """The author fields a thread shows (read without loading whole actor rows)."""

    id: int
    uri: str
    handle: str
    domain: str
    name: str
    url: str
    is_local: bool
    deleted_at: datetime | None = None  # a deleted account: shown as "a former member"


@dataclass(frozen=True, slots=True)
class Comment:
    """The fields of a thread's object that its page shows, without its JSON document."""

    id: int
    uri: str
    type: str
    is_local: bool
    is_public: bool
    in_reply_to_uri: str
    name: str
    content: str
    url: str
    published_at: datetime
    deleted_at: datetime | None
    hidden_at: datetime | None
    hidden_reason: str
    author: CommentAuthor
    late: bool = False  # arrived from another server after the consultation closed
    summary: str = ""  # a comment's content warning (an Article's is its abstract)
    updated_at: datetime | None = None  # edited by its author (its history: revisions.py)
    limited: bool = False  # by a limited author the reader does not follow: not shown to them
    language: str = ""  # what name, summary and content are in ("" when unsaid)
    # the same texts in other languages ({tag: {"name", "summary", "content"}}, sanitised)
    translations: dict[str, Any] = field(default_factory=dict)


COMMENT_FIELDS = tuple(f.name for f in fields(Comment) if f.name not in ("author", "limited"))
AUTHOR_FIELDS = tuple(f.name for f in fields(CommentAuthor))


@dataclass(frozen=True, slots=True)
class OtherReaction:
    """An emoji reaction that is not an endorsement (👎, 🤔, a custom `:blobcat:`), shown
    beside the comment with how many people reacted so."""

    emoji: str
    count: int


@dataclass
class ThreadItem:
    """One object of the thread with what the page shows about it."""

    object: Comment
    likes: int = 0
    replies: list[ThreadItem] = field(default_factory=list)
    reactions: tuple[OtherReaction, ...] = ()

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


def _statement_questions(proposal_id: int) -> Any:
    """The Questions a proposal's statements are published as (its statements section)."""
    return Statement.filter(proposal_id=proposal_id, object_id__not_isnull=True).values("object_id")


async def load_thread(proposal_uri: str, *, members: bool = False) -> ThreadView:
    """Everything about one proposal's thread, in a few queries; with `members` (a member of
    this organisation reads it) its comments for the organisation's members only too."""
    proposal = await Proposal.get_or_none(object__uri=proposal_uri).select_related(
        "object", "object__author"
    )
    if proposal is None:
        raise NotFound(N_("no proposal %(proposal_uri)s"), proposal_uri=proposal_uri)
    context = proposal.object.context_uri
    listed = Q(is_public=True)  # a private reply is not discussion…
    if members:  # …but one for the organisation's members is, for them
        listed |= Q(id__in=await _for_members(context))
    objects = await comments_of(
        Object.filter(listed, context_uri=context)
        .exclude(id=proposal.object.id)
        .exclude(id__in=Subquery(_statement_questions(proposal.id)))  # shown as statements
        .order_by("published_at", "id")
    )
    likes = await _like_counts(context)
    reactions = await _other_reactions(context)
    versions = await ProposalVersion.filter(proposal_id=proposal.id).order_by("number")
    root = ThreadItem(comment_of_row(proposal.object), likes.get(proposal.object.uri, 0))
    orphans = _assemble(root, objects, likes)
    for item in (root, *_items(root), *(i for o in orphans for i in (o, *_items(o)))):
        item.reactions = reactions.get(item.object.uri, ())
    shown = sum(1 for row in objects if row.hidden_at is None)
    return ThreadView(proposal, root, versions, shown + 1, orphans)


async def _for_members(context: str) -> list[int]:
    """The thread's comments addressed to this organisation's members only."""
    rows = await Object.filter(context_uri=context, is_public=False, is_local=True).values_list(
        "id", "document"
    )
    return [int(id_) for id_, document in rows if for_members_only(document or {})]


async def _like_counts(context: str) -> dict[str, int]:
    in_thread = Subquery(Object.filter(context_uri=context).values("uri"))
    rows = (
        await Reaction.filter(kind="Like", object_uri__in=in_thread)
        .annotate(count=Count("id"))
        .group_by("object_uri")
        .values("object_uri", "count")
    )
    return {row["object_uri"]: int(row["count"]) for row in rows}


async def _other_reactions(context: str) -> dict[str, tuple[OtherReaction, ...]]:
    """Each object's other emoji reactions, the most frequent first (one grouped query)."""
    in_thread = Subquery(Object.filter(context_uri=context).values("uri"))
    rows = (
        await Reaction.filter(kind=OTHER_REACTION, object_uri__in=in_thread)
        .annotate(count=Count("id"))
        .group_by("object_uri", "content")
        .values("object_uri", "content", "count")
    )
    found: dict[str, list[OtherReaction]] = defaultdict(list)
    for row in rows:
        found[row["object_uri"]].append(OtherReaction(str(row["content"]), int(row["count"])))
    return {
        uri: tuple(sorted(shown, key=lambda r: (-r.count, r.emoji))) for uri, shown in found.items()
    }


def _items(item: ThreadItem) -> list[ThreadItem]:
    """Every reply under `item`, however deep."""
    found, stack = [], list(item.replies)
    while stack:
        each = stack.pop()
        found.append(each)
        stack.extend(each.replies)
    return found


async def comments_of(rows: QuerySet[Object]) -> list[Comment]:
    """The objects `rows` selects, as light Comments (one query, no JSON documents)."""
    values = await rows.values(*COMMENT_FIELDS, *(f"author__{name}" for name in AUTHOR_FIELDS))
    return [
        Comment(
            **{name: row[name] for name in COMMENT_FIELDS},
            author=author_of(row, "author__"),
        )
        for row in values
    ]


def comment_of_row(row: Object) -> Comment:
    """The Comment of an object row whose author is loaded."""
    author = CommentAuthor(**{name: getattr(row.author, name) for name in AUTHOR_FIELDS})
    return Comment(**{name: getattr(row, name) for name in COMMENT_FIELDS}, author=author)


def author_of(row: dict[str, Any], prefix: str) -> CommentAuthor:
    """The CommentAuthor in a values() row whose actor fields start with `prefix`."""
    return CommentAuthor(**{name: row[f"{prefix}{name}"] for name in AUTHOR_FIELDS})


def _assemble(root: ThreadItem, objects: list[Comment], likes: dict[str, int]) -> list[ThreadItem]:
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
