"""The delivery worker: POSTs queued activities to remote inboxes, with retries and breakers.

Each worker process runs one `DeliveryWorker` with `delivery_workers` concurrent sends over
one FederationClient (one keep-alive pool).  It leases due rows (see `delivery_store`), signs
each POST as the row's signer, and writes the outcome back in batches.

Exactly once: a row is POSTed only under its unexpired lease and never after it is
DELIVERED, and a send is given at most the time left on its lease.  A duplicate is possible
only if the process dies between the receiver's 2xx and our commit of DELIVERED; the row is
then sent again once its lease expires, and receivers drop it by activity id.  A send
cancelled at shutdown leaves its row leased; it is retried when the lease expires.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from datetime import UTC, datetime
from functools import partial

from federation.client import FederationClient
from federation.delivery import (
    HEALTHY,
    ContextSigner,
    Decision,
    HostHealth,
    Outcome,
    RandomSource,
    after_failure,
    bounded_retry_after,
    counts_against_host,
    decide,
    is_open,
)
from federation.errors import FederationError, KeyFormatError
from federation.signatures import SigningKey
from node.models import Actor
from node.services.blocklist import BlockList, current_blocks
from node.services.delivery_queue import DeliveryWakeup
from node.services.keyring import KeyRing
from node.workers.delivery_settings import DeliverySettings
from node.workers.delivery_store import (
    ClaimedDelivery,
    Payloads,
    Settled,
    Verdict,
    claim_due,
    next_due,
    record,
)
from node.workers.host_slots import HostSlots
from node.workers.retention import prune_deliveries, prune_every

log = logging.getLogger("townhall.delivery")

LEASE_MARGIN_SECONDS = 1.0
MIN_SEND_SECONDS = 0.5
MIN_WAIT_SECONDS = 0.01
SHUTDOWN_FLUSH_SECONDS = 5.0
FLUSH_SECONDS = 0.05  # the longest a finished delivery waits to be written back
MAX_FLUSH_FAILURES = 3
BLOCKED_HERE = "not sent: the recipient or its server is blocked here"
SENDS_PER_HOST = 2  # at once; the rest of a host's rows wait for a kept-alive connection


class UnknownSigner(Exception):
    """The delivery's signer is not a live local actor any more."""


class SignerKeys:
    """The signing key of each delivery's signer, loaded once per process via the KeyRing."""

    def __init__(self, keyring: KeyRing) -> None:
        self._keyring = keyring
        self._actors: dict[str, Actor] = {}
        # a fan-out's first rows all ask at once: one read, and every asker resumes with it
        self._reading: dict[str, asyncio.Future[Actor]] = {}

    async def key_for(self, signer_uri: str) -> SigningKey:
        """The key to sign as `signer_uri`; UnknownSigner if it is not a local actor."""
        actor = self._actors.get(signer_uri)
        if actor is None:
            reading = self._reading.get(signer_uri)
            if reading is None:
                reading = asyncio.ensure_future(self._read(signer_uri))
                self._reading[signer_uri] = reading
                reading.add_done_callback(lambda _: self._reading.pop(signer_uri, None))
            actor = await asyncio.shield(reading)  # one asker cancelled cancels no other
        return await self._keyring.signing_key(actor)

    async def _read(self, signer_uri: str) -> Actor:
        # a deleted member's actor still signs what was queued: its own Delete above all
        actor = await Actor.get_or_none(uri=signer_uri, is_local=True)
        if actor is None:
            raise UnknownSigner(f"{signer_uri} is not a local actor")
        self._actors[signer_uri] = actor
        return actor


class DeliveryWorker:
    """Leases due deliveries, POSTs them concurrently and records the outcomes."""

    def __init__(
        self,
        client: FederationClient,
        signer: ContextSigner,
        keys: SignerKeys,
        wakeup: DeliveryWakeup,
        settings: DeliverySettings,
        *,
        rng: RandomSource | None = None,
    ) -> None:
        self._client, self._signer, self._keys = client, signer, keys
        self._wakeup, self._settings = wakeup, settings
        self._rng = rng or random.SystemRandom()
        # rows wait leased, ready to go: enough that several hosts are in flight
        self._capacity = 4 * settings.concurrency
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._host_slots = HostSlots(SENDS_PER_HOST)
        self._in_flight: set[asyncio.Task[Settled]] = set()
        self._settled: list[Settled] = []
        self._health: dict[str, HostHealth] = {}  # hosts in trouble, as this process sees them
        self._payloads = Payloads()
        self._flushed_at = time.monotonic()
        self._flush_failures = 0

    async def run(self) -> None:
        """Deliver until cancelled; then abandon in-flight POSTs and record finished ones.
        Old finished deliveries are pruned beside it."""
        log.info("delivery.worker_started", extra={"concurrency": self._settings.concurrency})
        retention = self._settings.retention
        pruning = asyncio.create_task(
            prune_every(
                retention.interval_seconds,
                partial(prune_deliveries, retention=retention),
                "delivery",
            )
        )
        try:
            while True:
                try:
                    await self._cycle()
                except Exception:  # a database hiccup must not end deliveries for good
                    log.exception("delivery.worker_error")
                    await asyncio.sleep(self._settings.poll_interval)
        finally:
            pruning.cancel()
            await asyncio.gather(pruning, return_exceptions=True)
            await self._shutdown()

    async def _cycle(self) -> None:
        # Under load, outcomes are written and rows claimed in batches, not one per POST.
        batch_room = self._room_for_a_batch()
        if self._settled and (batch_room or _elapsed(self._flushed_at) > FLUSH_SECONDS):
            await self._flush()
        timeout = self._settings.poll_interval
        if batch_room:
            room = self._capacity - len(self._in_flight)
            rows = await claim_due(room, _now(), self._settings.lease, self._payloads)
            blocks = await current_blocks() if rows else BlockList()  # cached: no query per row
            for row in rows:
                if blocks.blocks_inbox(row.inbox_uri):  # blocked after it was queued
                    self._settled.append(Settled(row, Verdict.FAILED, error=BLOCKED_HERE))
                else:
                    self._start(row)
            if len(rows) == room:
                return
            timeout = await self._idle_timeout()
        if self._settled:
            # Also those settled during the awaits above: their wake-up may have been taken
            # by another worker sharing it, so they must not wait for the idle poll.
            timeout = min(timeout, FLUSH_SECONDS)
        await self._wakeup.wait(timeout)

    def _room_for_a_batch(self) -> bool:
        free = self._capacity - len(self._in_flight)
        return free >= max(1, self._settings.concurrency)

    async def _idle_timeout(self) -> float:
        now = _now()
        due = await next_due(now)
        if due is None:
            return self._settings.poll_interval
        return min(self._settings.poll_interval, max(MIN_WAIT_SECONDS, (due - now).total_seconds()))

    def _start(self, row: ClaimedDelivery) -> None:
        task = asyncio.create_task(self._deliver(row), name=f"delivery-{row.id}")
        self._in_flight.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Settled]) -> None:
        self._in_flight.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            log.error("delivery.crashed", extra={"error": repr(error)})
        else:
            self._settled.append(task.result())
        self._wakeup.wake()

    async def _deliver(self, row: ClaimedDelivery) -> Settled:
        # the host's turn first, so rows waiting for their host hold no sending slot
        async with self._host_slots.turn(row.host), self._slots:
            now = _now()
            health = self._health.get(row.host)
            if health is not None and is_open(health, now):
                return Settled(row, Verdict.RELEASED, next_attempt_at=health.open_until)
            window = (row.locked_until - now).total_seconds() - LEASE_MARGIN_SECONDS
            if window < MIN_SEND_SECONDS:
                return Settled(row, Verdict.RELEASED, next_attempt_at=now)
            settled = await self._send(row, window)
            # before the slot is released, so the next send to this host sees the breaker
            self._project(settled, _now())
            return settled

    async def _send(self, row: ClaimedDelivery, window: float) -> Settled:
        status: int | None = None
        retry_after: float | None = None
        excerpt, error = "", None
        try:
            key = await self._keys.key_for(row.payload.signer_uri)
            with self._signer.signing_as(key):
                result = await self._client.post_activity(
                    row.inbox_uri, row.payload.body, time_limit=window
                )
            status, retry_after, excerpt = result.status, result.retry_after, result.body_excerpt
        except (FederationError, UnknownSigner) as caught:
            error = caught
        return self._judge(row, status, retry_after, error, excerpt)

    def _judge(
        self,
        row: ClaimedDelivery,
        status: int | None,
        retry_after: float | None,
        error: BaseException | None,
        excerpt: str,
    ) -> Settled:
        now = _now()
        decision = decide(
            row.attempts,
            status,
            error,
            rng=self._rng,
            retry_after=retry_after,
            age=now - row.created_at,
            base=self._settings.retry_base,
        )
        if isinstance(error, UnknownSigner | KeyFormatError):
            decision = Decision(Outcome.FINAL)  # our own key is gone: no try can work
        host_failed = counts_against_host(status, error)
        verdict = {
            Outcome.DELIVERED: Verdict.DELIVERED,
            Outcome.RETRY: Verdict.RETRY,
            Outcome.FINAL: Verdict.FAILED,
        }[decision.outcome]
        return Settled(
            row,
            verdict,
            status=status,
            error=_describe(status, error, excerpt),
            next_attempt_at=now + decision.delay if decision.delay is not None else None,
            host_failed=host_failed,
            host_answered=status is not None and not host_failed,
            retry_after=bounded_retry_after(retry_after) if host_failed else None,
        )

    async def _flush(self) -> None:
        if not self._settled:
            return
        batch, self._settled = self._settled, []
        self._flushed_at, now = time.monotonic(), _now()
        try:
            health = await record(batch, now, self._settings.breaker)
        except Exception:
            self._flush_failures += 1
            if self._flush_failures < MAX_FLUSH_FAILURES:
                self._settled[:0] = batch  # written on the next cycle
            else:  # never wedge the queue: the leases expire and the rows are tried again
                log.error("delivery.outcomes_dropped", extra={"count": len(batch)})
                self._flush_failures = 0
            raise
        self._flush_failures = 0
        self._remember(health, now)
        for item in batch:
            _log_settled(item)
        _log_held_hosts(health, now)

    def _remember(self, health: dict[str, HostHealth], now: datetime) -> None:
        """Take the database's view of the hosts, plus results that came in meanwhile."""
        for host, state in health.items():
            self._set_health(host, state)
        for item in self._settled:
            self._project(item, now)

    def _project(self, item: Settled, now: datetime) -> None:
        host = item.row.host
        if item.host_answered:
            self._set_health(host, HEALTHY)
        elif item.host_failed:
            current = self._health.get(host, HEALTHY)
            policy = self._settings.breaker
            self._set_health(host, after_failure(current, now, policy, item.retry_after))

    def _set_health(self, host: str, health: HostHealth) -> None:
        if health == HEALTHY:
            self._health.pop(host, None)
        else:
            self._health[host] = health

    async def _shutdown(self) -> None:
        for task in self._in_flight:
            task.cancel()
        await asyncio.gather(*self._in_flight, return_exceptions=True)
        try:
            async with asyncio.timeout(SHUTDOWN_FLUSH_SECONDS):
                await self._flush()
        except Exception:  # the leases expire and the rows are tried again
            log.exception("delivery.shutdown_flush_failed")
        log.info("delivery.worker_stopped", extra={"unrecorded": len(self._settled)})


def _describe(status: int | None, error: BaseException | None, excerpt: str) -> str:
    if error is not None:
        text = f"{type(error).__name__}: {error}"
    else:
        text = "" if status is None or 200 <= status < 300 else f"HTTP {status}: {excerpt}"
    return text.replace("\x00", "")  # a remote body may hold NULs, which PostgreSQL refuses


def _log_settled(item: Settled) -> None:
    row = item.row
    fields = {
        "activity_id": row.activity_uri,
        "inbox": row.inbox_uri,
        "status": item.status,
        "attempts": row.attempts,
    }
    if item.verdict is Verdict.DELIVERED:
        log.info("delivery.delivered", extra=fields)
    elif item.verdict is Verdict.RETRY:
        when = item.next_attempt_at.isoformat() if item.next_attempt_at else None
        log.info("delivery.retry_scheduled", extra={**fields, "error": item.error, "next": when})
    elif item.verdict is Verdict.FAILED:
        log.warning("delivery.failed", extra={**fields, "error": item.error})
    else:
        log.debug("delivery.released", extra=fields)


def _log_held_hosts(health: dict[str, HostHealth], now: datetime) -> None:
    for host, state in health.items():
        if state.open_until is not None and is_open(state, now):
            log.info(
                "delivery.host_on_hold",
                extra={
                    "remote_host": host,
                    "until": state.open_until.isoformat(),
                    "unavailable": state.unavailable,
                },
            )


def _now() -> datetime:
    return datetime.now(UTC)


def _elapsed(since: float) -> float:
    return time.monotonic() - since
