"""A local object at its own URL: what a reader is shown of it, its document or Tombstone, its
collections and the proposal whose thread it is in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from node.activitypub import to_tombstone
from node.models import Object, Proposal
from node.services import collections, polls
from node.services.discussion import DiscussedObject, discussed_from_row
from node.services.proposal_page import ProposalPage, may_answer_amendments, proposal_of_thread
from node.services.visibility import Reader, Seen, seen_as


@dataclass(frozen=True)
class ServedObject:
    """A local object someone is shown something of (SHOWN whole, or GONE: its Tombstone)."""

    seen: Seen
    view: DiscussedObject
    document: dict[str, Any]  # as served now (a poll past its end time closed); {} when GONE
    tombstone: dict[str, Any]


@dataclass(frozen=True)
class ThreadProposal:
    """The proposal whose thread an object is in: its title and page."""

    name: str
    link: str


async def served_object(uri: str, reader: Reader) -> ServedObject | None:
    """The local object `uri` as `reader` is shown it; None when there is nothing to see."""
    row = await Object.get_or_none(uri=uri, is_local=True).select_related("author")
    if row is None:
        return None
    seen = await seen_as(row, reader)
    if seen is Seen.NOTHING:
        return None
    tombstone = to_tombstone(row.uri, row.type, row.deleted_at or row.published_at)
    document: dict[str, Any] = {}
    if seen is Seen.SHOWN:
        # a poll past its endTime is served closed
        document = await polls.question_document(row) if row.type == "Question" else row.document
    return ServedObject(seen, discussed_from_row(row), document, tombstone)


async def is_proposal(object_id: int) -> bool:
    """Whether the object `object_id` is a proposal."""
    return await Proposal.exists(object_id=object_id)


async def may_answer_on_page(actor_id: int, page: ProposalPage) -> bool:
    """Whether the actor `actor_id` answers the amendments of the proposal on `page`."""
    if page.proposal.author.id == actor_id:
        return True
    proposal = await Proposal.get_or_none(id=page.proposal.id)
    return proposal is not None and await may_answer_amendments(actor_id, proposal)


async def local_proposal_of_thread(context_uri: str) -> str | None:
    """The URI of the local proposal whose thread `context_uri` is, if it is one of ours."""
    proposal = await proposal_of_thread(context_uri)
    return proposal.object.uri if proposal is not None and proposal.object.is_local else None


async def thread_proposal(context_uri: str) -> ThreadProposal | None:
    """The proposal whose thread `context_uri` is, if we hold it."""
    proposal = await proposal_of_thread(context_uri)
    if proposal is None:
        return None
    row = proposal.object
    return ThreadProposal(row.name, row.url or row.uri)


async def collection_of_object(
    name: str, target: DiscussedObject, query: collections.CollectionQuery
) -> dict[str, Any] | None:
    """The object's likes, shares, replies or history (None: only proposals have a history)."""
    if name == "history":
        proposal = await Proposal.get_or_none(object_id=target.id)
        if proposal is None:
            return None
        return await collections.history(proposal.id, query)
    if name == "replies":
        return await collections.replies(target.uri, query)
    return await collections.reactions("Like" if name == "likes" else "Announce", target.uri, query)
