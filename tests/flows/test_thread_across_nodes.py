"""A policy thread across four nodes: propose on A, comment from B, follow on C, D comes late."""

from __future__ import annotations

from pathlib import Path

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

PROPOSAL = {
    "type": "Article",
    "name": "Free travel for young carers",
    "summary": "Young carers should travel free on buses.",
    "sections": {"problem": "Fares stop young carers reaching the people they care for."},
    "tag": ["transport"],
}
TIMEOUT = 30


async def holds(node: RunningNode, uri: str) -> int:
    return await count_rows(node, "object", f"uri = '{uri}' AND deleted_at IS NULL")


async def test_thread_crosses_nodes_and_a_late_node_backfills_it(tmp_path: Path) -> None:
    async with three_nodes(tmp_path) as (a, b, c, alice, bob, carol):
        # A's member proposes; A's organisation relays it to B and C
        status, created = await post_outbox(a, "alice", alice, PROPOSAL)
        assert status == 201, created
        proposal = created["object"]
        for node in (b, c):
            await eventually(
                lambda n=node: holds(n, proposal["id"]),
                lambda n: n == 1,
                what=f"{node.host} holds the proposal",
                timeout=TIMEOUT,
            )

        # B's member comments from B; A keeps it in the thread and announces it to C
        status, comment = await post_outbox(
            b,
            "bob",
            bob,
            {
                "type": "Note",
                "content": "<p>And for their siblings?</p>",
                "inReplyTo": proposal["id"],
            },
        )
        assert status == 201, comment
        comment_id = comment["object"]["id"]
        await eventually(
            lambda: collection_items(proposal["context"]),
            lambda items: comment_id in items,
            what="A's context lists B's comment",
            timeout=TIMEOUT,
        )
        await eventually(
            lambda: collection_items(f"{c.actor('carol')}/inbox", carol),
            lambda items: any(_object_id(item) == comment_id for item in items),
            what="C's member received B's comment through A's announce",
            timeout=TIMEOUT,
        )

        # C's like is counted on A
        status, like = await post_outbox(
            c, "carol", carol, {"type": "Like", "object": proposal["id"]}
        )
        assert status == 201, like
        await eventually(
            lambda: get_json(f"{proposal['id']}/likes"),
            lambda answer: answer[1].get("totalItems") == 1,
            what="A counts C's like",
            timeout=TIMEOUT,
        )

        # A's new version reaches C, and C keeps the old one in history
        status, update = await post_outbox(
            a,
            "alice",
            alice,
            {
                "type": "Update",
                "object": {
                    "id": proposal["id"],
                    "type": "Article",
                    "sections": {"proposed_change": "Free bus passes from age 11."},
                },
            },
        )
        assert status == 201, update
        await eventually(
            lambda: count_rows(c, "proposal", "version = 2"),
            lambda n: n == 1,
            what="C holds version 2",
            timeout=TIMEOUT,
        )
        assert await count_rows(c, "proposal_version", "number = 1") == 1
        status, history = await get_json(f"{proposal['id']}/history?page=1")
        assert [version["version"] for version in history["orderedItems"]] == [1]

        # D arrives late, follows A's organisation, and backfills the whole thread
        with running_node(tmp_path / "d", "orgd") as d:
            dave = d.add_member("dave")
            await follow_organisation(d, "dave", dave, a)
            for uri in (proposal["id"], comment_id):
                await eventually(
                    lambda u=uri: holds(d, u),
                    lambda n: n == 1,
                    what=f"D backfilled {uri}",
                    timeout=TIMEOUT,
                )


def _object_id(item: dict[str, object]) -> object:
    value = item.get("object")
    return value.get("id") if isinstance(value, dict) else value
