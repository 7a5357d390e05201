"""A Mastodon user replies to and favourites the organisation's post; repeats have one effect."""

from __future__ import annotations

from pathlib import Path

from tests.fakes import FakeRemote
from tests.support.nodes import collection_items, eventually, get_json, post_outbox, running_node


async def test_reply_and_like_from_mastodon_count_once(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        org = node.token("testorg")
        status, create = await post_outbox(
            node, "testorg", org, {"type": "Note", "content": "<p>What should change?</p>"}
        )
        assert status == 201, create
        note = create["object"]["id"]
        async with FakeRemote(software="mastodon") as remote:
            alice = remote.add_actor("alice")
            # Given a reply from Mastodon, delivered twice (to the shared and personal inbox)
            reply = remote.create_note(alice, "<p>Longer opening hours</p>", in_reply_to=note)
            assert (await remote.deliver(alice, f"{node.base}/inbox", reply))[0] == 202
            assert (await remote.deliver(alice, f"{node.organisation}/inbox", reply))[0] == 202
            # Then the reply is in the note's replies collection exactly once
            replies = await eventually(
                lambda: collection_items(f"{note}/replies"),
                lambda items: len(items) >= 1,
                what="the reply was stored",
            )
            assert replies == [reply["object"]["id"]]

            # Given a favourite, delivered twice
            like = remote.like(alice, note)
            for _ in range(2):
                assert (await remote.deliver(alice, f"{node.base}/inbox", like))[0] == 202
            await eventually(
                lambda: get_json(f"{note}/likes"),
                lambda answer: answer[1].get("totalItems") == 1,
                what="the like was counted once",
            )
            # When it is withdrawn, the count drops back
            undo = remote.undo(alice, like)
            assert (await remote.deliver(alice, f"{node.base}/inbox", undo))[0] == 202
            await eventually(
                lambda: get_json(f"{note}/likes"),
                lambda answer: answer[1].get("totalItems") == 0,
                what="the like was withdrawn",
            )
            # When the reply is deleted by its author, it leaves the thread
            delete = remote.delete(alice, reply["object"]["id"])
            assert (await remote.deliver(alice, f"{node.base}/inbox", delete))[0] == 202
            await eventually(
                lambda: collection_items(f"{note}/replies"),
                lambda items: items == [],
                what="the deleted reply left the replies collection",
            )


async def test_object_claimed_on_another_origin_is_not_stored(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        org = node.token("testorg")
        _, create = await post_outbox(node, "testorg", org, {"type": "Note", "content": "x"})
        note = create["object"]["id"]
        async with FakeRemote(software="mastodon") as home, FakeRemote(software="mastodon") as evil:
            alice, mallory = home.add_actor("alice"), evil.add_actor("mallory")
            # mallory (on another server) sends a Create of a note that claims to be alice's,
            # with an id on alice's server, which has never heard of it
            forged = evil.create_note(mallory, "<p>forged</p>", in_reply_to=note)
            forged_id = f"{home.base_url}/users/alice/statuses/999"
            forged["object"] = {**forged["object"], "id": forged_id, "attributedTo": alice.id}
            assert (await evil.deliver(mallory, f"{node.base}/inbox", forged))[0] == 202
            # an honest reply afterwards shows the worker has moved past the forgery
            honest = home.create_note(alice, "<p>honest</p>", in_reply_to=note)
            await home.deliver(alice, f"{node.base}/inbox", honest)
            replies = await eventually(
                lambda: collection_items(f"{note}/replies"),
                lambda items: honest["object"]["id"] in items,
                what="the honest reply was stored",
            )
            assert forged_id not in replies
            # the node asked alice's server for the claimed note, and got nothing
            await home.wait_for(lambda r: r.method == "GET" and r.path.endswith("/statuses/999"))
