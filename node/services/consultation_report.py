""" "What we heard": a proposal's consultation report, as frozen dataclasses.

`load_report` reads it live (report_counts and report_questions, in a fixed number of grouped
queries whatever the number of comments and answers) until the report is frozen, then from
`Proposal.report_snapshot` (report_freeze stores it when the decision is published). What the
figures are called and how they are summed up in words lives in report_text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any

from node.i18n import N_
from node.models import Proposal, ProposalStatus
from node.services.errors import NotFound
from node.services.report_counts import count_responses
from node.services.report_figures import CommentExcerpt, Figure, Row
from node.services.report_questions import question_figures

BEFORE_QUESTIONS = ("participation", "respondents", "organisations", "servers")
AFTER_QUESTIONS = ("endorsements", "hashtags", "themes", "amendments", "late")

__all__ = ["CommentExcerpt", "Figure", "Report", "Row", "load_report", "report_from_json"]


@dataclass(frozen=True)
class Report:
    """Everything "what we heard" shows about one proposal."""

    proposal_id: int
    proposal_uri: str
    title: str
    status: str
    generated_at: str  # ISO 8601: when these figures were counted
    frozen_at: str | None  # when the decision froze it; None while it is live
    responses: int  # comments and replies in the thread, late ones left out
    respondents: int  # distinct authors of those
    late_replies: int  # arrived after the closing date: counted apart, nowhere else
    answers: int  # answers to the proposal's questions
    endorsements: int
    figures: tuple[Figure, ...]
    most_endorsed: tuple[CommentExcerpt, ...]
    quotes: tuple[CommentExcerpt, ...]

    @property
    def frozen(self) -> bool:
        """Whether the report is the one published with the decision (it no longer changes)."""
        return self.frozen_at is not None

    def figure(self, slug: str) -> Figure | None:
        """The figure named `slug`, if the report has it."""
        return next((figure for figure in self.figures if figure.slug == slug), None)

    def as_json(self) -> dict[str, Any]:
        """The report as JSON-ready data (what the snapshot stores)."""
        return asdict(self)


def report_from_json(data: dict[str, Any]) -> Report:
    """A report back from its snapshot."""
    return Report(
        **{
            name: data[name]
            for name in (
                "proposal_id",
                "proposal_uri",
                "title",
                "status",
                "generated_at",
                "frozen_at",
                "responses",
                "respondents",
                "late_replies",
                "answers",
                "endorsements",
            )
        },
        figures=tuple(Figure.from_json(figure) for figure in data["figures"]),
        most_endorsed=tuple(CommentExcerpt(**item) for item in data["most_endorsed"]),
        quotes=tuple(CommentExcerpt(**item) for item in data["quotes"]),
    )


async def reportable_proposal(proposal_id: int) -> Proposal:
    """The local, published proposal `proposal_id`, or NotFound saying why there is no report."""
    proposal = await Proposal.get_or_none(id=proposal_id).select_related("object")
    if proposal is None or proposal.object.deleted_at is not None or not proposal.object.is_local:
        raise NotFound(N_("There is no such proposal here."))
    if proposal.status == ProposalStatus.DRAFT:
        # said as "not found" too: a draft is its author's alone, and its number tells nothing
        raise NotFound(N_("There is no report yet: this proposal has not been published."))
    return proposal


async def load_report(proposal_id: int) -> Report:
    """The report of a published local proposal: live until frozen, then as it was frozen."""
    proposal = await reportable_proposal(proposal_id)
    if proposal.report_snapshot is not None:
        return replace(report_from_json(proposal.report_snapshot), status=proposal.status.value)
    return await count_report(proposal)


async def count_report(proposal: Proposal) -> Report:
    """Count the report now, from the thread as it stands."""
    counted = await count_responses(proposal)
    questions, answers = await question_figures(proposal.object.context_uri)
    return Report(
        proposal_id=proposal.id,
        proposal_uri=proposal.object.uri,
        title=proposal.object.name,
        status=proposal.status.value,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        frozen_at=None,
        responses=counted.responses,
        respondents=counted.respondents,
        late_replies=counted.late_replies,
        answers=answers,
        endorsements=counted.endorsements,
        figures=(
            *(counted.figures[slug] for slug in BEFORE_QUESTIONS),
            *questions,
            *(counted.figures[slug] for slug in AFTER_QUESTIONS),
        ),
        most_endorsed=counted.most_endorsed,
        quotes=counted.quotes,
    )
