"""Statements and votes put straight into a node's database, for the opinion map's tests (the
statements' own pages and federation are tested where they are built)."""

from __future__ import annotations

from datetime import UTC, datetime

from node.models import Actor, ActorType, Statement, StatementState, StatementVote
from node.services.opinion_staleness import mark_map_stale

AGREED_BY_ALL = "Opening hours should be posted on the door"


async def two_camps(proposal_id: int, people: int = 12, statements: int = 8) -> list[Statement]:
    """Approved statements voted on by two camps (even and odd people): the first, AGREED_BY_ALL,
    everyone agrees with; on the others the camps take opposite sides. The map is marked stale."""
    voters = [
        await Actor.create(
            uri=f"https://elsewhere.example/users/p{proposal_id}v{n}",
            type=ActorType.PERSON,
            handle=f"p{proposal_id}v{n}",
            domain="elsewhere.example",
            inbox_uri=f"https://elsewhere.example/users/p{proposal_id}v{n}/inbox",
        )
        for n in range(people)
    ]
    shown = [
        await Statement.create(
            proposal_id=proposal_id,
            text=AGREED_BY_ALL if n == 0 else f"Statement number {n}",
            state=StatementState.APPROVED,
        )
        for n in range(statements)
    ]
    now = datetime.now(UTC)
    await StatementVote.bulk_create(
        [
            StatementVote(
                statement=statement,
                actor=voter,
                voted_at=now,
                value=1 if s == 0 or (n + s) % 2 == 0 else -1,
            )
            for n, voter in enumerate(voters)
            for s, statement in enumerate(shown)
        ]
    )
    await mark_map_stale(proposal_id)
    return shown
