"""`townhall backup`, `restore` and `check` from the command line: a round trip on either
engine, and every refusal made before anything is written."""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from node.backup_archive import verified_manifest
from tests.interop.tls import LocalCA
from tests.support.databases import fresh_database_url
from tests.support.processes import (
    TOWNHALL,
    NodeProcess,
    assert_refused,
    free_port,
    initialised_on_free_port,
    townhall,
)


class Node:
    """An initialised (not running) node: its data dir, environment and port."""

    def __init__(self, data_dir: Path, env: dict[str, str], port: int) -> None:
        self.data_dir, self.env, self.port = data_dir, env, port


@pytest.fixture
def node(tmp_path: Path) -> Iterator[Node]:
    with fresh_database_url(tmp_path) as database_url:
        env = {} if database_url.startswith("sqlite") else {"TOWNHALL_DATABASE_URL": database_url}
        data_dir = tmp_path / "data"
        port = initialised_on_free_port(data_dir, env, handle="orga")
        added = townhall(
            "user", "add", "alice", "--data-dir", str(data_dir), env=env, stdin="pw-alice-123\n"
        )
        assert added.returncode == 0, added.stderr
        yield Node(data_dir, env, port)


def backed_up(node: Node, archive: Path) -> Path:
    made = townhall("backup", "--data-dir", str(node.data_dir), str(archive), env=node.env)
    assert made.returncode == 0, made.stderr
    return archive


@pytest.fixture
def restore_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Where a restore goes: a new empty PostgreSQL database, or the data dir for SQLite."""
    (tmp_path / "target").mkdir()
    with fresh_database_url(tmp_path / "target") as database_url:
        yield {} if database_url.startswith("sqlite") else {"TOWNHALL_DATABASE_URL": database_url}


def restore(archive: Path, data_dir: Path, env: dict[str, str], *extra: str) -> tuple[int, str]:
    result = townhall("restore", str(archive), "--data-dir", str(data_dir), *extra, env=env)
    return result.returncode, result.stderr


def rewritten(
    archive: Path, target: Path, change: dict[str, bytes], manifest: dict | None = None
) -> Path:  # type: ignore[type-arg]
    """A copy of `archive` with some members' bytes (and maybe its manifest) replaced."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as copy:
        for info in source:
            data = source.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == "manifest.json" and manifest is not None:
                data = json.dumps(manifest).encode()
            data = change.get(info.name, data)
            info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
    return target


def test_a_restored_node_holds_what_the_backup_held(
    node: Node, tmp_path: Path, restore_env: dict[str, str]
) -> None:
    # Given a node with a member, backed up
    archive = backed_up(node, tmp_path / "orga.tar")
    # When it is restored into a new data dir
    status, errors = restore(archive, tmp_path / "new", restore_env)
    assert status == 0, errors
    # Then the restored node has the member and serves the same organisation at the same URL
    listed = townhall(
        "token", "create", "alice", "--data-dir", str(tmp_path / "new"), env=restore_env
    )
    assert listed.returncode == 0, listed.stderr
    served = NodeProcess(tmp_path / "new", env=restore_env, port=node.port).start()
    try:
        checked = townhall("check", "--data-dir", str(tmp_path / "new"), env=restore_env)
        assert checked.returncode == 0, checked.stdout
        assert "reachable: http://127.0.0.1" in checked.stdout and "All is well." in checked.stdout
    finally:
        served.terminate()


def test_a_damaged_archive_is_refused_and_nothing_is_written(
    node: Node, tmp_path: Path, restore_env: dict[str, str]
) -> None:
    archive = backed_up(node, tmp_path / "orga.tar")
    damaged = bytearray(archive.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    (tmp_path / "damaged.tar").write_bytes(bytes(damaged))
    status, errors = restore(tmp_path / "damaged.tar", tmp_path / "new", restore_env)
    assert status == 1 and "does not match its checksum" in errors
    assert not (tmp_path / "new").exists()


def test_an_archive_whose_config_was_edited_is_refused(
    node: Node, tmp_path: Path, restore_env: dict[str, str]
) -> None:
    archive = backed_up(node, tmp_path / "orga.tar")
    edited = rewritten(
        archive,
        tmp_path / "edited.tar",
        {"townhall.toml": b"[node]\nurl = 'https://evil.example'\n"},
    )
    status, errors = restore(edited, tmp_path / "new", restore_env)
    assert status == 1 and "townhall.toml does not match its checksum" in errors
    assert not (tmp_path / "new").exists()


def test_a_file_that_is_not_a_backup_is_refused(
    tmp_path: Path, restore_env: dict[str, str]
) -> None:
    (tmp_path / "notes.tar").write_bytes(b"not a tar file at all" * 100)
    status, errors = restore(tmp_path / "notes.tar", tmp_path / "new", restore_env)
    assert status == 1 and "is not a Townhall backup" in errors
    assert_refused(
        townhall("restore", str(tmp_path / "missing.tar"), "--data-dir", str(tmp_path / "n")),
        "there is no backup file",
    )


def test_a_backup_made_by_a_newer_townhall_is_refused(
    node: Node, tmp_path: Path, restore_env: dict[str, str]
) -> None:
    archive = backed_up(node, tmp_path / "orga.tar")
    document = json.loads(verified_manifest(archive).as_json())
    document["migrations"].append("99_from_the_future.py")
    newer = rewritten(archive, tmp_path / "newer.tar", {}, manifest=document)
    status, errors = restore(newer, tmp_path / "new", restore_env)
    assert status == 1 and "made by a newer Townhall" in errors and "99_from_the_future" in errors
    assert not (tmp_path / "new").exists()


def test_restore_never_writes_into_a_data_dir_in_use(
    node: Node, tmp_path: Path, restore_env: dict[str, str]
) -> None:
    archive = backed_up(node, tmp_path / "orga.tar")
    before = sorted(path.name for path in node.data_dir.iterdir())
    status, errors = restore(archive, node.data_dir, restore_env)
    assert status == 1 and "is not empty" in errors
    assert sorted(path.name for path in node.data_dir.iterdir()) == before


def test_a_backup_never_replaces_a_file_nor_writes_into_a_missing_folder(
    node: Node, tmp_path: Path
) -> None:
    archive = backed_up(node, tmp_path / "orga.tar")
    first = archive.read_bytes()
    again = townhall("backup", "--data-dir", str(node.data_dir), str(archive), env=node.env)
    assert_refused(again, "already exists")
    assert archive.read_bytes() == first
    nowhere = townhall(
        "backup", "--data-dir", str(node.data_dir), str(tmp_path / "no" / "a.tar"), env=node.env
    )
    assert_refused(nowhere, "does not exist")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".townhall-backup")] == []


def test_restoring_a_postgresql_backup_into_a_database_in_use_is_refused(
    node: Node, tmp_path: Path
) -> None:
    if "TOWNHALL_DATABASE_URL" not in node.env:
        pytest.skip("PostgreSQL only: a SQLite backup goes into the data dir")
    archive = backed_up(node, tmp_path / "orga.tar")
    status, errors = restore(archive, tmp_path / "new", node.env)  # the live database
    assert status == 1 and "is not empty" in errors
    assert not (tmp_path / "new").exists()


def test_check_names_what_is_wrong(node: Node, tmp_path: Path) -> None:
    # Given the node is not running: check says nothing answers at its URL
    stopped = townhall("check", "--data-dir", str(node.data_dir), env=node.env)
    assert stopped.returncode == 1
    assert "PROBLEM reachable: nothing answers at http://127.0.0.1" in stopped.stdout
    assert "ok      database:" in stopped.stdout
    # Given a config that does not parse: check says so and stops there
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "townhall.toml").write_text("[node\n")
    broken = townhall("check", "--data-dir", str(tmp_path / "broken"))
    assert broken.returncode == 1 and "PROBLEM config:" in broken.stdout


def served_over_tls(
    data_dir: Path, env: dict[str, str], port: int, cert: Path, key: Path
) -> subprocess.Popen[str]:
    command = [*TOWNHALL, "run", "--data-dir", str(data_dir), "--port", str(port),
               "--tls-cert", str(cert), "--tls-key", str(key)]  # fmt: skip
    return subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, text=True)  # fmt: skip


def test_check_trusts_a_certificate_only_for_the_node_s_own_name(tmp_path: Path) -> None:
    # Given a node at https://localhost:PORT serving a certificate from a CA the checker trusts
    ca = LocalCA(tmp_path / "ca")
    port = free_port()
    data_dir = tmp_path / "data"
    made = townhall("init", "--data-dir", str(data_dir), "--url", f"https://localhost:{port}",
                    "--name", "Org", "--handle", "org")  # fmt: skip
    assert made.returncode == 0, made.stderr
    trusting = {"SSL_CERT_FILE": str(ca.bundle_path)}
    right, wrong = ca.issue("localhost"), ca.issue("elsewhere.test")
    for issued, trusted, says in (
        (right, trusting, "ok      reachable: https://localhost"),
        (right, {}, "PROBLEM TLS: the certificate of https://localhost"),
        (wrong, trusting, "PROBLEM TLS: the certificate of https://localhost"),
    ):
        node = served_over_tls(data_dir, {}, port, issued.cert, issued.key)
        try:
            deadline = time.monotonic() + 20
            while True:  # until the node listens (a refused connection is not the finding)
                checked = townhall("check", "--data-dir", str(data_dir), env=trusted)
                if "nothing answers" not in checked.stdout or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            # Then check believes the certificate only when it is trusted and names the host
            assert says in checked.stdout, checked.stdout
        finally:
            node.terminate()
            node.wait(timeout=15)
