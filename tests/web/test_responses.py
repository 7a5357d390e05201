"""Cross-organisation responses: other nodes' proposals and organisations answering ours."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient

import schemas
from federation.vocab import LD_CONTENT_TYPE, PUBLIC
from node.models import Actor, ActorType, Delivery, Object, ObjectLink
from node.services import remote_objects
from node.services.errors import NotFound
from node.services.responses import responses_from_other_organisations
from tests.support.api import AS2, BASE, ORG, headers, post, token_for

OTHER = "https://other.example"
PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "source": "Most users told us **weekends** matter.",
}


async def publish(client: TestClient, handle: str, token: str, body: dict[str, Any]) -> Any:
    """Post through the client API; the object created."""
    return (await post(client, handle, token, body))["object"]


async def remote_actor(uri: str, kind: ActorType = ActorType.PERSON, name: str = "") -> Actor:
    """A remote actor known here (fresh, so nothing is fetched)."""
    parts = urlsplit(uri)
    return await Actor.create(
        uri=uri,
        type=kind,
        is_local=False,
        handle=parts.path.rsplit("/", 1)[-1],
        domain=parts.netloc,
        name=name,
        inbox_uri=f"{uri}/inbox",
        shared_inbox_uri=f"{parts.scheme}://{parts.netloc}/inbox",
        fetched_at=datetime.now(UTC),
    )


def link(href: str, media_type: str = LD_CONTENT_TYPE) -> dict[str, str]:
    return {"type": "Link", "mediaType": media_type, "href": href}


def remote_proposal(key: str, author: str, **extra: Any) -> dict[str, Any]:
    """An Article as another Townhall node publishes it, in its own thread."""
    return {
        "id": f"{OTHER}/objects/{key}",
        "type": "Article",
        "name": f"Proposal {key}",
        "summary": "A plain summary",
        "content": "<p>Text</p>",
        "attributedTo": author,
        "audience": f"{OTHER}/actors/otherorg",
        "context": f"{OTHER}/contexts/{key}",
        "to": [PUBLIC],
        "proposalStatus": "open",
        "version": 1,
        "published": "2024-05-01T10:00:00Z",
        **extra,
    }


async def store(document: dict[str, Any], author: Actor) -> Object:
    stored = await remote_objects.store_object(document, author)
    assert stored.row is not None
    return stored.row


async def test_other_organisations_answers_are_listed_and_keep_their_own_thread(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    ours = await publish(client, "alice", token, PROPOSAL)
    other_org = await remote_actor(f"{OTHER}/actors/otherorg", ActorType.GROUP, "Other Org")
    bea = await remote_actor(f"{OTHER}/actors/bea")
    mastodon = await remote_actor("https://social.example/users/carl")
    # Given another node's proposal that links ours with a FEP-e232 Link tag
    linked = await store(remote_proposal("p1", bea.uri, tag=[link(ours["id"])]), bea)
    # and another node's proposal that replies to ours
    replying = await store(remote_proposal("p2", bea.uri, inReplyTo=ours["id"]), bea)
    # and the other organisation itself commenting
    org_note = await store(
        {
            "id": f"{OTHER}/objects/n1",
            "type": "Note",
            "content": "<p>We agree</p>",
            "attributedTo": other_org.uri,
            "inReplyTo": ours["id"],
            "to": [PUBLIC],
            "published": "2024-05-02T10:00:00Z",
        },
        other_org,
    )
    # and a Mastodon user's reply, a plain link and a withdrawn response, which do not count
    await store(
        {
            "id": "https://social.example/statuses/1",
            "type": "Note",
            "content": "<p>Nice</p>",
            "attributedTo": mastodon.uri,
            "inReplyTo": ours["id"],
            "to": [PUBLIC],
        },
        mastodon,
    )
    await store(remote_proposal("p3", bea.uri, tag=[link(ours["id"], "text/html")]), bea)
    gone = await store(remote_proposal("p4", bea.uri, tag=[link(ours["id"])]), bea)
    await remote_objects.tombstone(gone.uri, bea)

    responses = await responses_from_other_organisations(ours["id"])

    assert {response.object.uri for response in responses} == {
        linked.uri,
        replying.uri,
        org_note.uri,
    }
    assert {response.organisation for response in responses} == {other_org.uri}
    assert {response.organisation_name for response in responses} == {"Other Org"}
    # contexts are never merged: each response stays in its own thread
    assert (await Object.get(uri=linked.uri)).context_uri == f"{OTHER}/contexts/p1"
    assert (await Object.get(uri=replying.uri)).context_uri == f"{OTHER}/contexts/p2"
    thread = await (
        await client.get(ours["context"].removeprefix(BASE) + "?page=1", headers={"Accept": AS2})
    ).json(content_type=None)
    assert linked.uri not in thread["orderedItems"]
    assert replying.uri not in thread["orderedItems"]
    # and the proposal's page shows them
    page = await (await client.get(ours["id"].removeprefix(BASE))).text()
    assert "Responses from other organisations" in page
    assert "Proposal p1" in page and "Other Org" in page


async def test_our_own_members_answers_are_not_from_another_organisation(
    client: TestClient,
) -> None:
    alice, bob = await token_for("alice"), await token_for("bob")
    ours = await publish(client, "alice", alice, PROPOSAL)
    await publish(client, "bob", bob, {**PROPOSAL, "tag": [link(ours["id"])]})
    await publish(client, "bob", bob, {"type": "Note", "content": "Yes", "inReplyTo": ours["id"]})
    assert await responses_from_other_organisations(ours["id"]) == []
    page = await (await client.get(ours["id"].removeprefix(BASE))).text()
    assert "Responses from other organisations" not in page


async def test_a_server_cannot_answer_in_another_organisations_name(client: TestClient) -> None:
    token = await token_for("alice")
    ours = await publish(client, "alice", token, PROPOSAL)
    await remote_actor(f"{OTHER}/actors/otherorg", ActorType.GROUP, "Other Org")
    mallory = await remote_actor("https://evil.example/users/mallory")
    # a proposal from evil.example answering ours, naming other.example's organisation
    forged = remote_proposal("x", mallory.uri, inReplyTo=ours["id"])
    forged["id"] = "https://evil.example/objects/x"
    await store(forged, mallory)
    assert await responses_from_other_organisations(ours["id"]) == []
    page = await (await client.get(ours["id"].removeprefix(BASE))).text()
    assert "Other Org" not in page


async def test_a_member_links_another_nodes_proposal_from_the_client_api(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    bea = await remote_actor(f"{OTHER}/actors/bea")
    theirs = await store(remote_proposal("p1", bea.uri), bea)
    # When alice publishes a proposal linking theirs
    ours = await publish(
        client,
        "alice",
        token,
        {
            **PROPOSAL,
            "tag": ["libraries", link(theirs.uri, "application/activity+json")],
        },
    )
    # Then the Article carries the Link (as FEP-e232 writes it) next to its hashtags
    schemas.validate("article", ours)
    links = [tag for tag in ours["tag"] if tag["type"] == "Link"]
    assert links == [{"type": "Link", "mediaType": LD_CONTENT_TYPE, "href": theirs.uri}]
    assert [tag["name"] for tag in ours["tag"] if tag["type"] == "Hashtag"] == ["#libraries"]
    assert await ObjectLink.filter(href=theirs.uri, object__uri=ours["id"]).exists()
    # it keeps its own thread, and the linked proposal's home is told of it
    assert ours["context"].startswith(f"{BASE}/contexts/")
    assert await Delivery.filter(inbox_uri=f"{OTHER}/inbox").exists()
    # and here too it counts as a response to theirs from our organisation
    responses = await responses_from_other_organisations(theirs.uri)
    assert [(r.object.uri, r.organisation) for r in responses] == [(ours["id"], ORG)]
    # a new version keeps the link
    update = await client.post(
        "/actors/alice/outbox",
        headers=headers(token),
        json={
            "type": "Update",
            "object": {"id": ours["id"], "type": "Article", "summary": "Shorter."},
        },
    )
    assert update.status == 201, await update.text()
    edited = (await update.json(content_type=None))["object"]
    assert [tag for tag in edited["tag"] if tag["type"] == "Link"] == links


async def test_a_malformed_link_is_refused_and_nothing_is_published(client: TestClient) -> None:
    token = await token_for("alice")
    for href in ("javascript:alert(1)", "/objects/relative", 42):
        body = {**PROPOSAL, "tag": [{"type": "Link", "mediaType": AS2, "href": href}]}
        response = await client.post("/actors/alice/outbox", json=body, headers=headers(token))
        assert response.status == 400, href
        assert "href" in (await response.json())["error"]
    assert not await Object.filter(type="Article").exists()
    assert not await ObjectLink.all().exists()


async def test_responses_to_an_unknown_proposal_are_not_found(client: TestClient) -> None:
    response = await client.get("/objects/nothing-here", headers={"Accept": "text/html"})
    assert response.status == 404
    with pytest.raises(NotFound):
        await responses_from_other_organisations(f"{BASE}/objects/nothing-here")
