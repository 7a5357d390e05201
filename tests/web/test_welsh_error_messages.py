"""A Welsh page that shows an error says it in Welsh: the error pages (404, a refusal the node
raised), form errors (signing in, a proposal's form, a filter the node refused) and the values
of the audit log. Each test names the English words that must not appear."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from node.models import AccessRole, Account
from node.services import membership, server_policy
from tests.support.pages import csrf_in, member, sign_in_as

WELSH = {"Accept": "text/html", "Accept-Language": "cy-GB,cy;q=0.9"}


async def welsh_page(client: TestClient, path: str, status: int) -> str:
    response = await client.get(path, headers=WELSH, allow_redirects=False)
    text = await response.text()
    assert response.status == status, (response.status, text[:2000])
    assert '<html lang="cy">' in text
    return text


async def welsh_post(client: TestClient, path: str, fields: dict[str, Any], status: int) -> str:
    token = csrf_in(await welsh_page(client, path, 200))
    response = await client.post(
        path, data={"csrf_token": token, **fields}, headers=WELSH, allow_redirects=False
    )
    text = await response.text()
    assert response.status == status, (response.status, text[:2000])
    assert '<html lang="cy">' in text
    return text


def main_of(html: str) -> str:
    """The page's <main>, where errors are shown (the footer names English as a language)."""
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def says_none_of(html: str, *english: str) -> None:
    shown = main_of(html)
    for words in english:
        assert words not in shown, f"English {words!r} on a Welsh page: {shown[:1500]}"


async def test_a_page_that_is_not_there_says_so_in_welsh(client: TestClient) -> None:
    text = await welsh_page(client, "/no/such/page", 404)
    assert "<h1>Heb ddod o hyd i\u2019r dudalen</h1>" in text
    assert "Does dim tudalen yn y cyfeiriad hwn." in text
    says_none_of(text, "Not Found", "not found", "404: ", "There is no page")
    # and so does a profile that is not there, whose words are the handler's own
    nobody = await welsh_page(client, "/actors/nobody", 404)
    assert "Does neb yma o\u2019r enw hwnnw." in nobody
    says_none_of(nobody, "Not Found", "There is no one here")


async def test_a_wrong_password_is_refused_in_welsh(client: TestClient) -> None:
    await member("alice")
    text = await welsh_post(
        client, "/sign-in", {"handle": "alice", "password": "not the password"}, 401
    )
    assert (
        "Nid yw\u2019r enw defnyddiwr a\u2019r cyfrinair hwnnw\u2019n cyfateb i gyfrif yma." in text
    )
    says_none_of(text, "do not match", "There is a problem")


async def test_a_proposal_form_with_missing_fields_says_what_is_missing_in_welsh(
    client: TestClient,
) -> None:
    await member("alice")
    await sign_in_as(client, "alice")
    fields = {"title": "", "summary": "", "body": "", "action": "draft"}
    text = await welsh_post(client, "/proposals/new", fields, 400)
    says_none_of(
        text, "Give the proposal a title.", "Say in a sentence or two", "There is a problem"
    )


async def test_a_refusal_the_node_raises_is_shown_in_welsh(client: TestClient) -> None:
    # A filter the node's search refuses, shown on the form
    refused = await welsh_page(client, "/proposals?status=nonsense", 400)
    assert "statws anhysbys" in refused
    says_none_of(refused, "unknown status")
    # A page number the node refuses, shown on an error page
    await member("boss", AccessRole.ADMIN)
    await sign_in_as(client, "boss")
    bad_page = await welsh_page(client, "/admin/audit?page=x", 400)
    assert "<h1>Ni allem ddefnyddio\u2019r hyn a anfonwyd</h1>" in bad_page
    assert "rhaid i\u2019r dudalen fod yn rhif cyfan o 1 i fyny" in bad_page
    says_none_of(bad_page, "Bad Request", "We could not use", "the page must be a whole number")


async def test_a_refused_role_change_is_an_error_page_in_welsh(
    client: TestClient,
) -> None:
    # The node's refusal of the last admin's demotion, on an error page
    boss = await member("boss", AccessRole.ADMIN)
    await sign_in_as(client, "boss")
    token = csrf_in(await welsh_page(client, "/admin/members", 200))
    answer = await client.post(
        "/admin/members/boss",
        data={"csrf_token": token, "action": "role", "role": "member"},
        headers=WELSH,
    )
    text = await answer.text()
    assert answer.status == 403, (answer.status, text[:2000])
    assert "<h1>Ni chewch wneud hynny</h1>" in text
    assert "ni all gweinyddwr olaf y nod roi\u2019r gorau i fod yn weinyddwr" in text
    says_none_of(text, "Forbidden", "You may not do that", "last admin cannot")
    assert (await Account.get(id=boss.id)).access_role == AccessRole.ADMIN


async def test_the_audit_logs_values_are_welsh(client: TestClient) -> None:
    boss = await member("boss", AccessRole.ADMIN)
    await member("sam")
    await server_policy.set_authorized_fetch("on", by_account_id=boss.id)
    await server_policy.set_federation_mode("allow_list", by_account_id=boss.id)
    await membership.set_role(boss.id, "sam", AccessRole.MODERATOR)
    await sign_in_as(client, "boss")
    text = await welsh_page(client, "/admin/audit", 200)
    assert "trodd nôl awdurdodedig ymlaen" in text
    assert "dim ond y gweinyddion ar y rhestr ganiatáu" in text
    assert "rôl newydd: cymedrolwr" in text
    says_none_of(text, ">on<", "allow_list", "now moderator", "turned authorised fetch")
