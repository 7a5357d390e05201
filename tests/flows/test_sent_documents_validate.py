"""Everything a node sends to another server validates against our own schemas."""

from __future__ import annotations

from pathlib import Path

import schemas
from tests.fakes import FakeRemote
from tests.support.nodes import post_outbox, running_node

PROPOSAL = {"type": "Article", "name": "Warm spaces", "summary": "Open halls in winter."}


async def test_every_activity_we_deliver_matches_its_schema(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        org = node.token("testorg")
        alice = node.add_member("alice")
        async with FakeRemote(software="mastodon") as remote:
            bob = remote.add_actor("bob")
            # bob follows the organisation and alice; both accept
            for target in (node.organisation, node.actor("alice")):
                await remote.deliver(bob, f"{node.base}/inbox", remote.follow(bob, target))
                await remote.wait_for(
                    lambda r, t=target: r.type == "Accept" and r.json.get("actor") == t, timeout=30
                )
            # the organisation and alice publish, edit, like and delete
            _, note = await post_outbox(node, "testorg", org, {"type": "Note", "content": "hi"})
            _, created = await post_outbox(node, "alice", alice, PROPOSAL)
            proposal = created["object"]["id"]
            await post_outbox(
                node,
                "alice",
                alice,
                {
                    "type": "Update",
                    "object": {
                        "id": proposal,
                        "type": "Article",
                        "summary": "Open halls all winter.",
                    },
                },
            )
            bobs_note = remote.create_note(bob, "<p>mine</p>")
            await post_outbox(node, "alice", alice, {"type": "Follow", "object": bob.id})
            await remote.deliver(bob, f"{node.base}/inbox", bobs_note)
            await post_outbox(
                node, "testorg", org, {"type": "Delete", "object": note["object"]["id"]}
            )
            expected = {"Accept", "Create", "Announce", "Update", "Follow", "Delete"}
            for kind in sorted(expected):
                await remote.wait_for(lambda r, k=kind: r.type == k, timeout=30)
            received = [r for r in remote.received() if r.json]
            assert {r.type for r in received} >= expected
            for request in received:
                schemas.validate("activity", request.json)
                specific = str(request.type).lower()
                if specific in schemas.kinds():
                    schemas.validate(specific, request.json)
                assert request.signature.valid, (request.type, request.signature.reason)
