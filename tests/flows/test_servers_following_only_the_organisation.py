"""A server that follows only the organisation (a Group, FEP-1b12) sees the thread as it stands:
edits and withdrawals reach it through the Group, a relayed Delete is believed only when the
object's own origin says it is gone, and looking up an older post brings its thread."""

from __future__ import annotations

from pathlib import Path

from node.services.backfill_budget import BackfillLimits
from tests.fakes import FakeRemote
from tests.flows.test_acting_on_remote_posts import look_up
from tests.flows.test_thread_across_nodes import PROPOSAL, holds
from tests.support.nodes import (
    RunningNode,
    count_rows,
    eventually,
    follow_organisation,
    post_outbox,
    running_node,
    three_nodes,
)

TIMEOUT = 30
OUTBOX_ITEMS_READ_AFTER_A_FOLLOW = BackfillLimits().outbox_items


async def held_with(node: RunningNode, uri: str, text: str) -> int:
    return await count_rows(
        node, "object", f"uri = '{uri}' AND deleted_at IS NULL AND content LIKE '%{text}%'"
    )


async def gone_at(node: RunningNode, uri: str) -> None:
    await eventually(
        lambda: count_rows(node, "object", f"uri = '{uri}' AND deleted_at IS NOT NULL"),
        lambda n: n == 1,
        what=f"{node.host} tombstoned {uri}",
        timeout=TIMEOUT,
    )


async def comment_on(node: RunningNode, handle: str, token: str, parent: str, text: str) -> str:
    status, created = await post_outbox(
        node, handle, token, {"type": "Note", "content": f"<p>{text}</p>", "inReplyTo": parent}
    )
    assert status == 201, "\n".join([str(created), *node.process.stderr_lines[-40:]])  # its log
    return str(created["object"]["id"])


async def proposal_reaches(home: RunningNode, token: str, others: list[RunningNode]) -> str:
    status, created = await post_outbox(home, "alice", token, PROPOSAL)
    assert status == 201, created
    proposal = str(created["object"]["id"])
    for node in others:
        await eventually(
            lambda n=node: holds(n, proposal),
            lambda n: n == 1,
            what=f"{node.host} holds the proposal",
            timeout=TIMEOUT,
        )
    return proposal


async def test_a_server_following_only_the_organisation_hears_of_edits_and_withdrawals(
    tmp_path: Path,
) -> None:
    async with three_nodes(tmp_path) as nodes:  # C follows A's organisation, no one else
        a, b, c, alice, bob, _carol = nodes
        proposal = await proposal_reaches(a, alice, [b, c])
        comment = await comment_on(b, "bob", bob, proposal, "And for their siblings?")
        await eventually(
            lambda: holds(c, comment),
            lambda n: n == 1,
            what="C holds B's comment through A's announce",
            timeout=TIMEOUT,
        )

        # A's member edits the proposal: a new version reaches C through the organisation
        edit = {"id": proposal, "type": "Article", "sections": {"proposed_change": "Passes at 11."}}
        status, answer = await post_outbox(a, "alice", alice, {"type": "Update", "object": edit})
        assert status == 201, answer
        await eventually(
            lambda: count_rows(c, "proposal", "version = 2"),
            lambda n: n == 1,
            what="C holds version 2",
            timeout=TIMEOUT,
        )
        assert await count_rows(c, "proposal_version", "number = 1") == 1

        # B's member edits the comment: A passes the edit on to C
        status, answer = await post_outbox(
            b,
            "bob",
            bob,
            {
                "type": "Update",
                "object": {"id": comment, "type": "Note", "content": "<p>And grandparents?</p>"},
            },
        )
        assert status == 201, answer
        await eventually(
            lambda: held_with(c, comment, "grandparents"),
            lambda n: n == 1,
            what="C holds the edited comment",
            timeout=TIMEOUT,
        )

        # B's member deletes the comment: the Delete goes where the Create went (A), A
        # passes it on, and C removes it once B says it is gone
        status, answer = await post_outbox(b, "bob", bob, {"type": "Delete", "object": comment})
        assert status == 201, answer
        await gone_at(a, comment)
        await gone_at(c, comment)

        # A's member withdraws the proposal: B and C hear of it through the organisation
        withdraw = {"type": "Delete", "object": proposal}
        status, answer = await post_outbox(a, "alice", alice, withdraw)
        assert status == 201, answer
        for node in (b, c):
            await gone_at(node, proposal)


async def test_a_delete_relayed_by_the_group_is_believed_only_from_the_origin(
    tmp_path: Path,
) -> None:
    with (
        running_node(tmp_path / "a", "orga") as a,
        running_node(tmp_path / "b", "orgb") as b,
        running_node(tmp_path / "c", "orgc") as c,
    ):
        alice, bob, carol = a.add_member("alice"), b.add_member("bob"), c.add_member("carol")
        await follow_organisation(a, "alice", alice, b)
        await follow_organisation(c, "carol", carol, b)  # C follows only B's organisation
        status, created = await post_outbox(b, "bob", bob, PROPOSAL)
        assert status == 201, created
        proposal = str(created["object"]["id"])
        await eventually(
            lambda: holds(a, proposal), lambda n: n == 1, what="A holds it", timeout=TIMEOUT
        )
        # A's member answers in B's thread; B's organisation announces the note to C
        note = await comment_on(a, "alice", alice, proposal, "Count me in.")
        await eventually(
            lambda: holds(c, note),
            lambda n: n == 1,
            what="C holds A's note through B's announce",
            timeout=TIMEOUT,
        )

        # a third party relays a Delete of the note, which still exists at A: nothing changes
        async with FakeRemote(software="lemmy") as remote:
            group = remote.add_actor("mallory")
            forged = remote.announce(group, note)
            forged["object"] = {
                "id": f"{remote.base_url}/activities/delete/1",
                "type": "Delete",
                "actor": a.actor("alice"),
                "object": note,
            }
            assert (await remote.deliver(group, f"{c.base}/inbox", forged))[0] == 202
            await eventually(
                lambda: count_rows(c, "inbox_item", f"activity_uri = '{forged['id']}'"),
                lambda n: n == 1,
                what="C received the forged relay",
                timeout=TIMEOUT,
            )
            await eventually(
                lambda: count_rows(
                    c, "inbox_item", f"activity_uri = '{forged['id']}' AND state = 'done'"
                ),
                lambda n: n == 1,
                what="C applied the forged relay",
                timeout=TIMEOUT,
            )
        assert await holds(c, note) == 1

        # A's member deletes the note: B passes the Delete on, and C checks with A
        status, answer = await post_outbox(a, "alice", alice, {"type": "Delete", "object": note})
        assert status == 201, answer
        await gone_at(b, note)
        await gone_at(c, note)


async def test_looking_up_an_old_comment_brings_its_thread_to_a_server_following_only_the_group(
    tmp_path: Path,
) -> None:
    with (
        running_node(tmp_path / "a", "orga") as a,
        running_node(tmp_path / "b", "orgb") as b,
        running_node(tmp_path / "c", "orgc") as c,
    ):
        alice, bob, carol = a.add_member("alice"), b.add_member("bob"), c.add_member("carol")
        # B's thread: bob's proposal, alice's comment from A and bob's answer to it
        status, created = await post_outbox(b, "bob", bob, PROPOSAL)
        assert status == 201, created
        proposal = str(created["object"]["id"])
        comment = await comment_on(a, "alice", alice, proposal, "Count me in.")
        answer = await comment_on(b, "bob", bob, comment, "Welcome!")
        thread = [proposal, comment, answer]
        # …then more proposals than a newly followed organisation's backfill reads
        later = []
        for number in range(OUTBOX_ITEMS_READ_AFTER_A_FOLLOW):
            status, created = await post_outbox(b, "bob", bob, {**PROPOSAL, "name": f"P{number}"})
            assert status == 201, created
            later.append(str(created["object"]["id"]))

        # C follows only B's organisation: its backfill brings the recent proposals, not the
        # older thread
        await follow_organisation(c, "carol", carol, b)
        await eventually(
            lambda: count_rows(c, "object", f"uri IN ({quoted(later)})"),
            lambda n: n == len(later),
            what="C backfilled the recent proposals",
            timeout=TIMEOUT,
        )
        assert await count_rows(c, "object", f"uri IN ({quoted(thread)})") == 0

        # carol looks alice's comment up: C fetches it from A, then B's thread from B
        status, document = await look_up(c, carol, comment)
        assert status == 200, document
        assert document["id"] == comment
        await eventually(
            lambda: count_rows(c, "object", f"uri IN ({quoted(thread)}) AND deleted_at IS NULL"),
            lambda n: n == len(thread),
            what="C holds the whole thread",
            timeout=TIMEOUT,
        )


def quoted(uris: list[str]) -> str:
    return ", ".join(f"'{uri}'" for uri in uris)
