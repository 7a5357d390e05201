"""Everything a proposal's page shows, in a bounded number of queries whatever its size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from node.markdown import render_markdown
from node.models import (
    AccessRole,
    Account,
    Amendment,
    AmendmentState,
    Poll,
    Proposal,
    ProposalStatus,
    Reaction,
    Vote,
)
from node.poll_documents import Results
from node.sections import shown_sections
from node.services import poll_tally
from node.services.endorsements import EndorsementCounts, endorsement_counts
from node.services.responses import responses_from_other_organisations
from node.services.thread_view import (
    Comment,
    CommentAuthor,
    ThreadItem,
    ThreadView,
    comment_of_row,
    load_thread,
)


@dataclass(frozen=True)
class PollView:
    """A poll in the thread, its results and whether the viewer may still vote."""

    question: Comment
    options: list[PollChoice]
    results: Results
    closed: bool
    viewer_voted: bool
    tally: poll_tally.PollTally | None = None  # the members' votes and each server's, apart

    @property
    def rows(self) -> list[tuple[str, int, int]]:
        """(option, votes, percentage of the votes cast) for each option."""
        cast = sum(count for _, count in self.results.counts) or 1
        return [(name, count, round(100 * count / cast)) for name, count in self.results.counts]


@dataclass(frozen=True)
class PollChoice:
    name: str


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    content: str


@dataclass(frozen=True)
class ShownProposal:
    """The proposal's heading: what it is, whose, where it stands."""

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


@dataclass(frozen=True)
class ProposalPage:
    """The proposal, its thread and everything around it, for the page."""

    proposal: ShownProposal
    thread: ShownThread
    endorsements: EndorsementCounts
    amendments: list[ShownAmendment]
    polls: list[PollView]
    responses: list[ShownResponse]
    viewer_endorsed: bool = False
    sections: list[Section] = field(default_factory=list)
    body_html: str = ""

    @property
    def object(self) -> ShownProposal:
        return self.proposal

    @property
    def uri(self) -> str:
        return self.proposal.uri


async def load_proposal_page(proposal_uri: str, viewer_actor_id: int | None) -> ProposalPage:
    """The page's data; the viewer (the actor `viewer_actor_id`) decides only what they may
    still do (vote, endorse)."""
    thread = await load_thread(proposal_uri)
    proposal = thread.proposal
    amendments = (
        await Amendment.filter(
            proposal_id=proposal.id, object__hidden_at=None, object__deleted_at=None
        )
        .select_related("object", "object__author")
        .order_by("created_at")
    )
    sections = [Section(*shown) for shown in shown_sections(proposal.sections)]
    if proposal.object.is_local:
        body_html = render_markdown(proposal.body) if proposal.body.strip() else ""
    else:  # another node's proposal: its own HTML (sanitised when stored), sections included
        body_html, sections = proposal.object.content, []
    endorsed = (
        viewer_actor_id is not None
        and await Reaction.filter(
            kind="Like", actor_id=viewer_actor_id, object_uri=proposal_uri
        ).exists()
    )
    return ProposalPage(
        proposal=_shown_proposal(proposal),
        thread=_shown_thread(thread),
        endorsements=await endorsement_counts(proposal_uri),
        amendments=[_shown_amendment(amendment) for amendment in amendments],
        polls=await _polls(thread, viewer_actor_id),
        responses=[
            ShownResponse(r.object.uri, r.object.url, r.object.name, r.organisation_name)
            for r in await responses_from_other_organisations(proposal_uri)
        ],
        viewer_endorsed=endorsed,
        sections=sections,
        body_html=body_html,
    )


def _shown_proposal(proposal: Proposal) -> ShownProposal:
    row = comment_of_row(proposal.object)
    return ShownProposal(
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
    )


def _shown_thread(thread: ThreadView) -> ShownThread:
    versions = [ShownVersion(v.number, v.created_at, v.amendment_uri) for v in thread.versions]
    return ShownThread(thread.root, versions, thread.size, thread.orphans)


def _shown_amendment(amendment: Amendment) -> ShownAmendment:
    return ShownAmendment(
        id=amendment.id,
        state=amendment.state,
        section=amendment.section,
        suggested_text=amendment.suggested_text,
        reason=amendment.reason,
        created_at=amendment.created_at,
        author=comment_of_row(amendment.object).author,
    )


async def _polls(thread: ThreadView, viewer: int | None) -> list[PollView]:
    questions = [item.object for item in _walk(thread) if item.object.type == "Question"]
    if not questions:
        return []
    rows = await Poll.filter(object_id__in=[q.id for q in questions]).prefetch_related("options")
    by_object = {poll.object_id: poll for poll in rows}  # type: ignore[attr-defined]
    voted: set[int] = set()
    if viewer is not None:
        votes = await Vote.filter(poll_id__in=[p.id for p in rows], actor_id=viewer).values(
            "poll_id"
        )
        voted = {int(vote["poll_id"]) for vote in votes}
    views = []
    for question in questions:
        poll = by_object.get(question.id)
        if poll is None or question.deleted_at is not None or question.hidden_at is not None:
            continue
        closed = poll_tally.has_ended(poll)  # the worker marks it closed: a page never writes
        ordered = sorted(poll.options, key=lambda option: option.position)  # type: ignore[attr-defined]
        options = [PollChoice(option.name) for option in ordered]
        tally = await poll_tally.tally_of(poll)
        views.append(PollView(question, options, tally.results, closed, poll.id in voted, tally))
    return views


def _walk(thread: ThreadView) -> list[ThreadItem]:
    found: list[ThreadItem] = []
    stack = [*thread.root.replies, *thread.orphans]
    while stack:
        item = stack.pop()
        found.append(item)
        stack.extend(item.replies)
    return sorted(found, key=lambda item: (item.object.published_at, item.object.id))


async def may_answer_amendments(actor_id: int, proposal: Proposal) -> bool:
    """Whether the actor `actor_id` answers amendments: the proposal's author or its
    organisation's staff."""
    author = await proposal.object
    if author.author_id == actor_id:  # type: ignore[attr-defined]
        return True
    account = await Account.get_or_none(actor_id=actor_id)
    return account is not None and account.access_role in (AccessRole.ADMIN, AccessRole.MODERATOR)


async def proposal_of_thread(context_uri: str) -> Proposal | None:
    """The proposal whose thread `context_uri` is, if we hold it."""
    if not context_uri:
        return None
    return await Proposal.get_or_none(
        object__context_uri=context_uri, object__type="Article"
    ).select_related("object")
