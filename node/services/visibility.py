"""Who may see an object: one home for the rule every page, collection and API read keeps.

- A non-public object (a draft, a followers-only note, a direct message) is seen by its author,
  by the actors it is addressed to, and, when addressed to the author's followers, by those
  followers; one of ours addressed to the node's members collection (the organisation's
  members only) by every member here, and by nobody elsewhere. A draft proposal is seen by
  its author alone. Moderators get no more here.
- A hidden object is seen by those who moderate it only (the node's moderators, and on an
  umbrella node the moderators of the organisation whose thread it is in; everyone else:
  nothing is there).
- A deleted (withdrawn or removed) object is gone: a Tombstone, to those who could see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from federation.vocab import id_of
from node.activitypub import to_tombstone
from node.addressing import addressees
from node.models import (
    Activity,
    Actor,
    Follow,
    FollowState,
    InboxEntry,
    Object,
    Proposal,
    ProposalStatus,
)
from node.services.limited_servers import is_limited_for
from node.services.moderation_scope import ModerationScope, covers_object
from node.urls import members_collection_of


@dataclass(frozen=True)
class Reader:
    """Who is reading: a local actor (or nobody), whether one of the node's moderators, and
    the organisations (their actors' ids) whose threads they moderate."""

    actor_id: int | None = None
    actor_uri: str = ""
    is_moderator: bool = False
    moderates: frozenset[int] = frozenset()

    @property
    def moderation_scope(self) -> ModerationScope:
        return ModerationScope(everything=self.is_moderator, organisations=self.moderates)


NOBODY = Reader()


def reader_of(actor: Actor | None, is_moderator: bool = False) -> Reader:
    """The Reader for a local actor (None for a visitor)."""
    if actor is None:
        return NOBODY
    return Reader(actor.id, actor.uri, is_moderator)


class Seen(Enum):
    """What a reader is shown of an object."""

    SHOWN = "shown"
    GONE = "gone"  # deleted: a Tombstone (410)
    NOTHING = "nothing"  # private or hidden from this reader: as if it did not exist (404)


async def may_read_private(row: Object, reader: Reader) -> bool:
    """Whether `reader` is among those a non-public object is for (its author, its addressees,
    its author's followers when addressed to them); a draft proposal (and a question put to
    it) is its author's alone."""
    author_id = row.author_id  # type: ignore[attr-defined]
    if reader.actor_id is None:
        return False
    if author_id == reader.actor_id:
        return True
    if await _draft_or_put_to_one(row):
        return False
    addressed = addressees(row.document or {})
    if reader.actor_uri in addressed:
        return True
    if row.is_local and members_collection_of(row.uri) in addressed:
        return True  # a Reader is a local actor: a member of this organisation
    author = await Actor.get_or_none(id=author_id).only("id", "followers_uri")
    if author is None or not author.followers_uri or author.followers_uri not in addressed:
        return False
    return await Follow.exists(
        follower_id=reader.actor_id, followee_id=author_id, state=FollowState.ACCEPTED
    )


async def _draft_or_put_to_one(row: Object) -> bool:
    """A draft proposal, and a question put to it (sent when it opens), are its author's."""
    if row.type == "Article":
        return await Proposal.exists(object_id=row.id, status=ProposalStatus.DRAFT)
    return (
        row.type == "Question"
        and bool(row.in_reply_to_uri)
        and await Proposal.exists(object__uri=row.in_reply_to_uri, status=ProposalStatus.DRAFT)
    )


async def _shown_to(question: Object, reader: Reader) -> bool:
    """A public question put to a draft waits, seen by its author alone, until it opens."""
    if question.author_id == reader.actor_id:  # type: ignore[attr-defined]
        return True
    return not await _draft_or_put_to_one(question)


async def server_may_see(row: Object, domain: str) -> bool:
    """Whether actors on the server `domain` were ever meant to see `row` (to weigh what that
    server says of it, such as a Flag): public, addressed to one of them, or followers-only
    with a follower there."""
    if row.is_public:
        return True
    addressed = addressees(row.document or {})
    if await Actor.exists(uri__in=list(addressed), domain=domain):
        return True
    author = await Actor.get_or_none(id=row.author_id).only("id", "followers_uri")  # type: ignore[attr-defined]
    if author is None or not author.followers_uri or author.followers_uri not in addressed:
        return False
    return await Follow.exists(
        followee_id=author.id, follower__domain=domain, state=FollowState.ACCEPTED
    )


async def seen_as(row: Object, reader: Reader) -> Seen:
    """What `reader` is shown of `row`."""
    if not row.is_public and not await may_read_private(row, reader):
        return Seen.NOTHING
    if row.type == "Question" and row.is_public and not await _shown_to(row, reader):
        return Seen.NOTHING
    if row.deleted_at is not None:
        return Seen.GONE
    if row.hidden_at is not None and not await covers_object(reader.moderation_scope, row):
        return Seen.NOTHING
    if await is_limited_for(row, reader):
        return Seen.NOTHING
    return Seen.SHOWN


async def may_see(row: Object, reader: Reader) -> bool:
    """Whether `reader` is shown `row` whole."""
    return await seen_as(row, reader) is Seen.SHOWN


async def seen_of_uri(uri: str, reader: Reader) -> Seen:
    """What `reader` is shown of the object `uri` (NOTHING when there is none)."""
    row = await Object.get_or_none(uri=uri)
    return Seen.NOTHING if row is None else await seen_as(row, reader)


async def visible_object(uri: str, reader: Reader, **conditions: Any) -> Object | None:
    """The object `uri` with its author if `reader` is shown it whole, else None."""
    row = await Object.get_or_none(uri=uri, **conditions).select_related("author")
    if row is None or not await may_see(row, reader):
        return None
    return row


def shown_to_everyone(rows: QuerySet[Object]) -> QuerySet[Object]:
    """The objects of `rows` a visitor is shown whole, for lists read in one query (feeds):
    public, neither deleted nor hidden, and no draft proposal."""
    drafts = Subquery(Proposal.filter(status=ProposalStatus.DRAFT).values("object_id"))
    return rows.filter(is_public=True, deleted_at__isnull=True, hidden_at__isnull=True).exclude(
        id__in=drafts
    )


def proposals_shown_to_everyone(rows: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """The proposals of `rows` a visitor is shown whole: published (no draft), public,
    neither withdrawn nor hidden."""
    return rows.filter(
        object__is_public=True, object__deleted_at__isnull=True, object__hidden_at__isnull=True
    ).exclude(status=ProposalStatus.DRAFT)


def hidden_uris() -> Subquery:
    """The ids of hidden objects, for leaving them out of a query."""
    return Subquery(Object.filter(hidden_at__not_isnull=True).values("uri"))


def without_hidden_objects(rows: QuerySet[Activity]) -> QuerySet[Activity]:
    """Activities, leaving out those about a hidden object."""
    return rows.exclude(object_uri__in=hidden_uris())


async def guard_activities(documents: list[Any], reader: Reader) -> list[Any]:
    """Activity documents as `reader` may see them: one about an object hidden from the reader
    is left out, an embedded object deleted since becomes its Tombstone."""
    named = {uri for uri in map(_object_id, documents) if uri}
    if not named:
        return documents
    rows = await Object.filter(uri__in=list(named)).only(
        "uri", "type", "deleted_at", "hidden_at", "published_at", "context_uri"
    )
    gone = {row.uri: row for row in rows if row.deleted_at is not None}
    scope = reader.moderation_scope
    hidden = {
        row.uri for row in rows if row.hidden_at is not None and not await covers_object(scope, row)
    }
    guarded: list[Any] = []
    for document in documents:
        uri = _object_id(document)
        if uri in hidden and uri not in gone:
            continue
        if uri in gone:
            document = _with_tombstone(document, gone[uri])
        guarded.append(document)
    return guarded


def _with_tombstone(document: Any, row: Object) -> Any:
    """The activity with the deleted object it carries whole (maybe inside the activity a
    Group passed on) replaced by its Tombstone."""
    embedded = document.get("object") if isinstance(document, dict) else None
    if _is_wrapped_activity(document):
        return {**document, "object": _with_tombstone(embedded, row)}
    if isinstance(embedded, dict) and embedded.get("type") != "Tombstone":
        tombstone = to_tombstone(row.uri, row.type, row.deleted_at or row.published_at)
        return {**document, "object": tombstone}
    return document


def _is_wrapped_activity(document: Any) -> bool:
    """A Group's Announce carrying the original activity whole (FEP-1b12)."""
    return (
        isinstance(document, dict)
        and document.get("type") == "Announce"
        and isinstance(document.get("object"), dict)
        and "object" in document["object"]
    )


def _object_id(document: Any) -> str | None:
    """The id of the object an activity document is about, embedded or named (for a Group's
    Announce of an activity, the object of that activity)."""
    if not isinstance(document, dict):
        return None
    if _is_wrapped_activity(document):
        return _object_id(document["object"])
    value = id_of(document.get("object"))
    return value if isinstance(value, str) else None


async def scrub_activities(row: Object) -> None:
    """At deletion: the stored activities that carried `row` whole (Create, Update), and the
    local inboxes' copies of them, carry its Tombstone instead."""
    tombstone = to_tombstone(row.uri, row.type, row.deleted_at or row.published_at)
    activities = await Activity.filter(object_uri=row.uri)
    for activity in activities:
        if isinstance(activity.document.get("object"), dict):
            scrubbed = {**activity.document, "object": tombstone}
            await Activity.filter(id=activity.id).update(document=scrubbed)
            await InboxEntry.filter(activity_uri=activity.uri).update(document=scrubbed)


async def shown_activity(uri: str, reader: Reader) -> dict[str, Any] | None:
    """A public activity's document as `reader` may see it: None if missing or about an object
    hidden from the reader; an embedded object deleted since is its Tombstone."""
    row = await Activity.get_or_none(uri=uri, is_public=True)
    if row is None:
        return None
    if row.object_uri:
        target = await Object.get_or_none(uri=row.object_uri)
        if target is not None and await seen_as(target, reader) is Seen.NOTHING:
            return None
    shown = await guard_activities([row.document], reader)
    return shown[0] if shown else None
