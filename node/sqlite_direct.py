"""Small SQLite writes made right in the event loop, for the inbox's group commits.

Through tortoise, every SQLite statement goes to aiosqlite's thread and its answer comes back
through the event loop. While the loop is busy checking signatures, that round trip took 1-3 ms
(hand-offs between the threads and waits for the GIL), and every inbox request waits for its
commit before it is answered 202. The same INSERT of a few rows made directly takes about
0.15 ms, so the node does it here, on a connection of its own.

It never waits for a lock, which would stall the whole loop: its busy timeout is zero, and when
another connection is writing (the ORM's, or another process) `insert_returning` answers None and
the caller takes the ordinary path, which waits in aiosqlite's thread. It never checkpoints the
WAL either (a checkpoint may fsync); the ORM's connection does that as it commits.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

LOCK_ERRORS = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


class DirectSqliteWriter:
    """A second connection to a node's SQLite file, used in the loop's own thread."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    @classmethod
    def open(cls, path: str) -> DirectSqliteWriter | None:
        """A writer for the database file at `path`; None for a database no second connection
        can share (in memory) or one not in WAL mode, where a writer would block readers."""
        if not path or path == ":memory:" or "mode=memory" in path:
            return None
        connection = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
            if str(mode).lower() != "wal":
                connection.close()
                return None
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA wal_autocheckpoint=0")
        except sqlite3.Error:
            connection.close()
            return None
        return cls(connection)

    def insert_returning(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]] | None:
        """Run one INSERT … RETURNING as its own transaction and return its rows; None, with
        nothing written, when another connection holds the write lock."""
        try:
            return self._connection.execute(sql, params).fetchall()
        except sqlite3.OperationalError as error:
            code = getattr(error, "sqlite_errorcode", 0) & 0xFF  # BUSY_SNAPSHOT is a BUSY too
            if code in LOCK_ERRORS:
                return None
            raise

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()
