"""The backup archive: a tar file holding `manifest.json`, `townhall.toml` and the database
(`database.sqlite3`, or `database.pgdump` in pg_dump's custom format).

The manifest names every other member with its size and SHA-256, the database engine and the
migrations the database had applied. An archive is checked whole before anything is restored:
a member missing, added, renamed or changed, or a manifest that is not ours, refuses it. The
checksums find corruption and careless edits, not a forger who rewrites the manifest too: for
that, compare the archive's own SHA-256 (printed by `townhall backup`) with `--sha256`.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

FORMAT = "townhall-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CONFIG_MEMBER = "townhall.toml"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgres": "database.pgdump"}
MAX_MANIFEST = 1_000_000
CHUNK = 1 << 20


class ArchiveError(Exception):
    """The archive cannot be made or restored; the message says why in plain words."""


@dataclass(frozen=True, slots=True)
class Member:
    """A file in the archive as the manifest lists it."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """What an archive says it holds."""

    engine: str  # "sqlite" or "postgres"
    townhall_version: str
    created_at: str
    migrations: tuple[str, ...]
    members: tuple[Member, ...]

    @property
    def database_member(self) -> str:
        """The name of the database's member."""
        return DATABASE_MEMBERS[self.engine]

    def as_json(self) -> bytes:
        """The manifest as written into the archive."""
        document = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "townhall": self.townhall_version,
            "created_at": self.created_at,
            "engine": self.engine,
            "migrations": list(self.migrations),
            "files": [{"name": m.name, "size": m.size, "sha256": m.sha256} for m in self.members],
        }
        return json.dumps(document, indent=2).encode()


def file_digest(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def member_of(path: Path, name: str) -> Member:
    """The manifest entry of a file about to be archived as `name`."""
    return Member(name=name, size=path.stat().st_size, sha256=file_digest(path))


def write_archive(target: IO[bytes], manifest: Manifest, files: dict[str, Path]) -> None:
    """Write the manifest first, then each listed file, into an uncompressed tar stream
    (the database dump is compressed already; a SQLite file compresses well but restoring a
    large one must not need twice its size in memory, so tar streams it)."""
    with tarfile.open(fileobj=target, mode="w") as archive:
        body = manifest.as_json()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(body)
        info.mode = 0o600
        archive.addfile(info, io.BytesIO(body))
        for member in manifest.members:
            info = archive.gettarinfo(str(files[member.name]), arcname=member.name)
            info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
            with files[member.name].open("rb") as handle:
                archive.addfile(info, handle)


def verified_manifest(path: Path, expected_sha256: str = "") -> Manifest:
    """Read and check the archive at `path` whole; its manifest, or ArchiveError saying why."""
    if expected_sha256:
        actual = file_digest(path)
        if actual != expected_sha256.strip().lower():
            raise ArchiveError(
                f"{path} is not the archive you expected: its SHA-256 is {actual}, "
                f"not {expected_sha256.strip()}"
            )
    try:
        with tarfile.open(path, mode="r:") as archive:
            manifest = _manifest(archive, path)
            _check_members(archive, manifest, path)
    except (tarfile.TarError, EOFError) as error:
        raise ArchiveError(
            f"{path} is not a Townhall backup (not a readable tar file: {error})"
        ) from None
    return manifest


def extract_member(path: Path, name: str, destination: Path) -> None:
    """Copy one (already verified) member of the archive to `destination`, owner-only."""
    with tarfile.open(path, mode="r:") as archive:
        source = archive.extractfile(name)
        if source is None:
            raise ArchiveError(f"{path} has no file {name}")
        destination.touch(mode=0o600)
        with destination.open("wb") as handle:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                handle.write(chunk)


def _manifest(archive: tarfile.TarFile, path: Path) -> Manifest:
    first = archive.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise ArchiveError(f"{path} is not a Townhall backup (it does not begin with {MANIFEST})")
    if first.size > MAX_MANIFEST:
        raise ArchiveError(f"{path} is not a Townhall backup (its manifest is too large)")
    handle = archive.extractfile(first)
    assert handle is not None  # a regular file, checked above
    try:
        document = json.loads(handle.read())
    except ValueError:
        raise ArchiveError(f"{path} is damaged: its manifest is not JSON") from None
    return _parse_manifest(document, path)


def _parse_manifest(document: Any, path: Path) -> Manifest:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ArchiveError(f"{path} is not a Townhall backup (its manifest is not ours)")
    if document.get("version") != FORMAT_VERSION:
        raise ArchiveError(
            f"{path} is a backup in format {document.get('version')!r}, which this version of "
            f"Townhall does not read (it reads format {FORMAT_VERSION})"
        )
    engine = document.get("engine")
    files = document.get("files")
    migrations = document.get("migrations")
    if engine not in DATABASE_MEMBERS or not isinstance(files, list):
        raise ArchiveError(f"{path} is damaged: its manifest names no database")
    if not isinstance(migrations, list) or not all(isinstance(m, str) for m in migrations):
        raise ArchiveError(f"{path} is damaged: its manifest's migrations are not a list")
    members = tuple(_member(entry, path) for entry in files)
    expected = {CONFIG_MEMBER, DATABASE_MEMBERS[engine]}
    if sorted(m.name for m in members) != sorted(expected):
        raise ArchiveError(
            f"{path} is damaged: its manifest lists {sorted(m.name for m in members)}, "
            f"not {sorted(expected)}"
        )
    return Manifest(
        engine=engine,
        townhall_version=str(document.get("townhall", "")),
        created_at=str(document.get("created_at", "")),
        migrations=tuple(migrations),
        members=members,
    )


def _member(entry: Any, path: Path) -> Member:
    if not isinstance(entry, dict):
        raise ArchiveError(f"{path} is damaged: a file of its manifest is not described")
    name, size, sha256 = entry.get("name"), entry.get("size"), entry.get("sha256")
    if not isinstance(name, str) or not isinstance(size, int) or not isinstance(sha256, str):
        raise ArchiveError(f"{path} is damaged: a file of its manifest is not described")
    return Member(name, size, sha256)


def _digest_of(archive: tarfile.TarFile, info: tarfile.TarInfo) -> str:
    handle = archive.extractfile(info)
    assert handle is not None  # a regular file, checked by the caller
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _check_members(archive: tarfile.TarFile, manifest: Manifest, path: Path) -> None:
    """Every listed member present once, a regular file of the listed size and checksum; no
    other member."""
    listed = {member.name: member for member in manifest.members}
    seen: set[str] = set()
    for index, info in enumerate(archive):
        if index == 0:  # the manifest, read already
            continue
        if info.name not in listed or info.name in seen or not info.isfile():
            raise ArchiveError(f"{path} has been altered: it holds {info.name!r} unlisted")
        seen.add(info.name)
        member = listed[info.name]
        if info.size != member.size or _digest_of(archive, info) != member.sha256:
            raise ArchiveError(
                f"{path} is damaged or altered: {info.name} does not match its checksum"
            )
    missing = sorted(set(listed) - seen)
    if missing:
        raise ArchiveError(f"{path} is incomplete: {', '.join(missing)} missing")
