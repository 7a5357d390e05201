"""Likes and shares taken back in the organisation's thread reach servers that follow only the
organisation (FEP-1b12: the Group announces the Undo itself), and a server honours an Undo that
a Group relays only when the Undo's own origin, or a relayer on that origin, vouches for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.fakes import FakeRemote
from tests.fakes.recording import RecordedRequest
from tests.flows.test_thread_across_nodes import PROPOSAL
from tests.support.nodes import RunningNode, count_rows, eventually, post_outbox, running_node

TIMEOUT = 30


async def proposal_of(node: RunningNode, handle: str) -> str:
    status, created = await post_outbox(node, handle, node.add_member(handle), PROPOSAL)
    assert status == 201, created
    return str(created["object"]["id"])


async def likes_held(node: RunningNode, target: str) -> int:
    return await count_rows(node, "reaction", f"kind = 'Like' AND object_uri = '{target}'")


async def applied(node: RunningNode, activity: dict[str, Any]) -> None:
    await eventually(
        lambda: count_rows(
            node, "inbox_item", f"activity_uri = '{activity['id']}' AND state = 'done'"
        ),
        lambda n: n == 1,
        what=f"{node.host} applied {activity['id']}",
        timeout=TIMEOUT,
    )


async def liked(remote: FakeRemote, node: RunningNode, actor: str, target: str) -> dict[str, Any]:
    like = remote.like(actor, target)
    assert (await remote.deliver(actor, f"{node.base}/inbox", like))[0] == 202
    await applied(node, like)
    return like


def relayed_undo(request: RecordedRequest, undone: dict[str, Any]) -> bool:
    inner = request.json["object"]
    return (
        request.type == "Announce"
        and inner["type"] == "Undo"
        and (inner["object"]["id"] == undone["id"])
    )


async def test_a_remote_undo_in_the_organisations_thread_reaches_servers_following_only_it(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path, "orgb") as node:
        proposal = await proposal_of(node, "bob")
        async with FakeRemote(software="mastodon") as remote:
            rita, sam = remote.add_actor("rita"), remote.add_actor("sam")
            # rita's server follows only the organisation
            follow = remote.follow(rita, node.organisation)
            assert (await remote.deliver(rita, f"{node.base}/inbox", follow))[0] == 202
            await remote.wait_for(lambda r: r.type == "Accept", timeout=TIMEOUT)
            # sam likes bob's proposal, then takes the Like back
            like = await liked(remote, node, "sam", proposal)
            assert await likes_held(node, proposal) == 1
            undo = remote.undo(sam, like)
            assert (await remote.deliver(sam, f"{node.base}/inbox", undo))[0] == 202
            # the organisation passes the Undo itself on to rita's server
            passed = await remote.wait_for(lambda r: relayed_undo(r, like), timeout=TIMEOUT)
            assert passed.signature.owner == node.organisation
            assert passed.json["object"]["id"] == undo["id"]
            assert await likes_held(node, proposal) == 0


async def test_an_undo_relayed_by_a_group_is_honoured_only_as_its_origin_vouches(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path, "orgc") as node:
        proposal = await proposal_of(node, "carol")
        async with (
            FakeRemote(software="lemmy") as town,
            FakeRemote(software="lemmy") as elsewhere,
        ):
            group, ann, ben = town.add_actor("group"), town.add_actor("ann"), town.add_actor("ben")
            mallory = elsewhere.add_actor("mallory")
            ann_like = await liked(town, node, "ann", proposal)
            ben_like = await liked(town, node, "ben", proposal)
            assert await likes_held(node, proposal) == 2

            # a Group on another server relays an Undo of ann's Like her server never sent
            ann_undo = town.undo(ann, ann_like)
            ann_undo["id"] = f"{town.base_url}/activities/undo/ann"
            forged = elsewhere.announce(mallory, ann_undo["id"])
            forged["object"] = ann_undo
            assert (await elsewhere.deliver(mallory, f"{node.base}/inbox", forged))[0] == 202
            await applied(node, forged)
            assert await likes_held(node, proposal) == 2

            # ben's own server's Group relays his Undo: it vouches for its own server
            ben_undo = town.undo(ben, ben_like)
            ben_undo["id"] = f"{town.base_url}/activities/undo/ben"
            relayed = town.announce(group, ben_undo["id"])
            relayed["object"] = ben_undo
            assert (await town.deliver(group, f"{node.base}/inbox", relayed))[0] == 202
            await applied(node, relayed)
            assert await likes_held(node, proposal) == 1

            # once ann's server serves her Undo, the other Group's relay of it is believed
            town.publish(ann_undo)
            again = elsewhere.announce(mallory, ann_undo["id"])
            again["object"] = ann_undo
            assert (await elsewhere.deliver(mallory, f"{node.base}/inbox", again))[0] == 202
            await applied(node, again)
            assert await likes_held(node, proposal) == 0
