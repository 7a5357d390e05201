"""Who may see what: private objects stay with those they are for; hidden ones with the
moderators; withdrawn and removed ones are Tombstones everywhere, their activities scrubbed."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from node.models import (
    AccessRole,
    Activity,
    Actor,
    Delivery,
    Follow,
    FollowState,
    InboxEntry,
    Object,
    Report,
)
from node.services.remote_actors import save_actor
from tests.support.api import AS2, BASE, get, post
from tests.support.pages import member, page, sign_in_as, submit
from tests.support.private_objects import (
    DIRECT,
    DRAFT,
    FOLLOWERS_ONLY,
    HIDDEN,
    REMOVED,
    seed_private_objects,
)


def local(uri: str) -> str:
    return uri.removeprefix(BASE)


async def as_json(client: TestClient, path: str, token: str = "") -> tuple[int, str]:
    auth = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.get(local(path), headers={"Accept": AS2, **auth})
    return response.status, await response.text()


async def test_a_member_cannot_read_others_private_posts_through_the_report_form(
    client: TestClient,
) -> None:
    seeded = await seed_private_objects(client)
    await sign_in_as(client, "dana")
    proposal = local(seeded.proposal)
    for marker in (DIRECT, DRAFT, FOLLOWERS_ONLY, HIDDEN):
        uri = seeded.uris[marker]
        by_uri = await client.get(f"{proposal}/report", params={"uri": uri})
        assert by_uri.status == 404 and marker not in await by_uri.text()
        by_key = await client.get(f"{local(uri)}/report")
        assert by_key.status == 404 and marker not in await by_key.text()
    refused = await submit(
        client,
        f"{proposal}/report?uri={seeded.uris[DIRECT]}",
        {"reason": "nosy"},
        token_from=proposal,
    )
    assert refused.status == 404
    assert DIRECT not in await refused.text()
    assert not await Report.exists()


async def test_the_addressee_of_a_direct_message_may_report_it(client: TestClient) -> None:
    seeded = await seed_private_objects(client)
    await sign_in_as(client, "carol")
    html = await page(client, f"{local(seeded.uris[DIRECT])}/report")
    assert DIRECT in html


async def test_the_proxy_hands_a_member_no_private_object_of_others(client: TestClient) -> None:
    seeded = await seed_private_objects(client)
    for marker in (DIRECT, DRAFT, FOLLOWERS_ONLY, HIDDEN):
        response = await client.post(
            "/proxy",
            data={"id": seeded.uris[marker]},
            headers={"Authorization": f"Bearer {seeded.tokens['dana']}"},
        )
        assert response.status == 404 and marker not in await response.text()
    response = await client.post(
        "/proxy",
        data={"id": seeded.uris[DIRECT]},
        headers={"Authorization": f"Bearer {seeded.tokens['carol']}"},
    )
    assert response.status == 200 and DIRECT in await response.text()


async def test_a_direct_message_in_a_thread_stays_off_the_proposal_page(
    client: TestClient,
) -> None:
    seeded = await seed_private_objects(client)
    for viewer in ("dana", "mod"):
        await sign_in_as(client, viewer)
        html = await page(client, local(seeded.proposal))
        assert DIRECT not in html and REMOVED not in html
        await submit(client, "/sign-out", {}, token_from="/")
    status, context = await as_json(client, f"{BASE}/contexts/{seeded.key_of(seeded.proposal)}")
    assert status == 200 and seeded.uris[DIRECT] not in context


async def test_a_direct_message_goes_to_whom_it_names_not_to_the_authors_followers(
    client: TestClient,
) -> None:
    seeded = await seed_private_objects(client)  # dana follows bob; bob wrote carol a message
    dana = await Actor.get(handle="dana", is_local=True)
    carol = await Actor.get(handle="carol", is_local=True)
    direct = seeded.uris[DIRECT]
    activity = await Activity.get(object_uri=direct, type="Create")
    assert not activity.document.get("cc") and activity.document["object"]["cc"] == []
    assert await InboxEntry.exists(recipient_id=carol.id, activity_uri=activity.uri)
    assert not await InboxEntry.exists(recipient_id=dana.id, activity_uri=activity.uri)
    # a remote follower of bob's gets nothing either, even when the client sent no cc at all
    follower = await save_actor(
        {
            "id": "https://remote.example/users/rita",
            "type": "Person",
            "preferredUsername": "rita",
            "inbox": "https://remote.example/users/rita/inbox",
        }
    )
    bob = await Actor.get(handle="bob", is_local=True)
    await Follow.create(
        uri="https://remote.example/follows/1",
        follower=follower,
        followee=bob,
        state=FollowState.ACCEPTED,
    )
    sent = await post(
        client,
        "bob",
        seeded.tokens["bob"],
        {"type": "Note", "content": "only for carol", "to": [carol.uri]},
    )
    assert sent["object"]["cc"] == []
    assert not await Delivery.exists(activity_uri=sent["id"])
    assert not await InboxEntry.exists(recipient_id=dana.id, activity_uri=sent["id"])
    public = await post(
        client, "bob", seeded.tokens["bob"], {"type": "Note", "content": "for everyone"}
    )
    assert await Delivery.exists(activity_uri=public["id"], inbox_uri=follower.inbox_uri)


async def test_a_followers_only_note_is_shown_to_followers_and_no_one_else(
    client: TestClient,
) -> None:
    seeded = await seed_private_objects(client)
    note = local(seeded.uris[FOLLOWERS_ONLY])
    await member("fay")
    await sign_in_as(client, "fay")
    assert FOLLOWERS_ONLY not in await page(client, note, status=404)
    fay = await Actor.get(handle="fay", is_local=True)
    alice = await Actor.get(handle="alice", is_local=True)
    await Follow.create(
        uri=f"{BASE}/follows/fay", follower=fay, followee=alice, state=FollowState.ACCEPTED
    )
    assert FOLLOWERS_ONLY in await page(client, note)


async def test_a_hidden_comment_is_served_to_moderators_only(client: TestClient) -> None:
    seeded = await seed_private_objects(client)
    hidden = seeded.uris[HIDDEN]
    status, body = await as_json(client, hidden)
    assert status == 404 and HIDDEN not in body
    await sign_in_as(client, "dana")
    assert HIDDEN not in await page(client, local(hidden), status=404)
    assert HIDDEN not in await page(client, local(seeded.proposal))
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "mod")
    assert HIDDEN in await page(client, local(hidden))
    assert HIDDEN in await page(client, local(seeded.proposal))


async def test_a_hidden_comment_is_left_out_of_outbox_replies_context_timeline_and_inbox(
    client: TestClient,
) -> None:
    seeded = await seed_private_objects(client)  # dana follows bob, who wrote the comment
    hidden = seeded.uris[HIDDEN]
    create = await Activity.get(object_uri=hidden, type="Create")
    dana_token = seeded.tokens["dana"]
    assert await InboxEntry.exists(activity_uri=create.uri)  # it did reach dana
    for path, token in (
        (f"{BASE}/actors/bob/outbox?page=1", ""),
        (f"{seeded.proposal}/replies?page=1", ""),
        (f"{BASE}/contexts/{seeded.key_of(seeded.proposal)}?page=1", ""),
        (f"{BASE}/actors/dana/timeline?page=1", dana_token),
        (f"{BASE}/actors/dana/inbox?page=1", dana_token),
        (create.uri, ""),
    ):
        status, body = await as_json(client, path, token)
        assert status in (200, 404) and HIDDEN not in body and hidden not in body, path
    status, _ = await as_json(client, create.uri)
    assert status == 404


async def test_a_removed_comment_is_a_tombstone_and_its_create_is_scrubbed(
    client: TestClient,
) -> None:
    seeded = await seed_private_objects(client)  # a moderator removed bob's comment
    removed = seeded.uris[REMOVED]
    status, body = await as_json(client, removed)
    assert status == 410 and '"Tombstone"' in body and REMOVED not in body
    response = await client.get(local(removed), headers={"Accept": "text/html"})
    assert response.status == 410 and REMOVED not in await response.text()
    create = await Activity.get(object_uri=removed, type="Create")
    assert create.document["object"]["type"] == "Tombstone"  # scrubbed in the database
    assert REMOVED not in str(create.document)
    for entry in await InboxEntry.filter(activity_uri=create.uri):
        assert REMOVED not in str(entry.document)
    for path, token in (
        (create.uri, ""),
        (f"{BASE}/actors/bob/outbox?page=1", ""),
        (f"{BASE}/actors/dana/inbox?page=1", seeded.tokens["dana"]),
    ):
        status, body = await as_json(client, path, token)
        assert status == 200 and REMOVED not in body, path


async def test_an_author_withdrawing_a_comment_scrubs_its_create_and_update(
    client: TestClient,
) -> None:
    seeded = await seed_private_objects(client)
    token = seeded.tokens["bob"]
    note = (await post(client, "bob", token, {"type": "Note", "content": "first words"}))["object"]
    edit = {"type": "Update", "object": {"id": note["id"], "type": "Note", "content": "more words"}}
    await post(client, "bob", token, edit)
    await post(client, "bob", token, {"type": "Delete", "object": note["id"]})
    for activity in await Activity.filter(object_uri=note["id"]):
        assert "words" not in str(activity.document), activity.type
        status, body = await as_json(client, activity.uri)
        assert status == 200 and "words" not in body
    assert (await get(client, note["id"]))[0] == 410


async def test_a_deleted_proposal_keeps_no_readable_history(client: TestClient) -> None:
    seeded = await seed_private_objects(client)
    token = seeded.tokens["alice"]
    await post(
        client,
        "alice",
        token,
        {"type": "Update", "object": {"id": seeded.proposal, "type": "Article", "summary": "v2"}},
    )
    await post(client, "alice", token, {"type": "Delete", "object": seeded.proposal})
    status, body = await as_json(client, f"{seeded.proposal}/history?page=1")
    assert status == 410 and '"S"' not in body
    rows = await Object.filter(uri=seeded.proposal).values_list("deleted_at", flat=True)
    assert rows[0] is not None


async def test_moderators_cannot_act_on_messages_they_may_not_see(client: TestClient) -> None:
    seeded = await seed_private_objects(client)
    await member("mod2", AccessRole.MODERATOR)
    await sign_in_as(client, "mod2")
    direct = seeded.uris[DIRECT]
    for action in ("hide", "remove"):
        response = await submit(client, f"{local(direct)}/{action}", {}, token_from="/")
        assert response.status == 404
    row = await Object.get(uri=direct)
    assert row.hidden_at is None and row.deleted_at is None
