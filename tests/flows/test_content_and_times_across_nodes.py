"""What most clients send, and how fast they send it, across three nodes: a proposal written as
HTML `content` (no `source`) and edited the same way carries its new version and history to the
other nodes; a reply posted within the same second as its parent sorts after it everywhere,
at a node following live and at one that follows only the organisation and backfills later."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from tests.flows.test_thread_across_nodes import TIMEOUT, holds
from tests.support.nodes import (
    RunningNode,
    collection_items,
    count_rows,
    eventually,
    follow_organisation,
    get_json,
    post_outbox,
    running_node,
    three_nodes,
)

HTML_PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "content": "<p>Most users told us <strong>weekends</strong> matter.</p>"
    "<h2>The problem</h2><p>It is closed when families are free.</p>",
}


async def proposal_rows(node: RunningNode, uri: str, where: str) -> int:
    return await count_rows(
        node,
        "proposal JOIN object ON object.id = proposal.object_id",
        f"object.uri = '{uri}' AND {where}",
    )


async def test_a_proposal_written_and_edited_as_html_carries_its_new_version_to_every_node(
    tmp_path: Path,
) -> None:
    async with three_nodes(tmp_path) as (a, b, c, alice, bob, carol):
        status, created = await post_outbox(a, "alice", alice, HTML_PROPOSAL)
        assert status == 201, created
        proposal = created["object"]
        assert await proposal_rows(a, proposal["id"], "body LIKE '%**weekends**%'") == 1
        for node, handle, token in ((b, "bob", bob), (c, "carol", carol)):
            await eventually(
                lambda n=node: holds(n, proposal["id"]),
                lambda n: n == 1,
                what=f"{node.host} holds the proposal",
                timeout=TIMEOUT,
            )
            assert await proposal_rows(node, proposal["id"], "content LIKE '%weekends%'") == 1
            # those who endorse a proposal hear of each new version
            status, like = await post_outbox(
                node, handle, token, {"type": "Like", "object": proposal["id"]}
            )
            assert status == 201, like
        status, comment = await post_outbox(
            b, "bob", bob, {"type": "Note", "content": "<p>Yes!</p>", "inReplyTo": proposal["id"]}
        )
        assert status == 201, comment
        await eventually(
            lambda: get_json(f"{proposal['id']}/likes"),
            lambda answer: answer[1].get("totalItems") == 2,
            what="A counts both likes",
            timeout=TIMEOUT,
        )

        edited = "<p>Most users told us <strong>Sundays</strong> matter.</p>"
        status, update = await post_outbox(
            a,
            "alice",
            alice,
            {
                "type": "Update",
                "object": {"type": "Article", "id": proposal["id"], "content": edited},
            },
        )
        assert status == 201, update
        assert update["object"]["version"] == 2
        for node in (b, c):
            await eventually(
                lambda n=node: proposal_rows(n, proposal["id"], "version = 2"),
                lambda n: n == 1,
                what=f"{node.host} holds version 2",
                timeout=TIMEOUT,
            )
            assert await proposal_rows(node, proposal["id"], "content LIKE '%Sundays%'") == 1
            assert await count_rows(node, "proposal_version", "number = 1") == 1
        status, history = await get_json(f"{proposal['id']}/history?page=1")
        assert status == 200
        assert [version["version"] for version in history["orderedItems"]] == [1]
        assert "weekends" in history["orderedItems"][0]["content"]


async def published_after(node: RunningNode, later: str, earlier: str) -> int:
    return await count_rows(
        node,
        "object",
        f"uri = '{later}' AND published_at > (SELECT published_at FROM object WHERE uri = "
        f"'{earlier}')",
    )


async def test_a_reply_within_the_same_second_sorts_after_its_parent_on_every_node(
    tmp_path: Path,
) -> None:
    with (
        running_node(tmp_path / "a", "orga") as a,
        running_node(tmp_path / "b", "orgb") as b,
    ):
        alice, bob = a.add_member("alice"), b.add_member("bob")
        await follow_organisation(b, "bob", bob, a)

        status, created = await post_outbox(a, "alice", alice, {**HTML_PROPOSAL})
        assert status == 201, created
        thread = [created["object"]["id"]]
        for text in ("First!", "Second."):  # as fast as a client can post them
            reply = {"type": "Note", "content": f"<p>{text}</p>", "inReplyTo": thread[-1]}
            status, answer = await post_outbox(a, "alice", alice, reply)
            assert status == 201, answer
            thread.append(answer["object"]["id"])

        items = await collection_items(created["object"]["context"])
        assert items == thread  # FEP-f228: oldest first

        async def in_order(node: RunningNode) -> None:
            for uri in thread:
                await eventually(
                    lambda u=uri: holds(node, u),
                    lambda n: n == 1,
                    what=f"{node.host} holds {uri}",
                    timeout=TIMEOUT,
                )
            for earlier, later in pairwise(thread):
                assert await published_after(node, later, earlier) == 1, (node.host, later)

        await in_order(b)  # live, through the organisation's announces
        with running_node(tmp_path / "c", "orgc") as c:  # late: follows only the organisation
            carol = c.add_member("carol")
            await follow_organisation(c, "carol", carol, a)
            await in_order(c)
