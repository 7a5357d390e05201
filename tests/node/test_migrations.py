"""Migrations (aerich): from an empty database on SQLite and PostgreSQL, idempotent, no drift."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path
from types import ModuleType

import pytest
from aerich.utils import compress_dict, decompress_dict, get_models_describe
from tortoise import Tortoise, connections
from tortoise.context import TortoiseContext

from node.config import write_config
from node.db import MIGRATIONS_DIR, close_database, migrate, open_database, tortoise_config
from tests.support.databases import postgres_admin_url
from tests.support.migrations import migration_files
from tests.support.processes import cli_env, townhall

URL = "http://127.0.0.1:8000"
NEW_MIGRATION = "CONTRIBUTING.md, 'Changing the database'"


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"townhall_migration_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_migration_has_sql_for_sqlite_and_postgres() -> None:
    files = migration_files()
    assert files, f"no migrations in {MIGRATIONS_DIR / 'models'}"
    for path in files:
        module = load(path)
        assert set(module.UPGRADE) >= {"sqlite", "postgres"}, path.name
        assert all(sql.strip() for sql in module.UPGRADE.values()), path.name
        assert module.MODELS_STATE, path.name


async def test_models_match_the_newest_migration(database_url: str) -> None:
    newest = migration_files()[-1]
    recorded = decompress_dict(load(newest).MODELS_STATE)
    # the engine under test: a model class initialised for another keeps that engine's queries
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(database_url))
        # through JSON like the recorded state: tuples become lists, enum defaults strings
        current = decompress_dict(compress_dict(get_models_describe("models")))
    if current != recorded:
        changed = sorted(
            name
            for name in current.keys() | recorded.keys()
            if current.get(name) != recorded.get(name)
        )
        pytest.fail(
            f"the models changed since {newest.name} (differences in {', '.join(changed)}): "
            f"add a migration, as {NEW_MIGRATION} says"
        )


async def test_migrations_build_every_table_from_an_empty_database(database_url: str) -> None:
    applied = await migrate(database_url)
    assert applied == [path.name for path in migration_files()]
    await open_database(database_url)
    try:
        models = list(Tortoise.apps["models"].values())
        assert len(models) > 5
        for model in models:  # selects every column of every model's table
            assert await model.all().limit(1) is not None, model.__name__
    finally:
        await close_database()


async def test_migrate_applies_nothing_the_second_time(database_url: str) -> None:
    assert await migrate(database_url)
    assert await migrate(database_url) == []


def test_townhall_migrate_applies_the_migrations_once(data_dir: Path, database_url: str) -> None:
    data_dir.mkdir()
    write_config(data_dir, URL, "k" * 48, database_url)
    env = cli_env({})
    first = townhall("migrate", "--data-dir", str(data_dir), env=env)
    assert first.returncode == 0, first.stderr
    names = ", ".join(path.name for path in migration_files())
    assert first.stdout.strip() == f"Applied {len(migration_files())} migration(s): {names}"
    second = townhall("migrate", "--data-dir", str(data_dir), env=env)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "Applied 0 migration(s)"


def test_the_sqlite_database_is_in_wal_mode_after_init(data_dir: Path) -> None:
    result = townhall(
        "init", "--data-dir", str(data_dir), "--url", URL, "--name", "Org", "--handle", "org",
        env=cli_env({}),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    connection = sqlite3.connect(data_dir / "townhall.sqlite3")
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        connection.close()


@pytest.mark.skipif(
    postgres_admin_url() is not None,
    reason="a SQLite test: the SQLite run has it, and in a PostgreSQL run its in-process SQLite "
    "models would leave SQLite's queries cached for the next test in this worker",
)
async def test_sqlite_connections_wait_for_locks(tmp_path: Path) -> None:
    await open_database(f"sqlite://{tmp_path / 'node.sqlite3'}")
    try:
        connection = connections.get("default")
        rows = await connection.execute_query_dict("PRAGMA busy_timeout")
        assert list(rows[0].values()) == [5000]
        rows = await connection.execute_query_dict("PRAGMA journal_mode")
        assert list(rows[0].values()) == ["wal"]
    finally:
        await close_database()
