"""What of a proposal's thread is public: the queries every open data table starts from."""

from __future__ import annotations

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from node.models import Object, Statement, StatementState, StatementVote
from node.services.open_data.scope import ExportedProposal
from node.services.visibility import shown_to_everyone


def thread_objects(proposal: ExportedProposal) -> QuerySet[Object]:
    """The thread's objects a visitor is shown whole: public, neither hidden (held replies are
    hidden too), removed nor withdrawn, nor by a limited server's account; the proposal itself
    among them."""
    rows = Object.filter(context_uri=proposal.context_uri) if proposal.context_uri else None
    if rows is None:
        rows = Object.filter(uri=proposal.uri)
    if proposal.unseen_authors:
        rows = rows.exclude(author_id__in=proposal.unseen_authors)
    return shown_to_everyone(rows).filter(held_at=None)


def statement_questions() -> Subquery:
    """The ids of the Questions that carry statements (their votes are statement votes)."""
    return Subquery(Statement.filter(object_id__not_isnull=True).values("object_id"))


def comments(proposal: ExportedProposal) -> QuerySet[Object]:
    """The thread's public comments: every shown object but the proposal and the questions."""
    return thread_objects(proposal).exclude(type__in=("Article", "Question"))


def questions(proposal: ExportedProposal) -> QuerySet[Object]:
    """The questions put to the proposal (statements' Questions apart)."""
    return thread_objects(proposal).filter(type="Question").exclude(id__in=statement_questions())


def statements(proposal: ExportedProposal) -> QuerySet[Statement]:
    """The proposal's statements shown: approved, and their Question (if any) not removed."""
    return Statement.filter(proposal_id=proposal.id, state=StatementState.APPROVED).filter(
        Q(object_id=None) | Q(object__hidden_at=None, object__deleted_at=None)
    )


def statement_votes(proposal: ExportedProposal) -> QuerySet[StatementVote]:
    """The votes on the statements shown (each person's last vote on each)."""
    return StatementVote.filter(statement_id__in=Subquery(statements(proposal).values("id")))
