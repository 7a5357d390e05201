"""The inbox worker: applies stored activities in arrival order, each at most once.

Every web process runs one, so on PostgreSQL several may share the queue: a worker claims an
item before applying it (a compare-and-set of the pending item's `processed_at`, used as a
lease until it is done), so no two apply the same item at once — which would, say, answer one
Follow with two Accepts. A claim left by a killed process lapses after LEASE_SECONDS.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from tortoise.expressions import Q

from federation.activities import apply_activity
from federation.errors import FederationError
from federation.ports import ActivityPorts
from federation.text import storable, unstorable_in
from node.models import InboxItem, InboxState
from node.services.delivery_queue import mark_host_available
from node.services.errors import ServiceError
from node.services.inbound import file_for_recipients
from node.workers.retention import Retention, prune_every, prune_inbox, prune_rate_events

log = logging.getLogger("townhall.inbox_worker")
BATCH = 50
MAX_ATTEMPTS = 5
IDLE_POLL_SECONDS = 5.0
HOST_MEMO_SECONDS = 300.0
LEASE_SECONDS = 120.0  # longer than applying one activity takes, fetches and all

AfterApply = Callable[[InboxItem, dict[str, Any]], Awaitable[object]]


async def _claim(item: InboxItem) -> bool:
    """Take the pending item for LEASE_SECONDS unless another worker holds it; whether taken."""
    now = datetime.now(UTC)
    taken = (
        await InboxItem.filter(id=item.id, state=InboxState.PENDING)
        .filter(Q(processed_at__isnull=True) | Q(processed_at__lt=now))
        .update(processed_at=now + timedelta(seconds=LEASE_SECONDS))
    )
    return bool(taken)


class GiveWay:
    """Accepting comes before applying: other servers wait for our 202, nobody waits for an
    activity to be applied a few seconds sooner.

    While activities keep arriving (one came in the last `busy_window` seconds), applying
    waits, unless the item in hand has waited `max_lag` seconds since it arrived: then it goes
    on, taking at most a third of the event loop, so a sustained flood cannot starve it.
    """

    def __init__(self, busy_window: float = 0.1, max_lag: float = 10.0) -> None:
        self.busy_window = busy_window
        self.max_lag = max_lag
        self._last_arrival = -busy_window

    def arrived(self) -> None:
        """An activity was accepted just now."""
        self._last_arrival = time.monotonic()

    def busy(self) -> bool:
        """Whether activities are arriving."""
        return time.monotonic() - self._last_arrival < self.busy_window

    async def wait_turn(self, received_at: datetime, stopping: Callable[[], bool]) -> bool:
        """Wait while the inbox is busy; True when the item is lagging and applying it goes
        on anyway (then call `after_lagging_item` once it is applied)."""
        while self.busy() and not stopping():
            if (datetime.now(UTC) - received_at).total_seconds() >= self.max_lag:
                return True
            await asyncio.sleep(self.busy_window)
        return False

    async def after_lagging_item(self, spent: float) -> None:
        """Leave the loop to accepting twice as long as applying the last item took."""
        await asyncio.sleep(spent * 2)


class InboxWorker:
    """Drains pending inbox items; woken when one arrives, and polls now and then anyway."""

    def __init__(
        self,
        ports: ActivityPorts,
        local_actor_prefix: str,
        after_apply: AfterApply | None = None,
        retention: Retention | None = None,
        give_way: GiveWay | None = None,
    ) -> None:
        self._ports = ports
        self._give_way = give_way or GiveWay()
        self._retention = retention or Retention()
        self._local_actor_prefix = local_actor_prefix
        self._after_apply = after_apply
        self._hosts_heard: dict[str, float] = {}
        self._wakeup = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        """New work has arrived."""
        self._give_way.arrived()
        self._wakeup.set()

    def stop(self) -> None:
        """Finish the item in hand, then return from run()."""
        self._stopping = True
        self._wakeup.set()

    async def run(self) -> None:
        """Work until stop() (or cancellation); prune applied items beside it."""
        retention = self._retention
        pruning = asyncio.gather(
            prune_every(
                retention.interval_seconds, partial(prune_inbox, retention=retention), "inbox"
            ),
            prune_every(retention.interval_seconds, prune_rate_events, "rate_event"),
        )
        try:
            while not self._stopping:
                self._wakeup.clear()
                processed = await self.drain()
                if processed:
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), timeout=IDLE_POLL_SECONDS)
        finally:
            pruning.cancel()
            await asyncio.gather(pruning, return_exceptions=True)

    async def drain(self) -> int:
        """Apply pending items once; return how many settled (a retry waits for the next poll)."""
        items = (
            await InboxItem.filter(state=InboxState.PENDING)
            .filter(Q(processed_at__isnull=True) | Q(processed_at__lt=datetime.now(UTC)))
            .order_by("id")
            .limit(BATCH)
        )
        settled = 0
        for item in items:
            if self._stopping:
                break
            lagging = await self._give_way.wait_turn(item.received_at, lambda: self._stopping)
            if self._stopping:
                break
            if not await _claim(item):
                continue  # another process's worker has it
            started = time.monotonic()
            settled += await self._process(item)
            if lagging:
                await self._give_way.after_lagging_item(time.monotonic() - started)
        return settled

    async def _process(self, item: InboxItem) -> bool:
        try:
            activity = json.loads(item.payload)
        except ValueError as error:
            return await self._failed(item, f"the stored payload is not JSON: {error}", final=True)
        if (where := unstorable_in(activity)) is not None:  # stored before the inbox refused it
            return await self._failed(item, f"NUL or a lone surrogate in {where}", final=True)
        try:
            # no transaction around this: applying may fetch from other servers, and an
            # open transaction would hold up the inbox meanwhile; each step is idempotent
            await apply_activity(activity, item.actor_uri, self._ports)
            await file_for_recipients(item, activity, self._local_actor_prefix)
            if self._after_apply is not None:
                await self._after_apply(item, activity)
            await self._host_heard_from(item.actor_uri)
            await self._done(item)
        except (ServiceError, FederationError) as error:
            return await self._failed(item, str(error))
        except UnicodeError as error:  # text no database stores: retrying cannot help
            return await self._failed(item, f"{type(error).__name__}: {error}", final=True)
        except Exception as error:  # a bug must not stop the queue; the item records it
            log.exception("inbox.crashed", extra={"activity": item.activity_uri})
            return await self._failed(item, f"{type(error).__name__}: {error}")
        log.info(
            "inbox.applied",
            extra={
                "activity": item.activity_uri,
                "type": item.activity_type,
                "actor": item.actor_uri,
            },
        )
        return True

    async def _host_heard_from(self, actor_uri: str) -> None:
        """A host that sends us signed activities is up: reopen deliveries to it (at most
        once every few minutes per host, to keep the database out of the hot path)."""
        host = urlsplit(actor_uri).netloc.lower()
        now = time.monotonic()
        if now - self._hosts_heard.get(host, -HOST_MEMO_SECONDS) < HOST_MEMO_SECONDS:
            return
        self._hosts_heard[host] = now
        await mark_host_available(host)

    async def _done(self, item: InboxItem) -> None:
        item.state, item.processed_at = InboxState.DONE, datetime.now(UTC)
        item.attempts += 1
        await item.save(update_fields=["state", "processed_at", "attempts"])

    async def _failed(self, item: InboxItem, reason: str, *, final: bool = False) -> bool:
        """Record a failed attempt; the item fails for good after MAX_ATTEMPTS or when `final`
        (until then its claim is let go, so the next poll, in any process, tries again)."""
        reason = storable(reason)  # the reason may quote the text that could not be stored
        item.attempts += 1
        item.error = reason[:2000]
        item.processed_at = None
        if final or item.attempts >= MAX_ATTEMPTS:
            item.state, item.processed_at = InboxState.FAILED, datetime.now(UTC)
        await item.save(update_fields=["attempts", "error", "state", "processed_at"])
        log.warning(
            "inbox.failed",
            extra={"activity": item.activity_uri, "reason": reason, "attempts": item.attempts},
        )
        return item.state == InboxState.FAILED
