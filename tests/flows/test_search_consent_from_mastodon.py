"""Mastodon users' search consent (FEP-268d `indexable`) decides whether their replies are
found by the node's search, and an Update of their profile changes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp

from tests.fakes import FakeRemote
from tests.fakes.actors import FakeActor
from tests.support.nodes import eventually, fetch_value, post_outbox, running_node

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


async def search_page(base: str, words: str) -> str:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{base}/search", params={"q": words, "group": "comments"}) as response,
    ):
        assert response.status == 200
        return await response.text()


def profile_update(actor: FakeActor, number: int) -> dict[str, Any]:
    """An Update of the actor's own profile, as Mastodon sends one."""
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{actor.id}#updates/{number}",
        "type": "Update",
        "actor": actor.id,
        "object": actor.document,
        "to": [PUBLIC],
    }


async def test_replies_of_people_not_indexable_are_not_found_and_an_update_takes_them_out(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path) as node:
        token = node.add_member("writer")
        status, created = await post_outbox(
            node, "writer", token,
            {"type": "Article", "name": "Safer crossings", "summary": "Near the school.",
             "source": "Parents ask for a lollipop person.", "to": [PUBLIC]},
        )  # fmt: skip
        assert status == 201, created
        proposal = created["object"]["id"]
        async with FakeRemote(software="mastodon") as remote:
            # Given Ann, whose server says she is not indexable, and Ben, who says he is
            ann, ben = remote.add_actor("ann"), remote.add_actor("ben")
            ann.document["indexable"] = False
            ben.document["indexable"] = True
            remote.publish(ann.document)
            remote.publish(ben.document)
            # When both reply to the proposal
            for who, words in ((ann, "dangerous crossing"), (ben, "crossing needs lights")):
                reply = remote.create_note(who, f"<p>The {words}</p>", in_reply_to=proposal)
                assert (await remote.deliver(who, f"{node.base}/inbox", reply))[0] == 202
            # Then search finds Ben's reply, never Ann's
            found = await eventually(
                lambda: search_page(node.base, "crossing"),
                lambda html: "needs lights" in html,
                what="Ben's reply was found",
            )
            assert "dangerous" not in found
            stored = "SELECT count(*) FROM object WHERE content LIKE '%dangerous crossing%'"
            assert await fetch_value(node, stored) == 1  # stored, and shown on the thread
            # When Ben's server says he is no longer indexable, in an Update of his profile
            ben.document["indexable"] = False
            remote.publish(ben.document)
            update = profile_update(ben, 1)
            assert (await remote.deliver(ben, f"{node.base}/inbox", update))[0] == 202
            # Then his reply leaves the results
            await eventually(
                lambda: search_page(node.base, "crossing"),
                lambda html: "needs lights" not in html and "0 found." in html,
                what="Ben's reply left the search results",
            )
