"""Servers whose software mishandles `Article` (node/article_reach.py) also get a preview Note."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.fakes import FakeRemote
from tests.support.nodes import (
    collection_items,
    count_rows,
    eventually,
    get_json,
    post_outbox,
    running_node,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "nodeinfo"
PROPOSAL = {
    "type": "Article",
    "name": "Plant trees on Mill Street",
    "summary": "The street is hot in summer.",
    "source": "Shade would help **everyone** walking to school.",
}


def recorded(name: str) -> dict[str, Any]:
    """A recorded NodeInfo document (tests/fixtures/nodeinfo/README.md says whose)."""
    document: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return document


def created(remote: FakeRemote, kind: str) -> list[dict[str, Any]]:
    """The objects of the Creates of `kind` the remote's inboxes received."""
    return [
        r.json["object"]
        for r in remote.received("Create")
        if isinstance(r.json.get("object"), dict) and r.json["object"].get("type") == kind
    ]


def _deleted_id(activity: dict[str, Any]) -> str:
    deleted = activity.get("object")
    return str(deleted.get("id") if isinstance(deleted, dict) else deleted)


async def test_a_takahe_follower_gets_the_preview_note_and_its_reply_becomes_a_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOWNHALL_NODEINFO_CHECK_SECONDS", "0.5")
    with running_node(tmp_path) as node:
        org = node.token("testorg")
        async with (
            FakeRemote(software="takahe") as takahe,
            FakeRemote(software="mastodon") as mastodon,
        ):
            # Given a follower on Takahē 0.11 and one on Mastodon, each serving its NodeInfo
            takahe.nodeinfo = recorded("takahe-0.11.0.json")
            mastodon.nodeinfo = recorded("mastodon-4.3.2.json")
            tina, mona = takahe.add_actor("tina"), mastodon.add_actor("mona")
            for remote, actor in ((takahe, tina), (mastodon, mona)):
                follow = remote.follow(actor, node.organisation)
                assert (await remote.deliver(actor, f"{node.base}/inbox", follow))[0] == 202
                await remote.wait_for(lambda r: r.type == "Accept", timeout=15)
            # and the node has learnt what both servers run (a timed pass, not the publish)
            await eventually(
                lambda: count_rows(node, "host", "software IN ('takahe', 'mastodon')"),
                lambda found: found == 2,
                what="both servers' software was learnt from their NodeInfo",
            )
            assert await count_rows(node, "host", "software_version = '0.11.0'") == 1

            # When the organisation publishes a proposal
            status, create = await post_outbox(node, "testorg", org, PROPOSAL)
            assert status == 201, create
            article = create["object"]["id"]

            # Then Takahē gets the Article and a preview Note: title, summary, link
            await takahe.wait_for(lambda r: r.json["object"]["type"] == "Note", timeout=15)
            [note] = created(takahe, "Note")
            assert "Plant trees on Mill Street" in note["content"]
            assert "The street is hot in summer." in note["content"]
            assert f'href="{article}"' in note["content"]
            assert note["context"] == create["object"]["context"]
            assert note["attributedTo"] == node.organisation
            assert [a["id"] for a in created(takahe, "Article")] == [article]
            # and the Note is served at its URL
            status, served = await get_json(note["id"])
            assert status == 200 and served["type"] == "Note", served

            # and Mastodon gets the Article alone
            await mastodon.wait_for(lambda r: r.json["object"]["type"] == "Article", timeout=15)
            assert created(mastodon, "Note") == []

            # When tina replies to the preview Note and favourites it
            reply = takahe.create_note(tina, "<p>Yes, oaks please</p>", in_reply_to=note["id"])
            assert (await takahe.deliver(tina, f"{node.base}/inbox", reply))[0] == 202
            like = takahe.like(tina, note["id"])
            assert (await takahe.deliver(tina, f"{node.base}/inbox", like))[0] == 202

            # Then the reply is a comment on the proposal, and the favourite an endorsement
            await eventually(
                lambda: collection_items(f"{article}/replies"),
                lambda items: reply["object"]["id"] in items,
                what="the reply to the preview landed on the proposal",
            )
            await eventually(
                lambda: get_json(f"{article}/likes"),
                lambda answer: answer[1].get("totalItems") == 1,
                what="the favourite of the preview counted for the proposal",
            )
            # while Mastodon has still had no Note, and the Note is no comment in the thread
            assert created(mastodon, "Note") == []
            thread = await collection_items(create["object"]["context"])
            assert reply["object"]["id"] in thread and note["id"] not in thread

            # When the organisation withdraws the proposal
            status, _ = await post_outbox(
                node, "testorg", org, {"type": "Delete", "object": article}
            )
            assert status == 201
            # Then Takahē hears that the preview Note is gone too, and its URL says so
            await takahe.wait_for(
                lambda r: r.type == "Delete" and _deleted_id(r.json) == note["id"], timeout=15
            )
            assert (await get_json(note["id"]))[0] == 410


async def test_a_misskey_follower_of_the_organisation_hears_of_a_members_proposal_and_its_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOWNHALL_NODEINFO_CHECK_SECONDS", "0.5")
    with running_node(tmp_path) as node:
        dana = node.add_member("dana")
        async with FakeRemote(software="misskey") as misskey:
            # Given a Misskey user following only the organisation
            misskey.nodeinfo = recorded("misskey-2024.11.0.json")
            mika = misskey.add_actor("mika")
            follow = misskey.follow(mika, node.organisation)
            assert (await misskey.deliver(mika, f"{node.base}/inbox", follow))[0] == 202
            await misskey.wait_for(lambda r: r.type == "Accept", timeout=15)
            await eventually(
                lambda: count_rows(node, "host", "software = 'misskey'"),
                lambda found: found == 1,
                what="Misskey's software was learnt from its NodeInfo",
            )

            # When a member publishes a proposal
            status, create = await post_outbox(node, "dana", dana, PROPOSAL)
            assert status == 201, create
            article = create["object"]["id"]

            # Then the organisation announces the member's preview Note to Misskey
            shared = await misskey.wait_for(
                lambda r: r.type == "Announce" and r.json["object"] != article, timeout=15
            )
            assert shared.json["actor"] == node.organisation
            status, note = await get_json(shared.json["object"])
            assert status == 200 and note["type"] == "Note", note
            assert note["attributedTo"] == create["actor"]
            assert f'href="{article}"' in note["content"]

            # When dana edits the proposal (Misskey ignores an Article's Update)
            edit = {"type": "Article", "id": article, "summary": "Summers are getting hotter."}
            status, update = await post_outbox(
                node, "dana", dana, {"type": "Update", "object": edit}
            )
            assert status == 201, update

            # Then Misskey is passed on the Update of the Note, with the new summary
            passed = await misskey.wait_for(
                lambda r: (
                    r.type == "Announce"
                    and isinstance(r.json["object"], dict)
                    and r.json["object"]["object"]["id"] == note["id"]
                ),
                timeout=15,
            )
            assert passed.json["object"]["type"] == "Update"
            assert "Summers are getting hotter." in passed.json["object"]["object"]["content"]
