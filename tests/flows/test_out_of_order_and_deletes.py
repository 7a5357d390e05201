"""Activities that arrive out of order, deletes of objects and of whole actors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tests.fakes import FakeRemote
from tests.support.nodes import (
    RunningNode,
    collection_items,
    count_rows,
    eventually,
    get_json,
    post_outbox,
    running_node,
)


@asynccontextmanager
async def node_with_a_note(tmp_path: Path) -> AsyncIterator[tuple[RunningNode, str, FakeRemote]]:
    """A running node whose organisation has posted a note, and a fake Mastodon server."""
    with running_node(tmp_path) as node:
        org = node.token("testorg")
        _, created = await post_outbox(node, "testorg", org, {"type": "Note", "content": "q"})
        async with FakeRemote(software="mastodon") as remote:
            yield node, created["object"]["id"], remote


async def test_update_before_create_keeps_the_newer_version(tmp_path: Path) -> None:
    async with node_with_a_note(tmp_path) as (node, note, remote):
        alice = remote.add_actor("alice")
        create = remote.create_note(alice, "<p>first</p>", in_reply_to=note)
        update = remote.update_note(alice, create["object"], "<p>second</p>")
        reply_id = create["object"]["id"]
        # the Update overtakes the Create on the way
        assert (await remote.deliver(alice, f"{node.base}/inbox", update))[0] == 202
        assert (await remote.deliver(alice, f"{node.base}/inbox", create))[0] == 202
        await eventually(
            lambda: count_rows(node, "inbox_item", "state = 'done'"),
            lambda done: done >= 2,
            what="both activities were applied",
        )
        assert await count_rows(node, "object", f"uri = '{reply_id}'") == 1
        assert (
            await count_rows(node, "object", f"uri = '{reply_id}' AND content LIKE '%second%'") == 1
        )


async def test_delete_before_create_stays_deleted(tmp_path: Path) -> None:
    async with node_with_a_note(tmp_path) as (node, note, remote):
        alice = remote.add_actor("alice")
        create = remote.create_note(alice, "<p>oops</p>", in_reply_to=note)
        delete = remote.delete(alice, create["object"]["id"])
        assert (await remote.deliver(alice, f"{node.base}/inbox", delete))[0] == 202
        assert (await remote.deliver(alice, f"{node.base}/inbox", create))[0] == 202
        await eventually(
            lambda: count_rows(node, "inbox_item", "state = 'done'"),
            lambda done: done >= 2,
            what="both activities were applied",
        )
        assert await collection_items(f"{note}/replies") == []


async def test_deleted_actor_loses_follows_and_content(tmp_path: Path) -> None:
    async with node_with_a_note(tmp_path) as (node, note, remote):
        alice = remote.add_actor("alice")
        follow = remote.follow(alice, node.organisation)
        await remote.deliver(alice, f"{node.base}/inbox", follow)
        reply = remote.create_note(alice, "<p>hello</p>", in_reply_to=note)
        await remote.deliver(alice, f"{node.base}/inbox", reply)
        await eventually(
            lambda: collection_items(f"{note}/replies"),
            lambda items: items == [reply["object"]["id"]],
            what="the reply was stored",
        )
        # alice deletes her account: Mastodon signs the Delete with her (last) key
        delete = remote.delete(alice, alice.id)
        assert (await remote.deliver(alice, f"{node.base}/inbox", delete))[0] == 202
        await eventually(
            lambda: collection_items(f"{node.organisation}/followers"),
            lambda items: items == [],
            what="the deleted actor's follow was removed",
        )
        assert await collection_items(f"{note}/replies") == []


async def test_delete_by_someone_else_changes_nothing(tmp_path: Path) -> None:
    async with node_with_a_note(tmp_path) as (node, note, remote):
        alice, mallory = remote.add_actor("alice"), remote.add_actor("mallory")
        reply = remote.create_note(alice, "<p>mine</p>", in_reply_to=note)
        await remote.deliver(alice, f"{node.base}/inbox", reply)
        await eventually(
            lambda: collection_items(f"{note}/replies"),
            lambda items: items == [reply["object"]["id"]],
            what="the reply was stored",
        )
        forged = remote.delete(mallory, reply["object"]["id"])
        await remote.deliver(mallory, f"{node.base}/inbox", forged)
        # mallory's forged Delete of the organisation's own note is ignored too
        forged_local = remote.delete(mallory, note)
        await remote.deliver(mallory, f"{node.base}/inbox", forged_local)
        await eventually(
            lambda: count_rows(node, "inbox_item", "state = 'done'"),
            lambda done: done >= 3,
            what="the forged deletes were processed",
        )
        assert await collection_items(f"{note}/replies") == [reply["object"]["id"]]
        assert (await get_json(note))[0] == 200


async def test_a_deleted_actors_late_activity_is_refused(tmp_path: Path) -> None:
    async with node_with_a_note(tmp_path) as (node, note, remote):
        alice = remote.add_actor("alice")
        # alice is known, her key and row fresh in the node's caches
        first = remote.create_note(alice, "<p>hello</p>", in_reply_to=note)
        assert (await remote.deliver(alice, f"{node.base}/inbox", first))[0] == 202
        await eventually(
            lambda: collection_items(f"{note}/replies"),
            lambda items: items == [first["object"]["id"]],
            what="the first reply was stored",
        )
        # she deletes her account, and her server answers 410 for her from then on
        assert (await remote.deliver(alice, f"{node.base}/inbox", remote.delete(alice, alice.id)))[
            0
        ] == 202
        await eventually(
            lambda: collection_items(f"{note}/replies"),
            lambda items: items == [],
            what="her content was removed",
        )
        remote.gone(alice.id)
        # a reply her server had queued arrives late, signed with her old key
        late = remote.create_note(alice, "<p>late</p>", in_reply_to=note)
        status, _ = await remote.deliver(alice, f"{node.base}/inbox", late)
        assert status == 401
        assert await count_rows(node, "inbox_item", f"activity_uri = '{late['id']}'") == 0
        assert await collection_items(f"{note}/replies") == []
