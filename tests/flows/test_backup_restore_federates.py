"""A node backed up while it runs, wiped, and restored on a fresh data dir (and, on
PostgreSQL, a fresh database) goes on federating: same URL, same keys, same followers."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.flows.test_thread_across_nodes import PROPOSAL, holds
from tests.support.databases import fresh_database_url
from tests.support.nodes import (
    RunningNode,
    eventually,
    follow_organisation,
    get_json,
    post_outbox,
    running_node,
)
from tests.support.processes import NodeProcess, townhall

TIMEOUT = 30


async def published(node: RunningNode, token: str, title: str) -> str:
    status, created = await post_outbox(node, "alice", token, {**PROPOSAL, "name": title})
    assert status == 201, created
    return str(created["object"]["id"])


async def test_a_node_restored_from_its_backup_on_a_fresh_machine_goes_on_federating(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path / "b", "orgb") as b, running_node(tmp_path / "a", "orga") as a:
        # Given node A, whose organisation bob on B follows, and a proposal B received
        alice, bob = a.add_member("alice"), b.add_member("bob")
        await follow_organisation(b, "bob", bob, a)
        before = await published(a, alice, "Free travel for young carers")
        await eventually(lambda: holds(b, before), lambda n: n == 1, timeout=TIMEOUT)
        _, actor_before = await get_json(a.actor("alice"))

        # When A is backed up while it runs, stopped, its data dir (and database) wiped,
        # and restored into a new data dir and a new database
        archive = tmp_path / "orga.tar"
        made = townhall("backup", "--data-dir", str(a.process.data_dir), str(archive), env=a.env)
        assert made.returncode == 0, made.stderr
        sha256 = made.stdout.split("SHA-256 ")[1].split()[0]
        a.process.terminate()
        shutil.rmtree(a.process.data_dir)
        with fresh_database_url(tmp_path / "restored") as new_database:
            env = (
                {} if new_database.startswith("sqlite") else {"TOWNHALL_DATABASE_URL": new_database}
            )
            restore = [
                "restore",
                str(archive),
                "--data-dir",
                str(a.process.data_dir),
                "--sha256",
                sha256,
            ]
            restored = townhall(*restore, env=env)
            assert restored.returncode == 0, restored.stderr
            a.env = env
            a.process = NodeProcess(a.process.data_dir, env=env, port=a.process.port).start()

            # Then A serves the same actor with the same key, and what alice publishes next
            # (with the token she had) reaches B, which verifies it and files it as before
            _, actor_after = await get_json(a.actor("alice"))
            assert actor_after["publicKey"] == actor_before["publicKey"]
            after = await published(a, alice, "Free travel for carers' siblings")
            await eventually(lambda: holds(b, after), lambda n: n == 1, timeout=TIMEOUT)
            a.process.terminate()
