"""Recorded payloads of five fediverse servers replayed against a real node, over HTTP.

A reply, a favourite (and its Undo), an edit and a delete sent as Mastodon, Pleroma, Misskey,
GoToSocial and Lemmy send them become a comment in the proposal's thread, an endorsement from
the public (Misskey's a 👍 reaction; 👎 reactions and Lemmy's Dislike are not), an edited comment
and a removed one. The activities come from `FakeRemote`'s
builders, which start from each software's own recording in `tests/fixtures/remote`; where a
software has no recording of an activity the fake borrows Mastodon's (see
`tests/fakes/activities.py`): GoToSocial sends all of them in Mastodon's shape, Misskey all but
its Like (with `_misskey_reaction`), Pleroma its own Create and Delete, Lemmy all but the
Update, which is its Create recording retyped. Each actor is its software's recorded actor.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tests.fakes import FakeActor, FakeRemote, RecordedRequest
from tests.fakes.payloads import Rehoming, foreign_hosts, load_fixture, origin_of, scrub
from tests.support.nodes import (
    RunningNode,
    collection_items,
    count_rows,
    eventually,
    get_json,
    post_outbox,
    running_node,
)

SOFTWARE = ["mastodon", "pleroma", "misskey", "gotosocial", "lemmy"]
PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "source": "Most users told us **weekends** matter.",
}


def recorded(fixture: str, actor: FakeActor, object_id: str) -> dict[str, Any]:
    """A recorded activity the fake has no builder for, sent by `actor` about `object_id`."""
    document = load_fixture(fixture)
    rehomed = Rehoming(str(document["actor"]), actor.id, fresh_ids=True).apply(document)
    rehomed["object"] = object_id
    return dict(scrub(rehomed, foreign_hosts(document, origin_of(str(document["actor"])))))


def thumbs_down(reaction: dict[str, Any]) -> dict[str, Any]:
    """A recorded emoji reaction (Pleroma's EmojiReact, Misskey's Like) carrying a 👎."""
    reaction["content"] = "👎"
    if "_misskey_reaction" in reaction:
        reaction["_misskey_reaction"] = "👎"
    return reaction


# Reactions that are not endorsements, in each software's recorded shape (a positive emoji
# reaction is one: node/emoji_reactions.py).
NOT_ENDORSEMENTS: dict[str, Callable[[FakeRemote, FakeActor, str], dict[str, Any]]] = {
    "pleroma": lambda _, actor, target: thumbs_down(
        recorded("pleroma/emoji_react.json", actor, target)
    ),
    "misskey": lambda remote, actor, target: thumbs_down(remote.like(actor, target)),
    "lemmy": lambda _, actor, target: recorded("lemmy/voting__dislike_page.json", actor, target),
}


async def publish_proposal(node: RunningNode) -> dict[str, Any]:
    """A member's published proposal (the Article)."""
    token = node.add_member("author")
    status, create = await post_outbox(node, "author", token, PROPOSAL)
    assert status == 201, create
    return dict(create["object"])


async def endorsements(proposal: str) -> dict[str, int]:
    status, counts = await get_json(f"{proposal}/endorsements")
    assert status == 200, counts
    return dict(counts)


async def send(remote: FakeRemote, actor: FakeActor, node: RunningNode, activity: Any) -> None:
    status, text = await remote.deliver(actor, f"{node.base}/inbox", activity)
    assert status == 202, (status, text, activity)


async def comment_is_stored(node: RunningNode, comment: str, text: str) -> int:
    """How many rows hold `comment` with `text` in its content."""
    return await count_rows(node, "object", f"uri = '{comment}' AND content LIKE '%{text}%'")


@pytest.mark.parametrize("software", SOFTWARE)
async def test_reply_like_edit_and_delete_become_comment_endorsement_edit_removal(
    tmp_path: Path, software: str
) -> None:
    with running_node(tmp_path) as node:
        article = await publish_proposal(node)
        proposal, context = article["id"], article["context"]
        async with FakeRemote(software=software) as remote:
            ann = remote.add_actor("ann")
            # a reply is a comment: in the proposal's replies and in its thread's context
            reply = remote.create_note(ann, "<p>Sundays suit us</p>", in_reply_to=proposal)
            comment = reply["object"]["id"]
            await send(remote, ann, node, reply)
            await eventually(
                lambda: collection_items(f"{proposal}/replies"),
                lambda items: items == [comment],
                what=f"the {software} reply became a comment",
            )
            assert comment in await collection_items(context)
            # a favourite is an endorsement from the public; other reactions are not
            if software in NOT_ENDORSEMENTS:
                await send(remote, ann, node, NOT_ENDORSEMENTS[software](remote, ann, proposal))
            like = remote.like(ann, proposal)
            if software == "misskey":  # its favourite: the 👍 reaction, as renderLike writes it
                like.update(content="👍", _misskey_reaction="👍")
            await send(remote, ann, node, like)
            await eventually(
                lambda: collection_items(f"{proposal}/likes"),
                lambda items: items == [like["id"]],
                what=f"the {software} favourite was counted",
            )
            counts = await endorsements(proposal)
            assert counts == {**counts, "public": 1, "total": 1}, counts
            # its Undo withdraws it
            await send(remote, ann, node, remote.undo(ann, like))
            await eventually(
                lambda: endorsements(proposal),
                lambda counts: counts["total"] == 0,
                what=f"the {software} favourite was withdrawn",
            )
            # an edit changes the comment
            await send(
                remote, ann, node, remote.update_note(ann, reply["object"], "<p>Evenings</p>")
            )
            await eventually(
                lambda: comment_is_stored(node, comment, "Evenings"),
                lambda found: found == 1,
                what=f"the {software} edit was applied",
            )
            # a delete removes it from the replies; the thread keeps its place (a Tombstone)
            await send(remote, ann, node, remote.delete(ann, comment))
            await eventually(
                lambda: collection_items(f"{proposal}/replies"),
                lambda items: items == [],
                what=f"the {software} delete removed the comment",
            )
            assert (
                await count_rows(node, "object", f"uri = '{comment}' AND deleted_at IS NOT NULL")
                == 1
            )
            assert comment in await collection_items(context)
            # (the Delete's effect shows a moment before its inbox item is marked done)
            await eventually(
                lambda: count_rows(node, "inbox_item", "state <> 'done'"),
                lambda pending: pending == 0,
                what="every received activity applied",
            )


def is_fetch_of(url: str, request: RecordedRequest) -> bool:
    """Whether the fake was asked for `url`."""
    return request.method == "GET" and request.url == url


def lemmy_announce(group: FakeActor, relayed: dict[str, Any] | str) -> dict[str, Any]:
    """A Lemmy community's Announce (its recording) of a Create, embedded or by id."""
    fixture = load_fixture("lemmy/community__announce_create_page.json")
    announce = Rehoming(str(fixture["actor"]), group.id, fresh_ids=True).apply(fixture)
    announce["object"] = relayed
    return announce


async def test_lemmy_community_relays_a_comment_fetched_from_its_origin(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        proposal = (await publish_proposal(node))["id"]
        async with FakeRemote(software="lemmy") as remote:
            ann, group = remote.add_actor("ann"), remote.add_actor("commons", shape="lemmy_group")
            # the community relays ann's Create embedded; the copy it carries was changed
            embedded = remote.create_note(ann, "<p>From the community</p>", in_reply_to=proposal)
            tampered = {**embedded["object"], "content": "<p>Tampered in transit</p>"}
            await send(remote, group, node, lemmy_announce(group, {**embedded, "object": tampered}))
            # …and another Create by its id only
            by_id = remote.create_note(ann, "<p>Second thoughts</p>", in_reply_to=proposal)
            await send(remote, group, node, lemmy_announce(group, by_id["id"]))
            comments = [embedded["object"]["id"], by_id["object"]["id"]]
            await eventually(
                lambda: collection_items(f"{proposal}/replies"),
                lambda items: sorted(items) == sorted(comments),
                what="both relayed comments were stored",
            )
            # what was stored is what ann's server serves, fetched from there
            for comment in comments:
                await remote.wait_for(partial(is_fetch_of, comment))
            assert await comment_is_stored(node, comments[0], "From the community") == 1
            assert await count_rows(node, "object", "content LIKE '%Tampered%'") == 0
            await eventually(  # the worker marks an item done just after applying it
                lambda: count_rows(node, "inbox_item", "state <> 'done'"),
                lambda left: left == 0,
                what="every inbox item was processed",
            )
