"""Everything a proposal's page shows, in a bounded number of queries whatever its size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from node.markdown import render_markdown
from node.models import (
    AccessRole,
    Account,
    Actor,
    Amendment,
    Object,
    Poll,
    PollOption,
    Proposal,
    Reaction,
    Vote,
)
from node.poll_documents import Results
from node.sections import shown_sections
from node.services import poll_tally
from node.services.endorsements import EndorsementCounts, endorsement_counts
from node.services.responses import OrganisationResponse, responses_from_other_organisations
from node.services.thread_view import Comment, ThreadItem, ThreadView, load_thread


@dataclass(frozen=True)
class PollView:
    """A poll in the thread, its results (when the viewer may see them: results_visible) and
    what the viewer answered."""

    question: Object | Comment
    options: list[PollOption]
    results: Results
    closed: bool
    viewer_voted: bool
    tally: poll_tally.PollTally | None = None  # the members' votes and each server's, apart
    results_visible: bool = True
    viewer_choices: frozenset[str] = frozenset()
    results_shown: str = "after_close"
    end_time: datetime | None = None
    closes_with_proposal: bool = False
    by_respondent: poll_tally.ResultsByRespondent | None = None  # when results_visible

    @property
    def rows(self) -> list[tuple[str, int, int]]:
        """(option, votes, percentage of the votes cast) for each option."""
        cast = sum(count for _, count in self.results.counts) or 1
        return [(name, count, round(100 * count / cast)) for name, count in self.results.counts]


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    content: str


@dataclass
class ProposalPage:
    """The proposal, its thread and everything around it, for the page."""

    thread: ThreadView
    endorsements: EndorsementCounts
    amendments: list[Amendment]
    polls: list[PollView]
    responses: list[OrganisationResponse]
    viewer_endorsed: bool = False
    sections: list[Section] = field(default_factory=list)
    body_html: str = ""

    @property
    def object(self) -> Object:
        return self.thread.proposal.object


async def load_proposal_page(proposal_uri: str, viewer: Actor | None) -> ProposalPage:
    """The page's data; `viewer` decides only what they may still do (vote, endorse)."""
    thread = await load_thread(proposal_uri)
    proposal = thread.proposal
    amendments = (
        await Amendment.filter(
            proposal_id=proposal.id, object__hidden_at=None, object__deleted_at=None
        )
        .select_related("object", "object__author", "answered_by")
        .order_by("created_at")
    )
    page = ProposalPage(
        thread=thread,
        endorsements=await endorsement_counts(proposal_uri),
        amendments=list(amendments),
        polls=await _polls(thread, viewer),
        responses=await responses_from_other_organisations(proposal_uri),
        sections=[Section(*shown) for shown in shown_sections(proposal.sections)],
    )
    if proposal.object.is_local:
        page.body_html = render_markdown(proposal.body) if proposal.body.strip() else ""
    else:  # another node's proposal: its own HTML (sanitised when stored), sections included
        page.body_html, page.sections = proposal.object.content, []
    if viewer is not None:
        page.viewer_endorsed = await Reaction.filter(
            kind="Like", actor_id=viewer.id, object_uri=proposal_uri
        ).exists()
    return page


async def _polls(thread: ThreadView, viewer: Actor | None) -> list[PollView]:
    questions = [item.object for item in _walk(thread) if item.object.type == "Question"]
    if not questions:
        return []
    rows = await Poll.filter(object_id__in=[q.id for q in questions]).prefetch_related("options")
    by_object = {poll.object_id: poll for poll in rows}  # type: ignore[attr-defined]
    chosen: dict[int, set[str]] = {}
    if viewer is not None:
        votes = await Vote.filter(poll_id__in=[p.id for p in rows], actor_id=viewer.id).values_list(
            "poll_id", "option__name"
        )
        for poll_id, option_name in votes:
            chosen.setdefault(int(poll_id), set()).add(str(option_name))
    views = []
    for question in questions:
        poll = by_object.get(question.id)
        if poll is None or question.deleted_at is not None or question.hidden_at is not None:
            continue
        closed = poll_tally.has_ended(poll)  # the worker marks it closed: a page never writes
        options = sorted(poll.options, key=lambda option: option.position)  # type: ignore[attr-defined]
        tally = await poll_tally.tally_of(poll)
        visible = poll_tally.results_visible(poll, answered=poll.id in chosen)
        views.append(
            PollView(
                question,
                options,
                tally.results,
                closed,
                poll.id in chosen,
                tally,
                results_visible=visible,
                viewer_choices=frozenset(chosen.get(poll.id, ())),
                results_shown=poll.results_shown.value,
                end_time=poll_tally.closed_at(poll) or poll.end_time,
                closes_with_proposal=poll.closes_with_proposal,
                by_respondent=await poll_tally.results_by_respondent(poll.id) if visible else None,
            )
        )
    return views


def _walk(thread: ThreadView) -> list[ThreadItem]:
    found: list[ThreadItem] = []
    stack = [*thread.root.replies, *thread.orphans]
    while stack:
        item = stack.pop()
        found.append(item)
        stack.extend(item.replies)
    return sorted(found, key=lambda item: (item.object.published_at, item.object.id))


async def may_answer_amendments(actor: Actor, proposal: Proposal) -> bool:
    """Whether `actor` answers amendments: the proposal's author or its organisation's staff."""
    author = await proposal.object
    if author.author_id == actor.id:  # type: ignore[attr-defined]
        return True
    account = await Account.get_or_none(actor_id=actor.id)
    return account is not None and account.access_role in (AccessRole.ADMIN, AccessRole.MODERATOR)


async def proposal_of_thread(context_uri: str) -> Proposal | None:
    """The proposal whose thread `context_uri` is, if we hold it."""
    if not context_uri:
        return None
    return await Proposal.get_or_none(
        object__context_uri=context_uri, object__type="Article"
    ).select_related("object")
