"""Test databases: a SQLite file per test, or a fresh PostgreSQL database per test."""

from __future__ import annotations

import asyncio
import itertools
import os
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import asyncpg

POSTGRES_ENV = "TOWNHALL_TEST_DATABASE_URL"
ADMIN_ATTEMPTS = 4
_counter = itertools.count()


def postgres_admin_url() -> str | None:
    """The PostgreSQL URL the suite was pointed at, if any."""
    return os.environ.get(POSTGRES_ENV) or None


@contextmanager
def fresh_database_url(folder: Path) -> Iterator[str]:
    """A URL to an empty database, dropped afterwards (SQLite unless PostgreSQL was chosen)."""
    admin = postgres_admin_url()
    if admin is None:
        yield f"sqlite://{folder / 'test.sqlite3'}"
        return
    base, _, parent = admin.rpartition("/")
    name = f"{parent}_{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    _run_admin(admin, f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        _run_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run_admin(admin_url: str, statement: str) -> None:
    """Run one statement as the admin, in a thread of its own: callers may be inside a loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_run_admin_now, admin_url, statement).result()


def _run_admin_now(admin_url: str, statement: str) -> None:
    async def run() -> None:
        connection = await asyncpg.connect(admin_url, timeout=30)
        try:
            await connection.execute(statement, timeout=60)
        finally:
            await connection.close()

    # a heavily loaded server may refuse a CREATE DATABASE for a moment (a busy template,
    # a slow connection): try a few times before failing the test's set-up
    for attempt in range(ADMIN_ATTEMPTS):
        try:
            asyncio.run(run())
            return
        except (asyncpg.PostgresError, OSError, TimeoutError):
            if attempt == ADMIN_ATTEMPTS - 1:
                raise
            time.sleep(0.5 * (attempt + 1))
