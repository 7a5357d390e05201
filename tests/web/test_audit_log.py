"""The audit log: every moderator's and admin's action, who, what, which, why and when,
readable by admins, exported as CSV, and kept when the moderator's account is gone."""

from __future__ import annotations

import csv
import io

import pytest
from aiohttp.test_utils import TestClient

from node.models import AccessRole, Account, ModerationAction, Report
from node.services import moderation
from node.services.errors import NotFound
from tests.support.api import BASE
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_report_queue import a_comment, flag, remote


async def test_what_moderators_do_is_logged_and_admins_read_it_newest_first(
    client: TestClient,
) -> None:
    # Given a moderator and an admin, a comment and a report on it
    await member("mod", AccessRole.MODERATOR)
    await member("boss", AccessRole.ADMIN)
    comment = await a_comment(client)
    await flag(await remote("mallory"), 1, comment)
    # When the moderator hides the comment, blocks a server and resolves the report
    await sign_in_as(client, "mod")
    path = comment.removeprefix(BASE)
    hidden = await submit(client, f"{path}/hide", {"reason": "name-calling"}, token_from="/admin")
    assert hidden.status == 303
    blocked = await submit(client, "/admin/blocks", {"target": "spam.example", "reason": "spam"})
    assert blocked.status == 303
    found = await Report.get(reporter__handle="mallory")
    resolved = await submit(
        client, f"/admin/reports/{found.id}/resolve", {"resolution": "hidden", "then": ""},
        token_from="/admin/reports",
    )  # fmt: skip
    assert resolved.status == 303
    # Then a moderator may not read the log; an admin reads all three, newest first, with why
    await page(client, "/admin/audit", status=403)
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "boss")
    log = await page(client, "/admin/audit")
    rows = log.split("<tbody>")[1].split("</tr>")
    assert "resolved a report on" in rows[0] and comment in rows[0] and "hidden" in rows[0]
    assert "blocked" in rows[1] and "spam.example" in rows[1] and ">spam<" in rows[1]
    assert "hid a post" in rows[2] and "name-calling" in rows[2] and "@mod" in rows[2]


async def test_the_log_downloads_as_csv_and_outlives_the_moderator(client: TestClient) -> None:
    # Given a moderator who hid a comment whose reason looks like a formula, then left
    moderator = await member("mod", AccessRole.MODERATOR)
    await member("boss", AccessRole.ADMIN)
    comment = await a_comment(client)
    await moderation.hide(comment, "=HYPERLINK(evil)", by_account_id=moderator.id)
    await Account.filter(id=moderator.id).delete()
    # When an admin downloads the log
    await sign_in_as(client, "boss")
    response = await client.get("/admin/audit.csv")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(await response.text())))
    # Then the action is there with the moderator's handle, and the formula is defused
    assert rows[0] == ["time", "moderator", "action", "target", "reason"]
    assert rows[1][1:] == ["mod", "hide", comment, "'=HYPERLINK(evil)"]


async def test_an_action_that_fails_logs_nothing(client: TestClient) -> None:
    moderator = await member("mod", AccessRole.MODERATOR)
    with pytest.raises(NotFound):
        await moderation.hide(f"{BASE}/objects/none", "x", by_account_id=moderator.id)
    assert not await ModerationAction.exists()


async def test_roles_suspensions_and_reset_links_are_logged(client: TestClient) -> None:
    await member("boss", AccessRole.ADMIN)
    await member("sam")
    await sign_in_as(client, "boss")
    reset = await submit(client, "/admin/members/sam/reset", {}, token_from="/admin/members")
    assert reset.status == 200, await reset.text()
    for fields in ({"action": "role", "role": "moderator"}, {"action": "suspend", "role": ""}):
        answer = await submit(client, "/admin/members/sam", fields, token_from="/admin/members")
        assert answer.status == 303, await answer.text()
    logged = await ModerationAction.all().order_by("id").values_list("action", "target", "reason")
    assert logged == [
        ("password_reset", "sam", ""), ("set_role", "sam", "now moderator"), ("suspend", "sam", ""),
    ]  # fmt: skip


async def test_a_bad_page_number_is_a_plain_400(client: TestClient) -> None:
    await member("boss", AccessRole.ADMIN)
    await sign_in_as(client, "boss")
    text = await page(client, "/admin/audit?page=x", status=400)
    assert "whole number" in text
