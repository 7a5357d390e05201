"""Notification preferences, the notification mail and digests the worker builds, closing-soon
reminders and the one-click unsubscribe, in process (the flow test runs them across a real
node process and a real SMTP server: tests/flows/test_notification_mail.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_string, policy
from email.message import EmailMessage

import pytest
from aiohttp.test_utils import TestClient

from node.appkeys import CONFIG, MAIL_QUEUE
from node.models import (
    AccessRole,
    Account,
    ClosingReminder,
    Follow,
    FollowState,
    MailedThrough,
    NodeSetting,
    NotificationPreference,
    Object,
    OutgoingMail,
    Report,
)
from node.services.closing_reminders import lead_for, remind_closing
from node.services.notification_mail import NotificationMailer, latest_due
from node.services.notification_preferences import Delivery
from node.services.settings import SiteSettings, forget_cached_settings, site_settings
from node.services.unsubscribe import unsubscribe_token
from node.timestamps import format_time, now
from tests.support.api import ORG, post, token_for
from tests.support.pages import member, page, sign_in_as, submit

PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "source": "Most users told us **weekends** matter.",
}


@pytest.fixture(autouse=True)
def no_timed_pass(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The app's own pass runs once at start-up (nothing to mail yet), then not for an hour:
    these tests run the passes themselves, at the moments they choose."""
    monkeypatch.setenv("TOWNHALL_NOTIFY_POLL_SECONDS", "3600")
    yield


async def give_address(handle: str, verified_days_ago: float = 10) -> Account:
    """Set a member's confirmed address directly (the address pages are another branch's)."""
    account = await Account.get(actor__handle=handle, actor__is_local=True)
    account.email = f"{handle}@example.org"
    account.email_verified_at = datetime.now(UTC) - timedelta(days=verified_days_ago)
    await account.save()
    return account


def mailer(client: TestClient) -> NotificationMailer:
    return NotificationMailer(
        client.app[MAIL_QUEUE], client.app[CONFIG].secret_key, settle=timedelta(0)
    )


async def mails_to(address: str) -> list[EmailMessage]:
    rows = (
        await OutgoingMail.filter(recipient=address)
        .order_by("id")
        .values_list("message", flat=True)
    )
    parsed = [message_from_string(str(row), policy=policy.default) for row in rows]
    return [message for message in parsed if isinstance(message, EmailMessage)]


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


async def comment(client: TestClient, handle: str, token: str, on: str, text: str) -> str:
    note = {"type": "Note", "content": text, "inReplyTo": on}
    return str((await post(client, handle, token, note))["object"]["id"])


def later(days: float) -> str:
    return format_time(now() + timedelta(days=days))


async def test_a_weekly_digest_counts_a_threads_replies_on_one_line_and_goes_once(
    client: TestClient,
) -> None:
    # Given alice's proposal, which bob answers 12 times and carol twice over the week, and
    # alice, who wants replies weekly, with a confirmed address
    alice, bob, carol = [await token_for(h) for h in ("alice", "bob", "carol")]
    uri = (await post(client, "alice", alice, {**PROPOSAL, "closesAt": later(30)}))["object"]["id"]
    for number in range(12):
        await comment(client, "bob", bob, uri, f"Sunday idea {number}")
    await comment(client, "carol", carol, uri, "Yes please")
    await comment(client, "carol", carol, uri, "And bank holidays")
    await comment(client, "alice", alice, uri, "Thank you all")  # her own: never mailed
    account = await give_address("alice")
    await NotificationPreference.create(account=account, kind="reply", delivery="weekly")
    await Object.filter(author__handle="bob").update(published_at=now() - timedelta(days=3))
    moment = datetime.now(UTC)
    # When the worker's pass runs, and runs again
    first = await mailer(client).mail_due(moment)
    again = await mailer(client).mail_due(moment + timedelta(minutes=1))
    # Then alice has one weekly digest: one line for the proposal counting the 14 replies
    mails = await mails_to("alice@example.org")
    assert (first, again, len(mails)) == (1, 0, 1)
    digest = mails[0]
    assert "weekly digest" in str(digest["Subject"])
    text = text_of(digest)
    assert "Open the library on Sundays: 14 new replies" in text
    assert text.count("new repl") == 1 and "Thank you all" not in text
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/mail/unsubscribe/" in str(digest["List-Unsubscribe"])
    # And the mark moved with the mail: a week later the next digest holds only what is new
    mark = await MailedThrough.get(account=account, period="weekly")
    assert mark.covered_until == moment
    # And bob and carol, who have no address, get nothing
    assert await OutgoingMail.all().count() == 1


async def test_email_at_once_sends_each_kind_apart_and_never_ones_own_action(
    client: TestClient,
) -> None:
    # Given alice wants replies and decisions at once
    alice, bob = await token_for("alice"), await token_for("bob")
    account = await give_address("alice")
    await NotificationPreference.create(account=account, kind="reply", delivery="immediate")
    uri = (await post(client, "alice", alice, {**PROPOSAL, "closesAt": later(30)}))["object"]["id"]
    # When bob replies and alice replies to herself, and the pass runs twice
    await comment(client, "bob", bob, uri, "Sundays are busy")
    await comment(client, "alice", alice, uri, "Noted")
    assert await mailer(client).mail_due() == 1
    assert await mailer(client).mail_due() == 0
    # Then one mail told her of bob's reply, with its own unsubscribe link for replies
    (mail,) = await mails_to("alice@example.org")
    assert "Replies to you" in str(mail["Subject"])
    assert "Open the library on Sundays: 1 new reply" in text_of(mail)
    token = unsubscribe_token(client.app[CONFIG].secret_key, account.id, "reply")
    assert str(mail["List-Unsubscribe"]).endswith(f"/mail/unsubscribe/{token}>")


async def test_one_click_unsubscribe_stops_that_kind_and_a_forged_link_changes_nothing(
    client: TestClient,
) -> None:
    # Given alice's signed unsubscribe link for replies, and one forged for mentions
    await token_for("alice")
    account = await give_address("alice")
    secret = client.app[CONFIG].secret_key
    token = unsubscribe_token(secret, account.id, "reply")
    forged = f"{account.id}.mention.{token.rsplit('.', 1)[1]}"
    # When a mail scanner follows the link (GET): the page asks and nothing changes
    html = await page(client, f"/mail/unsubscribe/{token}")
    assert "Stop these emails" in html and "Replies to you" in html
    assert await NotificationPreference.all().count() == 0
    # And forged, cut or unknown tokens are a plain 400, changing nothing
    for bad in (forged, token[:-1], "1.reply.x", f"{account.id + 99}.reply.{token[-43:]}"):
        response = await client.post(
            f"/mail/unsubscribe/{bad}", data={"List-Unsubscribe": "One-Click"}
        )
        assert response.status == 400, bad
        assert "unsubscribe link" in await response.text()
    assert await NotificationPreference.all().count() == 0
    # When the mail program posts the one-click body, with no session and no CSRF token
    response = await client.post(
        f"/mail/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
    )
    # Then replies are on the site only, and the rest as they were
    assert response.status == 200
    rows = await NotificationPreference.filter(account=account).values_list("kind", "delivery")
    assert rows == [("reply", "site")]


async def test_the_settings_page_saves_each_kind_and_refuses_what_is_not_a_choice(
    client: TestClient,
) -> None:
    # Given a member signed in, with no choices made
    await member("amina")
    await sign_in_as(client, "amina")
    html = await page(client, "/settings/notifications")
    assert "Replies to you" in html and "New reports" not in html  # not a moderator
    assert "no confirmed email address" in html
    # When she posts a delivery that is not offered
    response = await submit(client, "/settings/notifications", {"reply": "hourly"})
    # Then the form comes back (400) naming the field, and nothing is stored
    assert response.status == 400 and "Choose one of the ways offered" in await response.text()
    assert await NotificationPreference.all().count() == 0
    # When she chooses weekly replies and no closing reminders
    response = await submit(
        client, "/settings/notifications", {"reply": "weekly", "closing": "off"}
    )
    assert response.status == 303
    stored = await NotificationPreference.all().order_by("kind").values_list("kind", "delivery")
    assert stored == [("closing", "off"), ("reply", "weekly")]
    html = await page(client, "/settings/notifications")
    assert '<option value="weekly" selected>' in html


async def test_closing_reminders_reach_followers_and_endorsers_who_have_not_answered(
    client: TestClient,
) -> None:
    # Given a consultation closing in two and a half days; bob follows the organisation,
    # carol endorsed it, dan answered it, erin neither follows nor endorsed
    alice = await token_for("alice")
    tokens = {h: await token_for(h) for h in ("bob", "carol", "dan", "erin")}
    created = await post(client, "alice", alice, {**PROPOSAL, "closesAt": later(2.5)})
    uri = created["object"]["id"]
    await post(client, "bob", tokens["bob"], {"type": "Follow", "object": ORG})
    await Follow.filter(follower__handle="bob").update(state=FollowState.ACCEPTED)
    await post(client, "carol", tokens["carol"], {"type": "Like", "object": uri})
    await post(client, "dan", tokens["dan"], {"type": "Follow", "object": ORG})
    await Follow.filter(follower__handle="dan").update(state=FollowState.ACCEPTED)
    await comment(client, "dan", tokens["dan"], uri, "I answered")
    for handle in ("bob", "carol", "dan", "erin"):
        await give_address(handle)
    # When the reminder pass runs twice, and the mail pass
    moment = datetime.now(UTC)
    made = await remind_closing(moment) + await remind_closing(moment)
    await mailer(client).mail_due()
    # Then bob and carol were reminded once (three days ahead), by email at once (the default)
    reminded = await ClosingReminder.all().values_list("account__actor__handle", "days_before")
    assert made == 2 and sorted(reminded) == [("bob", 3), ("carol", 3)]
    for handle in ("bob", "carol"):
        (mail,) = await mails_to(f"{handle}@example.org")
        assert "closes within three days" in text_of(mail)
    assert await mails_to("dan@example.org") == [] and await mails_to("erin@example.org") == []
    # And a day before closing comes the second reminder, once
    assert await remind_closing(moment + timedelta(days=1.6)) == 2
    assert await remind_closing(moment + timedelta(days=1.7)) == 0


def test_the_lead_time_is_the_nearest_reminder_due() -> None:
    closes = datetime(2027, 3, 10, 12, tzinfo=UTC)
    assert lead_for(closes, closes - timedelta(days=4)) is None
    assert lead_for(closes, closes - timedelta(days=2.5)) == 3
    assert lead_for(closes, closes - timedelta(hours=20)) == 1
    assert lead_for(closes, closes + timedelta(minutes=1)) is None


def test_digests_fall_due_at_the_admins_local_hour_and_weekday() -> None:
    # 08:00 in London on a Monday (the default), seen on Wednesday 10 March 2027, 07:00 UTC
    settings = SiteSettings()
    moment = datetime(2027, 3, 10, 7, tzinfo=UTC)
    assert latest_due(Delivery.DAILY, settings, moment) == datetime(2027, 3, 9, 8, tzinfo=UTC)
    assert latest_due(Delivery.WEEKLY, settings, moment) == datetime(2027, 3, 8, 8, tzinfo=UTC)
    # and in summer time, 08:00 in London is 07:00 UTC
    summer = datetime(2027, 7, 7, 7, 30, tzinfo=UTC)
    assert latest_due(Delivery.DAILY, settings, summer) == datetime(2027, 7, 7, 7, tzinfo=UTC)


async def test_moderators_are_told_of_new_reports_on_the_site_and_by_email(
    client: TestClient,
) -> None:
    # Given a moderator with an address, and a member who reports a comment
    await member("mo", AccessRole.MODERATOR)
    await give_address("mo")
    alice, bob = await token_for("alice"), await token_for("bob")
    uri = (await post(client, "alice", alice, {**PROPOSAL, "closesAt": later(30)}))["object"]["id"]
    note = await comment(client, "bob", bob, uri, "Something rude")
    reporter = await Account.get(actor__handle="alice").prefetch_related("actor")
    await Report.create(reporter=reporter.actor, object_uri=note, reason="Rude")
    # When the pass runs
    await mailer(client).mail_due()
    # Then the moderator has a mail at once, and the report on the notifications page
    (mail,) = await mails_to("mo@example.org")
    assert "New reports" in str(mail["Subject"]) and "/admin/reports" in text_of(mail)
    await sign_in_as(client, "mo")
    html = await page(client, "/notifications")
    assert "reported a post or an account" in html


async def test_two_workers_at_once_mail_each_digest_and_each_notification_once(
    client: TestClient,
) -> None:
    # Given alice (weekly replies) and bob (replies at once), each answered by the other
    alice, bob = await token_for("alice"), await token_for("bob")
    uri = (await post(client, "alice", alice, {**PROPOSAL, "closesAt": later(30)}))["object"]["id"]
    bobs = await comment(client, "bob", bob, uri, "First")
    await comment(client, "alice", alice, bobs, "Answer to bob")
    alices = await give_address("alice")
    bobs_account = await give_address("bob")
    await NotificationPreference.create(account=alices, kind="reply", delivery="weekly")
    await NotificationPreference.create(account=bobs_account, kind="reply", delivery="immediate")
    moment = datetime.now(UTC)
    # When two workers run the pass at the same moment, twice over
    for _ in range(2):
        await asyncio.gather(mailer(client).mail_due(moment), mailer(client).mail_due(moment))
    # Then each got one mail
    assert len(await mails_to("alice@example.org")) == len(await mails_to("bob@example.org")) == 1
    # And a week later, with more replies, two workers again send one more each, no more
    await comment(client, "bob", bob, uri, "Second")
    await comment(client, "alice", alice, bobs, "Another answer")
    week_later = moment + timedelta(days=8)
    await asyncio.gather(mailer(client).mail_due(week_later), mailer(client).mail_due(week_later))
    to_alice, to_bob = await mails_to("alice@example.org"), await mails_to("bob@example.org")
    assert (len(to_alice), len(to_bob)) == (2, 2)
    assert f"{PROPOSAL['name']}: 1 new reply" in text_of(to_alice[1])


def change(uri: str, **fields: object) -> dict[str, object]:
    return {"type": "Update", "object": {"type": "Article", "id": uri, **fields}}


async def test_a_decision_is_mailed_at_once_and_a_new_version_waits_for_the_weekly_digest(
    client: TestClient,
) -> None:
    # Given bob, who endorsed alice's consultation and commented on it, with an address
    alice, bob = await token_for("alice"), await token_for("bob")
    uri = (await post(client, "alice", alice, {**PROPOSAL, "closesAt": later(30)}))["object"]["id"]
    await post(client, "bob", bob, {"type": "Like", "object": uri})
    await comment(client, "bob", bob, uri, "Please do")
    await give_address("bob")
    await give_address("alice")
    # When alice publishes a new version, then closes it and publishes the decision
    await post(client, "alice", alice, change(uri, summary="Sundays from 10 to 4."))
    await post(client, "alice", alice, change(uri, proposalStatus="closed"))
    await post(
        client, "alice", alice, change(uri, proposalStatus="adopted", decision="We open Sundays.")
    )
    moment = datetime.now(UTC)
    await mailer(client).mail_due(moment)
    # Then bob has the decision at once, and the new version in his weekly digest
    subjects = [str(mail["Subject"]) for mail in await mails_to("bob@example.org")]
    texts = [text_of(mail) for mail in await mails_to("bob@example.org")]
    assert len(subjects) == 2
    assert "Decisions on consultations you took part in" in subjects[0]
    assert f"{PROPOSAL['name']}: the decision is published" in texts[0]
    assert "weekly digest" in subjects[1] and f"{PROPOSAL['name']}: now at version 2" in texts[1]
    # And alice is not told of her own decision or her own version
    assert all("decision" not in str(m["Subject"]) for m in await mails_to("alice@example.org"))


async def test_the_admin_sets_the_digest_hour_and_day_and_nothing_else_is_taken(
    client: TestClient,
) -> None:
    # Given the admin on the settings page
    await member("admin", AccessRole.ADMIN)
    await sign_in_as(client, "admin")
    fields = {"signup_mode": "invite", "language": "en", "name": "Test Org", "summary": ""}
    fields |= {"poll_votes_per_server": "10", "digest_hour": "18", "digest_weekday": "4"}
    # When they choose an hour or a day that does not exist
    for bad in ({"digest_hour": "24"}, {"digest_weekday": "7"}, {"digest_hour": "8am"}):
        response = await submit(client, "/admin/settings", {**fields, **bad})
        # Then the form comes back (400) and nothing is stored
        assert response.status == 400, bad
        assert await NodeSetting.filter(key__startswith="digest").count() == 0
    # When they choose Friday at 18:00
    response = await submit(client, "/admin/settings", fields)
    assert response.status == 303
    # Then digests fall due then
    forget_cached_settings()
    settings = await site_settings()
    assert (settings.digest_hour, settings.digest_weekday) == (18, 4)
    html = await page(client, "/admin/settings")
    assert '<option value="18" selected>18:00</option>' in html


async def test_a_reply_arriving_after_the_pass_but_stamped_before_it_is_still_mailed(
    client: TestClient,
) -> None:
    # Given alice takes replies at once, and a pass that waits two minutes for late arrivals
    alice, bob = await token_for("alice"), await token_for("bob")
    account = await give_address("alice")
    await NotificationPreference.create(account=account, kind="reply", delivery="immediate")
    uri = (await post(client, "alice", alice, {**PROPOSAL, "closesAt": later(30)}))["object"]["id"]
    await comment(client, "bob", bob, uri, "On time")
    settled = NotificationMailer(
        client.app[MAIL_QUEUE], client.app[CONFIG].secret_key, settle=timedelta(minutes=2)
    )
    start = datetime.now(UTC)
    assert await settled.mail_due(start + timedelta(minutes=3)) == 1
    # When a reply stamped a minute before that pass (written on another server) arrives after it
    late = await comment(client, "bob", bob, uri, "Late from afar")
    await Object.filter(uri=late).update(published_at=start + timedelta(minutes=2))
    # Then the next pass mails it
    assert await settled.mail_due(start + timedelta(minutes=4)) == 1
    to_alice = await mails_to("alice@example.org")
    assert len(to_alice) == 2 and "1 new reply" in text_of(to_alice[1])


async def test_a_member_who_chose_welsh_is_mailed_in_welsh_and_others_in_the_sites_language(
    client: TestClient,
) -> None:
    # Given alice, who chose Welsh, and dave, who did not, both wanting replies at once
    alice, bob, dave = [await token_for(h) for h in ("alice", "bob", "dave")]
    for handle, language in (("alice", "cy"), ("dave", "")):
        account = await give_address(handle)
        await Account.filter(id=account.id).update(language=language)
        await NotificationPreference.create(account=account, kind="reply", delivery="immediate")
    first = (await post(client, "alice", alice, {**PROPOSAL, "closesAt": later(30)}))["object"]
    second = (await post(client, "dave", dave, {**PROPOSAL, "closesAt": later(30)}))["object"]
    # When bob replies to each twice, and the pass runs
    for uri in (first["id"], first["id"], second["id"], second["id"]):
        await comment(client, "bob", bob, uri, "Sundays are busy")
    assert await mailer(client).mail_due() == 2
    # Then alice's mail is Welsh, its count in the Welsh plural form for two
    (welsh,) = await mails_to("alice@example.org")
    assert welsh["Content-Language"] == "cy"
    assert str(welsh["Subject"]).startswith("Atebion i chi, gan ")
    assert "Open the library on Sundays: 2 ateb newydd" in text_of(welsh)
    # And dave's is English
    (english,) = await mails_to("dave@example.org")
    assert english["Content-Language"] == "en"
    assert "Open the library on Sundays: 2 new replies" in text_of(english)
