"""Accounts by email, through the pages in process: addresses on joining and in settings
(confirmed by a link), invitations mailed, "forgot your password?", the admin's test message,
and every refusal leaving nothing behind. The queued messages are read from the queue; the
flows with a real SMTP server are tests/flows/test_accounts_by_email.py."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from email import message_from_string, policy

from aiohttp.test_utils import TestClient

from node.models import (
    AccessRole,
    Account,
    EmailVerification,
    Invite,
    OutgoingMail,
    PasswordReset,
)
from node.services.account_mail import RESET_ANSWER_SECONDS
from node.services.members import password_matches
from node.services.password_resets import create_reset
from node.services.settings import change_setting
from tests.support.pages import PASSWORD, member, page, sign_in_as, submit

NEW = "a brand new password"
LINK = re.compile(r"http://127\.0\.0\.1:8000(/(?:email/verify|reset|join)/[A-Za-z0-9_-]+)")
JOINER = {"handle": "newbie", "name": "New", "password": PASSWORD, "confirm": PASSWORD}


async def member_at(handle: str, address: str, role: AccessRole = AccessRole.MEMBER) -> Account:
    """A member whose confirmed address is `address`."""
    account = await member(handle, role)
    await Account.filter(id=account.id).update(email=address, email_verified_at=datetime.now(UTC))
    return account


async def mails_to(address: str) -> list[OutgoingMail]:
    return await OutgoingMail.filter(recipient=address).order_by("id")


def link_in(mail: OutgoingMail) -> str:
    """The one link the message carries (its plain-text part; the same in the HTML part)."""
    parsed = message_from_string(mail.message, policy=policy.default)
    text = parsed.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    links = set(LINK.findall(text))
    assert len(links) == 1, text
    return links.pop()


async def sign_out(client: TestClient) -> None:
    await submit(client, "/sign-out", {}, token_from="/")


async def test_a_member_who_joins_with_an_address_confirms_it_by_the_mailed_link(
    client: TestClient,
) -> None:
    # Given open sign-up
    await change_setting("signup_mode", "open")
    # When someone joins giving an address (typed with capitals and spaces)
    joined = await submit(client, "/join", {**JOINER, "email": "  New@Example.ORG "})
    assert joined.status == 303, await joined.text()
    # Then the address waits for its link: not yet the member's
    account = await Account.get(actor__handle="newbie")
    assert account.email is None
    assert "new@example.org" in await page(client, "/settings/email")
    [mail] = await mails_to("new@example.org")
    assert mail.kind == "verify_email" and mail.account_id == account.id  # type: ignore[attr-defined]
    link = link_in(mail)
    # When the link is opened: it asks, writing nothing
    assert "Confirm new@example.org as the email address of @newbie" in await page(client, link)
    assert (await Account.get(id=account.id)).email is None
    # and confirmed
    confirmed = await submit(client, link, {})
    assert confirmed.status == 303 and confirmed.headers["Location"] == "/settings/email"
    stored = await Account.get(id=account.id)
    assert stored.email == "new@example.org" and stored.email_verified_at is not None
    assert "Your confirmed address: new@example.org" in await page(client, "/settings/email")
    # Then the link refuses a second use, saying so
    assert "already used" in await page(client, link, status=410)
    again = await client.post(link, data={"csrf_token": "x"}, allow_redirects=False)
    assert again.status in (403, 410)


async def test_joining_with_a_bad_or_taken_address_is_refused_and_nothing_is_made(
    client: TestClient,
) -> None:
    # Given open sign-up and a member whose address is taken
    await change_setting("signup_mode", "open")
    await member_at("amina", "amina@example.org")
    for typed, says in (
        ("not an address", "not an email address we can send to"),
        ("a@b@example.org", "not an email address we can send to"),
        ("amina@example..org", "not an email address"),
        ("AMINA@example.org", "That address cannot be used"),
    ):
        # When someone joins with it
        response = await submit(client, "/join", {**JOINER, "email": typed})
        # Then the form says why, and no account, verification or mail was made
        assert response.status == 400, typed
        text = await response.text()
        assert says in text, (typed, text[:3000])
        assert "amina" not in text.split("There is a problem")[1][:400]  # never whose it is
        assert not await Account.filter(actor__handle="newbie").exists()
        assert await EmailVerification.all().count() == 0
        assert await OutgoingMail.all().count() == 0


async def test_an_expired_confirmation_link_says_so_and_changes_nothing(client: TestClient) -> None:
    await change_setting("signup_mode", "open")
    await submit(client, "/join", {**JOINER, "email": "new@example.org"})
    link = link_in((await mails_to("new@example.org"))[0])
    await EmailVerification.all().update(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    assert "has expired" in await page(client, link, status=410)
    response = await submit(client, link, {}, token_from="/settings/email")
    assert response.status == 410 and "has expired" in await response.text()
    assert (await Account.get(actor__handle="newbie")).email is None
    assert "not known here" in await page(client, "/email/verify/made-up", status=404)


async def test_a_member_changes_their_address_and_the_old_one_stays_until_the_new_is_confirmed(
    client: TestClient,
) -> None:
    # Given a member with a confirmed address, and another member's address
    await member_at("amina", "amina@example.org")
    await member_at("bilal", "bilal@example.org")
    await sign_in_as(client, "amina")
    # When she asks for a taken or a malformed address
    for typed, says in (("Bilal@example.org", "cannot be used"), ("amina", "not an email")):
        refused = await submit(client, "/settings/email", {"address": typed})
        assert refused.status == 400 and says in await refused.text()
    assert await OutgoingMail.all().count() == 0 and await EmailVerification.all().count() == 0
    # When she asks for a new one
    changed = await submit(client, "/settings/email", {"address": "amina@new.example"})
    assert changed.status == 303
    # Then the old one is still hers, the new one waits, and only the new one got mail
    assert (await Account.get(actor__handle="amina")).email == "amina@example.org"
    shown = await page(client, "/settings/email")
    assert "amina@example.org" in shown and "Waiting for you to open the link" in shown
    assert await mails_to("amina@example.org") == []
    link = link_in((await mails_to("amina@new.example"))[0])
    await submit(client, link, {})
    assert (await Account.get(actor__handle="amina")).email == "amina@new.example"


async def test_a_member_who_forgot_their_password_gets_a_one_hour_link_by_email(
    client: TestClient,
) -> None:
    # Given a member with a confirmed address, signed in on another device
    amina = await member_at("amina", "amina@example.org")
    before = (await Account.get(id=amina.id)).session_epoch
    # When someone asks for a link for her address
    assert 'href="/forgot-password"' in await page(client, "/sign-in")
    asked = await submit(client, "/forgot-password", {"address": "Amina@Example.org"})
    assert asked.status == 303 and asked.headers["Location"] == "/sign-in"
    assert "If that address belongs to a member" in await page(client, "/sign-in")
    # Then one reset exists, made by nobody, for an hour, and its link went to her
    reset = await PasswordReset.get()
    assert reset.created_by_id is None  # type: ignore[attr-defined]
    lifetime = reset.expires_at - reset.created_at
    assert timedelta(minutes=59) < lifetime <= timedelta(hours=1, seconds=5)
    [mail] = await mails_to("amina@example.org")
    assert mail.kind == "password_reset"
    link = link_in(mail)
    # When she uses it
    done = await submit(client, link, {"new": NEW, "confirm": NEW})
    assert done.status == 303, await done.text()
    # Then the new password works, the old does not, every other session ended
    stored = await Account.get(id=amina.id)
    assert password_matches(stored.password_hash, NEW)
    assert not password_matches(stored.password_hash, PASSWORD)
    assert stored.session_epoch > before
    # and the link refuses a second use
    assert "used" in await page(client, link, status=410)


async def test_forgot_password_answers_the_same_for_an_unknown_address_and_sends_nothing(
    client: TestClient,
) -> None:
    await member_at("amina", "amina@example.org")
    answers = []
    for address in ("amina@example.org", "nobody@example.org"):
        started = time.monotonic()
        response = await submit(client, "/forgot-password", {"address": address})
        answers.append((response.status, response.headers["Location"], await page(client, "/")))
        assert time.monotonic() - started >= RESET_ANSWER_SECONDS
    assert answers[0] == answers[1]
    assert await mails_to("nobody@example.org") == []
    assert len(await mails_to("amina@example.org")) == 1
    # a malformed address is refused with the reason, and nothing is written
    bad = await submit(client, "/forgot-password", {"address": "amina at example"})
    assert bad.status == 400 and "not an email address" in await bad.text()
    assert await PasswordReset.all().count() == 1


async def test_forgot_password_requests_are_limited_per_address(client: TestClient) -> None:
    await member_at("amina", "amina@example.org")
    for _ in range(3):
        response = await submit(client, "/forgot-password", {"address": "amina@example.org"})
        assert response.status == 303
    limited = await submit(client, "/forgot-password", {"address": "AMINA@example.org"})
    assert limited.status == 429 and "Retry-After" in limited.headers
    assert len(await mails_to("amina@example.org")) == 3


async def test_an_invitation_mailed_to_an_address_confirms_it_on_joining(
    client: TestClient,
) -> None:
    # Given an admin
    await member("admin", AccessRole.ADMIN)
    await sign_in_as(client, "admin")
    # When they invite an address
    response = await submit(
        client,
        "/admin/invites",
        {"role": "member", "email": "Sam@Example.org", "note": "Sam", "days": "7", "uses": "1"},
    )
    text = await response.text()
    assert response.status == 200, text
    # Then the invitation is mailed, and the link is still shown as the fallback
    [mail] = await mails_to("sam@example.org")
    link = link_in(mail)
    assert f"http://127.0.0.1:8000{link}" in text and "on its way to sam@example.org" in text
    assert (await Invite.get()).email == "sam@example.org"
    assert "sam@example.org" in await page(client, "/admin/invites")
    await sign_out(client)
    # When Sam joins through it with that address (prefilled)
    assert 'value="sam@example.org"' in await page(client, link)
    joined = await submit(client, link, {**JOINER, "email": "sam@example.org"})
    assert joined.status == 303, await joined.text()
    # Then the address is confirmed with no further mail
    account = await Account.get(actor__handle="newbie")
    assert account.email == "sam@example.org" and account.email_verified_at is not None
    assert len(await mails_to("sam@example.org")) == 1


async def test_joining_through_a_mailed_invitation_with_another_address_needs_its_link(
    client: TestClient,
) -> None:
    await member("admin", AccessRole.ADMIN)
    await sign_in_as(client, "admin")
    await submit(
        client,
        "/admin/invites",
        {"role": "member", "email": "sam@example.org", "days": "7", "uses": "1"},
    )
    link = link_in((await mails_to("sam@example.org"))[0])
    await sign_out(client)
    await submit(client, link, {**JOINER, "email": "sam@elsewhere.example"})
    assert (await Account.get(actor__handle="newbie")).email is None
    assert [m.kind for m in await mails_to("sam@elsewhere.example")] == ["verify_email"]


async def test_an_invitation_to_a_bad_address_is_refused_and_nothing_is_made(
    client: TestClient,
) -> None:
    await member("admin", AccessRole.ADMIN)
    await sign_in_as(client, "admin")
    response = await submit(
        client, "/admin/invites", {"role": "member", "email": "sam@", "days": "7", "uses": "1"}
    )
    assert response.status == 400 and "not an email address" in await response.text()
    assert await Invite.all().count() == 0 and await OutgoingMail.all().count() == 0


async def test_an_admin_sends_themselves_a_test_message(client: TestClient) -> None:
    # Given an admin without an address: the button says what is missing
    admin = await member("admin", AccessRole.ADMIN)
    await sign_in_as(client, "admin")
    assert "Send me a test message" in await page(client, "/admin")
    response = await submit(client, "/admin/mail-test", {}, token_from="/admin")
    assert response.status == 303
    assert "no confirmed email address" in await page(client, "/admin")
    assert await OutgoingMail.all().count() == 0
    # When they have one
    await Account.filter(id=admin.id).update(email="admin@example.org")
    await submit(client, "/admin/mail-test", {}, token_from="/admin")
    # Then the test message is queued for it
    [mail] = await mails_to("admin@example.org")
    assert mail.kind == "test_message" and "If you can read it" in mail.message
    assert "on its way to admin@example.org" in await page(client, "/admin")


async def test_only_admins_send_test_messages(client: TestClient) -> None:
    await member_at("mo", "mo@example.org", AccessRole.MODERATOR)
    await sign_in_as(client, "mo")
    assert "Send me a test message" not in await page(client, "/admin")
    response = await submit(client, "/admin/mail-test", {}, token_from="/admin")
    assert response.status == 403
    assert await OutgoingMail.all().count() == 0


async def test_forgot_password_requests_are_limited_per_client(client: TestClient) -> None:
    # Given ten requests from one connection, each for a different address
    for n in range(10):
        response = await submit(client, "/forgot-password", {"address": f"p{n}@example.org"})
        assert response.status == 303
    # When it asks an eleventh time
    await member_at("amina", "amina@example.org")
    limited = await submit(client, "/forgot-password", {"address": "amina@example.org"})
    # Then it waits, and nothing is sent
    assert limited.status == 429 and "Too many requests" in await limited.text()
    assert await OutgoingMail.all().count() == 0 and await PasswordReset.all().count() == 0


async def test_an_admin_s_reset_link_still_lasts_a_day_and_a_mailed_one_an_hour(
    client: TestClient,
) -> None:
    admin = await member("admin", AccessRole.ADMIN)
    await member_at("amina", "amina@example.org")
    await create_reset(admin.id, "amina")
    await submit(client, "/forgot-password", {"address": "amina@example.org"})
    lifetimes = {
        reset.created_by_id: reset.expires_at - reset.created_at  # type: ignore[attr-defined]
        for reset in await PasswordReset.all()
    }
    assert abs(lifetimes[admin.id] - timedelta(hours=24)) < timedelta(seconds=5)
    assert abs(lifetimes[None] - timedelta(hours=1)) < timedelta(seconds=5)
