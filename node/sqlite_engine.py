"""Tortoise's SQLite engine, with transactions that take the write lock when they begin.

A plain (deferred) `BEGIN` that later writes while another process holds the write lock fails
at once with "database is locked", ignoring the busy timeout; `BEGIN IMMEDIATE` waits for the
lock instead, so `townhall user add` can write while the node runs, and vice versa.

Writes move the pages' generation on (node/page_generation.py): visitors' cached pages are
rendered afresh after them, in every process.

Every connection also gets the function the search index's triggers call to read stored HTML
(node/search_text.py): a write to `object` from a connection without it (the sqlite3 shell)
fails with "no such function".
"""

from __future__ import annotations

import sqlite3

from tortoise.backends.base.client import NestedTransactionContext, TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.exceptions import TransactionManagementError

from node.page_generation import BumpsAtCommit, BumpsPageGeneration
from node.search_text import STRIP_FUNCTION, strip_markup


class ImmediateTransactionWrapper(BumpsAtCommit, SqliteTransactionWrapper):
    """A transaction that starts with BEGIN IMMEDIATE (and moves the pages' generation on with
    its writes, node/page_generation.py)."""

    def _in_transaction(self) -> TransactionContext:
        return NestedTransactionContext(ImmediateTransactionWrapper(self))

    async def begin(self) -> None:
        """Commit anything pending, then take the write lock (waiting up to the busy timeout)."""
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise TransactionManagementError(error) from error


class ImmediateSqliteClient(BumpsPageGeneration, SqliteClient):
    """SQLite client whose transactions begin immediately, and whose writes move the pages'
    generation on."""

    async def _post_connect(self) -> None:
        await super()._post_connect()
        assert self._connection is not None
        await self._connection.create_function(STRIP_FUNCTION, 1, strip_markup, deterministic=True)

    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
