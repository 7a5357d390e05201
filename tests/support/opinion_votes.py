"""Statements and votes put straight into a node's database, for the opinion map's tests (the
statements' own pages and federation are tested where they are built)."""

from __future__ import annotations

from datetime import UTC, datetime

from node.config import SQLITE_FILE
from node.db import close_database, open_database
from node.models import Actor, ActorType, Statement, StatementState, StatementVote
from node.services.opinion_staleness import mark_map_stale
from tests.support.nodes import RunningNode, eventually, fetch_value, post_outbox

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


async def voted_proposal_on(node: RunningNode, handle: str, people: int = 30) -> str:
    """A proposal published by member `handle` of the running `node`, its statements voted on
    in two camps straight in the node's database; the proposal page's path."""
    token = node.token(handle)
    proposal = {
        "type": "Article",
        "name": "Open the advice centre on Saturdays",
        "summary": "People who work weekdays cannot reach us.",
        "source": "We propose **Saturday mornings**, 9 to 1.",
    }
    _, created = await post_outbox(node, handle, token, proposal)
    uri = created["object"]["id"]
    proposal_id = int(
        await fetch_value(
            node, f"SELECT p.id FROM proposal p JOIN object o ON o.id = p.object_id "
            f"WHERE o.uri = '{uri}'",
        )
    )  # fmt: skip
    database_url = node.env.get("TOWNHALL_DATABASE_URL") or (
        f"sqlite://{node.process.data_dir / SQLITE_FILE}"
    )
    await open_database(database_url)
    try:
        await two_camps(proposal_id, people=people, statements=10)
    finally:
        await close_database()
    return "/objects/" + uri.rsplit("/", 1)[1]


async def map_computed(node: RunningNode) -> None:
    """Wait until the node's worker has computed every stale map."""
    await eventually(
        lambda: fetch_value(
            node,
            "SELECT COUNT(*) FROM opinion_map WHERE computed_at IS NULL OR stale_since IS NOT NULL",
        ),
        lambda left: int(left) == 0,
        timeout=60,
        what="the opinion map computed",
    )
