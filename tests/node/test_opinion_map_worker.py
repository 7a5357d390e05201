"""The worker recomputes a proposal's opinion map once its votes have settled, in a child
process, one worker per map, and notices votes cast while it was computing."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from node.models import (
    Actor,
    ActorType,
    Object,
    OpinionMap,
    Proposal,
    Statement,
    StatementState,
    StatementVote,
)
from node.services.opinion_staleness import mark_map_stale
from node.workers.opinion_map import LEASE, compute_in_child, recompute_due_maps
from tests.node.conftest import URLS
from tests.support.opinion_votes import AGREED_BY_ALL, two_camps

NOW = timedelta(0)


async def consultation(organisation: Actor, people: int = 12, statements: int = 8) -> Proposal:
    """A proposal whose statements were voted on by two camps (tests/support/opinion_votes.py),
    and one pending statement with a vote that must not count."""
    article = await Object.create(
        uri=URLS.object("p1"),
        type="Article",
        is_local=True,
        author=organisation,
        published_at=datetime.now(UTC),
    )
    proposal = await Proposal.create(object=article, organisation=organisation)
    await two_camps(proposal.id, people, statements)
    pending = await Statement.create(
        proposal=proposal, text="Not yet", state=StatementState.PENDING
    )
    voter = await Actor.filter(handle__startswith=f"p{proposal.id}v").first()
    assert voter is not None
    await StatementVote.create(statement=pending, actor=voter, value=1, voted_at=datetime.now(UTC))
    return proposal


async def test_a_stale_map_is_computed_in_a_child_process_and_no_longer_stale(
    organisation: Actor,
) -> None:
    proposal = await consultation(organisation)
    assert await recompute_due_maps(NOW) == 1
    stored = await OpinionMap.get(proposal_id=proposal.id)
    assert stored.stale_since is None and stored.computed_at is not None
    assert stored.votes_counted == 12 * 8  # the vote on the pending statement is not counted
    result = stored.result
    assert result is not None and result["enough"] and result["k"] == 2
    assert sorted(group["members"] for group in result["groups"]) == [6, 6]
    assert [item["statement"] for item in result["consensus"]] == [
        (await Statement.get(proposal_id=proposal.id, text=AGREED_BY_ALL)).id
    ]
    assert await recompute_due_maps(NOW) == 0  # nothing stale: nothing computed


async def test_a_map_waits_for_the_debounce_before_it_is_computed(organisation: Actor) -> None:
    proposal = await consultation(organisation)
    assert await recompute_due_maps(timedelta(minutes=1)) == 0
    stored = await OpinionMap.get(proposal_id=proposal.id)
    assert stored.stale_since is not None and stored.result is None


async def test_a_map_another_worker_has_claimed_is_left_to_it(organisation: Actor) -> None:
    proposal = await consultation(organisation)
    claimed_until = datetime.now(UTC) + LEASE
    await OpinionMap.filter(proposal_id=proposal.id).update(stale_since=claimed_until)
    assert await recompute_due_maps(NOW) == 0
    stored = await OpinionMap.get(proposal_id=proposal.id)
    assert stored.result is None and stored.stale_since == claimed_until


async def test_a_vote_cast_during_the_computation_leaves_the_map_stale(organisation: Actor) -> None:
    proposal = await consultation(organisation)
    statement = await Statement.filter(proposal_id=proposal.id, state="approved").first()
    assert statement is not None
    late = await Actor.create(
        uri="https://elsewhere.example/users/late", type=ActorType.PERSON, handle="late",
        domain="elsewhere.example", inbox_uri="https://elsewhere.example/users/late/inbox",
    )  # fmt: skip

    async def compute_while_someone_votes(votes: Any, seed: int) -> dict[str, Any]:
        result = await compute_in_child(votes, seed)
        await StatementVote.create(
            statement=statement, actor=late, value=-1, voted_at=datetime.now(UTC)
        )
        await mark_map_stale(proposal.id)  # finds the map claimed: changes nothing
        return result

    assert await recompute_due_maps(NOW, compute_while_someone_votes) == 1
    stored = await OpinionMap.get(proposal_id=proposal.id)
    assert stored.result is not None and stored.votes_counted == 12 * 8
    assert stored.stale_since is not None  # the late vote gets its own computation
    assert await recompute_due_maps(NOW) == 1
    assert (await OpinionMap.get(proposal_id=proposal.id)).votes_counted == 12 * 8 + 1


async def test_a_failed_computation_keeps_the_claim_and_writes_nothing(organisation: Actor) -> None:
    proposal = await consultation(organisation)

    async def failing(votes: Any, seed: int) -> dict[str, Any]:
        raise RuntimeError("out of memory")

    assert await recompute_due_maps(NOW, failing) == 0
    stored = await OpinionMap.get(proposal_id=proposal.id)
    assert stored.result is None
    assert stored.stale_since is not None and stored.stale_since > datetime.now(UTC)  # leased


async def test_too_few_votes_store_a_map_that_says_so(organisation: Actor) -> None:
    proposal = await consultation(organisation, people=3, statements=3)
    assert await recompute_due_maps(NOW) == 1
    stored = await OpinionMap.get(proposal_id=proposal.id)
    assert stored.result is not None and stored.result["enough"] is False
    assert stored.votes_counted == 9 and stored.stale_since is None


def test_importing_the_node_and_its_workers_loads_no_numpy() -> None:
    script = (
        "import sys\n"
        "import node.app, node.cli, node.server, node.workers.delivery_process\n"
        "import node.workers.opinion_map\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('numpy', 'sklearn', 'scipy')]\n"
        "assert not heavy, heavy\n"
        "assert 'node.opinion.compute' not in sys.modules\n"
        "print('lean')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0 and done.stdout.strip() == "lean", done.stderr[-2000:]


async def test_another_nodes_proposal_gets_no_map_here(organisation: Actor) -> None:
    proposal = await consultation(organisation)
    await Object.filter(id=proposal.object_id).update(is_local=False)  # type: ignore[attr-defined]
    assert await recompute_due_maps(NOW) == 0
    assert (await OpinionMap.get(proposal_id=proposal.id)).result is None
