"""Malformed input gets a precise 4xx and changes nothing: bad encodings, truncated bodies,
numbers beyond 64 bits, NUL characters, and a JSON body sent to a form page."""

from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient

from node.models import AccessRole, Account, Actor, Follow, Invite
from node.services.invites import create_invite
from tests.support.api import AS2, post, token_for
from tests.support.pages import PASSWORD, csrf_in, member, page, sign_in_as

HUGE = "18446744073709551616"  # 2**64: no database integer column holds it
BEYOND_INT32 = "1099511627776"  # 2**40: PostgreSQL refuses it for a 32-bit id column
FORM = "application/x-www-form-urlencoded"


async def signed_in_admin(client: TestClient) -> str:
    """Sign in as admin ada; her CSRF token."""
    await member("ada", AccessRole.ADMIN)
    await sign_in_as(client, "ada")
    return csrf_in(await page(client, "/admin/invites"))


async def test_invalid_utf8_in_the_sign_in_form_is_a_400_not_a_crash(client: TestClient) -> None:
    await member("ada")
    token = csrf_in(await page(client, "/sign-in"))
    for body in (
        f"csrf_token={token}&handle=ada&password=\xff\xfe".encode("latin-1"),
        f"csrf_token={token}&handle=ada&password=%FF%FE".encode(),
        f"csrf_token={token}&handle=ad%ED%A0%80a&password=x".encode(),  # a surrogate, encoded
    ):
        response = await client.post(
            "/sign-in", data=body, headers={"Content-Type": FORM}, allow_redirects=False
        )
        assert response.status == 400, (body, await response.text())
    await page(client, "/settings/profile", status=303)  # not signed in


async def test_a_truncated_multipart_form_is_a_400_and_changes_nothing(client: TestClient) -> None:
    token = await signed_in_admin(client)
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nNew na'
    ).encode()
    response = await client.post(
        "/settings/profile",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        allow_redirects=False,
    )
    assert response.status == 400, await response.text()
    assert (await Actor.get(handle="ada", is_local=True)).name == "ada"


async def test_a_json_post_to_a_form_page_is_a_415_and_follows_nobody(client: TestClient) -> None:
    token = await signed_in_admin(client)
    response = await client.post(
        "/follow",
        json={"csrf_token": token, "address": "someone@remote.example"},
        allow_redirects=False,
    )
    assert response.status == 415, await response.text()
    assert await Follow.all().count() == 0


async def test_nul_characters_in_a_form_are_refused_before_any_handler(client: TestClient) -> None:
    token = await signed_in_admin(client)
    response = await client.post(
        "/settings/profile",
        data={"csrf_token": token, "name": "Ada\x00", "summary": "", "role": ""},
        allow_redirects=False,
    )
    assert response.status == 400, await response.text()
    assert (await Actor.get(handle="ada", is_local=True)).name == "ada"


@pytest.mark.parametrize(
    "path",
    [
        path
        for number in (HUGE, BEYOND_INT32)
        for path in (
            f"/admin/invites/{number}/revoke",
            f"/admin/blocks/{number}/remove",
            f"/admin/reports/{number}/resolve",
            f"/amendments/{number}/answer",
        )
    ],
)
async def test_ids_too_large_for_an_id_column_in_a_path_are_a_404(
    client: TestClient, path: str
) -> None:
    token = await signed_in_admin(client)
    invite_id, _code = await create_invite(None)
    response = await client.post(path, data={"csrf_token": token}, allow_redirects=False)
    assert response.status == 404, await response.text()
    if path.startswith("/amendments/"):
        await page(client, path, status=404)
    assert (await Invite.get(id=invite_id)).revoked_at is None


async def test_numbers_beyond_64_bits_in_a_query_are_a_400(client: TestClient) -> None:
    article = await post(client, "alice", await token_for("alice"), {
        "type": "Article", "name": "P", "summary": "S",
    })  # fmt: skip
    key = article["object"]["id"].rsplit("/", 1)[1]
    await signed_in_admin(client)
    await page(client, f"/timeline?before={HUGE}", status=400)
    await page(client, "/timeline?before=\u00b2", status=400)  # isdigit() says yes, int() no
    await page(client, f"/objects/{key}/versions?from={HUGE}&to=1", status=400)
    await page(client, f"/objects/{key}/versions?from=1&to=-1", status=400)
    status = (await client.get("/actors/alice/outbox?page=\u00b2", headers={"Accept": AS2})).status
    assert status == 400


def get_routes(client: TestClient) -> list[str]:
    paths = set()
    for route in client.app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter")
        if route.method == "GET" and path and "{filename" not in path:
            paths.add(path)
    return sorted(paths)


QUERY = (
    "&".join(
        f"{name}=a%00b"
        for name in ("q", "tag", "status", "org", "page", "before", "from", "to", "uri", "next")
    )
    + "&resource=acct:a%00@b"
)


@pytest.mark.parametrize("visitor", [True, False])
async def test_nul_characters_in_paths_and_query_strings_are_a_400_everywhere(
    client: TestClient, visitor: bool
) -> None:
    await token_for("alice")
    if not visitor:
        await signed_in_admin(client)
    for template in get_routes(client):
        path = re.sub(r"\{[a-z]+(:[^}]*)?\}", "a%00b", template)
        for url in (f"{path}?{QUERY}", path):
            for accept in ("text/html", AS2):
                response = await client.get(url, headers={"Accept": accept}, allow_redirects=False)
                if "%00" in url:
                    assert response.status == 400, (url, accept, response.status)


async def test_signing_in_still_works_with_a_well_formed_form(client: TestClient) -> None:
    await member("ada")
    await sign_in_as(client, "ada", PASSWORD)
    assert await Account.filter(actor__handle="ada").exists()
