"""The node admin's organisation pages (/admin/organisations): the organisations an umbrella
node hosts listed, added (every field's problem at once), suspended and lifted, and each one's
members added and removed; closed to everyone but admins. A suspended organisation is not
served (WebFinger, its actor document) yet stays on the admin's list."""

from __future__ import annotations

import html

from aiohttp.test_utils import TestClient

from node.models import AccessRole, Actor, Membership, Organisation
from node.services import organisations
from node.urls import NodeUrls
from tests.support.api import AS2, BASE
from tests.support.pages import csrf_in, member, page, sign_in_as, submit

LIST = "/admin/organisations"


async def hosted() -> dict[str, tuple[bool, int]]:
    """Each hosted organisation: (suspended, members)."""
    found = await organisations.hosted_organisations()
    return {each.handle: (each.suspended, each.members) for each in found}


async def members_of(handle: str) -> list[str]:
    return [each.handle for each in await organisations.members_of(handle)]


async def as_admin(client: TestClient) -> None:
    await member("ada", AccessRole.ADMIN)
    await sign_in_as(client, "ada")


async def test_the_admin_sees_every_organisation_and_adds_one(client: TestClient) -> None:
    await as_admin(client)
    await organisations.add_organisation(NodeUrls(BASE), "tenants", "Tenants' Union")
    await organisations.set_suspended("tenants", True, by_account_id=None)
    shown = html.unescape(await page(client, LIST))
    assert "@testorg" in shown and "the node's own" in shown
    assert "@tenants" in shown and "Tenants' Union" in shown and "suspended" in shown
    assert "Lift the suspension of @tenants" in shown and "Suspend @testorg" not in shown
    assert 'href="/admin/organisations"' in await page(client, "/admin")  # in the navigation
    added = await submit(
        client, LIST, {"handle": "carers", "name": "Carers' Forum", "summary": "We care."}
    )
    assert added.status == 303 and added.headers["Location"] == LIST
    assert await hosted() == {"testorg": (False, 1), "tenants": (True, 0), "carers": (False, 0)}
    actor = await Actor.get(handle="carers", is_local=True)
    assert (actor.name, actor.summary, actor.type.value) == ("Carers' Forum", "We care.", "Group")
    assert "@carers is now hosted on this node." in await page(client, LIST)


async def test_a_refused_organisation_shows_every_problem_and_writes_nothing(
    client: TestClient,
) -> None:
    await as_admin(client)
    before = (await Actor.all().count(), await Organisation.all().count())
    refused = await submit(
        client, LIST, {"handle": "Not a handle!", "name": " ", "summary": "x" * 2001}
    )
    shown = html.unescape(await refused.text())
    assert refused.status == 422
    assert "1 to 30 lower-case letters, digits or underscores" in shown
    assert "give the organisation's name" in shown
    assert "description is longer than 2,000 characters" in shown
    assert 'value="Not a handle!"' in shown  # the values are kept
    taken = await submit(client, LIST, {"handle": "ada", "name": "Ada's", "summary": ""})
    assert taken.status == 422 and "@ada is taken" in html.unescape(await taken.text())
    assert (await Actor.all().count(), await Organisation.all().count()) == before


async def test_suspending_and_lifting_but_never_the_node_s_own(client: TestClient) -> None:
    await as_admin(client)
    await organisations.add_organisation(NodeUrls(BASE), "tenants", "Tenants")
    suspended = await submit(client, f"{LIST}/tenants/suspend", {}, token_from=LIST)
    assert suspended.status == 303 and (await hosted())["tenants"] == (True, 0)
    lifted = await submit(client, f"{LIST}/tenants/unsuspend", {}, token_from=LIST)
    assert lifted.status == 303 and (await hosted())["tenants"] == (False, 0)
    own = await submit(client, f"{LIST}/testorg/suspend", {}, token_from=LIST)
    assert own.status == 409 and "cannot be suspended" in await own.text()
    unknown = await submit(client, f"{LIST}/nowhere/suspend", {}, token_from=LIST)
    assert unknown.status == 404 and "no organisation @nowhere" in await unknown.text()
    person = await submit(client, f"{LIST}/ada/suspend", {}, token_from=LIST)
    assert person.status == 404
    assert await hosted() == {"testorg": (False, 1), "tenants": (False, 0)}


async def test_an_organisation_s_members_added_and_removed(client: TestClient) -> None:
    await as_admin(client)
    await member("bo")
    await organisations.add_organisation(NodeUrls(BASE), "tenants", "Tenants")
    path = f"{LIST}/tenants"
    shown = await page(client, path)
    assert "No members yet." in shown
    assert '<p class="site"><a href="/">Test Org</a>' in shown  # the node's own heads the page
    added = await submit(client, f"{path}/members", {"member": "@bo"}, token_from=path)
    assert added.status == 303 and added.headers["Location"] == path
    assert await members_of("tenants") == ["bo"]
    assert "Remove @bo" in await page(client, path)
    for typed, words in (("nobody", "no member @nobody"), ("", "Give the handle of a member.")):
        refused = await submit(client, f"{path}/members", {"member": typed}, token_from=path)
        assert refused.status == 422 and words in await refused.text()
    removed = await submit(client, f"{path}/members/remove", {"member": "bo"}, token_from=path)
    assert removed.status == 303 and await members_of("tenants") == []
    again = await submit(client, f"{path}/members/remove", {"member": "bo"}, token_from=path)
    assert again.status == 422 and "not a member of @tenants" in await again.text()
    own = f"{LIST}/testorg"
    last = await submit(client, f"{own}/members/remove", {"member": "bo"}, token_from=own)
    assert last.status == 409 and "at least one organisation" in html.unescape(await last.text())
    assert await members_of("testorg") == ["ada", "bo"]
    await organisations.set_suspended("tenants", True, by_account_id=None)
    closed = await submit(client, f"{path}/members", {"member": "bo"}, token_from=own)
    assert closed.status == 409 and "takes no new members" in await closed.text()
    assert await members_of("tenants") == []


async def test_an_unknown_organisation_is_a_404(client: TestClient) -> None:
    await as_admin(client)
    await page(client, f"{LIST}/nowhere", status=404)
    await page(client, f"{LIST}/ada", status=404)  # a member, not an organisation
    for action in ("members", "members/remove"):
        response = await submit(
            client, f"{LIST}/nowhere/{action}", {"member": "ada"}, token_from=LIST
        )
        assert response.status == 404
    assert await Membership.all().count() == 1


async def test_only_admins_may_see_or_change_the_organisations(client: TestClient) -> None:
    await organisations.add_organisation(NodeUrls(BASE), "tenants", "Tenants")
    await member("bo")
    await member("mo", AccessRole.MODERATOR)
    pages = (LIST, f"{LIST}/tenants", f"{LIST}/testorg")
    for path in pages:  # a visitor is asked to sign in
        response = await client.get(path, allow_redirects=False)
        assert response.status == 303 and response.headers["Location"].startswith("/sign-in")
    forms = {
        LIST: {"handle": "sneaky", "name": "Sneaky"},
        f"{LIST}/tenants/suspend": {},
        f"{LIST}/testorg/members": {"member": "mo"},
        f"{LIST}/testorg/members/remove": {"member": "bo"},
    }
    before = (await hosted(), await Membership.all().count())
    for handle in ("bo", "mo"):
        await sign_in_as(client, handle)
        for path in pages:
            await page(client, path, status=403)
        token = csrf_in(await page(client, "/"))
        for path, fields in forms.items():
            response = await client.post(
                path, data={"csrf_token": token, **fields}, allow_redirects=False
            )
            assert response.status == 403, (handle, path)
        assert 'href="/admin/organisations"' not in await page(
            client, "/admin", status=403 if handle == "bo" else 200
        )
        client.session.cookie_jar.clear()
    assert (await hosted(), await Membership.all().count()) == before


async def test_a_suspended_organisation_is_not_served_but_stays_on_the_admin_s_list(
    client: TestClient,
) -> None:
    await as_admin(client)
    await organisations.add_organisation(NodeUrls(BASE), "tenants", "Tenants")
    finger = "/.well-known/webfinger?resource=acct:tenants@127.0.0.1:8000"
    assert (await client.get(finger)).status == 200  # served while live: the witness
    assert (await client.get("/actors/tenants", headers={"Accept": AS2})).status == 200
    await submit(client, f"{LIST}/tenants/suspend", {}, token_from=LIST)
    assert (await client.get(finger)).status == 404
    assert (await client.get("/actors/tenants", headers={"Accept": AS2})).status == 404
    shown = await page(client, LIST)
    assert "@tenants" in shown and "Lift the suspension of @tenants" in shown
    assert "No members yet." in await page(client, f"{LIST}/tenants")
    await submit(client, f"{LIST}/tenants/unsuspend", {}, token_from=LIST)
    assert (await client.get(finger)).status == 200
