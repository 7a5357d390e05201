"""Only requests authenticated by a bearer token or an HTTP signature skip the CSRF token; a
cookie-authenticated request needs it whatever headers or body type it carries."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from node.models import Actor
from tests.support.api import headers, token_for
from tests.support.pages import member, page, sign_in_as

PROFILE = {"name": "Forged name", "summary": "", "role": ""}


@pytest.mark.parametrize(
    "stray_header",
    [
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic YWRhOnB3"},
        {"Signature": 'keyId="https://evil.example/k",signature="AAAA"'},
        {"Signature-Input": 'sig1=("@method");keyid="https://evil.example/k"'},
    ],
)
async def test_a_session_cookie_with_a_stray_auth_header_still_needs_the_csrf_token(
    client: TestClient, stray_header: dict[str, str]
) -> None:
    await member("ada")
    await sign_in_as(client, "ada")
    response = await client.post(
        "/settings/profile", data=PROFILE, headers=stray_header, allow_redirects=False
    )
    assert response.status == 403, await response.text()
    assert (await Actor.get(handle="ada", is_local=True)).name == "ada"


async def test_a_json_body_cannot_sign_a_member_out_without_the_csrf_token(
    client: TestClient,
) -> None:
    await member("ada")
    await sign_in_as(client, "ada")
    for content_type in ("application/json", "application/activity+json", "text/plain"):
        response = await client.post(
            "/sign-out", data=b"{}", headers={"Content-Type": content_type}, allow_redirects=False
        )
        assert 400 <= response.status < 500, (content_type, response.status)
    await page(client, "/settings/profile")  # still signed in


async def test_a_bearer_token_still_posts_without_a_csrf_token_beside_a_session(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    await member("ada")
    await sign_in_as(client, "ada")  # a session cookie is there too; the token decides
    note = {
        "type": "Note",
        "content": "Hello",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    }
    response = await client.post("/actors/alice/outbox", json=note, headers=headers(token))
    assert response.status == 201, await response.text()
