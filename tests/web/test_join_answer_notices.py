"""A member who asked to join an organisation is told its admins' answer: on their
notifications page, from the organisation and linking to its profile, and by mail at once
unless they chose otherwise. A node that hosts one organisation does not offer the kind."""

from __future__ import annotations

import html

from aiohttp.test_utils import TestClient

from node.models import NotificationPreference
from node.services import join_requests, organisations
from node.services.organisation_settings import change_settings
from node.urls import NodeUrls
from tests.support.api import BASE
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_notification_mail import give_address, mailer, mails_to, text_of


async def tenants_answer(eve_approved: bool = True) -> None:
    """@tenants takes members by approval; eve and fred ask; its admins (the command line)
    approve eve, or decline her, and decline fred."""
    await organisations.add_organisation(NodeUrls(BASE), "tenants", "Tenants' Union")
    await change_settings("tenants", "", "", "approval")
    for handle in ("eve", "fred"):
        account = await member(handle)
        await join_requests.ask(account.id, "tenants", "I rent here.")
    answer = join_requests.approve if eve_approved else join_requests.decline
    await answer("tenants", "eve", by_account_id=None)
    await join_requests.decline("tenants", "fred", by_account_id=None)


async def test_the_answer_is_on_their_notifications_page(client: TestClient) -> None:
    await tenants_answer()
    await sign_in_as(client, "eve")
    shown = html.unescape(await page(client, "/notifications"))
    assert "approved your request to join it: you are one of its members" in shown
    assert 'href="/actors/tenants"' in shown and "Tenants' Union" in shown
    assert "declined your request" not in shown  # fred's answer is fred's
    assert "1 unread." in shown
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "fred")
    shown = html.unescape(await page(client, "/notifications"))
    assert "declined your request to join it" in shown and "approved" not in shown


async def test_the_answer_is_mailed_at_once_and_can_be_turned_off(client: TestClient) -> None:
    await organisations.add_organisation(NodeUrls(BASE), "carers", "Carers' Centre")
    eve, fred = await member("eve"), await member("fred")
    for handle in ("eve", "fred"):
        await give_address(handle)
    await NotificationPreference.create(account=fred, kind="join_answer", delivery="off")
    await change_settings("carers", "", "", "approval")
    for handle, asker in (("eve", eve), ("fred", fred)):
        await join_requests.ask(asker.id, "carers", "")
        await join_requests.decline("carers", handle, by_account_id=None)
    assert await mailer(client).mail_due() == 1
    (mail,) = await mails_to("eve@example.org")
    assert "Answers to your requests to join an organisation" in str(mail["Subject"])
    assert "Carers' Centre: your request to join was declined" in text_of(mail)
    assert await mails_to("fred@example.org") == []  # he turned the kind off


async def test_only_an_umbrella_node_offers_the_kind(client: TestClient) -> None:
    await member("amina")
    await sign_in_as(client, "amina")
    assert "Answers to your requests to join" not in await page(client, "/settings/notifications")
    ignored = await submit(client, "/settings/notifications", {"join_answer": "off"})
    assert ignored.status == 303  # the form reads the kinds it offers, no other field
    assert not await NotificationPreference.exists()
    await organisations.add_organisation(NodeUrls(BASE), "carers", "Carers' Centre")
    shown = await page(client, "/settings/notifications")
    assert "Answers to your requests to join an organisation" in shown
    saved = await submit(client, "/settings/notifications", {"join_answer": "weekly"})
    assert saved.status == 303
    assert await NotificationPreference.filter(kind="join_answer", delivery="weekly").exists()
