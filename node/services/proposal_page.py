"""Everything a proposal's page shows, in a bounded number of queries whatever its size."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import urlsplit

from node.generation_cache import GenerationCache
from node.markdown import render_markdown
from node.models import (
    Amendment,
    Object,
    Poll,
    Proposal,
    Reaction,
    Vote,
)
from node.poll_documents import Results
from node.sections import shown_sections
from node.services import organisation_staff, poll_tally, remote_polls
from node.services.endorsements import EndorsementCounts, endorsement_counts
from node.services.figures_interest import note_looked_at
from node.services.lifecycle import takes
from node.services.limited_servers import mark_limited
from node.services.opinion_map_view import OpinionMapView, load_opinion_map
from node.services.organisations import hosts_several, organisation_of
from node.services.proposal_shown import (
    PollChoice,
    ShownAmendment,
    ShownProposal,
    ShownResponse,
    ShownThread,
    shown_amendment,
    shown_proposal,
    shown_response,
    shown_thread,
)
from node.services.proposal_texts import TextInLanguage, texts_in_other_languages
from node.services.remote_figures import RemoteFigures, shown_figures
from node.services.responses import responses_from_other_organisations
from node.services.thread_view import Comment, ThreadItem, ThreadView, load_thread
from node.services.visibility import Reader
from node.translations import chosen_language, other_language


@dataclass(frozen=True)
class PollView:
    """A poll in the thread, its results (when the viewer may see them: results_visible) and
    what the viewer answered."""

    question: Comment
    options: list[PollChoice]
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
    # another server's question: its home's host, and when its results (as that home
    # reported them) were fetched; None before the first fetch
    home_host: str = ""
    results_fetched_at: datetime | None = None

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


@dataclass(frozen=True)
class PublishedFor:
    """The organisation a proposal of ours is published for, as its page names it."""

    handle: str
    name: str


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
    remote_figures: RemoteFigures | None = None  # what a remote proposal's home reported
    opinion_map: OpinionMapView | None = None  # a local proposal's, once statements have votes
    language: str = ""  # what the proposal's texts above are in ("" when unsaid)
    other_languages: tuple[TextInLanguage, ...] = ()
    switch_to: str = ""  # the language a reader of this one may switch to
    published_for: PublishedFor | None = None  # a local proposal's, on an umbrella node

    def read_in(self, asked: str) -> ProposalPage:
        """The page with the proposal in `asked` when it is written in it (else its first
        language), and the other language to offer."""
        others = {text.language: text for text in self.other_languages}
        shown = chosen_language(self.language, others, asked)
        switch_to = other_language(self.language, others, shown)
        if shown == self.language:
            return replace(self, switch_to=switch_to)
        text = others[shown]
        return replace(
            self,
            proposal=replace(self.proposal, name=text.name, summary=text.summary),
            body_html=text.body_html,
            sections=[Section(*shown_section) for shown_section in text.sections],
            language=shown,
            switch_to=switch_to,
        )

    @property
    def object(self) -> ShownProposal:
        return self.proposal

    @property
    def uri(self) -> str:
        return self.proposal.uri

    @property
    def comments_changeable(self) -> bool:
        """Whether its comments' authors may still change them (not once it has closed)."""
        return takes("changes to comments", self.proposal.status)


SHARED_PARTS: GenerationCache[tuple[ThreadView, ProposalPage]] = GenerationCache(64)


async def load_proposal_page(
    proposal_uri: str, viewer_actor_id: int | None, *, is_moderator: bool = False
) -> ProposalPage:
    """The page's data; the viewer (the actor `viewer_actor_id`) decides what they may still do
    (vote, endorse), and whose comments from limited servers they are shown.

    What every member (or every visitor) is shown alike is read once per generation of the
    pages and shared (node/generation_cache.py); what is the viewer's own is read here."""
    members = viewer_actor_id is not None
    thread, page = await SHARED_PARTS.get(
        (proposal_uri, members), lambda: _shared_part(proposal_uri, members=members)
    )
    marked = await mark_limited(thread, Reader(viewer_actor_id, is_moderator=is_moderator))
    if marked is not thread:
        page = replace(page, thread=shown_thread(marked))
    if not thread.proposal.object.is_local:
        note_looked_at(thread.proposal.id)  # in memory: the worker refreshes its figures
    page = replace(page, polls=await _polls(marked, viewer_actor_id, page.remote_figures))
    if viewer_actor_id is not None:
        page = replace(
            page,
            viewer_endorsed=await Reaction.filter(
                kind="Like", actor_id=viewer_actor_id, object_uri=proposal_uri
            ).exists(),
        )
    return page


async def _shared_part(proposal_uri: str, *, members: bool) -> tuple[ThreadView, ProposalPage]:
    """The thread (before limits) and the page as everyone is shown it (no polls yet); with
    `members`, as a member of this organisation is."""
    thread = await load_thread(proposal_uri, members=members)
    proposal = thread.proposal
    amendments = (
        await Amendment.filter(
            proposal_id=proposal.id, object__hidden_at=None, object__deleted_at=None
        )
        .select_related("object", "object__author")
        .order_by("created_at")
    )
    page = ProposalPage(
        proposal=shown_proposal(proposal),
        thread=shown_thread(thread),
        endorsements=await endorsement_counts(proposal_uri),
        amendments=[shown_amendment(amendment) for amendment in amendments],
        polls=[],
        responses=[
            shown_response(r) for r in await responses_from_other_organisations(proposal_uri)
        ],
        sections=[Section(*shown) for shown in shown_sections(proposal.sections)],
        language=proposal.object.language,
        other_languages=texts_in_other_languages(
            proposal.object.translations, is_local=proposal.object.is_local
        ),
    )
    if proposal.object.is_local:  # the map is computed on the proposal's home node
        # which organisation, where the node hosts several (a single one goes without saying)
        organisation = await organisation_of(proposal) if await hosts_several() else None
        page = replace(
            page,
            published_for=PublishedFor(
                organisation.handle, organisation.name or organisation.handle
            )
            if organisation is not None
            else None,
            body_html=render_markdown(proposal.body) if proposal.body.strip() else "",
            opinion_map=await load_opinion_map(proposal.id),
        )
    else:  # another node's proposal: its own HTML (sanitised when stored), sections included
        page = replace(
            page,
            body_html=proposal.object.content,
            sections=[],
            remote_figures=shown_figures(
                proposal_uri, proposal.remote_figures, proposal.figures_fetched_at
            ),
        )
    return thread, page


async def _polls(
    thread: ThreadView, viewer: int | None, figures: RemoteFigures | None
) -> list[PollView]:
    shown = [
        item.object
        for item in _walk(thread)
        if item.object.type == "Question"
        and item.object.deleted_at is None
        and item.object.hidden_at is None
    ]
    if not shown:
        return []
    if not thread.proposal.object.is_local:  # another node's: its questions are its home's
        return await _remote_polls(thread, shown, viewer, figures)
    questions = [question for question in shown if question.is_local]
    rows = await Poll.filter(object_id__in=[q.id for q in questions]).prefetch_related("options")
    by_object = {poll.object_id: poll for poll in rows}  # type: ignore[attr-defined]
    chosen: dict[int, set[str]] = {}
    if viewer is not None:
        votes = await Vote.filter(poll_id__in=[p.id for p in rows], actor_id=viewer).values_list(
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
        ordered = sorted(poll.options, key=lambda option: option.position)  # type: ignore[attr-defined]
        options = [PollChoice(option.name) for option in ordered]
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


async def _remote_polls(
    thread: ThreadView, questions: list[Comment], viewer: int | None, figures: RemoteFigures | None
) -> list[PollView]:
    """Another node's questions as stored here, their results only as their home reported
    them (with the time fetched), and what the viewer answered from here."""
    documents = dict(
        await Object.filter(id__in=[q.id for q in questions]).values_list("id", "document")
    )
    chosen = await remote_polls.answers_of(viewer, [q.id for q in questions]) if viewer else {}
    reported = {q.question_uri: q for q in figures.questions} if figures is not None else {}
    host = urlsplit(thread.proposal.object.uri).netloc
    views = []
    for question in questions:
        document = documents.get(question.id)
        asked = remote_polls.remote_question(
            question.uri, document if isinstance(document, dict) else {}
        )
        if not asked.options:
            continue  # nothing to answer here
        figure = reported.get(question.uri)
        counts = {option.name: option.votes for option in figure.options} if figure else {}
        visible = figure is not None and all(votes is not None for votes in counts.values())
        results = Results(
            asked.multiple,
            [(name, counts.get(name) or 0) for name in asked.options],
            figure.voters if figure is not None else 0,
        )
        views.append(
            PollView(
                question,
                [PollChoice(name) for name in asked.options],
                results,
                asked.closed or (figure is not None and figure.closed),
                question.id in chosen,
                results_visible=visible,
                viewer_choices=chosen.get(question.id, frozenset()),
                results_shown="home",
                end_time=asked.closed_at or asked.end_time,
                home_host=host,
                results_fetched_at=figures.fetched_at if figure is not None and figures else None,
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


async def may_answer_amendments(actor_id: int, proposal: Proposal) -> bool:
    """Whether the actor `actor_id` answers amendments: the proposal's author or its
    organisation's staff (moderators and admins, its own or the node's)."""
    author = await proposal.object
    if author.author_id == actor_id:  # type: ignore[attr-defined]
        return True
    organisation = await organisation_of(proposal)
    return organisation is not None and await organisation_staff.moderates(actor_id, organisation)


async def proposal_of_thread(context_uri: str) -> Proposal | None:
    """The proposal whose thread `context_uri` is, if we hold it."""
    if not context_uri:
        return None
    return await Proposal.get_or_none(
        object__context_uri=context_uri, object__type="Article"
    ).select_related("object")
