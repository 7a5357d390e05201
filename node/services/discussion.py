"""What the discussion's forms read: the object taken part on, its thread's page, a member's
endorsement, a proposal's sections to amend, an amendment to answer, a poll's answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from node.models import (
    Amendment,
    AmendmentState,
    Object,
    Poll,
    Proposal,
    ProposalStatus,
    Reaction,
)
from node.sections import editable_sections
from node.services.organisations import organisation_of
from node.services.proposal_page import may_answer_amendments, proposal_of_thread
from node.services.thread_view import AUTHOR_FIELDS, CommentAuthor
from node.services.visibility import Reader, visible_object


@dataclass(frozen=True)
class DiscussedObject:
    """An object a member comments on, replies to, endorses or votes on."""

    id: int
    uri: str
    type: str
    is_local: bool
    context_uri: str
    name: str
    content: str
    published_at: datetime
    hidden_at: datetime | None
    author: CommentAuthor
    summary: str = ""  # a comment's content warning (an Article's is its abstract)
    updated_at: datetime | None = None  # edited by its author (its history: revisions.py)


@dataclass(frozen=True)
class AmendableProposal:
    """A proposal's status and the sections an amendment can change, with their text now."""

    status: ProposalStatus
    sections: dict[str, str]


@dataclass(frozen=True)
class AmendmentToAnswer:
    """An amendment, who may answer it, and the proposal it is for."""

    id: int
    suggested_text: str
    pending: bool
    object_uri: str
    proposal_uri: str
    may_answer: bool
    by_proposal_author: bool
    organisation_id: int | None  # who staff answer as: the organisation it is published for


@dataclass(frozen=True)
class PollChoices:
    """The answers a poll offers and whether several may be chosen."""

    names: frozenset[str]
    multiple: bool


def discussed_from_row(row: Object) -> DiscussedObject:
    """`row` (its author fetched) as a DiscussedObject."""
    author = row.author
    return DiscussedObject(
        id=row.id,
        uri=row.uri,
        type=row.type,
        is_local=row.is_local,
        context_uri=row.context_uri,
        name=row.name,
        content=row.content,
        published_at=row.published_at,
        hidden_at=row.hidden_at,
        author=CommentAuthor(**{name: getattr(author, name) for name in AUTHOR_FIELDS}),
        summary=row.summary,
        updated_at=row.updated_at,
    )


async def discussed_object(uri: str, reader: Reader, **conditions: Any) -> DiscussedObject | None:
    """The object `uri` if `reader` is shown it whole (and it meets `conditions`), else None."""
    row = await visible_object(uri, reader, **conditions)
    return None if row is None else discussed_from_row(row)


async def thread_home_uri(row: DiscussedObject) -> str:
    """The object whose page to go back to: the local proposal whose thread `row` is in, else
    `row` itself (never a remote server's object: a redirect there would be theirs to choose)."""
    proposal = await proposal_of_thread(row.context_uri) if row.type != "Article" else None
    if proposal is not None and proposal.object.is_local:
        return proposal.object.uri
    return row.uri


async def own_like_uri(actor_id: int, object_uri: str) -> str | None:
    """The URI of the actor `actor_id`'s Like of `object_uri`, if they endorse it."""
    like = await Reaction.get_or_none(kind="Like", actor_id=actor_id, object_uri=object_uri)
    return None if like is None else like.uri


async def amendable_proposal(object_id: int) -> AmendableProposal | None:
    """The proposal that is the object `object_id`, or None when it is not one."""
    proposal = await Proposal.get_or_none(object_id=object_id)
    if proposal is None:
        return None
    return AmendableProposal(proposal.status, editable_sections(proposal.sections))


async def amendment_to_answer(amendment_id: int, actor_id: int) -> AmendmentToAnswer | None:
    """The amendment `amendment_id` as the actor `actor_id` would answer it, or None when there
    is none."""
    amendment = await Amendment.get_or_none(id=amendment_id).select_related(
        "object", "proposal", "proposal__object"
    )
    if amendment is None:
        return None
    proposal_row = amendment.proposal.object
    organisation = await organisation_of(amendment.proposal)
    return AmendmentToAnswer(
        id=amendment.id,
        suggested_text=amendment.suggested_text,
        pending=amendment.state == AmendmentState.PENDING,
        object_uri=amendment.object.uri,
        proposal_uri=proposal_row.uri,
        may_answer=await may_answer_amendments(actor_id, amendment.proposal),
        by_proposal_author=proposal_row.author_id == actor_id,  # type: ignore[attr-defined]
        organisation_id=organisation.id if organisation is not None else None,
    )


async def poll_choices(object_id: int) -> PollChoices | None:
    """The answers of the poll that is the object `object_id`, or None when it is not one."""
    poll = await Poll.get_or_none(object_id=object_id).prefetch_related("options")
    if poll is None:
        return None
    names = frozenset(option.name for option in poll.options)  # type: ignore[attr-defined]
    return PollChoices(names, poll.multiple)
