"""A proposal's opinion map is marked stale once per burst of votes."""

from __future__ import annotations

from datetime import UTC, datetime

from node.models import Actor, Object, OpinionMap, Proposal
from node.services.opinion_staleness import mark_map_stale
from tests.node.conftest import URLS


async def test_the_first_vote_after_a_computation_marks_the_map_and_later_ones_keep_that_moment(
    organisation: Actor,
) -> None:
    article = await Object.create(
        uri=URLS.object("p1"),
        type="Article",
        is_local=True,
        author=organisation,
        published_at=datetime.now(UTC),
    )
    proposal = await Proposal.create(object=article, organisation=organisation)
    await mark_map_stale(proposal.id)
    first = (await OpinionMap.get(proposal_id=proposal.id)).stale_since
    assert first is not None
    await mark_map_stale(proposal.id)
    assert (await OpinionMap.get(proposal_id=proposal.id)).stale_since == first
    await OpinionMap.filter(proposal_id=proposal.id).update(stale_since=None)
    await mark_map_stale(proposal.id)
    again = (await OpinionMap.get(proposal_id=proposal.id)).stale_since
    assert again is not None and again >= first
    assert await OpinionMap.filter(proposal_id=proposal.id).count() == 1
