"""Durable storage of inbox POSTs before the 202, committed in groups.

Each request waits for its row to be committed, but rows that arrive while a commit is in
flight are written together in the next one: one commit serves many requests under load, and a
lone request is not delayed at all. On SQLite a batch is written straight from the event loop
when the database is free (node.sqlite_direct says why), through the ORM otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise import connections

from federation.inbox import ReceivedActivity
from federation.signatures import KeyResolver
from node.models.federation import InboxState
from node.raw_sql import insert_sql, is_postgres
from node.services.blocklist import current_blocks
from node.services.remote_actors import RemoteActors
from node.sqlite_direct import DirectSqliteWriter

COLUMNS = (
    "activity_uri",
    "activity_type",
    "actor_uri",
    "signer_key_id",
    "recipient_uri",
    "payload",
    "state",
    "attempts",
    "error",
    "received_at",
)
MAX_BATCH = 500
DIRECT_MAX_BYTES = 1_048_576  # a bigger batch is written off the loop, in aiosqlite's thread
INSERT_TAIL = "ON CONFLICT (activity_uri) DO NOTHING RETURNING activity_uri"


@dataclass
class _Pending:
    values: tuple[object, ...]
    size: int  # bytes of the body, to keep the batches written from the loop small
    done: asyncio.Future[bool]


class InboxStore:
    """The InboxPorts of federation.inbox, backed by the inbox_item table."""

    def __init__(self, remote_actors: RemoteActors, wake: Callable[[], None]) -> None:
        self.resolve_key: KeyResolver = remote_actors.resolve_key
        self._wake = wake
        self._queue: list[_Pending] = []
        self._arrived = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._direct: DirectSqliteWriter | None = None

    def start(self) -> None:
        """Start the committer task (the database must be open)."""
        connection = connections.get("default")
        if not is_postgres(connection):
            self._direct = DirectSqliteWriter.open(getattr(connection, "filename", ""))
        self._task = asyncio.create_task(self._commit_forever(), name="inbox-committer")

    async def stop(self) -> None:
        """Commit what is queued, then stop."""
        if self._queue:
            await self._commit_batch()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._direct is not None:
            self._direct.close()
            self._direct = None

    async def store(self, received: ReceivedActivity) -> bool:
        """Queue the row and wait for its commit; False when the id was stored before."""
        pending = _Pending(
            _row(received), len(received.body), asyncio.get_running_loop().create_future()
        )
        self._queue.append(pending)
        self._arrived.set()
        return await pending.done

    async def is_blocked(self, actor_id: str) -> bool:
        """Whether the actor or its domain (or a domain above it) is blocked."""
        return (await current_blocks()).blocks_actor(actor_id)

    def wake(self) -> None:
        """Wake the inbox worker."""
        self._wake()

    async def _commit_forever(self) -> None:
        while True:
            await self._arrived.wait()
            self._arrived.clear()
            while self._queue:
                await self._commit_batch()

    async def _commit_batch(self) -> None:
        batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
        try:
            inserted = await self._insert_new(batch)
        except Exception as error:  # every waiter must hear of the failure, not hang
            for pending in batch:
                if not pending.done.done():
                    pending.done.set_exception(error)
            return
        for pending in batch:
            if not pending.done.done():
                pending.done.set_result(id(pending) in inserted)

    async def _insert_new(self, batch: list[_Pending]) -> set[int]:
        """Insert the rows whose activity id is new; return which were new (by id()).

        One statement, outside any explicit transaction: it is atomic on its own (autocommit on
        both databases), and it crosses to the database once, where BEGIN, INSERT and COMMIT
        would cross three times, each waiting for a turn of the busy event loop to come back.
        """
        first_of_id: dict[object, _Pending] = {}
        for pending in batch:
            first_of_id.setdefault(pending.values[0], pending)
        unique = list(first_of_id.values())
        params = [value for pending in unique for value in pending.values]
        stored = self._insert_directly(unique, params)
        if stored is None:
            connection = connections.get("default")
            sql = insert_sql(
                "inbox_item", COLUMNS, len(unique), is_postgres(connection), tail=INSERT_TAIL
            )
            # execute_query would drop the RETURNING rows on PostgreSQL (asyncpg's execute)
            rows = await connection.execute_query_dict(sql, params)
            stored = {row["activity_uri"] for row in rows}
        return {id(pending) for pending in unique if pending.values[0] in stored}

    def _insert_directly(self, unique: list[_Pending], params: list[object]) -> set[str] | None:
        """The new activity ids, written from the loop; None when it cannot be done here."""
        if self._direct is None or sum(pending.size for pending in unique) > DIRECT_MAX_BYTES:
            return None
        sql = insert_sql("inbox_item", COLUMNS, len(unique), postgres=False, tail=INSERT_TAIL)
        rows = self._direct.insert_returning(sql, params)
        return None if rows is None else {row[0] for row in rows}


def _row(received: ReceivedActivity) -> tuple[object, ...]:
    return (
        received.activity_id,
        received.activity_type[:64],
        received.actor,
        received.signature.key_id,
        received.recipient or "",
        _original_text(received),
        InboxState.PENDING.value,
        0,
        "",
        datetime.now(UTC),
    )


def _original_text(received: ReceivedActivity) -> str:
    """The body exactly as it came, so it can be forwarded byte for byte (AP 7.1.2)."""
    try:
        return received.body.decode("utf-8")
    except UnicodeDecodeError:
        return json.dumps(received.activity)
