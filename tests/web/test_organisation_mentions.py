"""A post from another server that mentions the organisation and answers no proposal is listed
in the moderators' notifications; members are not shown it, and one placed on a proposal (it
links one) is a comment there, not a notification."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from node.models import AccessRole, Actor, InboxEntry, Proposal
from node.services import remote_objects
from node.services.remote_actors import save_actor
from tests.support.api import BASE
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_member_pages import publish

ORGANISATION = f"{BASE}/actors/testorg"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


async def mention_arrives(number: int, content: str) -> str:
    """ann@far.example's post mentioning the organisation, stored and filed for it as the
    inbox worker does; its id."""
    ann = await save_actor(
        {
            "id": "https://far.example/users/ann",
            "type": "Person",
            "preferredUsername": "ann",
            "inbox": "https://far.example/users/ann/inbox",
        }
    )
    note: dict[str, Any] = {
        "id": f"https://far.example/notes/{number}",
        "type": "Note",
        "attributedTo": ann.uri,
        "content": content,
        "published": "2026-11-01T10:00:00Z",
        "to": [PUBLIC],
        "cc": [ORGANISATION],
        "tag": [{"type": "Mention", "href": ORGANISATION, "name": "@testorg"}],
    }
    await remote_objects.store_object(note, ann)
    create = {"id": f"{note['id']}/activity", "type": "Create", "actor": ann.uri, "object": note}
    organisation = await Actor.get(uri=ORGANISATION)
    await InboxEntry.create(recipient=organisation, activity_uri=create["id"], document=create)
    return str(note["id"])


async def test_a_mention_of_the_organisation_is_the_moderators_to_read(
    client: TestClient,
) -> None:
    # Given a member's published proposal, and a moderator
    await member("mod", AccessRole.MODERATOR)
    await member("bo")
    await sign_in_as(client, "bo")
    await publish(client)
    proposal = (await Proposal.get().select_related("object")).object.uri
    await submit(client, "/sign-out", {}, token_from="/")
    # When a post mentions the organisation and links nothing of ours, and another links the
    # proposal
    await mention_arrives(1, "<p>@testorg when is the next meeting?</p>")
    await mention_arrives(2, f'<p>@testorg yes to <a href="{proposal}">this</a></p>')
    # Then the moderator is shown the first as a mention of the organisation
    await sign_in_as(client, "mod")
    html = await page(client, "/notifications")
    assert html.count("mentioned the organisation") == 1
    assert "when is the next meeting?" in html
    # …the second is a comment on the proposal, not a notification
    assert "yes to" not in html
    assert "yes to" in await page(client, proposal.removeprefix(BASE))
    await submit(client, "/sign-out", {}, token_from="/")
    # …and the proposal's author, no moderator, is told of the comment, not of the mention
    await sign_in_as(client, "bo")
    html = await page(client, "/notifications")
    assert "mentioned the organisation" not in html and "when is the next" not in html
    assert "replied to you" in html and "yes to" in html
