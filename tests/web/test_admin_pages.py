"""Admins and moderators: joining by invitation or approval, roles, settings, moderation."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from aiohttp.test_utils import TestClient

from node.models import (
    AccessRole,
    Account,
    AccountStatus,
    Block,
    Delivery,
    DeliveryPayload,
    Host,
    Invite,
    Object,
    Report,
)
from node.services.settings import change_setting
from tests.support.api import BASE, post, token_for
from tests.support.pages import PASSWORD, member, page, sign_in_as, submit
from tests.web.test_pages_visitor import (
    HOSTILE,
    assert_nothing_executable,
    hostile_remote_comment,
)

JOINER = {"handle": "newbie", "name": "New", "password": PASSWORD, "confirm": PASSWORD}


async def invite_link(client: TestClient, **fields: str) -> str:
    response = await submit(
        client, "/admin/invites", {"role": "member", "note": "", "days": "7", "uses": "1", **fields}
    )
    html = await response.text()
    assert response.status == 200, html
    found = re.search(r"<code>http://127\.0\.0\.1:8000(/join/[^<]+)</code>", html)
    assert found, "the new link is shown"
    return found.group(1)


async def test_moderator_pages_are_closed_to_members_and_visitors(client: TestClient) -> None:
    for path in ("/admin", "/admin/members", "/admin/reports", "/admin/delivery"):
        response = await client.get(path, allow_redirects=False)
        assert response.status == 303
    await member("amina")
    await sign_in_as(client, "amina")
    for path in ("/admin", "/admin/members", "/admin/reports", "/admin/delivery", "/admin/blocks"):
        await page(client, path, status=403)


async def test_joining_by_invitation_only_once(client: TestClient) -> None:
    await member("admin", AccessRole.ADMIN)
    await sign_in_as(client, "admin")
    link = await invite_link(client, note="for Sam")
    assert "for Sam" in await page(client, "/admin/invites")
    await submit(client, "/sign-out", {}, token_from="/")
    assert "You need an invitation link" in await page(client, "/join")
    refused = await submit(client, "/join", JOINER, token_from="/sign-in")
    assert refused.status == 403 and not await Account.exists(actor__handle="newbie")
    joined = await submit(client, link, JOINER)
    assert joined.status == 303
    assert (await Account.get(actor__handle="newbie")).status == AccountStatus.ACTIVE
    await submit(client, "/sign-out", {}, token_from="/")
    await page(client, link, status=410)
    await page(client, "/join/not-a-real-code", status=404)


async def test_joining_by_approval_waits_for_a_moderator(client: TestClient) -> None:
    await change_setting("signup_mode", "approval")
    no_note = await submit(client, "/join", JOINER)
    assert no_note.status == 400 and "Tell the moderators" in await no_note.text()
    response = await submit(client, "/join", {**JOINER, "note": "I volunteer on Tuesdays"})
    assert response.status == 200 and "waits for a moderator" in await response.text()
    assert (await Account.get(actor__handle="newbie")).status == AccountStatus.PENDING
    await member("mod", AccessRole.MODERATOR)
    await sign_in_as(client, "mod")
    assert "I volunteer on Tuesdays" in await page(client, "/admin/members")
    await submit(
        client, "/admin/members/newbie", {"action": "approve"}, token_from="/admin/members"
    )
    assert (await Account.get(actor__handle="newbie")).status == AccountStatus.ACTIVE


async def test_open_sign_up_refuses_a_taken_handle_and_keeps_values(client: TestClient) -> None:
    await change_setting("signup_mode", "open")
    await member("newbie")
    response = await submit(client, "/join", {**JOINER, "name": "Kept name"})
    html = await response.text()
    assert response.status == 400 and "taken" in html and 'value="Kept name"' in html
    assert await Account.all().count() == 1


async def test_roles_are_for_admins_and_the_last_admin_stays(client: TestClient) -> None:
    await member("admin", AccessRole.ADMIN)
    await member("mod", AccessRole.MODERATOR)
    await member("amina")
    await sign_in_as(client, "mod")
    refused = await submit(
        client, "/admin/members/amina", {"action": "role", "role": "admin"}, token_from="/admin"
    )
    assert refused.status == 403
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "admin")
    await submit(
        client, "/admin/members/amina", {"action": "role", "role": "moderator"}, token_from="/admin"
    )
    assert (await Account.get(actor__handle="amina")).access_role == AccessRole.MODERATOR
    suspended = await submit(
        client, "/admin/members/amina", {"action": "suspend"}, token_from="/admin"
    )
    assert suspended.status == 303
    account = await Account.get(actor__handle="amina")
    assert account.status == AccountStatus.SUSPENDED and account.session_epoch == 1


async def test_settings_change_the_sign_up_mode_and_the_organisation(client: TestClient) -> None:
    await member("admin", AccessRole.ADMIN)
    await sign_in_as(client, "admin")
    fields = {"signup_mode": "open", "language": "en", "name": "Advice Centre", "summary": "Hi"}
    fields["poll_votes_per_server"] = "10"
    response = await submit(client, "/admin/settings", fields)
    assert response.status == 303
    assert "Advice Centre" in await page(client, "/")
    bad = await submit(client, "/admin/settings", {**fields, "signup_mode": "anyone"})
    assert bad.status == 400 and "unknown sign-up mode" in await bad.text()


async def test_hide_unhide_remove_and_report(client: TestClient) -> None:
    token = await token_for("alice")
    article = (
        await post(client, "alice", token, {"type": "Article", "name": "P", "summary": "S"})
    )["object"]
    note = (
        await post(
            client, "alice", token, {"type": "Note", "content": "Rude", "inReplyTo": article["id"]}
        )
    )["object"]
    note_path = note["id"].removeprefix(BASE)
    where = article["id"].removeprefix(BASE)
    await member("amina")
    await sign_in_as(client, "amina")
    no_reason = await submit(client, f"{note_path}/report", {"reason": ""})
    assert no_reason.status == 400 and not await Report.exists()
    await submit(client, f"{note_path}/report", {"reason": "Insulting"})
    forbidden = await submit(client, f"{note_path}/hide", {}, token_from=where)
    assert forbidden.status == 403
    await submit(client, "/sign-out", {}, token_from="/")
    await member("mod", AccessRole.MODERATOR)
    await sign_in_as(client, "mod")
    assert "Insulting" in await page(client, "/admin/reports")
    await submit(client, f"{note_path}/hide", {}, token_from=where)
    assert (await Object.get(uri=note["id"])).hidden_at is not None
    assert "Hidden from others" in await page(client, where)
    await submit(client, f"{note_path}/unhide", {}, token_from=where)
    assert (await Object.get(uri=note["id"])).hidden_at is None
    report = await Report.get()
    await submit(
        client,
        f"/admin/reports/{report.id}/resolve",
        {"resolution": "Removed", "then": "remove"},
        token_from="/admin/reports",
    )
    assert (await Object.get(uri=note["id"])).deleted_at is not None
    assert (await Report.get()).resolved_at is not None


async def test_blocks_by_domain_and_remote_content_in_the_reports_queue(client: TestClient) -> None:
    token = await token_for("alice")
    article = (
        await post(client, "alice", token, {"type": "Article", "name": "P", "summary": "S"})
    )["object"]
    remote = await hostile_remote_comment(article["id"])
    await member("mod", AccessRole.MODERATOR)
    await sign_in_as(client, "mod")
    await Report.create(
        object_uri=remote.uri, actor_uri="https://evil.example/users/mallory", reason=HOSTILE
    )
    for path in ("/admin/reports", "/admin/delivery", "/admin/members", "/admin"):
        assert_nothing_executable(await page(client, path))
    bad = await submit(client, "/admin/blocks", {"target": "not a domain", "reason": ""})
    assert bad.status == 400 and not await Block.exists()
    await submit(client, "/admin/blocks", {"target": "evil.example", "reason": "spam"})
    assert await Block.filter(kind="domain", target="evil.example").exists()
    assert (await Object.get(uri=remote.uri)).hidden_at is not None  # what it posted is hidden
    again = await submit(client, "/admin/blocks", {"target": "evil.example", "reason": ""})
    assert again.status == 400 and "already blocked" in await again.text()
    block = await Block.get()
    await submit(client, f"/admin/blocks/{block.id}/remove", {}, token_from="/admin/blocks")
    assert not await Block.exists()
    assert (await Object.get(uri=remote.uri)).hidden_at is None  # …and shown again


async def test_invites_refuse_bad_numbers_and_can_be_withdrawn(client: TestClient) -> None:
    await member("admin", AccessRole.ADMIN)
    await sign_in_as(client, "admin")
    bad = await submit(client, "/admin/invites", {"role": "member", "days": "x", "uses": "0"})
    assert bad.status == 400 and not await Invite.exists()
    link = await invite_link(client)
    invite = await Invite.get()
    await submit(client, f"/admin/invites/{invite.id}/revoke", {}, token_from="/admin/invites")
    await submit(client, "/sign-out", {}, token_from="/")
    await page(client, link, status=410)


async def reset_link(client: TestClient, handle: str) -> str:
    response = await submit(client, f"/admin/members/{handle}/reset", {}, token_from="/admin")
    html = await response.text()
    assert response.status == 200, html
    found = re.search(r"<code>http://127\.0\.0\.1:8000(/reset/[^<]+)</code>", html)
    assert found, "the reset link is shown"
    return found.group(1)


async def test_an_admin_makes_a_one_time_password_reset_link(client: TestClient) -> None:
    await member("admin", AccessRole.ADMIN)
    account = await member("amina")
    await sign_in_as(client, "admin")
    link = await reset_link(client, "amina")
    await submit(client, "/sign-out", {}, token_from="/")
    short = await submit(client, link, {"new": "short", "confirm": "short"})
    assert short.status == 400 and "at least 10" in await short.text()
    mismatch = await submit(client, link, {"new": "a long password", "confirm": "another one!"})
    assert mismatch.status == 400 and "not the same" in await mismatch.text()
    done = await submit(
        client, link, {"new": "a brand new password", "confirm": "a brand new password"}
    )
    assert done.status == 303
    assert (await Account.get(id=account.id)).session_epoch == account.session_epoch + 1
    assert "Sign out" in await page(client, "/")
    await submit(client, "/sign-out", {}, token_from="/")
    await page(client, link, status=410)
    await sign_in_as(client, "amina", "a brand new password")
    await page(client, "/reset/made-up", status=404)


async def test_only_admins_make_reset_links(client: TestClient) -> None:
    await member("mod", AccessRole.MODERATOR)
    await member("amina")
    await sign_in_as(client, "mod")
    response = await submit(client, "/admin/members/amina/reset", {}, token_from="/admin")
    assert response.status == 403
    await submit(client, "/sign-out", {}, token_from="/")
    await member("admin", AccessRole.ADMIN)
    await sign_in_as(client, "admin")
    missing = await submit(client, "/admin/members/nobody/reset", {}, token_from="/admin")
    assert missing.status == 404


async def test_delivery_health_shows_each_failing_hosts_newest_error(client: TestClient) -> None:
    now = datetime.now(UTC)
    for host, failures in (("down.example", 5), ("flaky.example", 2)):
        await Host.create(domain=host, consecutive_failures=failures, first_failure_at=now)
        for number, error in enumerate(("timed out", f"{host} refused the connection")):
            activity_uri = f"https://a.example/activities/{number}"
            payload, _ = await DeliveryPayload.get_or_create(
                activity_uri=activity_uri,
                defaults={
                    "signer_uri": "https://a.example/actors/org",
                    "body": "{}",
                    "created_at": now,
                },
            )
            await Delivery.create(
                activity_uri=activity_uri,
                inbox_uri=f"https://{host}/inbox",
                host=host,
                payload=payload,
                next_attempt_at=now + timedelta(days=1),  # not due: the worker leaves them
                last_error=error,
            )
    await member("mod", AccessRole.MODERATOR)
    await sign_in_as(client, "mod")
    html = await page(client, "/admin/delivery")
    assert "4 deliveries queued" in html
    for host in ("down.example", "flaky.example"):
        assert f"{host} refused the connection" in html
    assert "timed out" not in html


async def test_resolving_two_reports_with_block_blocks_the_reported_account_once(
    client: TestClient,
) -> None:
    await member("mod", AccessRole.MODERATOR)
    await sign_in_as(client, "mod")
    mallory = "https://evil.example/users/mallory"
    first = await Report.create(object_uri=f"{mallory}/1", actor_uri=mallory, reason="spam")
    second = await Report.create(object_uri=f"{mallory}/2", actor_uri=mallory, reason="spam")
    for report in (first, second):
        await submit(
            client,
            f"/admin/reports/{report.id}/resolve",
            {"resolution": "Blocked", "then": "block"},
            token_from="/admin/reports",
        )
    blocks = await Block.filter(kind="actor", target=mallory)
    assert [block.reason for block in blocks] == [f"report {first.id}"]
    assert await Report.filter(resolved_at__isnull=True).count() == 0
