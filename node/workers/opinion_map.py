"""Recomputing opinion maps: a timed pass in the node process (and in `townhall worker`) that
takes maps stale for at least the debounce (TOWNHALL_OPINION_DEBOUNCE_SECONDS, 5 s), so a
burst of votes costs one computation, and never a page view.

A map is claimed by a conditional UPDATE that moves its `stale_since` a lease ahead: another
worker's pass skips it until then (and takes it over if this one died). The maths runs in a
child process (node/opinion/child.py), so the event loop is never blocked and numpy never
enters the node's memory. The result is written, and `stale_since` cleared, only while the
claim holds; a vote that arrived during the computation (found by comparing the votes'
count, newest id and newest time before and after) marks the map stale again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from node.models import OpinionMap, StatementState, StatementVote
from node.opinion.threads import ONE_THREAD
from node.services.opinion_staleness import mark_map_stale
from node.workers.mail import seconds_from_env

log = logging.getLogger("townhall.opinion")

SEED = 20221  # node/opinion/compute.py's: the same votes give the same map
LEASE = timedelta(minutes=10)
CHILD_TIMEOUT = 120.0
_IMPORT_ROOT = str(Path(__file__).resolve().parents[2])

Votes = list[tuple[int, int, int]]
Compute = Callable[[Votes, int], Awaitable[dict[str, Any]]]


class OpinionMapFailed(Exception):
    """The child process did not return a map."""


async def compute_in_child(votes: Votes, seed: int) -> dict[str, Any]:
    """The map of `votes`, computed by `python -m node.opinion.child`."""
    existing = os.environ.get("PYTHONPATH", "")
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "node.opinion.child",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={
            **os.environ,
            **ONE_THREAD,
            "PYTHONPATH": os.pathsep.join(filter(None, [_IMPORT_ROOT, existing])),
        },
    )
    request = json.dumps({"votes": votes, "seed": seed}).encode()
    try:
        async with asyncio.timeout(CHILD_TIMEOUT):
            out, err = await child.communicate(request)
    except TimeoutError:
        child.kill()
        await child.wait()
        raise OpinionMapFailed("the computation took too long") from None
    if child.returncode != 0:
        raise OpinionMapFailed(err.decode(errors="replace")[-2000:])
    result: dict[str, Any] = json.loads(out)
    return result


def _counted_votes(proposal_id: int) -> Any:
    return StatementVote.filter(
        statement__proposal_id=proposal_id, statement__state=StatementState.APPROVED
    )


async def _fingerprint(proposal_id: int) -> tuple[Any, ...]:
    """What changes when a vote is cast or changed: the count, newest id and newest time."""
    votes = _counted_votes(proposal_id)
    last = await votes.order_by("-id").first().values_list("id", flat=True)
    latest = await votes.order_by("-voted_at").first().values_list("voted_at", flat=True)
    return (await votes.count(), last, latest)


async def recompute(
    map_id: int, seen_stale_since: datetime, proposal_id: int, compute: Compute, seed: int = SEED
) -> bool:
    """Claim map `map_id` (if still stale since `seen_stale_since`) and recompute it; whether
    this call did."""
    claim = datetime.now(UTC) + LEASE
    claimed = await OpinionMap.filter(id=map_id, stale_since=seen_stale_since).update(
        stale_since=claim
    )
    if not claimed:
        return False  # another worker has it, or a newer vote moved it
    before = await _fingerprint(proposal_id)
    votes: Votes = [
        (actor, statement, value)
        for actor, statement, value in await _counted_votes(proposal_id)
        .order_by("id")
        .values_list("actor_id", "statement_id", "value")
    ]
    try:
        result = await compute(votes, seed) if votes else _empty(seed)
    except Exception:
        log.exception("opinion.map_failed", extra={"proposal": proposal_id})
        return False  # the claim runs out and a later pass tries again
    written = await OpinionMap.filter(id=map_id, stale_since=claim).update(
        result=result,
        computed_at=datetime.now(UTC),
        votes_counted=int(result["votes_counted"]),
        stale_since=None,
    )
    if not written:
        log.warning("opinion.claim_lost", extra={"proposal": proposal_id})
        return False
    if await _fingerprint(proposal_id) != before:
        await mark_map_stale(proposal_id)  # votes came in meanwhile: once more, after a while
    log.info(
        "opinion.map_computed",
        extra={"proposal": proposal_id, "votes": result["votes_counted"], "k": result.get("k")},
    )
    return True


def _empty(seed: int) -> dict[str, Any]:
    return {
        "format": 1, "seed": seed, "votes_counted": 0, "participants": 0, "statements": 0,
        "clustered": 0, "enough": False,
    }  # fmt: skip


async def recompute_due_maps(
    debounce: timedelta, compute: Compute = compute_in_child, seed: int = SEED
) -> int:
    """Recompute every map stale for at least `debounce`; how many this pass computed."""
    due = (
        await OpinionMap.filter(
            stale_since__lte=datetime.now(UTC) - debounce,
            proposal__object__is_local=True,  # the map is drawn on the proposal's home node
        )
        .order_by("stale_since", "id")
        .values("id", "stale_since", "proposal_id")
    )
    done = 0
    for row in due:
        done += await recompute(row["id"], row["stale_since"], row["proposal_id"], compute, seed)
    return done


async def recompute_maps_every(seconds: float, debounce: timedelta) -> None:
    """Recompute due maps now, then every `seconds`, until cancelled."""
    while True:
        try:
            await recompute_due_maps(debounce)
        except Exception:
            log.exception("opinion.pass_failed")
        await asyncio.sleep(seconds)


@contextlib.asynccontextmanager
async def running_opinion_worker() -> AsyncIterator[None]:
    """The opinion map worker recomputing in the background for the length of the block."""
    debounce = timedelta(seconds=seconds_from_env("TOWNHALL_OPINION_DEBOUNCE_SECONDS", 5.0))
    seconds = seconds_from_env("TOWNHALL_OPINION_POLL_SECONDS", 2.0)
    task = asyncio.create_task(recompute_maps_every(seconds, debounce), name="opinion-maps")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def opinion_map_context(app: web.Application) -> AsyncIterator[None]:
    """aiohttp cleanup context: recompute opinion maps in the node process while the app runs."""
    async with running_opinion_worker():
        yield
