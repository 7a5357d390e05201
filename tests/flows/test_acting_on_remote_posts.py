"""A member acts on a post the node has never seen, given only its URL, as clients do.

A Like, an Announce or a reply to a remote post not held yet fetches it from its origin (signed,
through the node's one client), stores it, then acts: the reply goes to the parent's author and
joins its thread, whose home hears of it. A post that cannot be fetched is a clear refusal that
stores and sends nothing. A look-up through proxyUrl brings the post's thread with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp

from tests.fakes import FakeRemote
from tests.support.nodes import (
    RunningNode,
    collection_items,
    count_rows,
    eventually,
    post_outbox,
    running_node,
)

PROPOSAL = {
    "type": "Article",
    "name": "Plant trees on Mill Street",
    "summary": "The street is hot in summer.",
    "source": "Shade would help **everyone** walking to school.",
}


async def held(node: RunningNode, uri: str) -> int:
    """How many rows the node holds for the object `uri` (0 or 1)."""
    return await count_rows(node, "object", f"uri = '{uri}'")


async def written(node: RunningNode) -> dict[str, int]:
    """What a refused action must not change: objects, reactions, activities, deliveries."""
    return {
        table: await count_rows(node, table)
        for table in ("object", "reaction", "activity", "delivery")
    }


async def look_up(node: RunningNode, token: str, uri: str) -> tuple[int, Any]:
    """POST /proxy with a member's token (proxyUrl): (status, answer)."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/activity+json"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{node.base}/proxy", data={"id": uri}, headers=headers) as response,
    ):
        return response.status, await response.json(content_type=None)


async def test_liking_and_boosting_a_mastodon_post_not_seen_yet_reaches_its_author(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path) as node:
        dana = node.add_member("dana")
        async with FakeRemote(software="mastodon") as remote:
            alice = remote.add_actor("alice")
            # Given a Mastodon post the node has never received
            post = remote.create_note(alice, "<p>The bridge reopens on Monday</p>")["object"]["id"]
            assert await held(node, post) == 0

            # When a member likes it by its URL, as clients do
            status, like = await post_outbox(node, "dana", dana, {"type": "Like", "object": post})

            # Then the node fetched it (signed), stored it, and the Like reached its author
            assert status == 201, like
            fetched = await remote.wait_for(lambda r: r.method == "GET" and r.url == post)
            assert fetched.signature.key_id == f"{node.organisation}#main-key"
            assert await held(node, post) == 1
            delivered = await remote.wait_for(lambda r: r.inbox is not None and r.type == "Like")
            assert delivered.json["object"] == post
            assert delivered.json["actor"] == node.actor("dana")

            # And a boost of another unseen post does the same
            other = remote.create_note(alice, "<p>Bring a torch</p>")["object"]["id"]
            status, boost = await post_outbox(
                node, "dana", dana, {"type": "Announce", "object": other}
            )
            assert status == 201, boost
            shared = await remote.wait_for(lambda r: r.inbox is not None and r.type == "Announce")
            assert shared.json["object"] == other
            assert await held(node, other) == 1


async def test_a_reply_to_a_mastodon_post_not_seen_yet_reaches_its_author_in_its_thread(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path) as node:
        dana = node.add_member("dana")
        async with FakeRemote(software="mastodon") as remote:
            alice = remote.add_actor("alice")
            # Given a remote post the node has never received, which names its thread
            note = remote.create_note(alice, "<p>Who is coming on Saturday?</p>")["object"]
            thread = f"{remote.base_url}/contexts/saturday"
            remote.publish({**note, "context": thread})

            # When a member replies to it by its URL
            body = {"type": "Note", "content": "I am!", "inReplyTo": note["id"]}
            status, create = await post_outbox(node, "dana", dana, body)

            # Then the reply joined the post's thread and went to the post's author
            assert status == 201, create
            assert create["object"]["context"] == thread
            assert alice.id in create["cc"]
            delivered = await remote.wait_for(lambda r: r.inbox is not None and r.type == "Create")
            assert delivered.json["object"]["inReplyTo"] == note["id"]
            assert delivered.json["object"]["context"] == thread
            assert await held(node, note["id"]) == 1


async def test_acting_on_a_post_that_cannot_be_fetched_is_refused_and_writes_nothing(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path) as node:
        dana = node.add_member("dana")
        async with FakeRemote(software="mastodon") as home, FakeRemote() as elsewhere:
            alice, mallory = home.add_actor("alice"), elsewhere.add_actor("mallory")
            missing = f"{home.base_url}/users/alice/statuses/404"
            # a post served by one server that claims to be written on another
            forged = elsewhere.create_note(mallory, "<p>forged</p>")["object"]
            elsewhere.publish({**forged, "attributedTo": alice.id})
            before = await written(node)

            refusals = [
                ({"type": "Like", "object": missing}, 404),
                ({"type": "Announce", "object": missing}, 404),
                ({"type": "Note", "content": "hm", "inReplyTo": missing}, 404),
                ({"type": "Like", "object": forged["id"]}, 502),
                ({"type": "Note", "content": "hm", "inReplyTo": forged["id"]}, 502),
            ]
            for body, expected in refusals:
                status, answer = await post_outbox(node, "dana", dana, body)
                assert status == expected, (body, answer)
                assert "cannot fetch" in answer["error"], answer

            # nothing was stored, published or queued, and nobody was sent anything
            assert await written(node) == before
            assert home.received("Like") == home.received("Create") == []
            assert elsewhere.received("Like") == elsewhere.received("Create") == []


async def test_a_reply_to_another_nodes_proposal_not_seen_yet_reaches_its_thread_home(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path / "a", "orga") as a, running_node(tmp_path / "d", "orgd") as d:
        alice, dave = a.add_member("alice"), d.add_member("dave")
        status, created = await post_outbox(a, "alice", alice, PROPOSAL)
        assert status == 201, created
        proposal = created["object"]["id"]
        context = created["object"]["context"]
        assert await held(d, proposal) == 0

        # When D's member replies to A's proposal, which D has never seen
        body = {"type": "Note", "content": "Oaks, please", "inReplyTo": proposal}
        status, create = await post_outbox(d, "dave", dave, body)

        # Then the reply is in A's thread, and A (the thread's home) lists and announces it
        assert status == 201, create
        reply = create["object"]["id"]
        assert create["object"]["context"] == context
        await eventually(
            lambda: collection_items(context),
            lambda items: reply in items,
            what="A's thread lists D's reply",
            timeout=30,
        )
        announced = f"type = 'Announce' AND object_uri = '{reply}'"
        await eventually(
            lambda: count_rows(a, "activity", announced),
            lambda count: count == 1,
            what="A's organisation announced the reply to its followers",
        )


async def test_looking_up_a_comment_brings_its_whole_thread(tmp_path: Path) -> None:
    with running_node(tmp_path / "a", "orga") as a, running_node(tmp_path / "d", "orgd") as d:
        alice, dave = a.add_member("alice"), d.add_member("dave")
        async with FakeRemote(software="mastodon") as remote:
            uma = remote.add_actor("uma")
            # Given a proposal on A, a comment from Mastodon and a member's answer to it
            status, created = await post_outbox(a, "alice", alice, PROPOSAL)
            assert status == 201, created
            proposal = created["object"]["id"]
            comment = remote.create_note(uma, "<p>Limes smell nice</p>", in_reply_to=proposal)
            assert (await remote.deliver(uma, f"{a.base}/inbox", comment))[0] == 202
            await eventually(
                lambda: held(a, comment["object"]["id"]), bool, what="A stored the comment"
            )
            body = {"type": "Note", "content": "Noted!", "inReplyTo": comment["object"]["id"]}
            status, answer = await post_outbox(a, "alice", alice, body)
            assert status == 201, answer
            thread = [proposal, comment["object"]["id"], answer["object"]["id"]]
            await eventually(
                lambda: collection_items(created["object"]["context"]),
                lambda items: set(items) == set(thread),
                what="A's context lists the thread",
            )

            # When D's member looks up the last answer through proxyUrl
            status, document = await look_up(d, dave, thread[-1])
            assert status == 200, document
            assert document["id"] == thread[-1]

            # Then D comes to hold the whole thread, the Mastodon comment fetched from its origin
            async def thread_held() -> int:
                return sum([await held(d, uri) for uri in thread])

            await eventually(thread_held, lambda count: count == 3, what="D holds the thread")
            await remote.wait_for(
                lambda r: (
                    r.method == "GET"
                    and r.url == comment["object"]["id"]
                    and r.signature.key_id == f"{d.organisation}#main-key"
                )
            )


async def test_a_followers_only_post_looked_up_is_not_shown_to_a_member_who_does_not_follow(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path) as node:
        dana = node.add_member("dana")
        async with FakeRemote(software="mastodon") as home:
            alice = home.add_actor("alice")
            # a followers-only post, which alice's server hands the node's signed GET
            private = home.create_note(alice, "<p>for friends</p>", to=[alice.followers], cc=[])
            # dana does not follow alice: a look-up shows her nothing of it
            status, answer = await look_up(node, dana, private["object"]["id"])
            assert status == 404, answer
            assert "for friends" not in str(answer)


async def test_a_looked_up_post_claiming_an_author_on_another_server_is_not_stored(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path) as node:
        dana = node.add_member("dana")
        async with FakeRemote(software="mastodon") as home, FakeRemote() as elsewhere:
            alice, mallory = home.add_actor("alice"), elsewhere.add_actor("mallory")
            # a post served by one server that claims to be written on another
            forged = elsewhere.create_note(mallory, "<p>forged</p>")["object"]
            elsewhere.publish({**forged, "attributedTo": alice.id})
            status, answer = await look_up(node, dana, forged["id"])
            # neither shown nor stored under alice's name
            assert status == 404, answer
            assert await held(node, forged["id"]) == 0
