"""The client API in-process: posting to one's outbox, reading collections, tokens."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

import schemas
from node.models import Token
from node.services.members import add_member
from node.services.tokens import create_token
from node.urls import NodeUrls

AS2 = "application/activity+json"


async def member_token(handle: str = "alice") -> str:
    await add_member(NodeUrls("http://127.0.0.1:8000"), handle)
    return await create_token(handle)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": AS2, "Accept": AS2}


async def test_token_is_stored_only_as_a_digest(client: TestClient) -> None:
    token = await member_token()
    rows = await Token.all().values_list("digest", flat=True)
    assert len(rows) == 1
    assert token not in rows[0] and len(rows[0]) == 64


async def test_posting_a_note_creates_it_and_answers_201(client: TestClient) -> None:
    token = await member_token()
    note = {"type": "Note", "content": "<p>Hello <script>alert(1)</script>world</p>"}
    response = await client.post("/actors/alice/outbox", json=note, headers=bearer(token))
    assert response.status == 201, await response.text()
    activity = await response.json(content_type=None)
    assert response.headers["Location"] == activity["id"]
    assert activity["type"] == "Create"
    schemas.validate("create", activity)
    created = activity["object"]
    assert "<script>" not in created["content"]
    path = created["id"].replace("http://127.0.0.1:8000", "")
    fetched = await client.get(path, headers={"Accept": AS2})
    assert fetched.status == 200
    assert (await fetched.json(content_type=None))["content"] == created["content"]
    outbox = await (await client.get("/actors/alice/outbox?page=1", headers={"Accept": AS2})).json(
        content_type=None
    )
    schemas.validate("ordered_collection_page", outbox)
    assert [item["id"] for item in outbox["orderedItems"]] == [activity["id"]]


async def test_deleted_object_answers_410_with_a_tombstone(client: TestClient) -> None:
    token = await member_token()
    created = await (
        await client.post(
            "/actors/alice/outbox", json={"type": "Note", "content": "x"}, headers=bearer(token)
        )
    ).json(content_type=None)
    object_id = created["object"]["id"]
    deleted = await client.post(
        "/actors/alice/outbox", json={"type": "Delete", "object": object_id}, headers=bearer(token)
    )
    assert deleted.status == 201, await deleted.text()
    gone = await client.get(object_id.replace("http://127.0.0.1:8000", ""), headers={"Accept": AS2})
    assert gone.status == 410
    assert (await gone.json(content_type=None))["type"] == "Tombstone"


async def test_outbox_post_without_token_is_401_and_with_anothers_token_is_403(
    client: TestClient,
) -> None:
    alice = await member_token("alice")
    await member_token("bob")
    note = {"type": "Note", "content": "x"}
    missing = await client.post("/actors/bob/outbox", json=note, headers={"Content-Type": AS2})
    assert missing.status == 401
    wrong = await client.post("/actors/bob/outbox", json=note, headers=bearer("not-a-real-token"))
    assert wrong.status == 401
    other = await client.post("/actors/bob/outbox", json=note, headers=bearer(alice))
    assert other.status == 403


async def test_invalid_activity_is_400_naming_the_problem(client: TestClient) -> None:
    token = await member_token()
    response = await client.post(
        "/actors/alice/outbox", json={"type": "Like"}, headers=bearer(token)
    )
    assert response.status == 400
    assert "object" in (await response.json())["error"]
    broken = await client.post("/actors/alice/outbox", data=b"{not json", headers=bearer(token))
    assert broken.status == 400


async def test_inbox_is_readable_only_with_its_owners_token(client: TestClient) -> None:
    token = await member_token()
    response = await client.get("/actors/alice/inbox", headers=bearer(token))
    assert response.status == 200
    document = await response.json(content_type=None)
    schemas.validate("ordered_collection", document)
    assert document["totalItems"] == 0
    assert (await client.get("/actors/alice/inbox")).status == 401
