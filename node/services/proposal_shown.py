"""What a proposal's page shows of the proposal, its versions, amendments, thread and the
responses to it: frozen read models made from the rows the page's loader reads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from node.models import Amendment, AmendmentState, Proposal, ProposalStatus
from node.services.responses import OrganisationResponse
from node.services.thread_view import CommentAuthor, ThreadItem, ThreadView, comment_of_row


@dataclass(frozen=True)
class PollChoice:
    name: str


@dataclass(frozen=True)
class ShownProposal:
    """The proposal's heading: what it is, whose, where it stands."""

    id: int  # its number in /proposals/{id}/… (the report)
    uri: str
    name: str
    summary: str
    is_local: bool
    is_public: bool
    published_at: datetime
    author: CommentAuthor
    status: ProposalStatus
    closes_at: datetime | None
    version: int
    closed_at: datetime | None = None
    reopen_reason: str = ""
    decided_at: datetime | None = None
    decision_html: str = ""
    # a response per section: {"section": …, "content": the HTML}
    decision_sections: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class ShownVersion:
    number: int
    created_at: datetime
    amendment_uri: str


@dataclass(frozen=True)
class ShownThread:
    """The discussion under the proposal (a tree of Comments) and the proposal's versions."""

    root: ThreadItem
    versions: list[ShownVersion]
    size: int
    orphans: list[ThreadItem]

    @cached_property
    def digest(self) -> str:
        """A digest of everything shown (its repr holds every field, however deep): the same
        discussion has the same digest. Worked out once for a thread shared between readers."""
        return hashlib.sha256(repr(self).encode("utf-8", "surrogatepass")).hexdigest()

    def author_ids(self) -> frozenset[int]:
        """The actors who wrote anything in the discussion (the proposal's author too)."""
        found, stack = set(), [self.root, *self.orphans]
        while stack:
            item = stack.pop()
            found.add(item.object.author.id)
            stack.extend(item.replies)
        return frozenset(found)


@dataclass(frozen=True)
class ShownAmendment:
    id: int
    state: AmendmentState
    section: str
    suggested_text: str
    reason: str
    created_at: datetime
    author: CommentAuthor


@dataclass(frozen=True)
class ShownResponse:
    """A response to the proposal from another organisation, and that organisation's name."""

    uri: str
    url: str
    name: str
    organisation_name: str


def shown_proposal(proposal: Proposal) -> ShownProposal:
    row = comment_of_row(proposal.object)
    return ShownProposal(
        id=proposal.id,
        uri=row.uri,
        name=row.name,
        summary=proposal.object.summary,
        is_local=row.is_local,
        is_public=row.is_public,
        published_at=row.published_at,
        author=row.author,
        status=proposal.status,
        closes_at=proposal.closes_at,
        version=proposal.version,
        closed_at=proposal.closed_at,
        reopen_reason=proposal.reopen_reason,
        decided_at=proposal.decided_at,
        decision_html=proposal.decision_html,
        decision_sections=tuple(proposal.decision_sections),
    )


def shown_thread(thread: ThreadView) -> ShownThread:
    versions = [ShownVersion(v.number, v.created_at, v.amendment_uri) for v in thread.versions]
    return ShownThread(thread.root, versions, thread.size, thread.orphans)


def shown_amendment(amendment: Amendment) -> ShownAmendment:
    return ShownAmendment(
        id=amendment.id,
        state=amendment.state,
        section=amendment.section,
        suggested_text=amendment.suggested_text,
        reason=amendment.reason,
        created_at=amendment.created_at,
        author=comment_of_row(amendment.object).author,
    )


def shown_response(response: OrganisationResponse) -> ShownResponse:
    row = response.object
    return ShownResponse(row.uri, row.url, row.name, response.organisation_name)
