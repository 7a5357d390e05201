"""Keeping the delivery queue small: finished deliveries are deleted once they are old.

A post to ten thousand followers leaves ten thousand rows behind it. Delivered rows are kept
a week (the admin's delivery page counts the last day's), failed ones a month (their errors
explain a host's trouble), then deleted in batches, each its own short transaction so the
queue is never blocked for long; payloads no delivery refers to any more go with them.
Every worker prunes now and then; two doing it at once delete nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise import connections

from node.raw_sql import is_postgres, numbered

log = logging.getLogger("townhall.delivery")

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


@dataclass(frozen=True)
class Retention:
    """How long finished deliveries are kept, and how often a worker prunes."""

    delivered: timedelta = timedelta(days=7)
    failed: timedelta = timedelta(days=30)
    unused_payload: timedelta = timedelta(hours=1)
    interval_seconds: float = 3600.0


@dataclass(frozen=True)
class Pruned:
    """What one pruning deleted."""

    delivered: int
    failed: int
    payloads: int


async def prune(now: datetime, retention: Retention) -> Pruned:
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


async def _delete_in_batches(template: str, before: datetime) -> int:
    connection = connections.get("default")
    sql = numbered(template, is_postgres(connection))
    deleted = 0
    while True:
        count, _ = await connection.execute_query(sql, [before, BATCH_ROWS])
        deleted += count
        if count < BATCH_ROWS:
            return deleted
