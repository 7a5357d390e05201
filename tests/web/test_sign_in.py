"""Signing in and out: sessions in encrypted cookies, CSRF on every form, rate limits, expiry."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from aiohttp.test_utils import TestClient

from node.models import AccessRole, Account, AccountStatus, Actor
from tests.support.pages import PASSWORD, csrf_in, member, page, sign_in_as, submit
from web import sessions
from web.forms import safe_next
from web.sessions import COOKIE_NAME


async def test_a_member_signs_in_and_out(client: TestClient) -> None:
    await member("amina", name="Amina")
    assert "Sign out" not in await page(client, "/")
    response = await submit(
        client, "/sign-in", {"handle": "@Amina", "password": PASSWORD, "next": "/proposals"}
    )
    assert (response.status, response.headers["Location"]) == (303, "/proposals")
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "amina" not in cookie.value and "account" not in cookie.value  # encrypted
    home = await page(client, "/")
    assert "Sign out" in home and "You are signed in." in home
    response = await submit(client, "/sign-out", {}, token_from="/")
    assert (response.status, response.headers["Location"]) == (303, "/")
    assert "Sign out" not in await page(client, "/")


async def test_a_wrong_password_is_refused_with_the_form_kept(client: TestClient) -> None:
    await member("amina")
    response = await submit(client, "/sign-in", {"handle": "amina", "password": "wrong one!"})
    html = await response.text()
    assert response.status == 401
    assert "do not match" in html and 'value="amina"' in html and "wrong one!" not in html
    assert re.search(r'id="password"[^>]*aria-invalid="true"', html)


async def test_pending_and_suspended_accounts_cannot_sign_in(client: TestClient) -> None:
    account = await member("amina")
    for status, words in (
        (AccountStatus.PENDING, "not approved"),
        (AccountStatus.SUSPENDED, "suspended"),
    ):
        await Account.filter(id=account.id).update(status=status)
        response = await submit(client, "/sign-in", {"handle": "amina", "password": PASSWORD})
        assert response.status == 403 and words in await response.text()


async def test_next_never_leads_off_the_site(client: TestClient) -> None:
    await member("amina")
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = await submit(
            client, "/sign-in", {"handle": "amina", "password": PASSWORD, "next": target}
        )
        assert response.headers["Location"] == "/", target
        await submit(client, "/sign-out", {}, token_from="/")


OFF_SITE = [
    "//evil.example/",
    "/\\evil.example/",
    "/%09/evil.example/",
    "/\t/evil.example/",
    "/%5C/evil.example/",
    "/%5c%5cevil.example/",
    "/%2F/evil.example/",
    "/%252F/evil.example/",
    "/%25252F%25252Fevil.example/",
    "https:evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "\t//evil.example/",
    " //evil.example/",
    "/\n/evil.example/",
    "/%0d%0a/evil.example/",
    "/%00/evil.example/",
    "/./%2F/evil.example/",
    "/.//evil.example/",
    "/\u202e/evil.example/",
    "/%E2%80%AE/evil.example/",
    "/\u3000/evil.example/",
    "evil.example",
    "",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_safe_next_refuses_every_way_off_the_site(target: str) -> None:
    assert safe_next(target) == "/"


@pytest.mark.parametrize(
    "target", ["/proposals?status=open", "/timeline?q=a%20b", "/tags/caf%C3%A9", "/objects/k#c1"]
)
def test_safe_next_keeps_local_paths(target: str) -> None:
    assert safe_next(target) == target


async def test_an_encoded_tab_in_next_does_not_lead_off_the_site(client: TestClient) -> None:
    await member("amina")
    for target in ("/%09/evil.example/", "/\t/evil.example/", "/%5C/evil.example/"):
        response = await submit(
            client, "/sign-in", {"handle": "amina", "password": PASSWORD, "next": target}
        )
        assert (response.status, response.headers["Location"]) == (303, "/"), target
        # signed in already, the sign-in page sends the member on: home, not away
        again = await client.get(f"/sign-in?next={quote(target)}", allow_redirects=False)
        assert (again.status, again.headers["Location"]) == (303, "/"), target
        await submit(client, "/sign-out", {}, token_from="/")


async def test_a_form_without_the_sessions_csrf_token_is_refused(client: TestClient) -> None:
    await member("amina")
    no_token = await client.post("/sign-in", data={"handle": "amina", "password": PASSWORD})
    assert no_token.status == 403 and "did not come from this site" in await no_token.text()
    await page(client, "/sign-in")  # the session now has a token, but this one is not it
    forged = await client.post(
        "/sign-in", data={"handle": "amina", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert forged.status == 403
    assert "Sign out" not in await page(client, "/")


async def test_a_token_from_another_session_is_refused(client: TestClient, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    await member("amina")
    other_token = csrf_in(await page(client, "/sign-in"))
    client.session.cookie_jar.clear()
    await page(client, "/sign-in")
    response = await client.post(
        "/sign-in", data={"handle": "amina", "password": PASSWORD, "csrf_token": other_token}
    )
    assert response.status == 403


async def test_sign_in_is_slowed_per_handle_and_address(client: TestClient) -> None:
    await member("amina")
    for _ in range(5):
        response = await submit(client, "/sign-in", {"handle": "amina", "password": "nope nope"})
        assert response.status == 401
    response = await submit(client, "/sign-in", {"handle": "amina", "password": PASSWORD})
    assert response.status == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many attempts" in await response.text()
    assert "Sign out" not in await page(client, "/")


async def test_a_session_ends_after_its_lifetime_and_when_idle(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    await member("amina")
    await sign_in_as(client, "amina")
    start = sessions.now()
    monkeypatch.setattr(sessions, "now", lambda: start + sessions.IDLE_LIFETIME + 60)
    assert "Sign out" not in await page(client, "/")  # idle too long
    monkeypatch.setattr(sessions, "now", lambda: start)
    await sign_in_as(client, "amina")
    assert "Sign out" in await page(client, "/")


async def test_raising_the_session_epoch_signs_every_session_out(client: TestClient) -> None:
    account = await member("amina")
    await sign_in_as(client, "amina")
    await Account.filter(id=account.id).update(session_epoch=account.session_epoch + 1)
    assert "Sign out" not in await page(client, "/")


async def test_signing_out_ends_a_copied_session_cookie(client: TestClient, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    account = await member("amina")
    await sign_in_as(client, "amina")
    copied = client.session.cookie_jar.filter_cookies(client.make_url("/"))[COOKIE_NAME].value
    other_device = await aiohttp_client(client.server)
    await sign_in_as(other_device, "amina")
    response = await submit(client, "/sign-out", {}, token_from="/")
    assert (response.status, response.headers["Location"]) == (303, "/")
    # the cookie copied before signing out no longer signs anyone in
    thief = await aiohttp_client(client.server)
    thief.session.cookie_jar.update_cookies({COOKIE_NAME: copied})
    assert "Sign out" not in await page(thief, "/")
    assert "Sign out" not in await page(thief, "/settings/password", status=303)
    assert "Sign out" not in await page(other_device, "/")  # every session of hers ended
    assert "signed out, here and on your other devices" in await page(client, "/")
    assert (await Account.get(id=account.id)).session_epoch == account.session_epoch + 1
    await sign_in_as(client, "amina")  # and she can sign in again
    assert "Sign out" in await page(client, "/")


async def test_signing_out_without_a_session_changes_nothing(client: TestClient) -> None:
    account = await member("amina")
    response = await submit(client, "/sign-out", {}, token_from="/sign-in")
    assert (response.status, response.headers["Location"]) == (303, "/")
    assert (await Account.get(id=account.id)).session_epoch == account.session_epoch


async def test_a_deleted_members_session_ends(client: TestClient) -> None:
    await member("amina")
    await sign_in_as(client, "amina")
    await Actor.filter(handle="amina", is_local=True).update(deleted_at=datetime.now(UTC))
    assert "Sign out" not in await page(client, "/")


async def test_pages_for_members_send_visitors_to_sign_in(client: TestClient) -> None:
    response = await client.get("/sign-in?next=/timeline", allow_redirects=False)
    assert response.status == 200
    assert 'value="/timeline"' in await response.text()
    await member("mod", AccessRole.MODERATOR)
    await sign_in_as(client, "mod")
    signed_in = await client.get("/sign-in?next=/timeline", allow_redirects=False)
    assert (signed_in.status, signed_in.headers["Location"]) == (303, "/timeline")
