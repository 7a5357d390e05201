"""Answers to follows in both directions: remote Accept/Reject of ours, and a locked member's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import FakeRemote
from tests.support.nodes import collection_items, eventually, post_outbox, running_node


@pytest.mark.parametrize("embedded", [True, False], ids=["embedded-follow", "follow-id-only"])
async def test_remote_accept_of_our_follow_adds_to_following(
    tmp_path: Path, embedded: bool
) -> None:
    with running_node(tmp_path) as node:
        alice = node.add_member("alice")
        async with FakeRemote(software="mastodon") as remote:
            bob = remote.add_actor("bob")
            status, follow = await post_outbox(
                node, "alice", alice, {"type": "Follow", "object": bob.id}
            )
            assert status == 201, follow
            received = await remote.wait_for(lambda r: r.type == "Follow", timeout=15)
            assert received.signature.valid, received.signature.reason
            assert received.json["id"] == follow["id"]
            # not followed until bob answers
            assert await collection_items(f"{node.actor('alice')}/following") == []
            accept = remote.accept(bob, received.json if embedded else received.json["id"])
            assert (await remote.deliver(bob, f"{node.base}/inbox", accept))[0] == 202
            await eventually(
                lambda: collection_items(f"{node.actor('alice')}/following"),
                lambda items: items == [bob.id],
                what="bob is in alice's following",
            )


async def test_remote_reject_of_our_follow_is_never_following(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        alice = node.add_member("alice")
        async with FakeRemote(software="mastodon") as remote:
            bob = remote.add_actor("bob")
            await post_outbox(node, "alice", alice, {"type": "Follow", "object": bob.id})
            received = await remote.wait_for(lambda r: r.type == "Follow", timeout=15)
            reject = {**remote.accept(bob, received.json), "type": "Reject"}
            reject["id"] = reject["id"] + "-reject"
            assert (await remote.deliver(bob, f"{node.base}/inbox", reject))[0] == 202
            # a later accept of the same follow id by someone else must not count either
            mallory = remote.add_actor("mallory")
            stolen = remote.accept(mallory, received.json["id"])
            await remote.deliver(mallory, f"{node.base}/inbox", stolen)
            follow_again = await post_outbox(
                node, "alice", alice, {"type": "Follow", "object": bob.id}
            )
            assert follow_again[0] == 201  # the rejected follow is gone, so alice may ask again
            assert await collection_items(f"{node.actor('alice')}/following") == []


async def test_locked_member_approves_then_rejects_follow_requests(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        alice = node.add_member("alice")
        status, _ = await post_outbox(
            node,
            "alice",
            alice,
            {
                "type": "Update",
                "object": {
                    "id": node.actor("alice"),
                    "type": "Person",
                    "manuallyApprovesFollowers": True,
                },
            },
        )
        assert status == 201
        async with FakeRemote(software="mastodon") as remote:
            bob, carol = remote.add_actor("bob"), remote.add_actor("carol")
            bob_follow = remote.follow(bob, node.actor("alice"))
            carol_follow = remote.follow(carol, node.actor("alice"))
            await remote.deliver(bob, f"{node.base}/inbox", bob_follow)
            await remote.deliver(carol, f"{node.base}/inbox", carol_follow)
            # nobody is accepted before alice answers
            request = await eventually(
                lambda: collection_items(f"{node.actor('alice')}/inbox", alice),
                lambda items: len([i for i in items if i.get("type") == "Follow"]) == 2,
                what="both follow requests reached alice's inbox",
            )
            assert request and not remote.received(type="Accept")
            assert await collection_items(f"{node.actor('alice')}/followers") == []
            # alice accepts bob and rejects carol
            status, answer = await post_outbox(
                node, "alice", alice, {"type": "Accept", "object": bob_follow["id"]}
            )
            assert status == 201, answer
            status, answer = await post_outbox(
                node, "alice", alice, {"type": "Reject", "object": carol_follow["id"]}
            )
            assert status == 201, answer
            accept = await remote.wait_for(lambda r: r.type == "Accept", timeout=15)
            reject = await remote.wait_for(lambda r: r.type == "Reject", timeout=15)
            assert accept.signature.valid and reject.signature.valid
            assert accept.json["object"]["id"] == bob_follow["id"]
            assert reject.json["object"]["id"] == carol_follow["id"]
            assert await collection_items(f"{node.actor('alice')}/followers") == [bob.id]
