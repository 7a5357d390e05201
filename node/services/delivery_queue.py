"""The delivery queue: outgoing deliveries written in the same transaction as the change they
announce.

Publishing goes through `Outbox.publish` (node/services/outbox.py), the one publish API: it
works out the inboxes from the activity's addressees (node/addressing.py) and calls `enqueue`
inside its transaction, so the change and its `Delivery` rows commit together or not at all;
the worker in this process is woken once the transaction has committed, and workers in other
processes find the rows when they next poll.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from itertools import zip_longest
from typing import Any
from urllib.parse import urlsplit

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from federation.vocab import PUBLIC_FORMS
from node.models import Actor, Delivery, DeliveryPayload, DeliveryState, FollowState, Host
from node.raw_sql import insert_sql, is_postgres, numbered, select
from node.services.blocklist import BlockList, current_blocks

log = logging.getLogger("townhall.delivery")

HIDDEN_FIELDS = ("bto", "bcc")
MAX_URL_LENGTH = 2048  # Delivery.inbox_uri's size; a longer "inbox" is junk
DELIVERY_COLUMNS = (
    "activity_uri",
    "inbox_uri",
    "host",
    "payload_id",
    "state",
    "attempts",
    "next_attempt_at",
    "last_error",
    "created_at",
)
QUEUED = DeliveryState.QUEUED.value
IGNORE_QUEUED = "ON CONFLICT (activity_uri, inbox_uri) DO NOTHING"  # queued once per pair
ROWS_PER_INSERT = 1000  # 9,000 parameters: within SQLite's and PostgreSQL's limits
# Queuing an activity again (to more inboxes) reuses its stored payload, and renews its date
# so that pruning, which removes payloads no delivery refers to any more, leaves it alone.
STORE_PAYLOAD = """
INSERT INTO delivery_payload (activity_uri, signer_uri, body, created_at)
VALUES ({p1}, {p2}, {p3}, {p4})
ON CONFLICT (activity_uri) DO UPDATE SET created_at = excluded.created_at
RETURNING id
"""

# Each accepted remote follower's shared inbox, else its own, once: a post to 10,000
# followers on 1,000 hosts reads 1,000 rows, not 10,000 through the ORM.
FOLLOWER_INBOXES = """
SELECT DISTINCT CASE WHEN a.shared_inbox_uri <> '' THEN a.shared_inbox_uri
                     ELSE a.inbox_uri END AS inbox
FROM follow f JOIN actor a ON a.id = f.follower_id
WHERE f.followee_id = {p1} AND f.state = {p2} AND NOT a.is_local AND a.deleted_at IS NULL
"""


class DeliveryWakeup:
    """Tells this process's delivery worker that new deliveries were committed."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def wake(self) -> None:
        """Wake the worker (call after the transaction that enqueued has committed)."""
        self._event.set()

    async def wait(self, seconds: float) -> bool:
        """Wait for a wake-up at most `seconds`; True if one came."""
        try:
            async with asyncio.timeout(max(0.0, seconds)):
                await self._event.wait()
        except TimeoutError:
            return False
        self._event.clear()
        return True


@asynccontextmanager
async def outbox_transaction(
    wakeup: DeliveryWakeup | None,
) -> AsyncIterator[BaseDBAsyncClient]:
    """A transaction for a change and its deliveries; wakes the worker once it commits."""
    async with in_transaction() as connection:
        yield connection
    if wakeup is not None:
        wakeup.wake()


async def enqueue(
    activity: dict[str, Any],
    signer: Actor,
    inboxes: Iterable[str],
    *,
    connection: BaseDBAsyncClient | None = None,
) -> int:
    """Queue one delivery of `activity`, signed by `signer`, per distinct inbox; return how many.

    Call it inside the caller's transaction. `bto`/`bcc` are removed from what is stored;
    inboxes of blocked actors and servers and of hosts marked unavailable are skipped; an
    (activity, inbox) pair already queued is left as it is.
    """
    activity_uri = activity.get("id")
    if not isinstance(activity_uri, str) or not activity_uri:
        raise ValueError("an activity needs an id to be delivered")
    payload = json.dumps(without_hidden_recipients(activity), ensure_ascii=False)
    return await enqueue_payload(activity_uri, payload, signer, inboxes, connection=connection)


async def enqueue_payload(
    activity_uri: str,
    payload: str,
    signer: Actor,
    inboxes: Iterable[str],
    *,
    connection: BaseDBAsyncClient | None = None,
) -> int:
    """Queue an already serialised activity as it is (forwarding keeps the original bytes)."""
    targets = without_blocked(
        {inbox: host_of(inbox) for inbox in distinct_inboxes(inboxes)}, await current_blocks()
    )
    skipped = await _unavailable_hosts(set(targets.values()), connection)
    pairs = [(inbox, host) for inbox, host in hosts_taking_turns(targets) if host not in skipped]
    if pairs:
        db = connection or connections.get("default")
        now = datetime.now(UTC)
        payload_id = await _store_payload(activity_uri, signer.uri, payload, now, db)
        rows = [
            (activity_uri, inbox, host, payload_id, QUEUED, 0, now, "", now)
            for inbox, host in pairs
        ]
        await _insert_deliveries(rows, db)
    log.info(
        "delivery.enqueued",
        extra={
            "activity_id": activity_uri,
            "inboxes": len(pairs),
            "skipped": len(targets) - len(pairs),
        },
    )
    return len(pairs)


async def cancel_queued_from(signer: Actor, reason: str) -> int:
    """Give up the deliveries still queued that `signer` signed (say, a suspended member's
    burst); return how many. Those already sent cannot be called back."""
    payloads = Subquery(DeliveryPayload.filter(signer_uri=signer.uri).values("id"))
    return await Delivery.filter(state=DeliveryState.QUEUED, payload_id__in=payloads).update(
        state=DeliveryState.FAILED, last_error=reason, locked_until=None
    )


async def _store_payload(
    activity_uri: str, signer_uri: str, body: str, now: datetime, db: BaseDBAsyncClient
) -> int:
    """The id of the activity's stored payload (the first one stored, if queued before)."""
    sql = numbered(STORE_PAYLOAD, is_postgres(db))
    rows = await db.execute_query_dict(sql, [activity_uri, signer_uri, body, now])
    return int(rows[0]["id"])


async def _insert_deliveries(
    rows: Sequence[tuple[object, ...]], connection: BaseDBAsyncClient
) -> None:
    """Hand-written multi-row INSERTs: a post to ten thousand inboxes builds no ORM objects,
    so the transaction that publishes it stays short."""
    postgres = is_postgres(connection)
    for start in range(0, len(rows), ROWS_PER_INSERT):
        chunk = rows[start : start + ROWS_PER_INSERT]
        sql = insert_sql("delivery", DELIVERY_COLUMNS, len(chunk), postgres, tail=IGNORE_QUEUED)
        await connection.execute_query(sql, [value for row in chunk for value in row])


def without_blocked(targets: dict[str, str], blocks: BlockList) -> dict[str, str]:
    """The (inbox → host) targets that reach no blocked actor or server (a check per host,
    not per inbox: a fan-out to 10,000 inboxes on 1,000 hosts normalises 1,000 names)."""
    if not blocks.refuses_anything:
        return targets
    blocked_hosts = {host for host in set(targets.values()) if blocks.blocks_host(host)}
    return {
        inbox: host
        for inbox, host in targets.items()
        if host not in blocked_hosts and inbox not in blocks.actor_inboxes
    }


def hosts_taking_turns(targets: dict[str, str]) -> list[tuple[str, str]]:
    """The (inbox, host) pairs reordered so hosts take turns: the first inbox of each host,
    then the second… Rows are claimed in the order they were queued and a host gets two
    POSTs at a time, so followers clustered by host (a whole server's users who followed
    together) would otherwise keep the worker waiting on a few hosts while others sit idle."""
    by_host: dict[str, list[tuple[str, str]]] = {}
    for inbox, host in targets.items():
        by_host.setdefault(host, []).append((inbox, host))
    return [pair for turn in zip_longest(*by_host.values()) for pair in turn if pair is not None]


def distinct_inboxes(inboxes: Iterable[str]) -> list[str]:
    """The absolute http(s) inbox URLs among `inboxes`, once each, in order, never Public."""
    seen: dict[str, None] = {}
    for inbox in inboxes:
        if (
            inbox
            and len(inbox) <= MAX_URL_LENGTH
            and inbox not in PUBLIC_FORMS
            and _is_http_url(inbox)
        ):
            seen.setdefault(inbox, None)
    return list(seen)


def host_of(inbox: str) -> str:
    """The authority (host[:port], lower case) an inbox lives on: the circuit breaker's key."""
    return urlsplit(inbox).netloc.lower()


def without_hidden_recipients(activity: dict[str, Any]) -> dict[str, Any]:
    """A copy of `activity` (and of an embedded object) without `bto` and `bcc`."""
    visible = {k: v for k, v in activity.items() if k not in HIDDEN_FIELDS}
    inner = visible.get("object")
    if isinstance(inner, dict):
        visible["object"] = {k: v for k, v in inner.items() if k not in HIDDEN_FIELDS}
    return visible


async def follower_inboxes(actor: Actor) -> list[str]:
    """The shared (else personal) inboxes of `actor`'s accepted remote followers, once each."""
    rows = await select(FOLLOWER_INBOXES, [actor.id, FollowState.ACCEPTED.value])
    return distinct_inboxes(row["inbox"] for row in rows)


async def mark_host_available(host: str) -> None:
    """Close a host's circuit breaker: it answered, or it sent us something signed."""
    updated = await Host.filter(domain=host.lower()).update(
        consecutive_failures=0,
        first_failure_at=None,
        open_until=None,
        unavailable=False,
        last_success_at=datetime.now(UTC),
    )
    if updated:
        log.info("delivery.host_available", extra={"host": host})


async def _unavailable_hosts(hosts: set[str], connection: BaseDBAsyncClient | None) -> set[str]:
    if not hosts:
        return set()
    query = Host.filter(domain__in=hosts, unavailable=True).using_db(connection)
    return {str(domain) for domain in await query.values_list("domain", flat=True)}


def _is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
