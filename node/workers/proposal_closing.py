"""Closing consultations at their closing time: a timed pass in the node process, never a page.

An open proposal whose `closesAt` has passed moves to closed through the same table and the
same Update as a close by hand (node/services/proposals.py → lifecycle.py), signed by its
author: other servers hear it closed, its questions that close with it close, and from then on
it takes no comments, endorsements or amendments (late replies from other servers are kept,
marked). Two passes at once close nothing twice: the move from closed is refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from node.appkeys import OUTBOX
from node.models import Actor, Object, Proposal, ProposalStatus
from node.services.errors import ServiceError
from node.services.proposals import Proposals
from node.timestamps import now

log = logging.getLogger("townhall.phases")

CHECK_SECONDS = 2.0  # one small indexed query: a consultation closes within seconds of its time


async def close_due_proposals(proposals: Proposals) -> int:
    """Close every local open proposal past its closing time; how many were closed."""
    due = await Proposal.filter(
        status=ProposalStatus.OPEN, closes_at__lte=now(), object__is_local=True
    ).values_list("object_id", flat=True)
    closed = 0
    for object_id in due:
        row = await Object.get(id=object_id)
        author = await Actor.get(id=row.author_id)  # type: ignore[attr-defined]
        try:
            await proposals.update(author, row, {"proposalStatus": ProposalStatus.CLOSED.value})
        except ServiceError as error:  # closed meanwhile by hand, or by another process
            log.info("proposal.not_closed", extra={"object": row.uri, "reason": str(error)})
            continue
        log.info("proposal.closed", extra={"object": row.uri})
        closed += 1
    return closed


async def close_proposals_every(proposals: Proposals, seconds: float) -> None:
    """Close due consultations at once, then every `seconds`, until cancelled; a failure is
    logged and tried again next time."""
    while True:
        try:
            await close_due_proposals(proposals)
        except Exception:
            log.exception("proposal.closing_failed")
        await asyncio.sleep(seconds)


async def proposal_closing_context(app: web.Application) -> AsyncIterator[None]:
    """aiohttp cleanup context: close due consultations while the app runs (mounted after the
    federation services, whose outbox sends the Updates)."""
    proposals = Proposals(app[OUTBOX])
    task = asyncio.create_task(
        close_proposals_every(proposals, CHECK_SECONDS), name="proposal-closing"
    )
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
