"""Amendments across nodes: B's member suggests a change to A's proposal, A's author answers,
and B learns the answer and the new version; a plain Mastodon reply stays a plain comment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp

from tests.fakes import FakeRemote
from tests.support.nodes import (
    AS2,
    RunningNode,
    collection_items,
    count_rows,
    eventually,
    post_outbox,
    running_node,
)

PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "sections": {
        "problem": "The library is closed when working families are free.",
        "proposed_change": "Open 10:00 to 16:00 on Sundays.",
    },
}
CHANGE = "Open 10:00 to 18:00 on Sundays."


def amendment(proposal: str, section: str, text: str) -> dict[str, Any]:
    """A member's suggestion, as a client posts it."""
    return {
        "type": "Note",
        "inReplyTo": proposal,
        "amendment": {"section": section, "suggestedText": text},
    }


async def proxied(node: RunningNode, token: str, uri: str) -> dict[str, Any]:
    """The node's own copy of a remote object, through its proxyUrl."""
    headers = {"Authorization": f"Bearer {token}", "Accept": AS2}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{node.base}/proxy", data={"id": uri}, headers=headers) as response,
    ):
        assert response.status == 200, await response.text()
        return dict(await response.json(content_type=None))


async def rows(node: RunningNode, table: str, where: str) -> int:
    return await count_rows(node, table, where)


async def test_amendment_from_another_node_is_answered_and_the_answer_returns(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path / "a", "orga") as a, running_node(tmp_path / "b", "orgb") as b:
        alice, bob = a.add_member("alice"), b.add_member("bob")
        # Given bob on B follows A's organisation, and alice on A publishes a proposal
        status, _ = await post_outbox(
            b, "bob", bob, {"type": "Follow", "object": f"@orga@{a.host}"}
        )
        assert status == 201
        await eventually(
            lambda: collection_items(f"{a.organisation}/followers"),
            lambda items: items == [b.actor("bob")],
            what="bob follows orga",
            timeout=15,
        )
        status, create = await post_outbox(a, "alice", alice, PROPOSAL)
        assert status == 201, create
        proposal = create["object"]["id"]
        await eventually(
            lambda: rows(b, "proposal", "version = 1"),
            lambda count: count == 1,
            what="B received the proposal through A's organisation",
            timeout=15,
        )

        # When bob suggests an amendment through B's client API
        status, suggested = await post_outbox(
            b, "bob", bob, amendment(proposal, "proposed_change", CHANGE)
        )
        assert status == 201, suggested
        note = suggested["object"]["id"]
        # Then A holds it as a comment in the thread and as a pending amendment
        await eventually(
            lambda: rows(a, "amendment", "state = 'pending'"),
            lambda count: count == 1,
            what="A recorded bob's amendment",
            timeout=15,
        )
        assert note in await collection_items(f"{proposal}/replies")
        assert note in await collection_items(create["object"]["context"])

        # When alice accepts it on A
        status, accept = await post_outbox(a, "alice", alice, {"type": "Accept", "object": note})
        assert status == 201, accept
        # Then B records the acceptance, and its copy of the proposal is version 2
        await eventually(
            lambda: rows(b, "amendment", "state = 'accepted'"),
            lambda count: count == 1,
            what="B recorded that its amendment was accepted",
            timeout=15,
        )
        await eventually(
            lambda: rows(b, "proposal", "version = 2"),
            lambda count: count == 1,
            what="B's copy of the proposal is version 2",
            timeout=15,
        )
        copy = await proxied(b, bob, proposal)
        assert copy["version"] == 2 and copy["acceptedAmendments"] == [note]
        change = next(s for s in copy["sections"] if s["name"] == "proposed_change")
        assert change["source"] == CHANGE
        assert await rows(b, "proposal_version", "number = 1") == 1
        # and the short visible reply on A reached B too
        await eventually(
            lambda: rows(b, "object", f"in_reply_to_uri = '{note}' AND content LIKE '%Accepted%'"),
            lambda count: count == 1,
            what="alice's visible reply reached B",
            timeout=15,
        )

        # When bob suggests another change, and alice declines it with a reason
        status, second = await post_outbox(
            b, "bob", bob, amendment(proposal, "problem", "Working families cannot come.")
        )
        assert status == 201, second
        await eventually(
            lambda: rows(a, "amendment", "state = 'pending'"),
            lambda count: count == 1,
            what="A recorded the second amendment",
            timeout=15,
        )
        status, reject = await post_outbox(
            a,
            "alice",
            alice,
            {"type": "Reject", "object": second["object"]["id"], "content": "Not this year"},
        )
        assert status == 201, reject
        # Then B records the refusal with its reason, and the proposal stays at version 2
        await eventually(
            lambda: rows(b, "amendment", "state = 'declined' AND reason = 'Not this year'"),
            lambda count: count == 1,
            what="B recorded the refusal and its reason",
            timeout=15,
        )
        assert await rows(a, "proposal", "version = 2") == 1


async def test_a_plain_mastodon_reply_is_a_comment_not_an_amendment(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        alice = node.add_member("alice")
        status, create = await post_outbox(node, "alice", alice, PROPOSAL)
        assert status == 201, create
        proposal = create["object"]["id"]
        async with FakeRemote(software="mastodon") as remote:
            carol = remote.add_actor("carol")
            # Given a plain reply from Mastodon, then one carrying Townhall's amendment fields
            plain = remote.create_note(carol, "<p>Please open later</p>", in_reply_to=proposal)
            suggesting = remote.create_note(carol, "<p>Suggestion</p>", in_reply_to=proposal)
            suggesting["object"]["amendment"] = {"section": "problem", "suggestedText": "Late."}
            for activity in (plain, suggesting):
                assert (await remote.deliver(carol, f"{node.base}/inbox", activity))[0] == 202
            # Then both are comments, and only the second (applied after the first) an amendment
            await eventually(
                lambda: rows(node, "amendment", "1=1"),
                lambda count: count == 1,
                what="the suggesting reply was recorded as an amendment",
            )
            replies = await collection_items(f"{proposal}/replies")
            assert sorted(replies) == sorted([plain["object"]["id"], suggesting["object"]["id"]])
            suggesting_id = suggesting["object"]["id"]
            assert await rows(node, "object", f"uri = '{suggesting_id}'") == 1
            assert (
                await rows(
                    node,
                    "amendment JOIN object ON amendment.object_id = object.id",
                    f"object.uri = '{plain['object']['id']}'",
                )
                == 0
            )
