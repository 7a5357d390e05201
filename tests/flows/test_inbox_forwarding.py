"""Inbox forwarding (ActivityPub §7.1.2): a reply addressed to our followers reaches them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.fakes import FakeRemote
from tests.support.nodes import post_outbox, running_node


async def test_reply_to_our_followers_is_forwarded_byte_for_byte(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        org = node.token("testorg")
        _, created = await post_outbox(node, "testorg", org, {"type": "Note", "content": "q?"})
        note = created["object"]["id"]
        followers = f"{node.organisation}/followers"
        async with FakeRemote(software="mastodon") as one, FakeRemote(software="mastodon") as two:
            alice, bob = one.add_actor("alice"), two.add_actor("bob")
            for remote, actor in ((one, alice), (two, bob)):
                await remote.deliver(
                    actor, f"{node.base}/inbox", remote.follow(actor, node.organisation)
                )
                await remote.wait_for(lambda r: r.type == "Accept", timeout=15)
            # Given alice replies, addressing the organisation's followers
            reply = one.create_note(
                alice,
                "<p>forward me</p>",
                in_reply_to=note,
                to=["https://www.w3.org/ns/activitystreams#Public"],
                cc=[followers],
            )
            body = json.dumps(reply, separators=(",", ":")).encode()
            assert (await one.deliver(alice, f"{node.base}/inbox", body))[0] == 202
            # Then bob's server receives alice's activity exactly as she sent it, signed by us
            forwarded = await two.wait_for(lambda r: r.json.get("id") == reply["id"], timeout=15)
            assert forwarded.body == body
            assert forwarded.signature.valid and forwarded.signature.owner == node.organisation
            # and alice's own server is not sent her own activity back
            assert not [r for r in one.received() if r.json.get("id") == reply["id"]]

            # A reply that does not address our followers is not forwarded
            quiet = one.create_note(
                alice, "<p>just to you</p>", in_reply_to=note, to=[node.organisation], cc=[]
            )
            await one.deliver(alice, f"{node.base}/inbox", quiet)
            marker = one.create_note(
                alice,
                "<p>marker</p>",
                in_reply_to=note,
                to=["https://www.w3.org/ns/activitystreams#Public"],
                cc=[followers],
            )
            await one.deliver(alice, f"{node.base}/inbox", marker)
            await two.wait_for(lambda r: r.json.get("id") == marker["id"], timeout=15)
            assert not [r for r in two.received() if r.json.get("id") == quiet["id"]]
            # the repeated delivery of the first reply is not forwarded a second time
            await one.deliver(alice, f"{node.base}/inbox", body)
            again = one.create_note(
                alice,
                "<p>marker 2</p>",
                in_reply_to=note,
                cc=[followers],
                to=["https://www.w3.org/ns/activitystreams#Public"],
            )
            await one.deliver(alice, f"{node.base}/inbox", again)
            await two.wait_for(lambda r: r.json.get("id") == again["id"], timeout=15)
            assert len([r for r in two.received() if r.json.get("id") == reply["id"]]) == 1
