"""Joining an organisation by approval: a member asks from its profile (with a short message),
sees that the request waits and may withdraw it; the organisation's admins (and the node's) see
the waiting requests on its page and approve or decline each, in the audit log. Every refusal
says why, with its status, and writes nothing."""

from __future__ import annotations

import html

from aiohttp.test_utils import TestClient

from node.limits import MAX_JOIN_REQUEST
from node.models import AccessRole, JoinRequest, Membership, ModerationAction, OrganisationRole
from node.services import organisations
from node.services.organisation_settings import change_settings
from node.urls import NodeUrls
from tests.support.api import BASE
from tests.support.pages import csrf_in, member, page, sign_in_as, submit

PROFILE = "/actors/foodbank"
FOODBANK = "/admin/organisations/foodbank"


async def food_bank(joining: str = "approval") -> None:
    """The food bank, its joining as said, run by fay (a plain member of the node)."""
    await organisations.add_organisation(NodeUrls(BASE), "foodbank", "Town Food Bank")
    await change_settings("foodbank", "", "", joining)
    fay = await member("fay")
    await organisations.join(fay.id, "foodbank")
    await Membership.filter(account_id=fay.id, organisation__actor__handle="foodbank").update(
        role=OrganisationRole.ADMIN
    )


async def switch_to(client: TestClient, handle: str) -> None:
    """Sign out whoever is signed in, and sign in as `handle`."""
    client.session.cookie_jar.clear()
    await sign_in_as(client, handle)


async def belongs(handle: str) -> list[str]:
    found = await Membership.filter(account__actor__handle=handle).values_list(
        "organisation__actor__handle", flat=True
    )
    return sorted(str(each) for each in found)


async def asking() -> list[tuple[str, str]]:
    found = await JoinRequest.all().order_by("id").values_list("account__actor__handle", "message")
    return [(str(handle), str(message)) for handle, message in found]


async def ask(client: TestClient, message: str = "") -> object:
    return await submit(client, f"{PROFILE}/ask", {"message": message}, token_from=PROFILE)


async def test_a_member_asks_and_an_admin_of_it_approves(client: TestClient) -> None:
    await food_bank()
    await member("amina")
    await switch_to(client, "amina")
    shown = await page(client, PROFILE)
    assert "Ask to join @foodbank" in shown and "Join @foodbank</button>" not in shown
    asked = await ask(client, "  I volunteer on Fridays  ")
    assert asked.status == 303 and asked.headers["Location"] == PROFILE  # type: ignore[attr-defined]
    assert await asking() == [("amina", "I volunteer on Fridays")]
    shown = await page(client, PROFILE)
    assert "Your request to join @foodbank is waiting for its admins." in shown
    assert "Withdraw your request" in shown and "Ask to join" not in shown
    again = await ask(client, "another message")  # idempotent: one request, as it was
    assert again.status == 303  # type: ignore[attr-defined]
    assert await asking() == [("amina", "I volunteer on Fridays")]
    assert await belongs("amina") == ["testorg"]

    await switch_to(client, "fay")
    assert "1 request to join is waiting" in await page(client, PROFILE)
    admin_page = html.unescape(await page(client, FOODBANK))
    assert "1 request to join is waiting." in admin_page and "I volunteer on Fridays" in admin_page
    assert "Approve @amina" in admin_page and "Decline @amina" in admin_page
    approved = await submit(
        client, f"{FOODBANK}/requests/approve", {"member": "amina"}, token_from=FOODBANK
    )
    assert approved.status == 303
    assert await belongs("amina") == ["foodbank", "testorg"] and await asking() == []
    after = html.unescape(await page(client, FOODBANK))
    assert "@amina is now a member of @foodbank." in after and "No one is asking to join." in after
    assert "approved the request of @amina to join the organisation" in after
    entry = await ModerationAction.get(action="approve_join_request")
    assert (entry.moderator_handle, entry.target, entry.reason) == ("fay", "foodbank", "amina")

    await switch_to(client, "amina")
    shown = await page(client, PROFILE)
    assert "Leave @foodbank" in shown and "waiting" not in shown


async def test_the_node_s_admin_declines_and_the_member_may_ask_again(client: TestClient) -> None:
    await food_bank()
    await member("amina")
    await member("ada", AccessRole.ADMIN)
    await switch_to(client, "amina")
    await ask(client)
    await switch_to(client, "ada")
    declined = await submit(
        client, f"{FOODBANK}/requests/decline", {"member": "@amina"}, token_from=FOODBANK
    )
    assert declined.status == 303
    assert await asking() == [] and await belongs("amina") == ["testorg"]
    assert "The request of @amina to join @foodbank is declined." in html.unescape(
        await page(client, FOODBANK)
    )
    entry = await ModerationAction.get(action="decline_join_request")
    assert (entry.moderator_handle, entry.target, entry.reason) == ("ada", "foodbank", "amina")
    await switch_to(client, "amina")
    assert "Ask to join @foodbank" in await page(client, PROFILE)


async def test_the_member_withdraws_their_request(client: TestClient) -> None:
    await food_bank()
    await member("amina")
    await switch_to(client, "amina")
    await ask(client)
    withdrawn = await submit(client, f"{PROFILE}/withdraw", {}, token_from=PROFILE)
    assert withdrawn.status == 303 and await asking() == []
    shown = await page(client, PROFILE)
    assert "Your request to join @foodbank is withdrawn." in shown
    again = await submit(client, f"{PROFILE}/withdraw", {}, token_from=PROFILE)
    assert again.status == 404 and "you have not asked to join @foodbank" in await again.text()


async def test_asking_an_open_organisation_joins_it(client: TestClient) -> None:
    await food_bank("open")
    await member("amina")
    await switch_to(client, "amina")
    joined = await ask(client, "hello")
    assert joined.status == 303  # type: ignore[attr-defined]
    assert await belongs("amina") == ["foodbank", "testorg"] and await asking() == []
    assert "You are now a member of @foodbank." in await page(client, PROFILE)
    again = await ask(client)
    assert again.status == 303  # type: ignore[attr-defined]
    assert "You are a member of @foodbank already." in await page(client, PROFILE)


async def test_refusals_say_why_and_write_nothing(client: TestClient) -> None:
    await food_bank("admins_add")
    await member("amina")
    await switch_to(client, "amina")
    assert "Ask to join" not in await page(client, PROFILE)
    token = csrf_in(await page(client, PROFILE))
    closed = await client.post(f"{PROFILE}/ask", data={"csrf_token": token})
    assert closed.status == 403
    assert "takes the members its admins add" in html.unescape(await closed.text())
    await change_settings("foodbank", "", "", "approval")
    long = "x" * (MAX_JOIN_REQUEST + 1)
    too_long = await client.post(f"{PROFILE}/ask", data={"csrf_token": token, "message": long})
    assert too_long.status == 422
    assert "message is longer than 500 characters" in await too_long.text()
    button = await client.post(f"{PROFILE}/join", data={"csrf_token": token})
    assert button.status == 403 and "ask to join from its profile" in await button.text()
    nowhere = await client.post("/actors/nowhere/ask", data={"csrf_token": token})
    assert nowhere.status == 404
    await organisations.set_suspended("foodbank", True, by_account_id=None)
    suspended = await client.post(f"{PROFILE}/ask", data={"csrf_token": token})
    assert suspended.status == 409 and "takes no new members" in await suspended.text()
    client.session.cookie_jar.clear()
    visitor = await client.post(f"{PROFILE}/ask", data={"csrf_token": token})
    assert visitor.status in (303, 403)
    assert await asking() == [] and await belongs("amina") == ["testorg"]


async def test_its_admins_answers_are_refused_where_they_cannot_be(client: TestClient) -> None:
    await food_bank()
    await member("amina")
    await member("bo")
    await switch_to(client, "amina")
    await ask(client)
    # bo, a plain member, cannot answer
    await switch_to(client, "bo")
    token = csrf_in(await page(client, "/"))
    for answer in ("approve", "decline"):
        refused = await client.post(
            f"{FOODBANK}/requests/{answer}", data={"csrf_token": token, "member": "amina"}
        )
        assert refused.status == 403
    # fay answers no one who has not asked; a suspended organisation takes no one
    await switch_to(client, "fay")
    unknown = await submit(
        client, f"{FOODBANK}/requests/approve", {"member": "bo"}, token_from=FOODBANK
    )
    assert unknown.status == 422
    assert "@bo has not asked to join @foodbank" in html.unescape(await unknown.text())
    await organisations.set_suspended("foodbank", True, by_account_id=None)
    suspended = await submit(
        client, f"{FOODBANK}/requests/approve", {"member": "amina"}, token_from=FOODBANK
    )
    assert suspended.status == 409 and "takes no new members" in await suspended.text()
    assert await asking() == [("amina", "")] and await belongs("amina") == ["testorg"]
    assert not await ModerationAction.filter(action__contains="join_request").exists()


async def test_an_admin_adding_the_member_answers_their_request(client: TestClient) -> None:
    await food_bank()
    await member("amina")
    await switch_to(client, "amina")
    await ask(client)
    await organisations.join_by_handle("foodbank", "amina", by_account_id=None)
    assert await asking() == [] and await belongs("amina") == ["foodbank", "testorg"]
