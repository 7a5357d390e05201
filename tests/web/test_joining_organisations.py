"""A member of an umbrella node joins an organisation open to all from its profile, and leaves
one that is not their last; an organisation whose admins add its members offers no button, and
a hand-made request to join it is refused and changes nothing."""

from __future__ import annotations

import html

from aiohttp.test_utils import TestClient

from node.models import AccessRole, Membership
from node.services import organisations
from node.services.organisation_settings import change_settings
from node.urls import NodeUrls
from tests.support.api import BASE
from tests.support.pages import csrf_in, member, page, sign_in_as, submit

PROFILE = "/actors/foodbank"


async def food_bank(joining: str) -> None:
    await organisations.add_organisation(NodeUrls(BASE), "foodbank", "Town Food Bank")
    await change_settings("foodbank", "", "", joining)


async def belongs(handle: str) -> list[str]:
    return sorted(
        str(row["organisation__actor__handle"])
        for row in await Membership.filter(account__actor__handle=handle).values(
            "organisation__actor__handle"
        )
    )


async def test_a_member_joins_an_open_organisation_and_leaves_it(client: TestClient) -> None:
    await food_bank("open")
    await member("amina")
    await sign_in_as(client, "amina")
    shown = await page(client, PROFILE)
    assert "Join @foodbank" in shown and "Leave @foodbank" not in shown
    joined = await submit(client, f"{PROFILE}/join", {}, token_from=PROFILE)
    assert joined.status == 303 and joined.headers["Location"] == PROFILE
    assert await belongs("amina") == ["foodbank", "testorg"]
    shown = await page(client, PROFILE)
    assert "You are now a member of @foodbank." in shown and "Leave @foodbank" in shown
    assert "Leave @testorg" in await page(client, "/actors/testorg")  # she has two now
    left = await submit(client, f"{PROFILE}/leave", {}, token_from=PROFILE)
    assert left.status == 303 and left.headers["Location"] == PROFILE
    assert await belongs("amina") == ["testorg"]
    assert "You are no longer a member of @foodbank." in await page(client, PROFILE)
    assert "Leave @testorg" not in await page(client, "/actors/testorg")  # her last


async def test_an_organisation_its_admins_fill_refuses_a_hand_made_join(client: TestClient) -> None:
    await food_bank("admins_add")
    await member("amina")
    await sign_in_as(client, "amina")
    assert "Join @foodbank" not in await page(client, PROFILE)
    refused = await submit(client, f"{PROFILE}/join", {}, token_from=PROFILE)
    assert refused.status == 403
    assert "takes the members its admins add" in html.unescape(await refused.text())
    assert await belongs("amina") == ["testorg"]


async def test_refusals_say_why_and_change_nothing(client: TestClient) -> None:
    await food_bank("open")
    await member("amina")
    await sign_in_as(client, "amina")
    token = csrf_in(await page(client, PROFILE))
    last = await client.post("/actors/testorg/leave", data={"csrf_token": token})
    assert last.status == 409 and "at least one organisation" in await last.text()
    stranger = await client.post(f"{PROFILE}/leave", data={"csrf_token": token})
    assert stranger.status == 404 and "not a member of @foodbank" in await stranger.text()
    nowhere = await client.post("/actors/nowhere/join", data={"csrf_token": token})
    assert nowhere.status == 404
    await organisations.set_suspended("foodbank", True, by_account_id=None)
    suspended = await client.post(f"{PROFILE}/join", data={"csrf_token": token})
    assert suspended.status == 409 and "takes no new members" in await suspended.text()
    assert await belongs("amina") == ["testorg"]
    client.session.cookie_jar.clear()
    visitor = await client.post(f"{PROFILE}/join", data={"csrf_token": token})
    assert visitor.status in (303, 403)  # asked to sign in, or refused without a session
    assert await belongs("amina") == ["testorg"]


async def test_the_setting_is_set_from_the_organisation_s_page(client: TestClient) -> None:
    await food_bank("admins_add")
    await member("ada", AccessRole.ADMIN)
    await sign_in_as(client, "ada")
    path = "/admin/organisations/foodbank"
    saved = await submit(
        client, f"{path}/settings", {"joining": "open", "reply_policy": "", "language": ""},
        token_from=path,
    )  # fmt: skip
    assert saved.status == 303
    assert 'value="open" selected' in await page(client, path)
    odd = await submit(
        client, f"{path}/settings", {"joining": "anyone", "reply_policy": "", "language": ""},
        token_from=path,
    )  # fmt: skip
    assert odd.status == 422 and "unknown way of joining" in html.unescape(await odd.text())
