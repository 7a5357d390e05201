"""Node A's member follows node B's organisation over the client API and receives its posts."""

from __future__ import annotations

from pathlib import Path

from tests.support.nodes import (
    collection_items,
    eventually,
    get_json,
    post_outbox,
    running_node,
)


async def test_member_follows_remote_organisation_and_receives_its_posts(tmp_path: Path) -> None:
    with running_node(tmp_path / "a", "orga") as a, running_node(tmp_path / "b", "orgb") as b:
        alice = a.add_member("alice")
        org_b = b.token("orgb")
        # When alice follows @orgb@B through her outbox
        status, follow = await post_outbox(
            a, "alice", alice, {"type": "Follow", "object": f"@orgb@{b.host}"}
        )
        assert status == 201, follow
        assert follow["object"] == b.organisation
        # Then B accepts, and each side lists the follow
        await eventually(
            lambda: collection_items(f"{a.actor('alice')}/following"),
            lambda items: items == [b.organisation],
            what="alice's following lists orgb",
            timeout=15,
        )
        assert await collection_items(f"{b.organisation}/followers") == [a.actor("alice")]

        # When B's organisation publishes a note
        status, create = await post_outbox(
            b, "orgb", org_b, {"type": "Note", "content": "<p>Consultation opens today</p>"}
        )
        assert status == 201, create
        # Then it arrives in alice's inbox on A
        inbox = await eventually(
            lambda: collection_items(f"{a.actor('alice')}/inbox", alice),
            lambda items: any(item.get("id") == create["id"] for item in items),
            what="B's Create reached alice's inbox",
            timeout=15,
        )
        received = next(item for item in inbox if item["id"] == create["id"])
        assert received["object"]["content"] == "<p>Consultation opens today</p>"

        # When alice unfollows, B forgets her
        status, undo = await post_outbox(
            a, "alice", alice, {"type": "Undo", "object": follow["id"]}
        )
        assert status == 201, undo
        await eventually(
            lambda: collection_items(f"{b.organisation}/followers"),
            lambda items: items == [],
            what="B dropped alice as a follower",
            timeout=15,
        )
        assert await collection_items(f"{a.actor('alice')}/following") == []


async def test_inbox_of_a_member_needs_her_own_token(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        alice = node.add_member("alice")
        node.add_member("bob")
        status, _ = await get_json(f"{node.actor('bob')}/inbox", alice)
        assert status == 403
        status, _ = await get_json(f"{node.actor('alice')}/inbox")
        assert status == 401
