"""Keeping the queues small: finished deliveries and applied inbox items are deleted when old.

A post to ten thousand followers leaves ten thousand rows behind it. Delivered rows are kept
a week (the admin's delivery page counts the last day's), failed ones a month (their errors
explain a host's trouble); payloads no delivery refers to any more go with them. Received
activities are kept a month once applied: long past any sender's retries (Mastodon's stop
after about 2.5 days), so a repeated delivery still has no second effect. Rate-limit events
(sign-in tries, sign-ups) go after a day, longer than any limit reads them
(node/services/rate_limits.py); the inbox worker prunes them beside its queue.
Rows are deleted in batches, each its own short transaction, so neither queue is blocked for
long. Each worker prunes in a task of its own (`prune_every`), so a large first pruning after
an upgrade holds up no delivery and no applying; two doing it at once delete nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise import connections

from node.raw_sql import is_postgres, numbered
from node.services import rate_limits

log = logging.getLogger("townhall.retention")

BATCH_ROWS = 1000
# {p1}: rows finished before this go; {p2}: at most this many per statement.
_DELETE_DELIVERED = """
DELETE FROM delivery WHERE id IN (
    SELECT id FROM delivery WHERE state = 'delivered' AND delivered_at < {p1} LIMIT {p2}
)
"""
_DELETE_FAILED = """
DELETE FROM delivery WHERE id IN (
    SELECT id FROM delivery WHERE state = 'failed' AND created_at < {p1} LIMIT {p2}
)
"""
# A payload queued again has its date renewed in the same transaction as its new rows, so
# the date keeps this from deleting a payload whose rows are not committed yet.
_DELETE_UNUSED_PAYLOADS = """
DELETE FROM delivery_payload WHERE id IN (
    SELECT p.id FROM delivery_payload p
    WHERE p.created_at < {p1}
      AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.payload_id = p.id)
    LIMIT {p2}
)
"""


_DELETE_INBOX_ITEMS = """
DELETE FROM inbox_item WHERE id IN (
    SELECT id FROM inbox_item WHERE state <> 'pending' AND received_at < {p1} LIMIT {p2}
)
"""


@dataclass(frozen=True)
class Retention:
    """How long finished work is kept, and how often a worker prunes."""

    delivered: timedelta = timedelta(days=7)
    failed: timedelta = timedelta(days=30)
    unused_payload: timedelta = timedelta(hours=1)
    inbox_item: timedelta = timedelta(days=30)
    interval_seconds: float = 3600.0


@dataclass(frozen=True)
class Pruned:
    """What one pruning deleted."""

    delivered: int
    failed: int
    payloads: int


async def prune_deliveries(now: datetime, retention: Retention) -> Pruned:
    """Delete the deliveries finished longer ago than `retention` keeps them, then the
    payloads left without a delivery."""
    pruned = Pruned(
        delivered=await _delete_in_batches(_DELETE_DELIVERED, now - retention.delivered),
        failed=await _delete_in_batches(_DELETE_FAILED, now - retention.failed),
        payloads=await _delete_in_batches(_DELETE_UNUSED_PAYLOADS, now - retention.unused_payload),
    )
    if pruned != Pruned(0, 0, 0):
        log.info(
            "delivery.pruned",
            extra={
                "delivered": pruned.delivered,
                "failed": pruned.failed,
                "payloads": pruned.payloads,
            },
        )
    return pruned


async def prune_inbox(now: datetime, retention: Retention) -> int:
    """Delete received activities applied (or given up) longer ago than `retention` keeps them."""
    deleted = await _delete_in_batches(_DELETE_INBOX_ITEMS, now - retention.inbox_item)
    if deleted:
        log.info("inbox.pruned", extra={"items": deleted})
    return deleted


async def prune_rate_events(now: datetime) -> int:
    """Delete rate-limit events older than any limit reads."""
    deleted = await rate_limits.prune_rate_events(now)
    if deleted:
        log.info("rate_event.pruned", extra={"events": deleted})
    return deleted


async def prune_every(
    seconds: float, prune: Callable[[datetime], Awaitable[object]], name: str
) -> None:
    """Run `prune(now)` at once, then every `seconds`, until cancelled; a failure is logged
    and tried again next time (pruning is housekeeping: the queues come first)."""
    while True:
        try:
            await prune(datetime.now(UTC))
        except Exception:
            log.exception("retention.prune_failed", extra={"queue": name})
        await asyncio.sleep(seconds)


async def _delete_in_batches(template: str, before: datetime) -> int:
    connection = connections.get("default")
    sql = numbered(template, is_postgres(connection))
    deleted = 0
    while True:
        count, _ = await connection.execute_query(sql, [before, BATCH_ROWS])
        deleted += count
        if count < BATCH_ROWS:
            return deleted
