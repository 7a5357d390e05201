"""The delivery queue in the database: claiming due rows under a lease, recording what happened.

A claim is one atomic statement that sets ``locked_until`` (the lease) and counts the try:
on PostgreSQL the candidate rows are picked with ``FOR UPDATE SKIP LOCKED``; on SQLite the
whole UPDATE runs under the database's single write lock and re-checks the lease. A row is
only ever POSTed by the worker holding its unexpired lease, so two workers never send the
same row at once, and a DELIVERED row is never sent again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from federation.delivery import HEALTHY, BreakerPolicy, HostHealth, after_failure
from node.models import Delivery, DeliveryPayload, DeliveryState, Host
from node.raw_sql import is_postgres, numbered, parameter_list
from node.ttl_cache import TtlCache

MAX_ERROR_CHARS = 500
PAYLOAD_SECONDS = 3600.0  # how long a worker keeps a payload it has read
# Rows of a host whose breaker is open wait without a try being counted. Every value is a
# numbered parameter: {p1} now, {p2} the lease's end, {p3} how many rows.
_CLAIM_SQLITE = """
UPDATE delivery SET locked_until = {p2}, attempts = attempts + 1
WHERE id IN (
    SELECT d.id FROM delivery d
    WHERE d.state = 'queued' AND d.next_attempt_at <= {p1}
      AND (d.locked_until IS NULL OR d.locked_until < {p1})
      AND NOT EXISTS (SELECT 1 FROM host h WHERE h.domain = d.host AND h.open_until > {p1})
    ORDER BY d.next_attempt_at LIMIT {p3}
) AND (locked_until IS NULL OR locked_until < {p1})
RETURNING id, activity_uri, inbox_uri, host, payload_id, attempts, created_at, locked_until
"""
_CLAIM_POSTGRES = """
UPDATE delivery SET locked_until = {p2}, attempts = delivery.attempts + 1
FROM (
    SELECT d.id FROM delivery d
    WHERE d.state = 'queued' AND d.next_attempt_at <= {p1}
      AND (d.locked_until IS NULL OR d.locked_until < {p1})
      AND NOT EXISTS (SELECT 1 FROM host h WHERE h.domain = d.host AND h.open_until > {p1})
    ORDER BY d.next_attempt_at LIMIT {p3}
    FOR UPDATE OF d SKIP LOCKED
) AS due
WHERE delivery.id = due.id
RETURNING delivery.id, delivery.activity_uri, delivery.inbox_uri, delivery.host,
    delivery.payload_id, delivery.attempts, delivery.created_at, delivery.locked_until
"""
# A row of a held host is due when both it and its host are.
_NEXT_DUE = """
SELECT MIN(CASE WHEN h.open_until > d.next_attempt_at THEN h.open_until
                ELSE d.next_attempt_at END) AS due
FROM delivery d LEFT JOIN host h ON h.domain = d.host
WHERE d.state = 'queued' AND (d.locked_until IS NULL OR d.locked_until < {p1})
"""

# Written after every batch of POSTs, so by hand: building them with the ORM cost more than
# running them. {ids} are integers from our own rows; hosts are parameters from {p3} on.
_MARK_DELIVERED = """
UPDATE delivery SET state = {p1}, delivered_at = {p2}, last_status = {p3}, locked_until = NULL,
    last_error = ''
WHERE id IN ({ids})
"""
_MARK_HEALTHY = """
UPDATE host SET consecutive_failures = 0, first_failure_at = NULL, open_until = NULL,
    unavailable = {p1}, last_success_at = {p2}
WHERE domain IN ({hosts})
"""


@dataclass(frozen=True)
class Payload:
    """What a delivery POSTs, and as whom it is signed."""

    signer_uri: str
    body: bytes


class Payloads:
    """The stored payloads this worker has read, by id: a fan-out's rows share one, read once.
    A payload never changes once stored; it is only deleted with its last delivery."""

    def __init__(self, size: int = 256) -> None:
        self._known: TtlCache[int, Payload] = TtlCache(seconds=PAYLOAD_SECONDS, size=size)

    async def by_id(self, ids: set[int]) -> dict[int, Payload]:
        """The payloads with these ids (an id whose payload is gone is left out)."""
        found = {id_: payload for id_ in ids if (payload := self._known.get(id_)) is not None}
        missing = ids - found.keys()
        if missing:
            rows = await DeliveryPayload.filter(id__in=missing).values_list(
                "id", "signer_uri", "body"
            )
            for id_, signer_uri, body in rows:
                found[id_] = self._known.put(id_, Payload(signer_uri, body.encode()))
        return found


@dataclass(frozen=True)
class ClaimedDelivery:
    """A delivery this worker holds the lease of; `attempts` already counts this try."""

    id: int
    activity_uri: str
    inbox_uri: str
    host: str
    payload: Payload
    attempts: int
    created_at: datetime
    locked_until: datetime


class Verdict(StrEnum):
    """What a worker decided about a claimed delivery."""

    DELIVERED = "delivered"
    RETRY = "retry"
    FAILED = "failed"
    RELEASED = "released"  # not sent (host breaker open, lease too short): no try counted


@dataclass(frozen=True)
class Settled:
    """A claimed delivery with its verdict, waiting to be written back."""

    row: ClaimedDelivery
    verdict: Verdict
    status: int | None = None
    error: str = ""
    next_attempt_at: datetime | None = None
    host_failed: bool = False
    host_answered: bool = False
    retry_after: timedelta | None = None


async def claim_due(
    limit: int, now: datetime, lease: timedelta, payloads: Payloads
) -> list[ClaimedDelivery]:
    """Lease up to `limit` due deliveries (oldest due first) for `lease`; return them."""
    connection = connections.get("default")
    postgres = is_postgres(connection)
    template = _CLAIM_POSTGRES if postgres else _CLAIM_SQLITE
    rows = await connection.execute_query_dict(
        numbered(template, postgres), [now, now + lease, limit]
    )
    # a payload outlives its deliveries (they cascade with it), so each claimed row has one
    bodies = await payloads.by_id({int(row["payload_id"]) for row in rows})
    claimed = [_claimed(row, bodies[int(row["payload_id"])]) for row in rows]
    return sorted(claimed, key=lambda delivery: delivery.id)


async def next_due(now: datetime) -> datetime | None:
    """When the earliest unleased queued delivery may go (its host's hold included)."""
    connection = connections.get("default")
    rows = await connection.execute_query_dict(numbered(_NEXT_DUE, is_postgres(connection)), [now])
    value = rows[0]["due"] if rows else None
    return None if value is None else _as_datetime(value)


async def record(
    settled: Sequence[Settled], now: datetime, policy: BreakerPolicy
) -> dict[str, HostHealth]:
    """Write verdicts and host health in one transaction; return the hosts' new health."""
    async with in_transaction() as connection:
        # Row updates come first: on SQLite the first write takes the write lock, so the
        # host reads below cannot be overtaken by another process.
        await _write_rows(settled, now, connection)
        return await _write_hosts(settled, now, policy, connection)


async def _write_rows(settled: Sequence[Settled], now: datetime, db: BaseDBAsyncClient) -> None:
    delivered: dict[int | None, list[int]] = {}
    for item in settled:
        if item.verdict is Verdict.DELIVERED:
            delivered.setdefault(item.status, []).append(item.row.id)
    postgres = is_postgres(db)
    for status, ids in delivered.items():
        template = _MARK_DELIVERED.replace("{ids}", ", ".join(str(int(id_)) for id_ in ids))
        await db.execute_query(
            numbered(template, postgres), [DeliveryState.DELIVERED.value, now, status]
        )
    for item in settled:
        if item.verdict is not Verdict.DELIVERED:
            await Delivery.filter(id=item.row.id).using_db(db).update(**_row_changes(item, now))


def _row_changes(item: Settled, now: datetime) -> dict[str, Any]:
    if item.verdict is Verdict.RELEASED:
        return {
            "locked_until": None,
            "attempts": F("attempts") - 1,
            "next_attempt_at": item.next_attempt_at or now,
        }
    changes: dict[str, Any] = {
        "locked_until": None,
        "last_status": item.status,
        "last_error": item.error[:MAX_ERROR_CHARS],
    }
    if item.verdict is Verdict.RETRY:
        changes["next_attempt_at"] = item.next_attempt_at or now
    else:
        changes["state"] = DeliveryState.FAILED
    return changes


async def _write_hosts(
    settled: Sequence[Settled], now: datetime, policy: BreakerPolicy, db: BaseDBAsyncClient
) -> dict[str, HostHealth]:
    answered, failures = _host_events(settled)
    healthy = [host for host in answered if host not in failures]
    if healthy:
        postgres = is_postgres(db)
        template = _MARK_HEALTHY.replace("{hosts}", parameter_list(3, len(healthy), postgres))
        await db.execute_query(numbered(template, postgres), [False, now, *healthy])
    health: dict[str, HostHealth] = dict.fromkeys(healthy, HEALTHY)
    if not failures:
        return health
    await Host.bulk_create(
        [Host(domain=host) for host in failures], ignore_conflicts=True, using_db=db
    )
    for row in await Host.filter(domain__in=list(failures)).select_for_update().using_db(db):
        count, retry_after = failures[row.domain]
        current = HEALTHY if row.domain in answered else _health_of(row)
        for _ in range(count):
            current = after_failure(current, now, policy, retry_after)
        await Host.filter(domain=row.domain).using_db(db).update(**_health_fields(current))
        health[row.domain] = current
    return health


def _host_events(
    settled: Sequence[Settled],
) -> tuple[set[str], dict[str, tuple[int, timedelta | None]]]:
    """Hosts that answered, and per host the failures (and Retry-After) after its last answer."""
    answered: set[str] = set()
    failures: dict[str, tuple[int, timedelta | None]] = {}
    for item in settled:
        host = item.row.host
        if item.host_answered:
            answered.add(host)
            failures.pop(host, None)
        elif item.host_failed:
            count, _ = failures.get(host, (0, None))
            failures[host] = (count + 1, item.retry_after)
    return answered, failures


def _health_fields(health: HostHealth) -> dict[str, Any]:
    return {
        "consecutive_failures": health.consecutive_failures,
        "first_failure_at": health.first_failure_at,
        "open_until": health.open_until,
        "unavailable": health.unavailable,
    }


def _health_of(row: Host) -> HostHealth:
    return HostHealth(
        consecutive_failures=row.consecutive_failures,
        first_failure_at=row.first_failure_at,
        open_until=row.open_until,
        unavailable=row.unavailable,
    )


def _claimed(row: dict[str, Any], payload: Payload) -> ClaimedDelivery:
    return ClaimedDelivery(
        id=int(row["id"]),
        activity_uri=row["activity_uri"],
        inbox_uri=row["inbox_uri"],
        host=row["host"],
        payload=payload,
        attempts=int(row["attempts"]),
        created_at=_as_datetime(row["created_at"]),
        locked_until=_as_datetime(row["locked_until"]),
    )


def _as_datetime(value: datetime | str) -> datetime:
    # SQLite hands back the ISO text tortoise stored (always UTC, with its offset).
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
