"""The inbox's durable store: rows committed in groups, each activity id stored once.

On SQLite, small groups are written straight from the event loop on a connection of the
store's own, and fall back to the ORM's connection when another writer holds the lock.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from federation.inbox import ReceivedActivity
from federation.signatures import VerifiedSignature
from node.db import close_database, open_database
from node.models import InboxItem, InboxState
from node.services import inbox_store
from node.services.inbox_store import InboxStore
from node.sqlite_direct import DirectSqliteWriter

ACTOR = "https://social.example/users/ann"
SIGNATURE = VerifiedSignature(f"{ACTOR}#main-key", ACTOR, "draft-cavage", ("(request-target)",))


class NoActors:
    """The store only hands key lookups on; these tests make none."""

    async def resolve_key(self, key_id: str, *, refresh: bool) -> None:
        raise AssertionError("no key is looked up here")


def received(number: int, padding: int = 0) -> ReceivedActivity:
    """A Create with id …/activities/`number`, its body `padding` bytes longer than usual."""
    activity = {
        "id": f"{ACTOR}/activities/{number}",
        "type": "Create",
        "actor": ACTOR,
        "object": {"id": f"{ACTOR}/notes/{number}", "type": "Note", "content": "x" * padding},
    }
    body = json.dumps(activity).encode()
    return ReceivedActivity(activity["id"], "Create", ACTOR, activity, SIGNATURE, None, body)


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[InboxStore]:
    """A started store on a fresh database."""
    await open_database(database_url)
    started = InboxStore(NoActors(), lambda: None)  # type: ignore[arg-type]
    started.start()
    try:
        yield started
    finally:
        await started.stop()
        await close_database()


def sqlite_path(database_url: str) -> str:
    """The file of a SQLite database URL; skips the test on PostgreSQL."""
    if not database_url.startswith("sqlite://"):
        pytest.skip("about SQLite's own connection")
    return database_url.removeprefix("sqlite://")


async def test_each_activity_id_is_stored_once_and_a_repeat_is_reported(
    store: InboxStore,
) -> None:
    # When three activities and a repeat of one arrive together, and a repeat later
    together = await asyncio.gather(*(store.store(received(n)) for n in (1, 2, 3, 2)))
    later = await store.store(received(1))
    # Then the first of each id is new, the repeats are not
    assert together == [True, True, True, False]
    assert later is False
    # And each is stored once, exactly as it came, pending, with a readable arrival time
    rows = await InboxItem.all().order_by("id")
    assert [row.activity_uri for row in rows] == [f"{ACTOR}/activities/{n}" for n in (1, 2, 3)]
    assert rows[0].payload == received(1).body.decode()
    assert {row.state for row in rows} == {InboxState.PENDING}
    assert all(row.received_at.tzinfo is not None for row in rows)


async def test_a_group_waits_for_another_writer_instead_of_failing(
    store: InboxStore, database_url: str
) -> None:
    # Given another connection holding SQLite's write lock
    other = sqlite3.connect(sqlite_path(database_url), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        # When an activity arrives
        storing = asyncio.ensure_future(store.store(received(1)))
        await asyncio.sleep(0.3)
        # Then it waits for the lock (the ORM's connection is busy waiting: ask this one)
        assert not storing.done()
        assert other.execute("SELECT count(*) FROM inbox_item").fetchone() == (0,)
    finally:
        other.execute("COMMIT")
        other.close()
    # And is stored once the lock is free
    assert await asyncio.wait_for(storing, timeout=10) is True
    assert await InboxItem.filter(activity_uri=f"{ACTOR}/activities/1").exists()


async def test_small_groups_are_written_from_the_loop_and_large_ones_off_it(
    store: InboxStore, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqlite_path(database_url)
    direct_rows: list[int] = []
    original = DirectSqliteWriter.insert_returning

    def counting(writer: DirectSqliteWriter, sql: str, params: list[object]) -> object:
        direct_rows.append(len(params) // len(inbox_store.COLUMNS))
        return original(writer, sql, params)

    monkeypatch.setattr(DirectSqliteWriter, "insert_returning", counting)
    # When a small activity arrives, then two that are larger together than the direct limit
    assert await store.store(received(1)) is True
    half = inbox_store.DIRECT_MAX_BYTES // 2
    large = await asyncio.gather(store.store(received(2, half)), store.store(received(3, half)))
    # Then only the small one was written from the loop, and all three are stored
    assert direct_rows == [1]
    assert large == [True, True]
    assert await InboxItem.all().count() == 3


def test_no_direct_writer_for_a_database_in_memory_or_out_of_wal_mode(tmp_path: Path) -> None:
    assert DirectSqliteWriter.open(":memory:") is None
    plain = tmp_path / "plain.sqlite3"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.close()
    assert DirectSqliteWriter.open(str(plain)) is None


def test_the_direct_writer_says_when_the_database_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "wal.sqlite3"
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (x TEXT UNIQUE)")
    writer = DirectSqliteWriter.open(str(path))
    assert writer is not None
    try:
        sql = "INSERT INTO t (x) VALUES (?) ON CONFLICT (x) DO NOTHING RETURNING x"
        assert writer.insert_returning(sql, ["a"]) == [("a",)]
        assert writer.insert_returning(sql, ["a"]) == []
        setup.execute("BEGIN IMMEDIATE")
        assert writer.insert_returning(sql, ["b"]) is None
        setup.execute("COMMIT")
        assert [row[0] for row in setup.execute("SELECT x FROM t ORDER BY x")] == ["a"]
    finally:
        writer.close()
        setup.close()
