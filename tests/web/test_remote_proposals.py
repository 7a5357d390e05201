"""Proposals from other servers: whose they are comes from their own server, never from a claim."""

from __future__ import annotations

import re
from typing import Any

from aiohttp.test_utils import TestClient

from node.models import Actor, Object, Proposal
from node.services import remote_objects
from node.services.remote_actors import save_actor
from node.services.tokens import create_token
from tests.support.api import ORG, post
from tests.support.pages import member, page, sign_in_as, submit
from web.remote_links import remote_page_path

FROM = re.compile(r"From <a [^>]*><bdi>([^<]*)</bdi></a>")


async def remote(uri: str, kind: str = "Person") -> Actor:
    handle = uri.rsplit("/", 1)[-1]
    return await save_actor(
        {"id": uri, "type": kind, "preferredUsername": handle, "name": handle.title(),
         "inbox": f"{uri}/inbox"}
    )  # fmt: skip


def article(uri: str, author: Actor, audience: str, status: str = "open") -> dict[str, Any]:
    return {
        "id": uri,
        "type": "Article",
        "attributedTo": author.uri,
        "audience": audience,
        "name": "Close the library",
        "content": "<p>Close it.</p>",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "proposalStatus": status,
        "version": 1,
        "sections": [],
    }


async def organisation_of(uri: str) -> str | None:
    proposal = await Proposal.get(object__uri=uri).prefetch_related("organisation")
    return proposal.organisation.uri if proposal.organisation else None


async def test_a_remote_proposal_naming_our_organisation_is_not_shown_as_ours(
    client: TestClient,
) -> None:
    mallory = await remote("https://evil.example/users/mallory")
    forged = article("https://evil.example/articles/1", mallory, ORG, status="adopted")
    await remote_objects.store_object(forged, mallory)

    assert await organisation_of(forged["id"]) is None
    for path in ("/", "/proposals"):
        html = await page(client, path)
        assert "Close the library" in html
        assert FROM.findall(html) == ["Mallory"], path  # its author, not "Test Org"
    listed = await page(client, "/proposals?org=" + ORG)
    assert "Close the library" not in listed


async def test_a_group_on_another_server_cannot_claim_a_proposal(client: TestClient) -> None:
    mallory = await remote("https://evil.example/users/mallory")
    group = await remote("https://far.example/groups/council", kind="Group")
    claimed = article("https://evil.example/articles/2", mallory, group.uri)
    await remote_objects.store_object(claimed, mallory)
    await remote_objects.add_reaction("Announce", "https://far.example/a/1", group, claimed["id"])
    assert await organisation_of(claimed["id"]) is None


async def test_a_remote_group_vouches_for_its_own_proposal_by_announcing_it(
    client: TestClient,
) -> None:
    erin = await remote("https://far.example/users/erin")
    group = await remote("https://far.example/groups/council", kind="Group")
    proposal = article("https://far.example/articles/1", erin, group.uri)
    await remote_objects.store_object(proposal, erin)
    assert await organisation_of(proposal["id"]) is None  # a claim, until the Group says so
    await remote_objects.add_reaction("Announce", "https://far.example/a/1", group, proposal["id"])
    assert await organisation_of(proposal["id"]) == group.uri
    # its own proposals are its own at once
    own = article("https://far.example/articles/2", group, group.uri)
    await remote_objects.store_object(own, group)
    assert await organisation_of(own["id"]) == group.uri
    assert FROM.findall(await page(client, "/proposals")).count("Council") == 2


async def test_replying_in_a_remote_thread_never_redirects_to_an_address_the_remote_chose(
    client: TestClient,
) -> None:

    # Given a remote proposal whose page address points somewhere else entirely
    author = await remote("https://far.example/users/fay")
    proposal = {
        **article("https://far.example/articles/2", author, "https://far.example/groups/g"),
        "url": "https://phishing.example/sign-in",
        "context": "https://far.example/contexts/2",
    }
    await remote_objects.store_object(proposal, author)
    # …and alice's comment in its thread
    await member("alice")
    token = await create_token("alice")
    note = {"type": "Note", "content": "First", "inReplyTo": proposal["id"]}
    comment = (await post(client, "alice", token, note))["object"]["id"]
    key = comment.rsplit("/", 1)[1]
    # When she replies to her comment from its page
    await sign_in_as(client, "alice")
    answered = await submit(
        client, f"/objects/{key}/comments", {"content": "Second"}, token_from=f"/objects/{key}"
    )
    # Then she is sent back to the proposal's page here, not to the remote's chosen address
    held = (await Object.get(uri=proposal["id"])).id
    assert answered.status == 303
    assert answered.headers["Location"] == f"{remote_page_path(held)}#discussion"
