"""Migrations in tests: the files, applying only the older ones, writing rows as an older
release did and upgrading from there, and a database's schema as plain data (to compare a
migrated database with one the models made)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from aerich import Command
from tortoise import connections
from tortoise.context import TortoiseContext

from node.db import MIGRATIONS_DIR, close_database, migrate, open_database, tortoise_config
from node.raw_sql import insert_sql, is_postgres
from node.search_schema import SEARCH_INDEX
from tests.support.databases import fresh_database_url


def migration_files() -> list[Path]:
    """The migration modules, oldest first (aerich numbers them 0_, 1_, ...)."""
    files = (MIGRATIONS_DIR / "models").glob("[0-9]*_*.py")
    return sorted(files, key=lambda path: int(path.name.split("_", 1)[0]))


async def migrate_through(database_url: str, last: str, folder: Path) -> None:
    """Apply the migrations up to `last` (by file name), as an older release would have."""
    target = folder / "models"
    target.mkdir(parents=True)
    names = [path.name for path in migration_files()]
    for path in migration_files()[: names.index(last) + 1]:
        shutil.copy(path, target / path.name)
    async with TortoiseContext():
        command = Command(tortoise_config(database_url), app="models", location=str(folder))
        await command.init()
        await command.upgrade(run_in_transaction=True)


# columns as every schema so far holds them (later migrations add to object's and proposal's)
ACTOR_COLUMNS = (
    "uri", "type", "is_local", "handle", "domain", "name", "summary", "role", "url",
    "inbox_uri", "outbox_uri", "shared_inbox_uri", "followers_uri", "following_uri", "key_id",
    "public_key_pem", "manually_approves_followers", "fetched_at", "deleted_at", "created_at",
    "updated_at",
)  # fmt: skip
OBJECT_COLUMNS = (
    "uri", "type", "is_local", "in_reply_to_uri", "context_uri", "name", "summary", "content",
    "source", "url", "is_public", "document", "published_at", "updated_at", "deleted_at",
    "hidden_at", "hidden_reason", "author_id",
)  # fmt: skip
PROPOSAL_COLUMNS = (
    "status", "closes_at", "version", "body", "sections", "created_at", "organisation_id",
    "object_id",
)  # fmt: skip


@dataclass(frozen=True)
class OldDatabase:
    """A database at an older schema, written to in plain SQL (the models describe only the
    newest schema)."""

    connection: Any
    postgres: bool

    async def insert(self, table: str, columns: Sequence[str], *rows: Sequence[object]) -> None:
        """Insert `rows`, each a value for each of `columns`."""
        sql = insert_sql(table, columns, len(rows), self.postgres)
        await self.connection.execute_query(sql, [value for row in rows for value in row])

    async def insert_local_actor(self, now: datetime) -> None:
        """Actor 1, a local Person, as every schema so far holds one."""
        actor = ("https://n.example/a", "Person", True, "a", "n.example", "", "", "", "", "i",
                 "", "", "", "", "", "", False, None, None, now, now)  # fmt: skip
        await self.insert("actor", ACTOR_COLUMNS, actor)


@asynccontextmanager
async def old_database(database_url: str, last: str, folder: Path) -> AsyncIterator[OldDatabase]:
    """The database migrated up to `last` only (migrate_through, in `folder`), open to be
    written as that release would have."""
    await migrate_through(database_url, last, folder)
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(database_url))
        connection = connections.get("default")
        yield OldDatabase(connection, is_postgres(connection))


@asynccontextmanager
async def upgraded(database_url: str) -> AsyncIterator[list[str]]:
    """The node's upgrade run on the database (the migrations it applied yielded), and the
    database open as the node opens it; closed afterwards."""
    applied = await migrate(database_url)
    await open_database(database_url)
    try:
        yield applied
    finally:
        await close_database()


_POSTGRES_COLUMNS = """
SELECT table_name, column_name, data_type, character_maximum_length, is_nullable,
       column_default, generation_expression
FROM information_schema.columns WHERE table_schema = 'public'
"""
_POSTGRES_INDEXES = (
    "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
)
_POSTGRES_CONSTRAINTS = """
SELECT c.relname AS table_name, k.conname, pg_get_constraintdef(k.oid) AS definition
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
"""

# what the models do not describe: the search index's triggers and their functions
_POSTGRES_TRIGGERS = """
SELECT event_object_table, trigger_name, event_manipulation, action_timing, action_statement
FROM information_schema.triggers WHERE trigger_schema = 'public'
"""
_POSTGRES_FUNCTIONS = """
SELECT p.proname, pg_get_functiondef(p.oid) AS definition FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
"""


async def schema_of(database_url: str) -> dict[str, Any]:
    """schema_of_default_connection for the database at `database_url`."""
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(database_url))
        return await schema_of_default_connection()


async def schema_the_models_make(folder: Path) -> dict[str, Any]:
    """The schema of a new database the models make, with the search index (raw SQL the models
    do not describe): what every migrated database must end up with."""
    folder.mkdir()
    with fresh_database_url(folder) as fresh_url:
        async with TortoiseContext() as context:
            await context.init(config=tortoise_config(fresh_url))
            await context.generate_schemas()
            connection = connections.get("default")
            await connection.execute_script(
                SEARCH_INDEX["postgres" if is_postgres(connection) else "sqlite"]
            )
            return await schema_of_default_connection()


async def schema_of_default_connection() -> dict[str, Any]:
    """Tables, columns, indexes and constraints of the default connection's database, in a
    form that does not depend on the order they were made in."""
    connection = connections.get("default")
    if is_postgres(connection):
        return {
            "columns": sorted(
                tuple(row.values())
                for row in await connection.execute_query_dict(_POSTGRES_COLUMNS)
            ),
            "indexes": sorted(
                tuple(row.values())
                for row in await connection.execute_query_dict(_POSTGRES_INDEXES)
            ),
            "constraints": sorted(
                tuple(row.values())
                for row in await connection.execute_query_dict(_POSTGRES_CONSTRAINTS)
            ),
            "triggers": sorted(
                tuple(row.values())
                for row in await connection.execute_query_dict(_POSTGRES_TRIGGERS)
            ),
            "functions": sorted(
                tuple(row.values())
                for row in await connection.execute_query_dict(_POSTGRES_FUNCTIONS)
            ),
        }
    return await _sqlite_schema()


async def _sqlite_schema() -> dict[str, Any]:
    connection = connections.get("default")
    tables = await connection.execute_query_dict(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence'"
    )
    # triggers, and virtual tables (whose module and tokenizer table_info does not show), as
    # SQLite keeps the statements that made them
    made = await connection.execute_query_dict(
        "SELECT type, name, sql FROM sqlite_master WHERE type = 'trigger' "
        "OR sql LIKE 'CREATE VIRTUAL TABLE%'"
    )
    schema: dict[str, Any] = {"(statements)": sorted(tuple(row.values()) for row in made)}
    for table in sorted(row["name"] for row in tables):
        columns = await connection.execute_query_dict(f'PRAGMA table_info("{table}")')
        keys = await connection.execute_query_dict(f'PRAGMA foreign_key_list("{table}")')
        schema[table] = {
            "columns": sorted(
                # not dflt_value: SQLite cannot add a NOT NULL column without a DEFAULT nor drop
                # it afterwards, and the models never rely on one (tortoise writes every column)
                (c["name"], c["type"].upper(), c["notnull"], c["pk"])
                for c in columns
            ),
            "indexes": await _sqlite_indexes(table),
            "foreign_keys": sorted(
                (k["from"], k["table"], k["to"], k["on_delete"], k["on_update"]) for k in keys
            ),
        }
    return schema


async def _sqlite_indexes(table: str) -> list[tuple[str, int, tuple[str, ...]]]:
    connection = connections.get("default")
    indexes = []
    for index in await connection.execute_query_dict(f'PRAGMA index_list("{table}")'):
        parts = await connection.execute_query_dict(f'PRAGMA index_info("{index["name"]}")')
        # SQLite numbers the indexes of UNIQUE constraints itself, and a migration can add a
        # UNIQUE column only as a column plus a unique index: compare unique ones by columns
        name = "(unique)" if index["unique"] else index["name"]
        columns = tuple(part["name"] for part in sorted(parts, key=lambda part: part["seqno"]))
        indexes.append((name, index["unique"], columns))
    return sorted(indexes)
