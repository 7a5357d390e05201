"""The backfill worker: runs thread backfills in the background, a few at a time.

The inbox worker only drops a request here (`object_arrived`, `follow_accepted`) and goes on;
fetching a thread from its home can take many requests and must not hold up the inbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Literal

from node.services.backfill import ThreadBackfill
from node.services.backfill_budget import BackfillReport

log = logging.getLogger("townhall.backfill")
CONCURRENCY = 2
QUEUE_SIZE = 1_000

JobKind = Literal["object", "follow"]
Job = tuple[JobKind, str]


class BackfillWorker:
    """A bounded queue of backfill requests and the tasks that carry them out (BackfillRequests)."""

    def __init__(self, backfill: ThreadBackfill, *, concurrency: int = CONCURRENCY) -> None:
        self._backfill = backfill
        self._concurrency = concurrency
        self._queue: asyncio.Queue[Job] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._queued: set[Job] = set()
        self._tasks: list[asyncio.Task[None]] = []

    def object_arrived(self, uri: str) -> None:
        """A remote object was stored: fill in its unknown parents and new thread, later."""
        self._submit(("object", uri))

    def follow_accepted(self, actor_uri: str) -> None:
        """A remote actor accepted our follow: fetch what it published before, later."""
        self._submit(("follow", actor_uri))

    def start(self) -> None:
        """Start the tasks that run queued backfills."""
        for number in range(self._concurrency):
            self._tasks.append(asyncio.create_task(self._run(), name=f"backfill-{number}"))

    async def close(self) -> None:
        """Stop: backfills under way are cancelled (each store is its own transaction)."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    def _submit(self, job: Job) -> None:
        if job in self._queued:
            return
        try:
            self._queue.put_nowait(job)
        except asyncio.QueueFull:
            log.warning("backfill.queue_full", extra={"kind": job[0], "target": job[1]})
            return
        self._queued.add(job)

    async def _run(self) -> None:
        while True:
            job = await self._queue.get()
            self._queued.discard(job)
            try:
                report = await self._carry_out(job)
            except Exception:  # a bug must not stop backfilling; the log says which job
                log.exception("backfill.crashed", extra={"kind": job[0], "target": job[1]})
            else:
                _log_report(job, report)
            finally:
                self._queue.task_done()

    async def _carry_out(self, job: Job) -> BackfillReport:
        kind, target = job
        if kind == "object":
            return await self._backfill.after_arrival(target)
        return await self._backfill.after_follow(target)


def _log_report(job: Job, report: BackfillReport) -> None:
    if report.fetched == 0:
        return
    log.info(
        "backfill.done",
        extra={
            "kind": job[0],
            "target": job[1],
            "fetched": report.fetched,
            "stored": report.stored,
            "refused": report.refused,
            "threads": report.threads,
        },
    )
