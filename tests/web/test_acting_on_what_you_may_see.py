"""Through the client API a member answers, endorses or shares only what they may see."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from node.models import Actor, Follow, FollowState, Object, Vote
from node.services import remote_objects
from node.services.remote_actors import save_actor
from tests.support.api import BASE, post, send, token_for, written
from tests.web.test_proposals import PROPOSAL

RITA = "https://remote.example/users/rita"


async def private_objects(client: TestClient) -> dict[str, str]:
    """A draft proposal, a local followers-only note and a remote one: name → URI."""
    alice = await token_for("alice")
    draft = await post(client, "alice", alice, {**PROPOSAL, "proposalStatus": "draft"})
    carol = await token_for("carol")
    followers_only = await post(
        client,
        "carol",
        carol,
        {
            "type": "Note",
            "content": "<p>for my followers</p>",
            "to": [f"{BASE}/actors/carol/followers"],
        },
    )
    rita = await save_actor(
        {
            "id": RITA,
            "type": "Person",
            "preferredUsername": "rita",
            "inbox": f"{RITA}/inbox",
            "followers": f"{RITA}/followers",
        }
    )
    remote = await remote_objects.store_object(
        {
            "id": "https://remote.example/notes/1",
            "type": "Note",
            "attributedTo": RITA,
            "content": "<p>for rita's followers</p>",
            "published": "2026-11-01T10:00:00Z",
            "to": [f"{RITA}/followers"],
        },
        rita,
    )
    return {
        "draft": draft["object"]["id"],
        "local followers-only note": followers_only["object"]["id"],
        "remote followers-only note": remote.row.uri,
    }


def reply(uri: str) -> dict[str, Any]:
    return {"type": "Note", "content": "<p>I know your URI</p>", "inReplyTo": uri}


def amendment(uri: str) -> dict[str, Any]:
    return {
        "type": "Note",
        "inReplyTo": uri,
        "amendment": {"section": "problem", "suggestedText": "Something else."},
    }


ACTIONS = {
    "reply": reply,
    "amendment": amendment,
    "like": lambda uri: {"type": "Like", "object": uri},
    "announce": lambda uri: {"type": "Announce", "object": uri},
}


@pytest.mark.parametrize("action", ACTIONS)
async def test_a_member_cannot_reply_to_endorse_or_share_a_draft_or_a_post_they_may_not_see(
    client: TestClient, action: str
) -> None:
    targets = await private_objects(client)
    bob = await token_for("bob")
    before = await written()
    for name, uri in targets.items():
        status, answer = await send(client, "bob", bob, ACTIONS[action](uri))
        assert status == 404, (name, answer)
        assert answer["error"] == f"no object {uri} known here", name
    assert await written() == before
    assert not await Object.filter(in_reply_to_uri__in=list(targets.values())).exists()


async def test_followers_may_answer_and_endorse_followers_only_posts(client: TestClient) -> None:
    targets = await private_objects(client)
    bob = await token_for("bob")
    bob_actor = await Actor.get(handle="bob", is_local=True)
    for handle_uri in (f"{BASE}/actors/carol", RITA):
        followee = await Actor.get(uri=handle_uri)
        await Follow.create(
            uri=f"{bob_actor.uri}#follows/{followee.id}",
            follower=bob_actor,
            followee=followee,
            state=FollowState.ACCEPTED,
        )
    for name in ("local followers-only note", "remote followers-only note"):
        uri = targets[name]
        created = await post(client, "bob", bob, reply(uri))
        assert created["object"]["inReplyTo"] == uri, name
        await post(client, "bob", bob, {"type": "Like", "object": uri})
    status, _answer = await send(client, "bob", bob, reply(targets["draft"]))
    assert status == 404  # a draft stays its author's, whoever follows whom


async def test_a_member_cannot_join_a_drafts_thread_by_naming_its_context(
    client: TestClient,
) -> None:
    alice = await token_for("alice")
    draft = await post(client, "alice", alice, {**PROPOSAL, "proposalStatus": "draft"})
    context = draft["object"]["context"]
    bob = await token_for("bob")
    before = await written()
    note = {"type": "Note", "content": "<p>in your thread</p>", "context": context}
    status, answer = await send(client, "bob", bob, note)
    assert status == 404 and answer["error"] == f"no thread {context} known here"
    assert await written() == before
    await post(client, "alice", alice, {**note, "content": "<p>my own thread</p>"})


async def test_a_member_cannot_vote_in_a_followers_only_poll_they_may_not_see(
    client: TestClient,
) -> None:
    carol = await token_for("carol")
    poll = await post(
        client,
        "carol",
        carol,
        {
            "type": "Question",
            "content": "<p>Which evening?</p>",
            "oneOf": [{"type": "Note", "name": "Tuesday"}, {"type": "Note", "name": "Thursday"}],
            "to": [f"{BASE}/actors/carol/followers"],
        },
    )
    question = poll["object"]["id"]
    bob = await token_for("bob")
    before = await written()
    vote = {"type": "Note", "name": "Tuesday", "inReplyTo": question}
    status, answer = await send(client, "bob", bob, vote)
    assert status == 404 and answer["error"] == f"no object {question} known here"
    assert await written() == before
    assert not await Vote.exists()
    bob_actor = await Actor.get(handle="bob", is_local=True)
    carol_actor = await Actor.get(handle="carol", is_local=True)
    await Follow.create(
        uri=f"{bob_actor.uri}#follows/carol",
        follower=bob_actor,
        followee=carol_actor,
        state=FollowState.ACCEPTED,
    )
    await post(client, "bob", bob, vote)
    assert await Vote.filter(actor_id=bob_actor.id).count() == 1
