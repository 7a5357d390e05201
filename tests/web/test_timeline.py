"""Following organisations and people on the same node, and a member's timeline with hashtags."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp.test_utils import TestClient

import schemas
from federation.vocab import PUBLIC
from node.models import Actor, ActorType, Delivery, Follow, FollowState
from node.services import follows, remote_objects
from node.services.tokens import create_token
from tests.support.api import AS2, BASE, ORG, headers, post, token_for

PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "source": "Most users told us **weekends** matter.",
    "tag": ["libraries"],
}


async def get(client: TestClient, path: str, token: str | None = None) -> tuple[int, Any]:
    """GET a node URL as ActivityStreams, with a member's token if given: (status, JSON)."""
    answer = await client.get(
        path.removeprefix(BASE), headers=headers(token) if token else {"Accept": AS2}
    )
    return answer.status, await answer.json(content_type=None)


async def timeline(client: TestClient, token: str, query: str = "") -> list[Any]:
    status, page = await get(client, f"/actors/alice/timeline?{query}page=1", token)
    assert status == 200, page
    schemas.validate("ordered_collection_page", page)
    return list(page["orderedItems"])


async def test_following_the_local_organisation_is_accepted_at_once(client: TestClient) -> None:
    alice, org = await token_for("alice"), await create_token("testorg")
    # When alice follows her own organisation by its handle
    follow = await post(
        client, "alice", alice, {"type": "Follow", "object": "@testorg@127.0.0.1:8000"}
    )
    assert follow["object"] == ORG
    # Then it is accepted without a request over HTTP
    assert (await get(client, "/actors/alice/following?page=1"))[1]["orderedItems"] == [ORG]
    assert (await get(client, "/actors/testorg/followers?page=1"))[1]["orderedItems"] == [
        f"{BASE}/actors/alice"
    ]
    # and what the organisation publishes reaches her inbox, with nothing queued for delivery
    note = await post(client, "testorg", org, {"type": "Note", "content": "Consultation opens"})
    status, inbox = await get(client, "/actors/alice/inbox?page=1", alice)
    assert status == 200
    assert note["id"] in [item["id"] for item in inbox["orderedItems"]]
    assert not await Delivery.all().exists()
    # a second follow is a conflict
    again = await client.post(
        "/actors/alice/outbox", json={"type": "Follow", "object": ORG}, headers=headers(alice)
    )
    assert again.status == 409


async def test_a_locked_member_answers_a_local_follow(client: TestClient) -> None:
    alice, bob = await token_for("alice"), await token_for("bob")
    await post(
        client,
        "bob",
        bob,
        {
            "type": "Update",
            "object": {
                "id": f"{BASE}/actors/bob",
                "type": "Person",
                "manuallyApprovesFollowers": True,
            },
        },
    )
    follow = await post(client, "alice", alice, {"type": "Follow", "object": f"{BASE}/actors/bob"})
    assert (await Follow.get(uri=follow["id"])).state == FollowState.PENDING
    # bob finds the request in his inbox and accepts it
    inbox = (await get(client, "/actors/bob/inbox?page=1", bob))[1]["orderedItems"]
    assert [item["id"] for item in inbox] == [follow["id"]]
    accept = await post(client, "bob", bob, {"type": "Accept", "object": follow["id"]})
    assert (await Follow.get(uri=follow["id"])).state == FollowState.ACCEPTED
    alice_inbox = (await get(client, "/actors/alice/inbox?page=1", alice))[1]["orderedItems"]
    assert accept["id"] in [item["id"] for item in alice_inbox]
    assert not await Delivery.all().exists()


async def test_timeline_shows_followed_organisations_threads_newest_first(
    client: TestClient,
) -> None:
    alice, bob, carol = await token_for("alice"), await token_for("bob"), await token_for("carol")
    dave, org = await token_for("dave"), await create_token("testorg")
    await post(client, "alice", alice, {"type": "Follow", "object": ORG})
    # bob proposes (his organisation's thread), carol comments, the organisation posts a note
    proposal = (await post(client, "bob", bob, PROPOSAL))["object"]
    comment = (
        await post(
            client,
            "carol",
            carol,
            {
                "type": "Note",
                "content": "Yes",
                "inReplyTo": proposal["id"],
            },
        )
    )["object"]
    note = await post(client, "testorg", org, {"type": "Note", "content": "Hi", "tag": ["news"]})
    # dave writes something outside the organisation's threads; bob drafts a proposal
    await post(client, "dave", dave, {"type": "Note", "content": "Unrelated"})
    await post(client, "bob", bob, {**PROPOSAL, "proposalStatus": "draft"})

    items = await timeline(client, alice)
    assert [item["id"] for item in items] == [note["object"]["id"], comment["id"], proposal["id"]]
    # the organisation's announce of bob's proposal reached alice's inbox too
    inbox = (await get(client, "/actors/alice/inbox?page=1", alice))[1]["orderedItems"]
    assert any(i["type"] == "Announce" and i["object"] == proposal["id"] for i in inbox)

    # a hashtag keeps only what carries it, however it is written
    assert [i["id"] for i in await timeline(client, alice, "tag=libraries&")] == [proposal["id"]]
    assert [i["id"] for i in await timeline(client, alice, "tag=%23News&")] == [
        note["object"]["id"]
    ]
    assert await timeline(client, alice, "tag=gardening&") == []
    status, collection = await get(client, "/actors/alice/timeline?tag=libraries", alice)
    assert status == 200 and collection["totalItems"] == 1
    assert collection["first"] == f"{BASE}/actors/alice/timeline?tag=libraries&page=1"

    # once alice unfollows, her timeline is empty
    follow = await Follow.get(follower__handle="alice").prefetch_related("followee")
    await post(client, "alice", alice, {"type": "Undo", "object": follow.uri})
    assert await timeline(client, alice) == []


async def test_timeline_shows_remote_organisations_threads(client: TestClient) -> None:
    alice = await token_for("alice")
    group = await _remote(ActorType.GROUP, "https://other.example/actors/otherorg")
    person = await _remote(ActorType.PERSON, "https://other.example/actors/bea")
    stranger = await _remote(ActorType.PERSON, "https://social.example/users/carl")
    await follows.record_follow(
        "https://example.test/follows/1",
        await Actor.get(handle="alice"),
        group,
        accepted=True,
    )
    # a proposal by the organisation's member, and a Mastodon user's reply in its thread
    article = {
        "id": "https://other.example/objects/p1",
        "type": "Article",
        "name": "Bus routes",
        "attributedTo": person.uri,
        "audience": group.uri,
        "to": [PUBLIC],
        "context": "https://other.example/contexts/p1",
        "proposalStatus": "open",
        "tag": [{"type": "Hashtag", "name": "#Transport"}],
        "published": "2024-05-01T10:00:00Z",
    }
    reply = {
        "id": "https://social.example/statuses/1",
        "type": "Note",
        "content": "<p>More</p>",
        "attributedTo": stranger.uri,
        "inReplyTo": article["id"],
        "to": [PUBLIC],
        "published": "2024-05-02T10:00:00Z",
    }
    elsewhere = {**reply, "id": "https://social.example/statuses/2", "inReplyTo": None}
    await remote_objects.store_object(article, person)
    await remote_objects.store_object(reply, stranger)
    await remote_objects.store_object(elsewhere, stranger)
    # naming the organisation as audience is only a claim, until the organisation relays it
    assert await timeline(client, alice) == []
    await remote_objects.add_reaction("Announce", "https://other.example/a/1", group, article["id"])

    assert [i["id"] for i in await timeline(client, alice)] == [reply["id"], article["id"]]
    assert [i["id"] for i in await timeline(client, alice, "tag=transport&")] == [article["id"]]


async def test_timeline_is_only_for_its_owner_and_checks_the_tag(client: TestClient) -> None:
    alice, bob = await token_for("alice"), await token_for("bob")
    assert (await get(client, "/actors/alice/timeline"))[0] == 401
    assert (await get(client, "/actors/alice/timeline", bob))[0] == 403
    status, answer = await get(client, "/actors/alice/timeline?tag=%21%21", alice)
    assert status == 400 and "hashtag" in answer["error"]
    assert (await get(client, "/actors/alice/timeline?page=0", alice))[0] == 400


async def _remote(kind: ActorType, uri: str) -> Actor:
    handle = uri.rsplit("/", 1)[-1]
    domain = uri.split("/")[2]
    return await Actor.create(
        uri=uri,
        type=kind,
        is_local=False,
        handle=handle,
        domain=domain,
        inbox_uri=f"{uri}/inbox",
        fetched_at=datetime.now(UTC),
    )
