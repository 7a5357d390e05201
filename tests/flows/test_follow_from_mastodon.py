"""A Mastodon user follows the organisation, gets a signed Accept, then unfollows."""

from __future__ import annotations

from pathlib import Path

import schemas
from tests.fakes import FakeRemote
from tests.support.nodes import collection_items, eventually, running_node


async def test_mastodon_follow_is_accepted_with_a_signed_accept(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        async with FakeRemote(software="mastodon") as remote:
            alice = remote.add_actor("alice")
            # Given a Mastodon user who asks to follow the organisation
            follow = remote.follow(alice, node.organisation)
            status, _ = await remote.deliver(alice, f"{node.base}/inbox", follow)
            assert status == 202
            # Then a signed Accept of that very Follow arrives in her inbox
            accept = await remote.wait_for(lambda r: r.type == "Accept", timeout=15)
            assert accept.signature.valid, accept.signature.reason
            assert accept.signature.owner == node.organisation
            assert accept.json["actor"] == node.organisation
            object_ = accept.json["object"]
            assert (object_["id"] if isinstance(object_, dict) else object_) == follow["id"]
            schemas.validate("accept", accept.json)
            # And she is listed among the organisation's followers
            followers = await collection_items(f"{node.organisation}/followers")
            assert followers == [alice.id]

            # When she unfollows, she is removed
            undo = remote.undo(alice, follow)
            assert (await remote.deliver(alice, f"{node.base}/inbox", undo))[0] == 202
            await eventually(
                lambda: collection_items(f"{node.organisation}/followers"),
                lambda items: items == [],
                what="the follower was removed",
            )


async def test_undo_of_someone_elses_follow_changes_nothing(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        async with FakeRemote(software="mastodon") as remote:
            alice, mallory = remote.add_actor("alice"), remote.add_actor("mallory")
            follow = remote.follow(alice, node.organisation)
            await remote.deliver(alice, f"{node.base}/inbox", follow)
            await remote.wait_for(lambda r: r.type == "Accept", timeout=15)
            # mallory wraps alice's Follow in an Undo of his own
            forged = remote.undo(mallory, follow)
            assert (await remote.deliver(mallory, f"{node.base}/inbox", forged))[0] == 202
            # a later, harmless activity proves the worker got past the forged Undo
            like_target = remote.follow(mallory, node.organisation)
            await remote.deliver(mallory, f"{node.base}/inbox", like_target)
            await eventually(
                lambda: collection_items(f"{node.organisation}/followers"),
                lambda items: mallory.id in items,
                what="mallory's own follow was applied",
            )
            assert alice.id in await collection_items(f"{node.organisation}/followers")
