"""A consultation run from start to finish across servers: A opens it closing in a few seconds;
B's member and a Mastodon user comment and endorse; the worker closes it; a late reply is kept
and marked, a late favourite not counted; A publishes the decision; B and the Mastodon user
receive the Update and the decision Note that mentions them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.fakes import FakeRemote
from tests.support.nodes import (
    collection_items,
    count_rows,
    eventually,
    get_json,
    post_outbox,
    three_nodes,
)

TIMEOUT = 30
OPEN_SECONDS = 8  # long enough for the comments below to arrive on loopback


def seconds_from_now(seconds: float) -> str:
    later = datetime.now(UTC) + timedelta(seconds=seconds)
    return later.isoformat(timespec="seconds").replace("+00:00", "Z")


def mentions(document: dict[str, Any], actor: str) -> bool:
    tags = document.get("tag") or []
    return any(t.get("type") == "Mention" and t.get("href") == actor for t in tags)


async def test_a_consultation_closes_by_itself_and_its_decision_reaches_everyone(
    tmp_path: Path,
) -> None:
    async with three_nodes(tmp_path) as (a, b, _c, alice, bob, _carol):
        proposal_doc = {
            "type": "Article",
            "name": "Free travel for young carers",
            "summary": "Young carers should travel free on buses.",
            "sections": {"problem": "Fares stop young carers reaching the people they care for."},
            "closesAt": seconds_from_now(OPEN_SECONDS),
        }
        status, created = await post_outbox(a, "alice", alice, proposal_doc)
        assert status == 201, created
        proposal = created["object"]["id"]

        async with FakeRemote(software="mastodon") as mastodon:
            mara = mastodon.add_actor("mara")
            # B's member and the Mastodon user comment while it is open; the Mastodon user
            # also favourites the proposal
            status, comment = await post_outbox(
                b,
                "bob",
                bob,
                {"type": "Note", "content": "<p>Siblings too?</p>", "inReplyTo": proposal},
            )
            assert status == 201, comment
            reply = mastodon.create_note(mara, "<p>Yes, and on trams</p>", in_reply_to=proposal)
            assert (await mastodon.deliver(mara, f"{a.base}/inbox", reply))[0] == 202
            like = mastodon.like(mara, proposal)
            assert (await mastodon.deliver(mara, f"{a.base}/inbox", like))[0] == 202
            await eventually(
                lambda: collection_items(f"{proposal}/replies"),
                lambda items: comment["object"]["id"] in items and reply["object"]["id"] in items,
                what="A holds both comments",
                timeout=TIMEOUT,
            )
            await eventually(
                lambda: get_json(f"{proposal}/likes"),
                lambda answer: answer[1].get("totalItems") == 1,
                what="the favourite is counted",
                timeout=TIMEOUT,
            )

            # the worker closes it at its closing time; B hears it closed
            closed = await eventually(
                lambda: get_json(proposal),
                lambda answer: answer[1].get("proposalStatus") == "closed",
                what="the worker closed the consultation",
                timeout=OPEN_SECONDS + TIMEOUT,
            )
            assert "closedAt" in closed[1]
            await eventually(
                lambda: count_rows(b, "proposal", "status = 'closed'"),
                lambda n: n == 1,
                what="B holds the proposal as closed",
                timeout=TIMEOUT,
            )

            # B's member may not endorse or comment any more: B knows it closed
            status, refused = await post_outbox(b, "bob", bob, {"type": "Like", "object": proposal})
            assert status == 409, refused
            too_late = {"type": "Note", "content": "<p>Wait</p>", "inReplyTo": proposal}
            status, refused = await post_outbox(b, "bob", bob, too_late)
            assert status == 409, refused
            # a late favourite is not counted; a late reply is kept, marked late
            other = mastodon.add_actor("otto")
            late_like = mastodon.like(other, proposal)
            assert (await mastodon.deliver(other, f"{a.base}/inbox", late_like))[0] == 202
            late = mastodon.create_note(mara, "<p>Sorry, I am late</p>", in_reply_to=proposal)
            assert (await mastodon.deliver(mara, f"{a.base}/inbox", late))[0] == 202
            late_id = late["object"]["id"]
            await eventually(
                lambda: count_rows(a, "object", f"uri = '{late_id}' AND late"),
                lambda n: n == 1,
                what="the late reply is kept and marked late",
                timeout=TIMEOUT,
            )
            # otto's favourite, delivered before the late reply, was not counted
            assert await count_rows(a, "reaction", f"object_uri = '{proposal}'") == 1
            assert await count_rows(a, "reaction", "uri = '" + late_like["id"] + "'") == 0

            # A's author publishes the decision
            decide = {
                "type": "Update",
                "object": {
                    "type": "Article",
                    "id": proposal,
                    "proposalStatus": "adopted",
                    "decision": "Free travel for young carers **from April**.",
                },
            }
            status, update = await post_outbox(a, "alice", alice, decide)
            assert status == 201, update
            assert update["object"]["decision"]["outcome"] == "adopted"

            # the Mastodon user receives the Update and the decision Note mentioning them
            await mastodon.wait_for(
                lambda r: (
                    r.type == "Update"
                    and r.json["object"]["id"] == proposal
                    and "from April" in r.json["object"]["content"]
                ),
                timeout=TIMEOUT,
            )
            note = await mastodon.wait_for(
                lambda r: r.type == "Create" and r.json["object"].get("decisionOf") == proposal,
                timeout=TIMEOUT,
            )
            assert mentions(note.json["object"], mara.id)
            assert mara.id in note.json["object"]["cc"]
            assert note.json["object"]["inReplyTo"] == proposal

            # B holds the decided proposal, and B's member finds the decision Note in their
            # inbox, mentioning them
            await eventually(
                lambda: count_rows(b, "proposal", "status = 'adopted' AND decided_at IS NOT NULL"),
                lambda n: n == 1,
                what="B holds the decision",
                timeout=TIMEOUT,
            )
            bob_uri = b.actor("bob")
            items = await eventually(
                lambda: collection_items(f"{bob_uri}/inbox", bob),
                lambda found: any(
                    isinstance(item, dict)
                    and isinstance(item.get("object"), dict)
                    and item["object"].get("decisionOf") == proposal
                    for item in found
                ),
                what="B's member received the decision Note",
                timeout=TIMEOUT,
            )
            decision_note = next(
                item["object"]
                for item in items
                if isinstance(item, dict)
                and isinstance(item.get("object"), dict)
                and item["object"].get("decisionOf") == proposal
            )
            assert mentions(decision_note, bob_uri)
