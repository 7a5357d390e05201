"""`townhall restore FILE --data-dir DIR`: a node brought back from its backup archive.

Everything is checked before anything is written: the archive whole (node/backup_archive.py),
that this version of Townhall knows every migration it records, that DIR is new or empty (a
running node's data dir is never overwritten), and for PostgreSQL that the target database is
reachable and empty. Then DIR gets the config and the database; if that fails part way, what
was written is removed again (pg_restore runs in one transaction). The restored node keeps its
public URL, secret key and actors' signing keys, so its followers go on verifying it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from node.backup_archive import (
    CONFIG_MEMBER,
    ArchiveError,
    Manifest,
    extract_member,
    verified_manifest,
)
from node.config import CONFIG_FILE, SQLITE_FILE
from node.database_copies import pg_restore, postgres_tables
from node.db import MIGRATIONS_DIR


@dataclass(frozen=True, slots=True)
class Restored:
    """What `townhall restore` put back."""

    data_dir: Path
    url: str
    engine: str
    created_at: str


async def restore_backup(
    archive: Path, data_dir: Path, database_url: str = "", expected_sha256: str = ""
) -> Restored:
    """Restore `archive` into the new or empty `data_dir` (PostgreSQL: into `database_url`)."""
    manifest, config = await asyncio.to_thread(_checked, archive, data_dir, expected_sha256)
    target_url = _target_database(manifest, config, database_url)
    if manifest.engine == "postgres":
        tables = await postgres_tables(target_url)
        if tables:
            raise ArchiveError(
                f"the database to restore into is not empty (it has {len(tables)} tables): "
                "create a new, empty database for the restore"
            )
    created = await asyncio.to_thread(_make_data_dir, data_dir)
    try:
        await _write_node(archive, manifest, config, data_dir, target_url)
    except BaseException:
        await asyncio.to_thread(_undo, data_dir, created)
        raise
    node = config.get("node", {})
    return Restored(data_dir, str(node.get("url", "")), manifest.engine, manifest.created_at)


def _checked(
    archive: Path, data_dir: Path, expected_sha256: str
) -> tuple[Manifest, dict[str, Any]]:
    if not archive.is_file():
        raise ArchiveError(f"there is no backup file at {archive}")
    if data_dir.exists() and (not data_dir.is_dir() or any(data_dir.iterdir())):
        raise ArchiveError(
            f"{data_dir} is not empty: restore into a new, empty folder "
            "(a node's data dir is never overwritten)"
        )
    manifest = verified_manifest(archive, expected_sha256)
    known = {path.name for path in (MIGRATIONS_DIR / "models").glob("*.py")}
    newer = [name for name in manifest.migrations if name not in known]
    if newer:
        raise ArchiveError(
            f"this backup was made by a newer Townhall ({manifest.townhall_version}, migration "
            f"{newer[0]}): upgrade this installation first, then restore"
        )
    with tempfile.TemporaryDirectory() as work:
        extract_member(archive, CONFIG_MEMBER, Path(work) / CONFIG_FILE)
        try:
            config = tomllib.loads((Path(work) / CONFIG_FILE).read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ArchiveError(f"the backup's {CONFIG_MEMBER} is not valid TOML: {error}") from None
    return manifest, config


def _target_database(manifest: Manifest, config: dict[str, Any], database_url: str) -> str:
    """Where the database goes: SQLite into the data dir; PostgreSQL into the URL given,
    else $TOWNHALL_DATABASE_URL, else the one the backup's config names."""
    given = database_url or os.environ.get("TOWNHALL_DATABASE_URL", "")
    if manifest.engine == "sqlite":
        if given.startswith("postgres"):
            raise ArchiveError(
                "this backup holds a SQLite database: restore it without --database-url "
                "(and without TOWNHALL_DATABASE_URL); it goes into the data dir"
            )
        return ""
    section = config.get("database")
    named = section.get("url", "") if isinstance(section, dict) else ""
    target = given or named
    if not target.startswith("postgres"):
        raise ArchiveError(
            "this backup holds a PostgreSQL database: say where to restore it with "
            "--database-url postgres://… (a new, empty database)"
        )
    return target


def _make_data_dir(data_dir: Path) -> bool:
    """Create the data dir (owner only); whether it was created here."""
    created = not data_dir.exists()
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    return created


async def _write_node(
    archive: Path, manifest: Manifest, config: dict[str, Any], data_dir: Path, target_url: str
) -> None:
    if manifest.engine == "sqlite":
        config.pop("database", None)  # the file is in the data dir now, wherever it was before
        await asyncio.to_thread(
            extract_member, archive, manifest.database_member, data_dir / SQLITE_FILE
        )
    else:
        config["database"] = {**config.get("database", {}), "url": target_url}
        dump = data_dir / manifest.database_member
        await asyncio.to_thread(extract_member, archive, manifest.database_member, dump)
        try:
            await pg_restore(target_url, dump)
        finally:
            await asyncio.to_thread(dump.unlink, True)
    await asyncio.to_thread(_write_config, data_dir / CONFIG_FILE, config)


def _write_config(path: Path, config: dict[str, Any]) -> None:
    path.touch(mode=0o600)
    path.write_text(tomli_w.dumps(config), encoding="utf-8")


def _undo(data_dir: Path, created: bool) -> None:
    """Remove what a failed restore wrote: the folder if it made it, else its contents."""
    if created:
        shutil.rmtree(data_dir, ignore_errors=True)
        return
    for entry in data_dir.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
