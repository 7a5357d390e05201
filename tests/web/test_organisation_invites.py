"""Invitations to one organisation, made by its own admins on its page: someone who signs up
with one is a member of the node and of that organisation; a member of the node, signed in,
who opens one joins the organisation. Each organisation sees and withdraws its own alone; the
node's invitations work as before."""

from __future__ import annotations

import html
import re

from aiohttp.test_utils import TestClient

from node.models import AccessRole, Invite, Membership, ModerationAction, OrganisationRole
from node.services import organisations
from node.urls import NodeUrls
from tests.support.api import BASE
from tests.support.pages import PASSWORD, csrf_in, member, page, sign_in_as, submit

FOODBANK = "/admin/organisations/foodbank"
CARERS = "/admin/organisations/carers"
JOINER = {"handle": "newbie", "name": "New", "password": PASSWORD, "confirm": PASSWORD}
LINK = re.compile(r"<code>http://127\.0\.0\.1:8000(/join/[^<]+)</code>")


async def two_organisations() -> None:
    """The food bank, run by fay, and the carers, run by cal (plain members of the node)."""
    for handle, name, admin in (("foodbank", "Town Food Bank", "fay"), ("carers", "Carers", "cal")):
        await organisations.add_organisation(NodeUrls(BASE), handle, name)
        account = await member(admin)
        await organisations.join(account.id, handle)
        await Membership.filter(account_id=account.id, organisation__actor__handle=handle).update(
            role=OrganisationRole.ADMIN
        )


async def switch_to(client: TestClient, handle: str) -> None:
    client.session.cookie_jar.clear()
    await sign_in_as(client, handle)


async def invite(client: TestClient, path: str = FOODBANK, **fields: str) -> str:
    """An invitation made on the organisation's page: its link."""
    sent = {"email": "", "days": "7", "uses": "1", **fields}
    response = await submit(client, f"{path}/invites", sent, token_from=path)
    text = await response.text()
    assert response.status == 200, text
    found = LINK.search(text)
    assert found, "the new link is shown"
    return found.group(1)


async def belongs(handle: str) -> list[str]:
    found = await Membership.filter(account__actor__handle=handle).values_list(
        "organisation__actor__handle", flat=True
    )
    return sorted(str(each) for each in found)


async def test_signing_up_with_it_makes_a_member_of_the_node_and_the_organisation(
    client: TestClient,
) -> None:
    await two_organisations()
    await sign_in_as(client, "fay")
    link = await invite(client, email="Sam@Example.org", uses="2")
    made = await Invite.get()
    assert (made.organisation_id, made.access_role, made.max_uses) == (  # type: ignore[attr-defined]
        (await organisations.hosted_row("foodbank")).id,
        AccessRole.MEMBER,
        2,
    )
    shown = html.unescape(await page(client, FOODBANK))
    assert "sam@example.org" in shown and "0 / 2" in shown
    assert "made an invitation to the organisation" in shown
    entry = await ModerationAction.get(action="organisation_invite")
    assert (entry.moderator_handle, entry.target) == ("fay", "foodbank")
    client.session.cookie_jar.clear()
    assert "You will be a member of Town Food Bank too." in await page(client, link)
    joined = await submit(client, link, JOINER)
    assert joined.status == 303, await joined.text()
    assert await belongs("newbie") == ["foodbank", "testorg"]
    assert (await Invite.get()).uses == 1


async def test_a_member_of_the_node_signed_in_joins_through_it(client: TestClient) -> None:
    await two_organisations()
    await member("amina")
    await sign_in_as(client, "fay")
    link = await invite(client)
    await switch_to(client, "amina")
    offered = await page(client, link)  # a GET writes nothing
    assert "Join @foodbank" in offered and await belongs("amina") == ["testorg"]
    joined = await submit(client, link, {})
    assert joined.status == 303 and joined.headers["Location"] == "/actors/foodbank"
    assert await belongs("amina") == ["foodbank", "testorg"]
    assert "You are now a member of @foodbank." in await page(client, "/actors/foodbank")
    assert (await Invite.get()).uses == 1
    await page(client, link, status=410)  # used up


async def test_a_member_already_in_it_uses_none_of_it(client: TestClient) -> None:
    await two_organisations()
    await sign_in_as(client, "fay")
    link = await invite(client)
    joined = await submit(client, link, {}, token_from=FOODBANK)
    assert joined.status == 303
    assert "You are a member of @foodbank already." in await page(client, "/actors/foodbank")
    assert (await Invite.get()).uses == 0


async def test_an_organisation_s_admin_sees_and_withdraws_its_own_alone(
    client: TestClient,
) -> None:
    await two_organisations()
    await sign_in_as(client, "cal")
    await invite(client, CARERS, email="carer@example.org")
    carers_invite = await Invite.get()
    await switch_to(client, "fay")
    await invite(client, email="food@example.org")
    food_invite = await Invite.get(email="food@example.org")
    shown = await page(client, FOODBANK)
    assert "food@example.org" in shown and "carer@example.org" not in shown
    assert (await client.get(CARERS)).status == 403
    token = csrf_in(shown)
    # the carers' invitation through the food bank's page: not found; through the carers': 403
    other = await client.post(
        f"{FOODBANK}/invites/{carers_invite.id}/withdraw", data={"csrf_token": token}
    )
    assert other.status == 404
    theirs = await client.post(
        f"{CARERS}/invites/{carers_invite.id}/withdraw", data={"csrf_token": token}
    )
    assert theirs.status == 403
    assert (await Invite.get(id=carers_invite.id)).revoked_at is None
    # nor the node's invitations (/admin/invites is not theirs)
    assert (await client.get("/admin/invites")).status == 403
    # its own is withdrawn, in the audit log; and then unusable
    own = await client.post(
        f"{FOODBANK}/invites/{food_invite.id}/withdraw",
        data={"csrf_token": token},
        allow_redirects=False,
    )
    assert own.status == 303
    assert (await Invite.get(id=food_invite.id)).revoked_at is not None
    assert await ModerationAction.filter(
        action="revoke_organisation_invite", target="foodbank"
    ).exists()


async def test_the_node_s_invitations_stay_apart(client: TestClient) -> None:
    await two_organisations()
    await member("ada", AccessRole.ADMIN)
    await sign_in_as(client, "ada")
    await invite(client, email="food@example.org")  # the node's admin runs the food bank too
    food_invite = await Invite.get()
    assert "food@example.org" not in await page(client, "/admin/invites")
    refused = await submit(
        client, f"/admin/invites/{food_invite.id}/revoke", {}, token_from="/admin/invites"
    )
    assert refused.status == 404 and (await Invite.get()).revoked_at is None
    # the node's own invitation: the node's own organisation alone, as before
    response = await submit(
        client, "/admin/invites", {"role": "member", "note": "", "days": "7", "uses": "1"}
    )
    found = LINK.search(await response.text())
    assert found
    client.session.cookie_jar.clear()
    joined = await submit(client, found.group(1), JOINER)
    assert joined.status == 303 and await belongs("newbie") == ["testorg"]


async def test_bad_invitations_are_refused_and_nothing_is_made(client: TestClient) -> None:
    await two_organisations()
    await member("amina")
    await sign_in_as(client, "fay")
    for fields, said in (
        ({"days": "x"}, "Give a whole number."),
        ({"uses": "0"}, "can be used between 1 and 100 times"),
        ({"days": "91"}, "lasts between 1 and 90 days"),
        ({"email": "sam@"}, "address"),
    ):
        sent = {"email": "", "days": "7", "uses": "1", **fields}
        refused = await submit(client, f"{FOODBANK}/invites", sent, token_from=FOODBANK)
        assert refused.status == 422, fields
        assert said in html.unescape(await refused.text()), fields
    await switch_to(client, "amina")  # a plain member makes none
    token = csrf_in(await page(client, "/"))
    plain = await client.post(
        f"{FOODBANK}/invites", data={"csrf_token": token, "days": "7", "uses": "1"}
    )
    assert plain.status == 403
    assert await Invite.all().count() == 0
    assert not await ModerationAction.filter(action="organisation_invite").exists()


async def test_a_suspended_organisation_s_invitations_do_not_work(client: TestClient) -> None:
    await two_organisations()
    await member("amina")
    await sign_in_as(client, "fay")
    link = await invite(client)
    await organisations.set_suspended("foodbank", True, by_account_id=None)
    refused = await submit(
        client, f"{FOODBANK}/invites", {"days": "7", "uses": "1"}, token_from=FOODBANK
    )
    assert refused.status == 409 and "takes no new members" in await refused.text()
    client.session.cookie_jar.clear()
    await page(client, link, status=410)
    await switch_to(client, "amina")
    token = csrf_in(await page(client, "/"))
    taken = await client.post(link, data={"csrf_token": token}, allow_redirects=False)
    assert taken.status == 410 and await belongs("amina") == ["testorg"]
    node_invite = await client.post("/join/not-a-real-code", data={"csrf_token": token})
    assert node_invite.status == 404
    assert (await Invite.get()).uses == 0
