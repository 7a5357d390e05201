"""Tortoise's asyncpg engine, whose writes move the pages' generation on.

Every INSERT, UPDATE or DELETE a page could show moves node/page_generation.py's counter on:
at the end of its transaction, on the same connection (or just after a statement made outside
one), so visitors' cached pages are rendered afresh after it, in every web process of the node.
"""

from __future__ import annotations

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
    """The asyncpg client, its writes bumping the generation."""

    DIALECT_KEY = "postgres"

    def _in_transaction(self) -> TransactionContext:
        return TransactionContextPooled(GenerationTransactionWrapper(self), self._pool_init_lock)


client_class = GenerationPostgresClient
