"""The database tools a backup and a restore run: SQLite's file behind a URL, and pg_dump /
pg_restore for PostgreSQL (credentials passed in the environment, never on a command line
that `ps` shows)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import asyncpg

from node.backup_archive import ArchiveError
from node.config import mask_password

CONNECT_TIMEOUT = 10


def sqlite_path(database_url: str) -> Path:
    """The file of a sqlite:// URL."""
    parts = urlsplit(database_url)
    return Path(parts.netloc + parts.path if parts.netloc else parts.path)


def _libpq_environment(database_url: str) -> dict[str, str]:
    parts = urlsplit(database_url)
    env = {
        "PGHOST": parts.hostname or "",
        "PGPORT": str(parts.port or 5432),
        "PGUSER": unquote(parts.username or ""),
        "PGPASSWORD": unquote(parts.password or ""),
        "PGDATABASE": unquote(parts.path.lstrip("/")),
        "PGCONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
    }
    query = dict(parse_qsl(parts.query))
    if query.get("ssl") in ("require", "verify-full", "verify-ca"):
        env["PGSSLMODE"] = query["ssl"]
    return {key: value for key, value in env.items() if value}


async def _run(tool: str, arguments: list[str], database_url: str) -> None:
    if (found := _which(tool)) is None:
        raise ArchiveError(f"{tool} is not installed (Debian: apt install postgresql-client)")
    process = await asyncio.create_subprocess_exec(
        found,
        *arguments,
        env={**os.environ, **_libpq_environment(database_url)},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, errors = await process.communicate()
    if process.returncode != 0:
        detail = " ".join(errors.decode(errors="replace").split())[:500]
        raise ArchiveError(f"{tool} failed on {mask_password(database_url)}: {detail}")


def _which(tool: str) -> str | None:
    from shutil import which

    return which(tool)


async def pg_dump(database_url: str, destination: Path) -> None:
    """Dump the database in pg_dump's custom format (one consistent snapshot)."""
    await _run(
        "pg_dump",
        ["--format=custom", "--no-owner", "--no-privileges", "--file", str(destination)],
        database_url,
    )


async def pg_restore(database_url: str, dump: Path) -> None:
    """Load a custom-format dump into an empty database, all or nothing."""
    await _run(
        "pg_restore",
        ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         "--dbname", _libpq_environment(database_url).get("PGDATABASE", ""), str(dump)],
        database_url,
    )  # fmt: skip


async def applied_postgres_migrations(database_url: str) -> tuple[str, ...]:
    """The migrations a PostgreSQL database has applied, oldest first."""
    connection = await _connect(database_url)
    try:
        rows = await connection.fetch("SELECT version FROM aerich WHERE app = 'models' ORDER BY id")
    finally:
        await connection.close()
    return tuple(row["version"] for row in rows)


async def postgres_tables(database_url: str) -> list[str]:
    """The tables of the database's public schema (none in a new, empty database)."""
    connection = await _connect(database_url)
    try:
        rows = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    finally:
        await connection.close()
    return [row["tablename"] for row in rows]


async def _connect(database_url: str) -> asyncpg.Connection:
    url = (
        "postgres" + database_url[len("postgresql") :]
        if database_url.startswith("postgresql")
        else database_url
    )
    try:
        return await asyncpg.connect(url, timeout=CONNECT_TIMEOUT)
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        raise ArchiveError(
            f"database {mask_password(database_url)} is unreachable: {error}"
        ) from None
