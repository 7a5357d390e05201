"""`townhall backup FILE`: one archive of a node, made while it runs.

It holds a consistent copy of the database (SQLite's online backup API, which copies one
snapshot while writers go on; `pg_dump` for PostgreSQL, one transaction), `townhall.toml` (the
public URL and the secret key), and a manifest with each file's checksum. The actors' signing
keys are rows of the database, so a node restored from it signs with the keys its followers
already hold. The archive is written beside FILE under a temporary name and renamed into place
when whole: a failed backup leaves no half-written FILE, and an existing FILE is never replaced.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from node.backup_archive import (
    CONFIG_MEMBER,
    DATABASE_MEMBERS,
    ArchiveError,
    Manifest,
    file_digest,
    member_of,
    write_archive,
)
from node.config import CONFIG_FILE, Config
from node.database_copies import applied_postgres_migrations, pg_dump, sqlite_path


@dataclass(frozen=True, slots=True)
class BackupMade:
    """What `townhall backup` wrote."""

    path: Path
    size: int
    sha256: str
    engine: str


async def make_backup(config: Config, target: Path) -> BackupMade:
    """Write the archive of the node `config` describes to `target`."""
    target, work = await asyncio.to_thread(_workspace, target)
    engine = "postgres" if config.database_url.startswith("postgres") else "sqlite"
    try:
        database = work / DATABASE_MEMBERS[engine]
        if engine == "sqlite":
            source = sqlite_path(config.database_url)
            migrations = await asyncio.to_thread(_copy_sqlite, source, database)
        else:
            await pg_dump(config.database_url, database)
            migrations = await applied_postgres_migrations(config.database_url)
        files = {CONFIG_MEMBER: config.data_dir / CONFIG_FILE, database.name: database}
        return await asyncio.to_thread(_archive, target, work, engine, migrations, files)
    finally:
        await asyncio.to_thread(shutil.rmtree, work, True)


def _workspace(target: Path) -> tuple[Path, Path]:
    """The absolute target, checked, and a temporary folder beside it (same file system)."""
    target = target.absolute()
    _check_target(target)
    return target, Path(tempfile.mkdtemp(prefix=".townhall-backup-", dir=target.parent))


def _archive(
    target: Path, work: Path, engine: str, migrations: tuple[str, ...], files: dict[str, Path]
) -> BackupMade:
    manifest = Manifest(
        engine=engine,
        townhall_version=version("townhall"),
        created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        migrations=migrations,
        members=tuple(member_of(path, name) for name, path in files.items()),
    )
    partial = work / "archive.tar"
    _write(partial, manifest, files)
    try:  # a link, not a rename: it fails rather than replace a FILE made meanwhile
        os.link(partial, target)
    except FileExistsError:
        _refuse_existing(target)
    return BackupMade(target, target.stat().st_size, file_digest(target), engine)


def _check_target(target: Path) -> None:
    if target.exists():
        _refuse_existing(target)
    if not target.parent.is_dir():
        raise ArchiveError(f"cannot write {target}: the folder {target.parent} does not exist")
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise ArchiveError(f"cannot write {target}: the folder {target.parent} is not writable")


def _refuse_existing(target: Path) -> None:
    raise ArchiveError(f"{target} already exists: a backup never replaces a file; pick a new name")


def _copy_sqlite(source: Path, destination: Path) -> tuple[str, ...]:
    """Copy the database as one snapshot (writers may go on) and check the copy; the
    migrations it had applied."""
    if not source.is_file():
        raise ArchiveError(f"there is no database at {source}: is this the node's data dir?")
    with (
        closing(sqlite3.connect(source, timeout=30)) as reader,
        closing(sqlite3.connect(destination)) as copy,
    ):
        reader.backup(copy)
        (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
        if verdict != "ok":
            raise ArchiveError(f"the database {source} is damaged ({verdict}); nothing written")
        rows = copy.execute("SELECT version FROM aerich WHERE app = 'models' ORDER BY id")
        return tuple(row[0] for row in rows)


def _write(path: Path, manifest: Manifest, files: dict[str, Path]) -> None:
    with path.open("xb") as handle:
        write_archive(handle, manifest, files)
        handle.flush()
        os.fsync(handle.fileno())
    path.chmod(0o600)
