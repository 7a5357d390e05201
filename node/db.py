"""Opening, migrating and closing the database (tortoise-orm; aerich migrations)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from aerich import Command
from tortoise import connections
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.context import TortoiseContext, set_global_context
from tortoise.exceptions import DBConnectionError

from node.config import Config, mask_password

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
MODEL_MODULES = ["node.models", "aerich.models"]
SQLITE_BUSY_TIMEOUT_MS = 5000


class DatabaseUnreachable(Exception):
    """The database could not be reached; the message names it with any password masked."""


def tortoise_config(database_url: str) -> dict[str, Any]:
    """The tortoise configuration for `database_url` (SQLite in WAL mode, or PostgreSQL)."""
    scheme = urlsplit(database_url).scheme
    connection: str | dict[str, Any] = database_url
    if scheme == "sqlite":
        connection = _sqlite_connection(database_url)
    elif scheme in ("postgres", "postgresql"):
        connection = _postgres_connection(database_url)
    return {
        "connections": {"default": connection},
        "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


_active: TortoiseContext | None = None


def _sqlite_connection(database_url: str) -> dict[str, Any]:
    """SQLite through our engine (BEGIN IMMEDIATE), in WAL mode, waiting out locks.

    WAL with synchronous=NORMAL survives a killed process; only a power cut can lose the last
    commits (SQLite's own advice for WAL).
    """
    parts = urlsplit(database_url)
    credentials: dict[str, Any] = {
        "file_path": parts.netloc + parts.path if parts.netloc else parts.path,
        "journal_mode": "WAL",
        "synchronous": "NORMAL",
        "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
    }
    credentials.update(dict(parse_qsl(parts.query)))
    return {"engine": "node.sqlite_engine", "credentials": credentials}


def _postgres_connection(database_url: str) -> dict[str, Any]:
    """PostgreSQL through our engine (writes move the pages' generation on)."""
    connection = expand_db_url("postgres" + database_url[database_url.index(":") :])
    connection["engine"] = "node.postgres_engine"
    return connection


async def open_database(database_url: str) -> None:
    """Apply pending migrations, then open the ORM for every task of this process."""
    global _active
    await migrate(database_url)
    context = TortoiseContext()
    # the global fallback lets every task (request handlers, workers) see this context
    set_global_context(context)
    _active = context
    try:
        await context.init(config=tortoise_config(database_url))
        await check_reachable(database_url)
    except BaseException:
        await close_database()
        raise


@asynccontextmanager
async def opened_database(config: Config) -> AsyncIterator[None]:
    """The node's database, migrated and open for one command (`townhall user add`, …)."""
    await open_database(config.database_url)
    try:
        yield
    finally:
        await close_database()


async def close_database() -> None:
    """Close every connection the ORM holds for this process."""
    global _active
    if _active is not None:
        context, _active = _active, None
        await context.close_connections()


async def check_reachable(database_url: str) -> None:
    """Run a trivial query; raise DatabaseUnreachable with a masked URL if it fails."""
    with _unreachable_as(database_url):
        await connections.get("default").execute_query("SELECT 1")


async def migrate(database_url: str) -> list[str]:
    """Apply every migration not yet applied, in a context of its own; return those applied."""
    return await _with_migrations(
        database_url, lambda command: command.upgrade(run_in_transaction=True)
    )


async def pending_migrations(database_url: str) -> list[str]:
    """The migrations not yet applied to the database, applying none."""
    return await _with_migrations(database_url, lambda command: command.heads())


async def _with_migrations(
    database_url: str, use: Callable[[Command], Awaitable[list[str]]]
) -> list[str]:
    with _unreachable_as(database_url):
        async with TortoiseContext():
            command = Command(
                tortoise_config(database_url), app="models", location=str(MIGRATIONS_DIR)
            )
            await command.init()
            return await use(command)


@contextmanager
def _unreachable_as(database_url: str) -> Iterator[None]:
    """Turn the many ways a connection fails into one DatabaseUnreachable."""
    try:
        yield
    except (OSError, DBConnectionError, ConnectionError) as error:
        raise DatabaseUnreachable(_unreachable_message(database_url, error)) from None
    except Exception as error:  # asyncpg has its own hierarchy for auth and missing databases
        if type(error).__module__.split(".")[0] == "asyncpg":
            raise DatabaseUnreachable(_unreachable_message(database_url, error)) from None
        raise


def _unreachable_message(database_url: str, error: BaseException) -> str:
    detail = str(error).strip() or type(error).__name__
    return f"database {mask_password(database_url)} is unreachable: {detail}"
