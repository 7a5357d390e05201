"""The pages' generation: a counter in the database that every write a page could show bumps.

Visitors' pages are cached per URL and language under the generation read before they were
rendered (web/page_cache.py): a write that changes what any page shows moves it on, at the end
of the write's own transaction, just before it commits (or just after a write made outside
one), so every web process of the node sees the change at its next request and renders afresh.
The counter is a `node_setting` row ({"value": N}), bumped by the database engines themselves
(node/sqlite_engine.py, node/postgres_engine.py) after any INSERT, UPDATE or DELETE of a table
other than those no page shows to visitors (queues, rate-limit events, mail, tokens…): no
write can forget it, whichever service, worker or raw statement makes it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise import connections

KEY = "pages.generation"
# tables whose writes change nothing a visitor's page shows (their pages are not cached)
UNSEEN_TABLES = frozenset(
    {
        "rate_event",
        "delivery",
        "delivery_payload",
        "inbox_item",
        "host",
        "outgoing_mail",
        "email_verification",
        "password_reset",
        "token",
        "mailed_through",
        "closing_reminder",
        "notification_preference",
        "report",
        "aerich",  # migrations: every process restarts after one, with an empty cache
    }
)
_WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+\"?(\w+)\"?",
    re.IGNORECASE,
)
_WRITES_WITHIN = re.compile(r"\b(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE)

BUMP = {
    "sqlite": (
        "INSERT INTO node_setting (key, value, updated_at) "
        "VALUES ('pages.generation', '{\"value\": 1}', CURRENT_TIMESTAMP) "
        "ON CONFLICT (key) DO UPDATE SET value = json_set(node_setting.value, '$.value', "
        "coalesce(json_extract(node_setting.value, '$.value'), 0) + 1), "
        "updated_at = CURRENT_TIMESTAMP"
    ),
    "postgres": (
        "INSERT INTO node_setting (key, value, updated_at) "
        "VALUES ('pages.generation', '{\"value\": 1}'::jsonb, now()) "
        "ON CONFLICT (key) DO UPDATE SET value = jsonb_build_object('value', "
        "coalesce((node_setting.value->>'value')::bigint, 0) + 1), updated_at = now()"
    ),
}
_READ = "SELECT value, updated_at FROM node_setting WHERE key = 'pages.generation'"


@dataclass(frozen=True)
class Generation:
    """The pages' generation and when it last moved (None before the first write)."""

    number: int
    changed_at: datetime | None


def changes_pages(query: str) -> bool:
    """Whether a statement may change what a page shows: a write to a table pages read, or a
    WITH … that writes (schema scripts are migrations: processes restart after them)."""
    write = _WRITE.match(query)
    if write:
        return write.group(1).lower() not in UNSEEN_TABLES
    if query.lstrip()[:4].upper() == "WITH":
        return bool(_WRITES_WITHIN.search(query))
    return False


async def page_generation() -> Generation:
    """The pages' generation now (0 before the first write)."""
    connection = connections.get("default")
    filename = getattr(connection, "filename", "")
    if isinstance(filename, str) and filename and connection.schema_generator.DIALECT == "sqlite":
        found = _read_directly(filename)
        if found is not None:
            return found
    fetch_row = getattr(connection, "fetch_generation_row", None)  # PostgreSQL's own reader
    if fetch_row is not None:
        try:
            row = await fetch_row(_READ)
        except (OSError, ConnectionError):
            row = None  # read through the pool below, which reports a database that is down
        else:
            return Generation(0, None) if row is None else _generation_of(row)
    rows = await connection.execute_query_dict(_READ)
    return _generation_of(rows[0]) if rows else Generation(0, None)


def _generation_of(row: Any) -> Generation:
    return Generation(_number(row["value"]), _moment(row["updated_at"]))


_direct: tuple[str, sqlite3.Connection] | None = None


def _read_directly(filename: str) -> Generation | None:
    """On SQLite, read the one row on a connection of our own in the event loop's thread: a
    read in WAL mode waits for no lock, and skips aiosqlite's thread hop, which costs more
    than serving a cached page. None when it cannot (the caller reads through the ORM)."""
    global _direct
    if filename == ":memory:" or "mode=memory" in filename:
        return None
    try:
        if _direct is None or _direct[0] != filename:
            if _direct is not None:
                _direct[1].close()
                _direct = None
            connection = sqlite3.connect(filename, timeout=0, isolation_level=None)
            (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
            if str(mode).lower() != "wal":
                connection.close()
                return None
            _direct = (filename, connection)
        row = _direct[1].execute(_READ).fetchone()
    except sqlite3.Error:
        return None
    if row is None:
        return Generation(0, None)
    return Generation(_number(row[0]), _moment(row[1]))


def _moment(value: Any) -> datetime | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _number(value: Any) -> int:
    if isinstance(value, str | bytes):
        value = json.loads(value)
    if isinstance(value, dict):
        value = value.get("value", 0)
    return int(value or 0)


class BumpsPageGeneration:
    """Mixed into a tortoise client (before it), outside transactions: each statement that
    `changes_pages` is followed by the bump (the statement has committed by then)."""

    DIALECT_KEY = "sqlite"

    async def _bump_after(self, query: str) -> None:
        if changes_pages(query):
            await super().execute_query(BUMP[self.DIALECT_KEY], [])  # type: ignore[misc]

    async def execute_insert(self, query: str, values: list[Any]) -> Any:
        """INSERT, then the bump."""
        result = await super().execute_insert(query, values)  # type: ignore[misc]
        await self._bump_after(query)
        return result

    async def execute_many(self, query: str, values: list[Any]) -> None:
        """Many rows, then the bump."""
        await super().execute_many(query, values)  # type: ignore[misc]
        await self._bump_after(query)

    async def execute_query(self, query: str, values: list[Any] | None = None) -> Any:
        """Any statement, then the bump if it changed a row (the timed passes' UPDATEs that
        find nothing to do leave the pages' cache alone)."""
        result = await super().execute_query(query, values)  # type: ignore[misc]
        if result[0]:
            await self._bump_after(query)
        return result

    async def execute_query_dict(self, query: str, values: list[Any] | None = None) -> Any:
        """Any statement (as dicts), then the bump if it wrote."""
        result = await super().execute_query_dict(query, values)  # type: ignore[misc]
        await self._bump_after(query)
        return result


class BumpsAtCommit:
    """Mixed into a tortoise transaction wrapper (before it): a statement that `changes_pages`
    marks the transaction, and the outermost one bumps the generation just before it commits.

    The bump comes last so that the generation's row is locked only while committing: a
    transaction holding it never waits for another's row lock, so two writers cannot deadlock
    over it (one locking a row then the generation, the other the other way round).
    """

    DIALECT_KEY = "sqlite"
    _pages_changed = False

    def _mark(self, query: str) -> None:
        if not changes_pages(query):
            return
        root: Any = self
        while isinstance(getattr(root, "_parent", None), BumpsAtCommit):
            root = root._parent
        root._pages_changed = True

    async def execute_insert(self, query: str, values: list[Any]) -> Any:
        """INSERT, the transaction marked."""
        result = await super().execute_insert(query, values)  # type: ignore[misc]
        self._mark(query)
        return result

    async def execute_many(self, query: str, values: list[Any]) -> None:
        """Many rows, the transaction marked."""
        await super().execute_many(query, values)  # type: ignore[misc]
        self._mark(query)

    async def execute_query(self, query: str, values: list[Any] | None = None) -> Any:
        """Any statement, the transaction marked if it changed a row."""
        result = await super().execute_query(query, values)  # type: ignore[misc]
        if result[0]:
            self._mark(query)
        return result

    async def execute_query_dict(self, query: str, values: list[Any] | None = None) -> Any:
        """Any statement (as dicts), the transaction marked if it wrote."""
        result = await super().execute_query_dict(query, values)  # type: ignore[misc]
        self._mark(query)
        return result

    async def commit(self) -> None:
        """Bump the generation if a write marked this (outermost) transaction, then commit."""
        outermost = not isinstance(getattr(self, "_parent", None), BumpsAtCommit)
        if outermost and self._pages_changed and not getattr(self, "_finalized", False):
            await super().execute_query(BUMP[self.DIALECT_KEY], [])  # type: ignore[misc]
            self._pages_changed = False
        await super().commit()  # type: ignore[misc]
