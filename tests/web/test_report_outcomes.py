"""A member who reports something is told what became of it, on the site and by mail as
their preferences say, without the moderator who decided being named; a report from another
server is answered by no mail and nothing sent back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiohttp.test_utils import TestClient

from node.models import AccessRole, Activity, Actor, NotificationPreference, OutgoingMail, Report
from node.services import moderation
from tests.support.api import BASE, post, token_for
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_notification_mail import give_address, mailer, mails_to, text_of
from tests.web.test_report_queue import flag, remote


@pytest.fixture(autouse=True)
def no_timed_pass(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TOWNHALL_NOTIFY_POLL_SECONDS", "3600")
    yield


async def rude_comment_reported_by_amina(client: TestClient) -> str:
    """Bob's comment on Alice's proposal, which Amina (with a confirmed address) reports."""
    alice, bob = await token_for("alice"), await token_for("bob")
    article = await post(client, "alice", alice, {"type": "Article", "name": "P", "summary": "S"})
    note = {"type": "Note", "content": "Something rude", "inReplyTo": article["object"]["id"]}
    comment = str((await post(client, "bob", bob, note))["object"]["id"])
    await member("amina")
    await give_address("amina")
    await member("moira", AccessRole.MODERATOR)
    await sign_in_as(client, "amina")
    said = {"reason": "Bullying a service user"}
    reported = await submit(client, comment.removeprefix(BASE) + "/report", said)
    assert reported.status == 303, await reported.text()
    await submit(client, "/sign-out", {}, token_from="/")
    return comment


async def resolve_as_moira(client: TestClient, then: str, resolution: str) -> None:
    await sign_in_as(client, "moira")
    report = await Report.get(reason="Bullying a service user")
    response = await submit(
        client,
        f"/admin/reports/{report.id}/resolve",
        {"resolution": resolution, "then": then},
        token_from="/admin/reports",
    )
    assert response.status == 303, await response.text()
    await submit(client, "/sign-out", {}, token_from="/")


async def test_the_reporter_is_told_the_post_was_removed_without_the_moderators_name(
    client: TestClient,
) -> None:
    await rude_comment_reported_by_amina(client)
    # When Moira removes the comment and resolves the report, with a note for the moderators
    await resolve_as_moira(client, "remove", "Moira: second strike for bob")
    # Then Amina is mailed at once what became of her report
    await mailer(client).mail_due()
    (mail,) = await mails_to("amina@example.org")
    text = text_of(mail)
    assert "What became of your reports" in str(mail["Subject"])
    assert "The moderators removed the post you reported." in text
    assert "Bullying a service user" in text  # her own words say which report
    # and her notifications page says the same
    await sign_in_as(client, "amina")
    html = await page(client, "/notifications")
    assert "The moderators removed the post you reported." in html
    # and neither names the moderator nor repeats the moderators' own note
    for told in (text, html):
        assert "moira" not in told.lower() and "second strike" not in told


async def test_a_post_hidden_before_the_report_is_resolved_is_told_at_once(
    client: TestClient,
) -> None:
    comment = await rude_comment_reported_by_amina(client)
    moira = await Actor.get(handle="moira").prefetch_related("account")
    # When Moira hides the comment from its thread, leaving the report open
    await moderation.hide(comment, "rude", by_account_id=moira.account.id)
    # Then Amina is told it is hidden
    await sign_in_as(client, "amina")
    assert "The moderators hid the post you reported." in await page(client, "/notifications")
    # and once the report is resolved, told once, not twice
    await submit(client, "/sign-out", {}, token_from="/")
    await resolve_as_moira(client, "", "hidden already")
    await sign_in_as(client, "amina")
    html = await page(client, "/notifications")
    assert html.count("The moderators hid the post you reported.") == 1


async def test_a_report_left_as_it_is_is_told_too_and_the_kind_can_be_turned_off(
    client: TestClient,
) -> None:
    await rude_comment_reported_by_amina(client)
    await sign_in_as(client, "amina")
    assert "your report" not in await page(client, "/notifications")  # not yet decided
    await submit(client, "/sign-out", {}, token_from="/")
    await resolve_as_moira(client, "", "not against the rules")
    await sign_in_as(client, "amina")
    told = "The moderators looked at your report and left things as they are."
    assert told in await page(client, "/notifications")
    # When Amina turns these off, they are neither shown nor mailed
    amina = await Actor.get(handle="amina").prefetch_related("account")
    await NotificationPreference.create(
        account_id=amina.account.id, kind="report_outcome", delivery="off"
    )
    assert told not in await page(client, "/notifications")
    await mailer(client).mail_due()
    assert await mails_to("amina@example.org") == []


async def test_another_servers_report_is_answered_by_no_mail_and_nothing_sent_back(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    article = await post(client, "alice", token, {"type": "Article", "name": "P", "summary": "S"})
    note = {"type": "Note", "content": "Rude", "inReplyTo": article["object"]["id"]}
    comment = str((await post(client, "alice", token, note))["object"]["id"])
    await flag(await remote("reporter", "elsewhere.example"), 1, comment)
    await member("moira", AccessRole.MODERATOR)
    moira = await Actor.get(handle="moira").prefetch_related("account")
    sent_before = await Activity.all().count()
    report = await Report.get(flag_uri__startswith="https://elsewhere.example/")
    await moderation.hide(comment, "rude", by_account_id=moira.account.id)
    await moderation.resolve_report(report.id, moira.account.id, "hidden")
    await mailer(client).mail_due()
    assert not await OutgoingMail.exists()
    assert await Activity.all().count() == sent_before
