"""What the pages read of statements: a proposal's statements section, and the moderators'
queue of statements waiting (frozen dataclasses, bounded queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from node.models import Object, Proposal, Statement, StatementState, StatementVote
from node.services.moderation_scope import ModerationScope, within
from node.services.statement_documents import OPTIONS
from node.services.statements import MAX_STATEMENT, takes_statements

MAX_SHOWN = 500  # statements shown on a page (pol.is conversations rarely pass a few hundred)


@dataclass(frozen=True)
class StatementItem:
    """An approved statement: its counts (agree, disagree, pass) and the viewer's vote."""

    id: int
    text: str
    question_uri: str  # the Question it is published as: a vote is a Note in reply to it
    agree: int
    disagree: int
    passed: int
    viewer_vote: int | None  # 1, -1, 0, or None when the viewer has not voted
    counted_here: bool  # False: another node counts it (the figures are the ones it sent)


@dataclass(frozen=True)
class StatementsSection:
    """The statements section of a proposal's page."""

    enabled: bool  # the author turned statements on
    open: bool  # it takes statements and votes now
    is_local: bool
    statements: tuple[StatementItem, ...]
    own_pending: tuple[str, ...]  # the viewer's statements waiting for a moderator
    max_length: int = MAX_STATEMENT


@dataclass(frozen=True)
class PendingStatement:
    """A statement waiting for a moderator, with the proposal it was added to."""

    id: int
    text: str
    author_uri: str
    author_name: str
    proposal_name: str
    proposal_uri: str
    submitted_at: datetime


async def statements_section(proposal_uri: str, viewer_actor_id: int | None) -> StatementsSection:
    """The section as `viewer_actor_id` (None: a visitor) sees it."""
    proposal = await Proposal.get_or_none(object__uri=proposal_uri).prefetch_related("object")
    if proposal is None:
        return StatementsSection(False, False, True, (), ())
    rows = (
        await Statement.filter(proposal_id=proposal.id, state=StatementState.APPROVED)
        .exclude(object_id=None)
        .order_by("created_at", "id")
        .limit(MAX_SHOWN)
    )
    ids = [row.id for row in rows]
    counts: dict[int, list[int]] = {row.id: [0, 0, 0] for row in rows}
    position = {value: index for index, (_, value) in enumerate(OPTIONS)}
    for statement_id, value in await StatementVote.filter(statement_id__in=ids).values_list(
        "statement_id", "value"
    ):
        counts[int(statement_id)][position[int(value)]] += 1
    mine: dict[int, int] = {}
    pending: list[str] = []
    if viewer_actor_id is not None:
        mine = {
            int(statement_id): int(value)
            for statement_id, value in await StatementVote.filter(
                statement_id__in=ids, actor_id=viewer_actor_id
            ).values_list("statement_id", "value")
        }
        pending = [
            str(text)
            for text in await Statement.filter(
                proposal_id=proposal.id, author_id=viewer_actor_id, state=StatementState.PENDING
            )
            .order_by("id")
            .values_list("text", flat=True)
        ]
    question_uris = {
        int(object_id): str(uri)
        for object_id, uri in await Object.filter(
            id__in=[row.object_id for row in rows]  # type: ignore[attr-defined]
        ).values_list("id", "uri")
    }
    remote_counts = {}
    if not proposal.object.is_local:
        remote_counts = await _reported_counts([row.object_id for row in rows])  # type: ignore[attr-defined]
    items = []
    for row in rows:
        agree, disagree, passed = remote_counts.get(row.object_id) or counts[row.id]  # type: ignore[attr-defined]
        items.append(
            StatementItem(
                row.id,
                row.text,
                question_uris.get(row.object_id, ""),  # type: ignore[attr-defined]
                agree,
                disagree,
                passed,
                mine.get(row.id),
                counted_here=proposal.object.is_local,
            )
        )
    return StatementsSection(
        proposal.statements_enabled or bool(items),
        takes_statements(proposal) if proposal.object.is_local else _open_elsewhere(proposal),
        proposal.object.is_local,
        tuple(items),
        tuple(pending),
    )


def _open_elsewhere(proposal: Proposal) -> bool:
    """Another node's proposal takes statements while it is open (its home has the last word)."""
    return proposal.status.value == "open"


async def _reported_counts(object_ids: list[int]) -> dict[int, list[int]]:
    """The counts another node's Questions carried when they last reached us."""
    found: dict[int, list[int]] = {}
    for object_id, document in await Object.filter(id__in=object_ids).values_list("id", "document"):
        by_name = {
            str(option.get("name")): int((option.get("replies") or {}).get("totalItems") or 0)
            for option in (document or {}).get("oneOf") or []
            if isinstance(option, dict)
        }
        found[int(object_id)] = [by_name.get(name, 0) for name, _ in OPTIONS]
    return found


async def pending_for_moderators(
    scope: ModerationScope, limit: int = 100
) -> list[PendingStatement]:
    """The statements waiting for a moderator that `scope` takes in, oldest first."""
    pending = Statement.filter(state=StatementState.PENDING)
    rows = (
        await (await within(scope, pending, "proposal__object__context_uri"))
        .order_by("created_at", "id")
        .limit(limit)
        .select_related("author", "proposal__object")
    )
    return [
        PendingStatement(
            row.id,
            row.text,
            row.author.uri if row.author else "",
            (row.author.name or row.author.handle) if row.author else "",
            row.proposal.object.name,
            row.proposal.object.uri,
            row.created_at,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ProposalPlace:
    """Where a statement's proposal is: its object's row id, URI and origin."""

    id: int
    uri: str
    is_local: bool


@dataclass(frozen=True)
class StatementPlace:
    """An approved statement's Question (a vote answers it) and its proposal."""

    question_uri: str
    proposal: ProposalPlace


async def statement_place(statement_id: int) -> StatementPlace | None:
    """Where an approved statement is; None when there is no such statement (or it waits)."""
    row = (
        await Statement.filter(id=statement_id, state=StatementState.APPROVED)
        .exclude(object_id=None)
        .select_related("object", "proposal__object")
        .first()
    )
    if row is None or row.object is None:
        return None
    proposal = row.proposal.object
    return StatementPlace(
        row.object.uri, ProposalPlace(proposal.id, proposal.uri, proposal.is_local)
    )
