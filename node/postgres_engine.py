"""Tortoise's asyncpg engine, whose writes move the pages' generation on.

Every INSERT, UPDATE or DELETE a page could show moves node/page_generation.py's counter on:
at the end of its transaction, on the same connection (or just after a statement made outside
one), so visitors' cached pages are rendered afresh after it, in every web process of the node.
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import (
    NestedTransactionContext,
    TransactionContext,
    TransactionContextPooled,
)

from node.page_generation import BumpsAtCommit, BumpsPageGeneration


class GenerationTransactionWrapper(BumpsAtCommit, TransactionWrapper):
    """A transaction (or savepoint) whose writes bump the generation within it."""

    DIALECT_KEY = "postgres"

    def _in_transaction(self) -> TransactionContext:
        return NestedTransactionContext(GenerationTransactionWrapper(self))


class GenerationPostgresClient(BumpsPageGeneration, AsyncpgDBClient):
    """The asyncpg client, its writes bumping the generation; it reads the generation on a
    connection of its own."""

    DIALECT_KEY = "postgres"
    _generation_connection: asyncpg.Connection | None = None
    _generation_lock: asyncio.Lock | None = None

    async def fetch_generation_row(self, query: str) -> Any:
        """One row of `query` (the generation's), read on a connection kept for it alone.

        A cached page costs less to serve than borrowing a connection from the pool, so every
        page would wait for the pool: reads take turns on one connection instead, each made
        after its request arrived (so none sees a generation older than its request)."""
        if self._generation_lock is None:
            self._generation_lock = asyncio.Lock()
        async with self._generation_lock:
            try:
                connection = self._generation_connection
                if connection is None or connection.is_closed():
                    connection = self._generation_connection = await asyncpg.connect(
                        host=self.host,
                        port=self.port,
                        user=self.user,
                        password=self.password,
                        database=self.database,
                        server_settings=self.server_settings,
                        **self.extra,
                    )
                return await connection.fetchrow(query)
            except (asyncpg.PostgresConnectionError, asyncpg.InterfaceError, OSError) as lost:
                broken, self._generation_connection = self._generation_connection, None
                if broken is not None:
                    broken.terminate()
                raise ConnectionError(f"the generation's connection failed: {lost}") from lost

    async def close(self) -> None:
        """Close the pool and the generation's connection."""
        connection, self._generation_connection = self._generation_connection, None
        if connection is not None and not connection.is_closed():
            await connection.close(timeout=5)
        await super().close()

    def _in_transaction(self) -> TransactionContext:
        return TransactionContextPooled(GenerationTransactionWrapper(self), self._pool_init_lock)


client_class = GenerationPostgresClient
