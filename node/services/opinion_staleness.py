"""Marking a proposal's opinion map out of date: a new vote or a newly approved statement calls
`mark_map_stale`, and the worker recomputes maps that have been stale for a moment (debounced:
a burst of votes costs one computation)."""

from __future__ import annotations

from datetime import UTC, datetime

from node.models import OpinionMap
from node.services.unique_inserts import insert_unless_taken


async def mark_map_stale(proposal_id: int) -> None:
    """Note that the map of proposal `proposal_id` no longer shows every vote (the first time
    since it was last computed; a later call leaves the earlier moment, so the debounce cannot
    be put off for ever by a steady trickle of votes)."""
    now = datetime.now(UTC)
    updated = await OpinionMap.filter(proposal_id=proposal_id, stale_since__isnull=True).update(
        stale_since=now
    )
    if not updated and not await OpinionMap.exists(proposal_id=proposal_id):
        await insert_unless_taken(OpinionMap, proposal_id=proposal_id, stale_since=now)
