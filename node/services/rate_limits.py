"""Rate limits counted in the database (`rate_event` rows), so every web process counts the same.

Two kinds of limit, each read from a key's rows:

- a `Window`: at most `limit` events per key within `window` seconds;
- a `Growing` delay: after `free` failures of a key, each further one doubles the wait from
  `first`, up to `longest`; a key quiet for `forget_after` seconds starts afresh (its streak is
  the run of rows, newest first, each less than `forget_after` after the one before).

Times are seconds since the epoch passed in by the caller (web/ratelimit.now(), so tests can
move time on). `take` checks and counts in one transaction that holds the rate-limit lock
(PostgreSQL: a transaction-level advisory lock; SQLite: BEGIN IMMEDIATE), so requests sent
together, to one process or several, cannot all slip through before the first is counted.
The workers' retention job deletes rows older than `KEPT` (`prune_rate_events`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from node.raw_sql import is_postgres, numbered

# Longer than any limit's window, and than the streak a growing delay needs to reach its
# longest wait (STREAK_ROWS rows, each at most `longest` apart): older rows change nothing.
KEPT = timedelta(days=1)
STREAK_ROWS = 64  # a streak this long is at the longest wait for any delay here
_LOCK_ID = 0x70776E68616C6C  # the advisory lock every rate-limit check takes on PostgreSQL
BATCH_ROWS = 1000


@dataclass(frozen=True)
class Window:
    """At most `limit` events per key within `window` seconds."""

    limit: int
    window: float


@dataclass(frozen=True)
class Growing:
    """After `free` failures, waits doubling from `first` up to `longest`; forgotten after
    `forget_after` seconds of quiet."""

    free: int
    first: float
    longest: float
    forget_after: float


Rule = Window | Growing

_COUNT = (
    "SELECT count(*) AS n, min(happened_at) AS first FROM rate_event "
    "WHERE key = {p1} AND happened_at > {p2}"
)
# every row, even one counted a moment "after" `at` by a request that took the lock first
_NEWEST = "SELECT happened_at FROM rate_event WHERE key = {p1} ORDER BY happened_at DESC LIMIT {p2}"
_INSERT = "INSERT INTO rate_event (key, happened_at) VALUES ({p1}, {p2})"
_CLEAR = "DELETE FROM rate_event WHERE key = {p1}"
_DISCARD_NEWEST = """
DELETE FROM rate_event WHERE id = (
    SELECT id FROM rate_event WHERE key = {p1} ORDER BY happened_at DESC, id DESC LIMIT 1
)
"""
_PRUNE = """
DELETE FROM rate_event WHERE id IN (
    SELECT id FROM rate_event WHERE happened_at < {p1} LIMIT {p2}
)
"""


def _moment(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC)


def _seconds(value: object) -> float:
    if isinstance(value, str):  # SQLite hands aggregates back as text
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


async def _run(
    connection: BaseDBAsyncClient, template: str, parameters: list[object]
) -> list[dict]:
    return await connection.execute_query_dict(
        numbered(template, is_postgres(connection)), parameters
    )


async def _wait(connection: BaseDBAsyncClient, key: str, rule: Rule, at: float) -> int:
    if isinstance(rule, Window):
        rows = await _run(connection, _COUNT, [key, _moment(at - rule.window)])
        if rows[0]["n"] < rule.limit:
            return 0
        return max(1, int(_seconds(rows[0]["first"]) + rule.window - at) + 1)
    rows = await _run(connection, _NEWEST, [key, STREAK_ROWS])
    moments = [_seconds(row["happened_at"]) for row in rows]
    if not moments or at - moments[0] > rule.forget_after:
        return 0
    count = 1
    while count < len(moments) and moments[count - 1] - moments[count] <= rule.forget_after:
        count += 1
    if count < rule.free:
        return 0
    delay = min(rule.longest, rule.first * 2 ** min(count - rule.free, 40))
    left = moments[0] + delay - at
    return 0 if left <= 0 else math.ceil(left)


async def _locked(connection: BaseDBAsyncClient) -> None:
    if is_postgres(connection):
        await connection.execute_query("SELECT pg_advisory_xact_lock($1)", [_LOCK_ID])


async def retry_after(limits: Sequence[tuple[str, Rule]], at: float) -> int:
    """Seconds until every key may act again under its rule; 0 when all may act now."""
    connection = connections.get("default")
    waits = [await _wait(connection, key, rule, at) for key, rule in limits]
    return max(waits, default=0)


async def take(checked: Sequence[tuple[str, Rule]], counted: Sequence[str], at: float) -> int:
    """Seconds to wait under the `checked` limits; when 0, one event is counted for each of
    the `counted` keys in the same locked transaction."""
    async with in_transaction() as connection:
        await _locked(connection)
        waits = [await _wait(connection, key, rule, at) for key, rule in checked]
        wait = max(waits, default=0)
        if not wait:
            for key in counted:
                await _run(connection, _INSERT, [key, _moment(at)])
    return wait


async def record(key: str, at: float) -> None:
    """Count one event for `key`."""
    await _run(connections.get("default"), _INSERT, [key, _moment(at)])


async def clear(key: str) -> None:
    """Forget `key`'s events (after a successful sign-in, say)."""
    await _run(connections.get("default"), _CLEAR, [key])


async def discard_newest(key: str) -> None:
    """Take back `key`'s latest event (counted in advance, then not needed)."""
    await _run(connections.get("default"), _DISCARD_NEWEST, [key])


async def prune_rate_events(now: datetime) -> int:
    """Delete events older than any limit reads (`KEPT`), in batches; how many went."""
    connection = connections.get("default")
    sql = numbered(_PRUNE, is_postgres(connection))
    deleted = 0
    while True:
        count, _ = await connection.execute_query(sql, [now - KEPT, BATCH_ROWS])
        deleted += count
        if count < BATCH_ROWS:
            return deleted
