"""Remote HTML cannot borrow the site's styles, and names cannot reorder the text around them."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from node.models import Actor, Object
from node.services import remote_objects
from node.services.remote_actors import save_actor
from tests.support.api import token_for
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_pages_visitor import path, propose

RLO, LRI, PDI = "\u202e", "\u2066", "\u2069"
FAKE_NOTICE = (
    '<p class="flash" role="status">Your account is suspended.</p>'
    '<p><span class="badge">Moderator</span> <a class="button" href="https://evil.example/">'
    "Sign in again</a></p>"
)


async def remote_comment(in_reply_to: str, name: str, content: str) -> Object:
    actor = await save_actor(
        {
            "id": "https://evil.example/users/mallory",
            "type": "Person",
            "preferredUsername": "mallory",
            "name": name,
            "inbox": "https://evil.example/users/mallory/inbox",
        }
    )
    stored = await remote_objects.store_object(
        {
            "id": "https://evil.example/notes/1",
            "type": "Note",
            "attributedTo": actor.uri,
            "inReplyTo": in_reply_to,
            "content": content,
            "published": "2026-11-01T10:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
        },
        actor,
    )
    return stored.row


async def test_remote_html_cannot_dress_up_as_the_sites_notices(client: TestClient) -> None:
    article = await propose(client, await token_for("alice"))
    row = await remote_comment(article["id"], "Mallory", FAKE_NOTICE)
    assert "class=" not in row.content
    assert "Your account is suspended." in row.content  # the text stays, as plain text
    html = await page(client, path(article["id"]))
    assert 'class="flash"' not in html and 'class="button"' not in html
    assert '<span class="badge">Moderator' not in html


async def test_a_remote_name_with_a_bidi_override_cannot_pass_for_a_moderator(
    client: TestClient,
) -> None:
    article = await propose(client, await token_for("alice"))
    await remote_comment(article["id"], f"Admin {RLO}(rotaredom){LRI}\u200b", "<p>Hi</p>")
    actor = await Actor.get(uri="https://evil.example/users/mallory")
    assert actor.name == "Admin (rotaredom)"
    html = await page(client, path(article["id"]))
    assert RLO not in html and LRI not in html
    assert '<bdi>Admin (rotaredom)</bdi></a> <span class="muted">@mallory@evil.example' in html


async def test_a_member_cannot_put_bidi_controls_in_their_name(client: TestClient) -> None:
    await member("ada")
    await sign_in_as(client, "ada")
    fields = {"name": f"Ada {RLO}nimda{PDI}", "summary": "", "role": ""}
    response = await submit(client, "/settings/profile", fields)
    assert response.status == 303, await response.text()
    actor = await Actor.get(handle="ada", is_local=True)
    assert actor.name == "Ada nimda"
    html = await page(client, "/actors/ada")
    assert "<h1><bdi>Ada nimda</bdi></h1>" in html
