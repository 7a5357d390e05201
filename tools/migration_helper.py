"""Helpers for writing a migration (node/migrations/models/N_name.py) by hand.

Aerich writes SQL for one engine at a time; a node runs on both, so each migration holds one
script per dialect in `UPGRADE` and `upgrade(db)` picks by the connection's dialect.

    .venv/bin/python tools/migration_helper.py schema [POSTGRES_URL]
        the SQL the models make on an empty database, for SQLite and PostgreSQL: copy the
        CREATE statements of new or changed tables from here (a test checks that a migrated
        database ends up with exactly this schema)
    .venv/bin/python tools/migration_helper.py state
        the models' state to put in the new migration's MODELS_STATE (a test checks that
        the newest migration's state matches the models)
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import uuid

import asyncpg
from aerich.utils import compress_dict, get_models_describe
from tortoise import Tortoise, connections
from tortoise.utils import get_schema_sql

from node.db import tortoise_config

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"


async def schema_sql(database_url: str) -> tuple[str, str]:
    """(dialect, full schema SQL) for the engine behind `database_url`."""
    await Tortoise.init(config=tortoise_config(database_url))
    try:
        connection = connections.get("default")
        return connection.schema_generator.DIALECT, get_schema_sql(connection, safe=False)
    finally:
        await Tortoise.close_connections()


async def print_schema(postgres_admin_url: str) -> None:
    """Print the schema SQL of both engines."""
    with tempfile.TemporaryDirectory() as folder:
        dialect, sql = await schema_sql(f"sqlite://{folder}/schema.sqlite3")
        print(f"-- {dialect}\n{sql}\n")
    name = f"townhall_schema_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(postgres_admin_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        dialect, sql = await schema_sql(f"{postgres_admin_url.rsplit('/', 1)[0]}/{name}")
        print(f"-- {dialect}\n{sql}")
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.close()


async def print_state() -> None:
    """Print the models' state as a MODELS_STATE line."""
    with tempfile.TemporaryDirectory() as folder:
        await Tortoise.init(config=tortoise_config(f"sqlite://{folder}/state.sqlite3"))
        try:
            print(f"MODELS_STATE = {compress_dict(get_models_describe('models'))!r}")
        finally:
            await Tortoise.close_connections()


def main(arguments: list[str]) -> int:
    """Run the command named in `arguments`."""
    if arguments[:1] == ["schema"] and len(arguments) <= 2:
        asyncio.run(print_schema(arguments[1] if len(arguments) == 2 else DEFAULT_POSTGRES))
    elif arguments == ["state"]:
        asyncio.run(print_state())
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
