"""Every administrative action on the organisations an umbrella node hosts is in the audit log,
with who did it and to which organisation: the node's admins' (adding, suspending, lifting,
members, roles, profile, settings) and an organisation's own admins'. A refused action logs
nothing. The node's admins read it all at /admin/audit, in words; an organisation's admins read
their own organisation's newest entries on its page, and no other's."""

from __future__ import annotations

import html

from aiohttp.test_utils import TestClient

from node.models import AccessRole, ModerationAction
from node.services import moderation, organisations
from tests.support.pages import csrf_in, member, page, sign_in_as, submit
from tests.web.test_organisation_admins import FOODBANK, food_bank_run_by_fay
from tests.web.test_report_queue import a_comment

LIST = "/admin/organisations"
SETTINGS = '{"joining": "admins_add", "language": "cy", "reply_policy": "followers"}'


async def logged() -> list[tuple[str | None, str, str, str]]:
    """Every entry, oldest first: (moderator's handle, action, target, reason)."""
    rows = await ModerationAction.all().order_by("id").prefetch_related("moderator__actor")
    return [
        (row.moderator.actor.handle if row.moderator else None, row.action, row.target, row.reason)
        for row in rows
    ]


async def test_each_action_of_the_node_s_admin_writes_one_entry_naming_them_and_it(
    client: TestClient,
) -> None:
    await member("ada", AccessRole.ADMIN)
    await member("bo")
    await sign_in_as(client, "ada")
    path = f"{LIST}/tenants"
    steps = [
        (LIST, {"handle": "tenants", "name": "Tenants' Union", "summary": ""}, LIST),
        (f"{path}/suspend", {}, LIST),
        (f"{path}/unsuspend", {}, LIST),
        (f"{path}/members", {"member": "@bo"}, path),
        (f"{path}/members/role", {"member": "bo", "role": "moderator"}, path),
        (f"{path}/profile", {"name": "Tenants' Union CIO", "summary": "Renters."}, path),
        (f"{path}/settings", {"reply_policy": "followers", "language": "cy"}, path),
        (f"{path}/members/remove", {"member": "bo"}, path),
    ]
    for done, (action, fields, token_from) in enumerate(steps, start=1):
        answer = await submit(client, action, fields, token_from=token_from)
        assert answer.status == 303, (action, await answer.text())
        assert len(await logged()) == done, action  # one entry an action, no more
    assert await logged() == [
        ("ada", "add_organisation", "tenants", ""),
        ("ada", "suspend_organisation", "tenants", ""),
        ("ada", "unsuspend_organisation", "tenants", ""),
        ("ada", "add_to_organisation", "tenants", "bo"),
        ("ada", "organisation_role", "tenants", "bo now moderator"),
        ("ada", "organisation_profile", "tenants", ""),
        ("ada", "organisation_settings", "tenants", SETTINGS),
        ("ada", "remove_from_organisation", "tenants", "bo"),
    ]  # fmt: skip
    # …and /admin/audit says each in words, newest first
    rows = html.unescape(await page(client, "/admin/audit")).split("<tbody>")[1].split("</tr>")
    said = [
        "removed @bo from the organisation",
        "changed the settings of the organisation",
        "edited the profile of the organisation",
        "made @bo a moderator of the organisation",
        "added @bo to the organisation",
        "lifted the suspension of the organisation",
        "suspended the organisation",
        "added the organisation",
    ]
    assert len(rows) == len(said) + 1  # the last: what follows the table's last row
    for row, words in zip(rows, said, strict=False):
        assert words in row and "@tenants" in row and "@ada" in row, (words, row)
    # the settings it changed to, as its page's form names them, not as stored
    settings_row = rows[1]
    assert "{" not in settings_row, settings_row
    assert "Who may join it: Its admins add its members." in settings_row
    assert "Who may reply to its proposals: Members and people who follow" in settings_row
    assert "The language its proposals are written in: Cymraeg." in settings_row


async def test_saving_what_did_not_change_logs_nothing(client: TestClient) -> None:
    await food_bank_run_by_fay(client)
    unchanged = {
        f"{FOODBANK}/members/role": {"member": "bo", "role": "member"},
        f"{FOODBANK}/members": {"member": "bo"},  # already a member
        f"{FOODBANK}/profile": {"name": "Town Food Bank", "summary": ""},
        f"{FOODBANK}/settings": {"reply_policy": "", "language": ""},
    }
    for action, fields in unchanged.items():
        answer = await submit(client, action, fields, token_from=FOODBANK)
        assert answer.status == 303, (action, await answer.text())
    assert await logged() == []
    # the witness: the same forms, changed, are logged
    changed = await submit(
        client, f"{FOODBANK}/settings", {"reply_policy": "", "language": "cy"}, token_from=FOODBANK
    )
    assert changed.status == 303
    assert [entry[:3] for entry in await logged()] == [("fay", "organisation_settings", "foodbank")]


async def test_refused_actions_write_no_entry(client: TestClient) -> None:
    await food_bank_run_by_fay(client)
    await member("ada", AccessRole.ADMIN)
    refused: dict[str, list[dict[str, str]]] = {  # fay, the food bank's admin
        f"{FOODBANK}/members/role": [
            {"member": "bo", "role": "owner"},
            {"member": "nobody", "role": "admin"},
        ],
        f"{FOODBANK}/members": [{"member": "nobody"}, {"member": ""}],
        f"{FOODBANK}/members/remove": [{"member": "nobody"}],
        f"{FOODBANK}/profile": [{"name": " ", "summary": ""}],
        f"{FOODBANK}/settings": [{"reply_policy": "", "language": "fr"}],
        "/admin/organisations/carers/members": [{"member": "bo"}],  # not theirs: 403
        f"{LIST}/carers/suspend": [{}],  # only the node's admins: 403
    }
    for action, tries in refused.items():
        for fields in tries:
            answer = await client.post(
                action,
                data={"csrf_token": csrf_in(await page(client, FOODBANK)), **fields},
                allow_redirects=False,
            )
            assert answer.status in (403, 404, 409, 422), (action, fields, answer.status)
    assert await logged() == []
    # the node's admin's refusals: the own organisation, a taken handle, a last organisation
    client.session.cookie_jar.clear()
    await sign_in_as(client, "ada")
    own = await submit(client, f"{LIST}/testorg/suspend", {}, token_from=LIST)
    assert own.status == 409
    taken = await submit(client, LIST, {"handle": "carers", "name": "Again", "summary": ""})
    assert taken.status == 422
    last = await submit(
        client, f"{LIST}/testorg/members/remove", {"member": "ada"}, token_from=LIST
    )
    assert last.status == 409
    await organisations.set_suspended("carers", True, by_account_id=None)
    closed = await submit(client, f"{LIST}/carers/members", {"member": "bo"}, token_from=LIST)
    assert closed.status == 409
    again = await submit(client, f"{LIST}/carers/suspend", {}, token_from=LIST)
    assert again.status == 303  # already suspended: nothing changes, nothing is logged
    assert await logged() == [(None, "suspend_organisation", "carers", "")]
    said = html.unescape(await page(client, "/admin/audit")).split("<tbody>")[1]
    assert "the command line" in said and "suspended the organisation" in said


async def test_an_organisation_s_admin_reads_its_entries_alone(client: TestClient) -> None:
    await food_bank_run_by_fay(client)
    fay_did = await submit(
        client, f"{FOODBANK}/members/role", {"member": "bo", "role": "moderator"},
        token_from=FOODBANK,
    )  # fmt: skip
    assert fay_did.status == 303
    # the node's admin acts on the carers, on the food bank, and moderates a comment
    ada = await member("ada", AccessRole.ADMIN)
    await member("cy")
    await organisations.join_by_handle("carers", "cy", by_account_id=ada.id)
    await organisations.set_suspended("carers", True, by_account_id=None)
    await organisations.join_by_handle("foodbank", "cy", by_account_id=ada.id)
    comment = await a_comment(client)
    await moderation.hide(comment, "rude", by_account_id=ada.id)
    assert len(await logged()) == 5
    # fay's page lists the food bank's two entries, newest first, and nothing else
    shown = html.unescape(await page(client, FOODBANK))
    recent = shown.split("Recent changes", 1)[1]
    rows = recent.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")[:-1]
    assert len(rows) == 2
    assert "@ada" in rows[0] and "added @cy to the organisation" in rows[0]
    assert "@fay" in rows[1] and "made @bo a moderator of the organisation" in rows[1]
    assert "carers" not in recent and "hid a post" not in recent and comment not in recent
    assert "the command line" not in recent
    # …and /admin/audit stays the node's admins'
    await page(client, "/admin/audit", status=403)


async def test_an_organisation_s_page_shows_its_newest_twenty(client: TestClient) -> None:
    await food_bank_run_by_fay(client)
    for number in range(22):
        role = "moderator" if number % 2 == 0 else "member"
        done = await submit(
            client, f"{FOODBANK}/members/role", {"member": "bo", "role": role},
            token_from=FOODBANK,
        )  # fmt: skip
        assert done.status == 303
    shown = html.unescape(await page(client, FOODBANK)).split("Recent changes", 1)[1]
    rows = shown.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")[:-1]
    assert len(rows) == 20
    assert "made @bo a member of the organisation" in rows[0]  # the 22nd, newest first
    assert "Nothing has been changed yet." not in shown
