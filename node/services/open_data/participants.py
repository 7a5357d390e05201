"""Pseudonymous participants: each person in an export gets a number, 0, 1, 2… in order of
their first appearance (their first comment, endorsement, answer, statement or vote; ties by
who came first to the node), the same number in every file of that export.

The numbering is made afresh for each file from grouped queries (one row per person, never
one per vote), so the files of one export agree without anything being stored, and a GET
writes nothing. Memory grows with the number of people, not with what they did.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Subquery
from tortoise.functions import Min
from tortoise.queryset import QuerySet

from node.models import Reaction, Vote
from node.services.open_data.scope import ExportedProposal, Scope, proposals_of
from node.services.open_data.threads import (
    questions,
    statement_votes,
    statements,
    thread_objects,
)

GONE = -1  # stands for the author of a statement whose account is gone (pol.is needs an id)


@dataclass(frozen=True)
class Participants:
    """Actor ids → their number in one export."""

    numbers: dict[int, int]

    def of(self, actor_id: int | None) -> int | str:
        """The participant's number ('' for nobody: an author whose account is gone)."""
        if actor_id is None:
            return ""
        return self.numbers.get(actor_id, "")

    def __len__(self) -> int:
        return len(self.numbers)


async def _firsts(query: QuerySet[Any], actor: str, moment: str) -> Iterable[tuple[int, datetime]]:
    rows = await query.annotate(first=Min(moment)).group_by(actor).values(actor, "first")
    return ((int(row[actor]), _aware(row["first"])) for row in rows if row[actor] is not None)


def _aware(value: datetime | str) -> datetime:
    # an aggregate comes back raw: SQLite gives the stored ISO 8601 text
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def _everyone_in(proposal: ExportedProposal) -> list[tuple[int, datetime]]:
    shown = thread_objects(proposal)
    found: list[tuple[int, datetime]] = []
    found += await _firsts(shown, "author_id", "published_at")
    reactions = Reaction.filter(object_uri__in=Subquery(shown.values("uri")))
    found += await _firsts(reactions, "actor_id", "created_at")
    answers = Vote.filter(poll__object_id__in=Subquery(questions(proposal).values("id")))
    found += await _firsts(answers, "actor_id", "created_at")
    found += [
        (actor, moment) for actor, moment in await _statement_people(proposal) if actor != GONE
    ]
    return found


async def _statement_people(proposal: ExportedProposal) -> list[tuple[int, datetime]]:
    found = list(await _firsts(statements(proposal), "author_id", "created_at"))
    gone = await statements(proposal).filter(author_id=None).order_by("id").first()
    if gone is not None:
        found.append((GONE, _aware(gone.created_at)))
    found += await _firsts(statement_votes(proposal), "actor_id", "voted_at")
    return found


def _earliest(found: Iterable[tuple[int, datetime]], first: dict[int, datetime]) -> None:
    for actor_id, moment in found:
        if actor_id not in first or moment < first[actor_id]:
            first[actor_id] = moment


def _numbered(first: dict[int, datetime]) -> Participants:
    order = sorted(first, key=lambda actor_id: (first[actor_id], actor_id))
    return Participants({actor_id: number for number, actor_id in enumerate(order)})


async def participants(scope: Scope) -> Participants:
    """Everyone who took part in the consultations of `scope`, numbered."""
    first: dict[int, datetime] = {}
    async for proposal in proposals_of(scope):
        _earliest(await _everyone_in(proposal), first)
    return _numbered(first)


async def statement_participants(proposal: ExportedProposal) -> Participants:
    """Those who wrote or voted on the proposal's statements, numbered (the pol.is export)."""
    first: dict[int, datetime] = {}
    _earliest(await _statement_people(proposal), first)
    return _numbered(first)
