"""An organisation's own admins run it on an umbrella node: its members and their roles, its
profile and its settings, from /admin/organisations/{handle}. They reach no other organisation's
page and no page of the node's own administration but the moderators' queues, which show them
their organisation's threads alone: every /admin route is tried."""

from __future__ import annotations

import html
import re

from aiohttp.test_utils import TestClient

from node.models import Activity, Membership, OrganisationRole
from node.services import organisations
from node.services.organisation_settings import organisation_profile
from node.urls import NodeUrls
from tests.support.api import BASE
from tests.support.pages import csrf_in, member, page, sign_in_as, submit

FOODBANK = "/admin/organisations/foodbank"
PLACEHOLDER = re.compile(r"\{([a-z_]+)(:[^}]*)?\}")
# the moderators' queues are an organisation's admins' too, showing and acting on its threads
# alone (tests/web/test_organisation_moderation_queues.py); here none holds a report or a
# statement numbered 1, so acting on one finds nothing
QUEUES = {
    "GET /admin/reports": 200,
    "GET /admin/held": 200,
    "POST /admin/reports/1/resolve": 404,
    "POST /admin/statements/1/approve": 404,
    "POST /admin/statements/1/reject": 404,
}


async def food_bank_run_by_fay(client: TestClient) -> None:
    """The food bank (run by fay, a plain member of the node), the carers (run by no one
    but the node's admins), and bo, a member of the food bank."""
    urls = NodeUrls(BASE)
    await organisations.add_organisation(urls, "foodbank", "Town Food Bank")
    await organisations.add_organisation(urls, "carers", "Carers' Centre")
    fay, bo = await member("fay"), await member("bo")
    for account in (fay, bo):
        await organisations.join(account.id, "foodbank")
    membership = await Membership.get(account_id=fay.id, organisation__actor__handle="foodbank")
    membership.role = OrganisationRole.ADMIN
    await membership.save(update_fields=["role"])
    await sign_in_as(client, "fay")


async def roles_in(handle: str) -> dict[str, str]:
    return {each.handle: each.role for each in await organisations.members_of(handle)}


async def test_its_admin_runs_its_members_profile_and_settings(client: TestClient) -> None:
    await food_bank_run_by_fay(client)
    shown = html.unescape(await page(client, FOODBANK))
    assert "Running @foodbank" in shown and "Change the role of @bo" in shown
    assert "<title>Running @foodbank</title>" in shown  # its title holds no form
    assert 'href="/admin/organisations"' not in shown  # the node's list is not theirs
    assert 'href="/admin/organisations/foodbank"' in await page(client, "/actors/foodbank")

    made = await submit(
        client,
        f"{FOODBANK}/members/role",
        {"member": "bo", "role": "moderator"},
        token_from=FOODBANK,
    )
    assert made.status == 303
    assert (await roles_in("foodbank"))["bo"] == "moderator"

    renamed = await submit(
        client, f"{FOODBANK}/profile", {"name": "Town Food Bank CIO", "summary": "Fed weekly."},
        token_from=FOODBANK,
    )  # fmt: skip
    assert renamed.status == 303
    found = await organisation_profile("foodbank")
    assert found is not None and found[0].name == "Town Food Bank CIO"
    sent = await Activity.filter(type="Update", actor__handle="foodbank").count()
    assert sent == 1  # its followers hear of it as an Update of its Group

    saved = await submit(
        client, f"{FOODBANK}/settings", {"reply_policy": "followers", "language": "cy"},
        token_from=FOODBANK,
    )  # fmt: skip
    assert saved.status == 303
    saved_now = await organisation_profile("foodbank")
    assert saved_now is not None
    settings = saved_now[1]
    assert (settings.reply_policy, settings.language) == ("followers", "cy")


async def test_its_admin_s_bad_input_is_refused_and_changes_nothing(client: TestClient) -> None:
    await food_bank_run_by_fay(client)
    before = (await roles_in("foodbank"), await organisation_profile("foodbank"))
    role = await submit(
        client, f"{FOODBANK}/members/role", {"member": "bo", "role": "owner"}, token_from=FOODBANK
    )
    assert role.status == 422 and "unknown role 'owner'" in html.unescape(await role.text())
    stranger = await submit(
        client, f"{FOODBANK}/members/role", {"member": "nobody", "role": "admin"},
        token_from=FOODBANK,
    )  # fmt: skip
    assert stranger.status == 422
    assert "@nobody is not a member of @foodbank" in await stranger.text()
    nameless = await submit(
        client, f"{FOODBANK}/profile", {"name": " ", "summary": ""}, token_from=FOODBANK
    )
    assert nameless.status == 422
    assert "give the organisation's name" in html.unescape(await nameless.text())
    french = await submit(
        client, f"{FOODBANK}/settings", {"reply_policy": "", "language": "fr"}, token_from=FOODBANK
    )
    assert french.status == 422 and "not 'fr'" in html.unescape(await french.text())
    assert (await roles_in("foodbank"), await organisation_profile("foodbank")) == before
    assert await Activity.filter(type="Update").count() == 0


async def test_its_admin_reaches_no_other_admin_route(client: TestClient) -> None:
    """Every route under /admin, each method, as the food bank's admin: 403 but for the food
    bank's own page and forms and the moderators' queues (QUEUES). A POST carries a valid CSRF
    token, so the 403 is the rule's."""
    await food_bank_run_by_fay(client)
    token = csrf_in(await page(client, FOODBANK))
    before = (await roles_in("carers"), await roles_in("testorg"), await Activity.all().count())
    tried: list[str] = []
    for route in client.app.router.routes():
        path = route.resource.canonical if route.resource else ""
        if not path.startswith("/admin") or route.method not in ("GET", "POST"):
            continue
        own = path.startswith("/admin/organisations/{handle}")
        for handle in ("carers", "testorg") if own else ("",):
            filled = PLACEHOLDER.sub(
                lambda match, h=handle: (h if match.group(1) == "handle" else "") or "1", path
            )
            if route.method == "GET":
                response = await client.get(filled, allow_redirects=False)
            else:
                fields = {"csrf_token": token, "member": "bo", "role": "admin", "name": "X"}
                response = await client.post(filled, data=fields, allow_redirects=False)
            expected = QUEUES.get(f"{route.method} {filled}", 403)
            assert response.status == expected, (route.method, filled, response.status)
            tried.append(f"{route.method} {filled}")
    assert len(tried) > 40  # the whole administration, not a handful
    assert "POST /admin/organisations/carers/members/role" in tried
    assert set(QUEUES) <= set(tried)
    assert "POST /admin/organisations/carers/requests/approve" in tried
    assert "POST /admin/organisations/carers/invites/1/withdraw" in tried
    after = (await roles_in("carers"), await roles_in("testorg"), await Activity.all().count())
    assert after == before
    # …while the food bank's own page is theirs, and its queues empty
    assert (await client.get(FOODBANK)).status == 200
    assert "0 reports wait for a moderator." in await page(client, "/admin/reports")


async def test_another_organisation_s_admin_is_refused_its_page(client: TestClient) -> None:
    await food_bank_run_by_fay(client)
    refused = await client.get("/admin/organisations/carers")
    assert refused.status == 403
    assert (await client.get("/admin/organisations/nowhere")).status == 404
    assert 'href="/admin/organisations/carers"' not in await page(client, "/actors/carers")


async def test_its_page_keeps_the_footer_s_language_switcher(client: TestClient) -> None:
    """The settings form's languages are the proposals', not the pages' switcher's."""
    await food_bank_run_by_fay(client)
    footer = (await page(client, FOODBANK)).split("<footer>")[1]
    assert 'lang="cy">Cymraeg</button>' in footer
    assert 'name="language" value=""' not in footer
