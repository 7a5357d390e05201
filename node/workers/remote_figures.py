"""Refreshing remote proposals' figures (node/services/remote_figures.py) in the background.

Two things ask for a refresh: an activity about a remote proposal's thread reaching our inbox
(the inbox worker hands it over with `activity_arrived`; a burst of them makes one refresh
DEBOUNCE_SECONDS after the first), and people looking at its page (figures_interest, noted in
memory by the page; such a refresh happens at most every LOOKED_AT_SECONDS per proposal). Pages
never fetch; only this worker does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from tortoise.expressions import Q

from federation.client import FederationClient
from node.models import Object, Proposal
from node.services.figures_interest import take_looked_at
from node.services.remote_figures import refresh_figures

log = logging.getLogger("townhall.remote_figures")

DEBOUNCE_SECONDS = 2.0
LOOKED_AT_SECONDS = 180.0
TICK_SECONDS = 1.0
MAX_PENDING_URIS = 5_000


class RemoteFiguresWorker:
    """Collects what asks for a refresh, and refreshes one proposal at a time."""

    def __init__(
        self,
        client: FederationClient,
        *,
        debounce: float = DEBOUNCE_SECONDS,
        looked_at_every: float = LOOKED_AT_SECONDS,
        tick: float = TICK_SECONDS,
    ) -> None:
        self._client = client
        self._debounce = debounce
        self._looked_at_every = looked_at_every
        self._tick = tick
        self._uris: set[str] = set()
        self._first_arrival: float | None = None
        self._refreshed_at: dict[int, float] = {}
        self._task: asyncio.Task[None] | None = None

    def activity_arrived(self, activity: dict[str, Any]) -> None:
        """An incoming activity was applied: the threads it is about get fresh figures soon."""
        uris = _uris_of(activity)
        if not uris or len(self._uris) >= MAX_PENDING_URIS:
            return
        self._uris |= uris
        if self._first_arrival is None:
            self._first_arrival = time.monotonic()

    def start(self) -> None:
        """Start refreshing in the background."""
        self._task = asyncio.create_task(self._run(), name="remote-figures")

    async def close(self) -> None:
        """Stop; a refresh under way is cancelled (it writes in one statement, or not at all)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def run_once(self) -> int:
        """Refresh what is due now; how many proposals were refreshed."""
        due: set[int] = set()
        started = self._first_arrival
        if started is not None and time.monotonic() - started >= self._debounce:
            uris, self._uris, self._first_arrival = self._uris, set(), None
            due |= await _remote_proposals_about(uris)
        moment = time.monotonic()
        for proposal_id in take_looked_at():
            if moment - self._refreshed_at.get(proposal_id, -self._looked_at_every) >= (
                self._looked_at_every
            ):
                due.add(proposal_id)
        refreshed = 0
        for proposal_id in sorted(due):
            self._refreshed_at[proposal_id] = time.monotonic()
            refreshed += await refresh_figures(self._client, proposal_id)
        self._forget_old(moment)
        return refreshed

    def _forget_old(self, moment: float) -> None:
        for proposal_id, at in list(self._refreshed_at.items()):
            if moment - at >= self._looked_at_every:
                del self._refreshed_at[proposal_id]

    async def _run(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # a bug must not stop refreshing; the next tick tries again
                log.exception("remote_figures.crashed")
            await asyncio.sleep(self._tick)


def _uris_of(activity: dict[str, Any]) -> set[str]:
    """The objects and threads an activity names (an Announce's Create's Note included)."""
    found: set[str] = set()
    value: Any = activity
    for _ in range(3):
        value = value.get("object") if isinstance(value, dict) else None
        if isinstance(value, str):
            found.add(value)
            break
        if not isinstance(value, dict):
            break
        for key in ("id", "inReplyTo", "context"):
            named = value.get(key)
            if isinstance(named, str):
                found.add(named)
    return {uri for uri in found if uri.startswith(("http://", "https://")) and len(uri) <= 2048}


async def _remote_proposals_about(uris: set[str]) -> set[int]:
    """The remote proposals whose thread holds, or is, one of `uris`."""
    if not uris:
        return set()
    named = list(uris)
    held = await Object.filter(uri__in=named).values_list("context_uri", flat=True)
    contexts = {str(context) for context in held if context} | uris
    ids: list[Any] = await (
        Proposal.filter(object__is_local=False, object__type="Article")
        .filter(Q(object__uri__in=named) | Q(object__context_uri__in=list(contexts)))
        .values_list("id", flat=True)
    )
    return {int(proposal_id) for proposal_id in ids}
