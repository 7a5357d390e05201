"""The organisation (a Group, FEP-1b12) passes on the edits and withdrawals in its threads, and a
member's Delete goes wherever the Create went."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from node.models import Activity, Actor, Delivery, Follow, FollowState
from node.services import remote_objects
from node.services.remote_actors import save_actor
from node.services.tokens import create_token
from tests.support.api import AS2, BASE, ORG, post, send, token_for


async def remote_person(name: str) -> Actor:
    return await save_actor(
        {
            "id": f"https://remote.example/users/{name}",
            "type": "Person",
            "preferredUsername": name,
            "inbox": f"https://remote.example/users/{name}/inbox",
        }
    )


async def followed_by_remote_server(handle_uri: str) -> Actor:
    follower = await remote_person("rita")
    await Follow.create(
        uri="https://remote.example/follows/1",
        follower=follower,
        followee=await Actor.get(uri=handle_uri),
        state=FollowState.ACCEPTED,
    )
    return follower


async def as_json(client: TestClient, url: str) -> tuple[int, str]:
    response = await client.get(url.removeprefix(BASE), headers={"Accept": AS2})
    return response.status, await response.text()


async def test_the_organisation_passes_on_an_edited_then_withdrawn_comment_keeping_no_words(
    client: TestClient,
) -> None:
    alice, bob = await token_for("alice"), await token_for("bob")
    rita = await followed_by_remote_server(ORG)  # a server that follows only the organisation
    proposal = await post(client, "alice", alice, {"type": "Article", "name": "P", "summary": "S"})
    reply = {"type": "Note", "content": "first words", "inReplyTo": proposal["object"]["id"]}
    comment = (await post(client, "bob", bob, reply))["object"]["id"]
    edit = {"type": "Update", "object": {"id": comment, "type": "Note", "content": "more words"}}
    update = await post(client, "bob", bob, edit)
    delete = await post(client, "bob", bob, {"type": "Delete", "object": comment})

    organisation = await Actor.get(uri=ORG)
    for original in (update, delete):
        announce = await Activity.get(
            actor_id=organisation.id, type="Announce", object_uri=original["id"]
        )
        # the original activity itself, embedded (FEP-1b12), reaches the organisation's follower
        assert announce.document["object"]["id"] == original["id"]
        assert announce.document["object"]["type"] == original["type"]
        assert await Delivery.exists(activity_uri=announce.uri, inbox_uri=rita.inbox_uri)
        # once withdrawn, the comment's words are not served inside what was passed on
        status, body = await as_json(client, announce.uri)
        assert status == 200 and "words" not in body
    status, body = await as_json(client, f"{ORG}/outbox?page=1")
    assert status == 200 and update["id"] in body and "words" not in body


async def test_the_organisations_own_edits_are_not_passed_on_twice(client: TestClient) -> None:
    alice = await token_for("alice")
    await followed_by_remote_server(ORG)
    proposal = await post(client, "alice", alice, {"type": "Article", "name": "P", "summary": "S"})
    organisation = await Actor.get(uri=ORG)
    announces = await Activity.filter(actor_id=organisation.id, type="Announce").count()
    status_change = {"id": proposal["object"]["id"], "type": "Article", "proposalStatus": "closed"}
    # the organisation moves the proposal itself: its Update already reaches its followers
    org_token = await create_token("testorg")
    status, answer = await send(
        client, "testorg", org_token, {"type": "Update", "object": status_change}
    )
    assert status == 201, answer
    assert await Activity.filter(actor_id=organisation.id, type="Announce").count() == announces


async def test_a_delete_of_a_reply_to_a_remote_post_goes_where_its_create_went(
    client: TestClient,
) -> None:
    bob = await token_for("bob")
    rita = await remote_person("rita")
    note = {
        "id": "https://remote.example/notes/1",
        "type": "Note",
        "attributedTo": rita.uri,
        "content": "<p>a thought</p>",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "published": "2026-01-01T00:00:00Z",
    }
    await remote_objects.store_object(note, rita)
    create = await post(
        client, "bob", bob, {"type": "Note", "content": "agreed", "inReplyTo": note["id"]}
    )
    assert await Delivery.exists(activity_uri=create["id"], inbox_uri=rita.inbox_uri)
    delete = await post(client, "bob", bob, {"type": "Delete", "object": create["object"]["id"]})
    assert await Delivery.exists(activity_uri=delete["id"], inbox_uri=rita.inbox_uri)


async def test_the_organisation_passes_on_a_members_undone_like_and_share_in_its_thread(
    client: TestClient,
) -> None:
    alice, bob = await token_for("alice"), await token_for("bob")
    rita = await followed_by_remote_server(ORG)  # a server that follows only the organisation
    proposal = await post(client, "alice", alice, {"type": "Article", "name": "P", "summary": "S"})
    target = proposal["object"]["id"]
    organisation = await Actor.get(uri=ORG)
    for kind in ("Like", "Announce"):
        reaction = await post(client, "bob", bob, {"type": kind, "object": target})
        undo = await post(client, "bob", bob, {"type": "Undo", "object": reaction["id"]})
        announce = await Activity.get(
            actor_id=organisation.id, type="Announce", object_uri=undo["id"]
        )
        # the Undo itself, embedded with what it takes back (FEP-1b12), reaches the follower
        assert announce.document["object"]["type"] == "Undo"
        assert announce.document["object"]["object"]["id"] == reaction["id"]
        assert await Delivery.exists(activity_uri=announce.uri, inbox_uri=rita.inbox_uri)
