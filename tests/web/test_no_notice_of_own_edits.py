"""Nobody is told of their own edit; everyone else who endorsed the proposal is, and is told
who made it (the author, or the organisation editing for them). An admin or moderator acting
for the organisation is the one who made it: they are not told either, on the page or by mail.
An accepted amendment's suggester is told once: that it was accepted."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp.test_utils import TestClient

from node.models import AccessRole, Account, Amendment, NotificationPreference, Object
from node.services.notifications import notifications_for
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_member_pages import NEW, publish
from tests.web.test_notification_mail import give_address, mailer, mails_to, text_of


async def told(handle: str) -> list[tuple[str, str, str]]:
    """The member's notifications as (kind, by whom, detail), oldest first."""
    account = await Account.get(actor__handle=handle)
    found = await notifications_for(account.id)
    return [(n.kind, n.actor.handle if n.actor else "", n.detail) for n in reversed(found)]


async def published_by_amina(client: TestClient, **staff: AccessRole) -> str:
    """Members Amina and Bo, and `staff` (handle: role); Amina signed in, her proposal published
    (its address returned)."""
    await member("amina")
    await member("bo")
    for handle, role in staff.items():
        await member(handle, role)
    await sign_in_as(client, "amina")
    return await publish(client)


async def endorse(client: TestClient, where: str) -> None:
    response = await submit(client, f"{where}/endorse", {"action": "endorse"}, token_from=where)
    assert response.status == 303, await response.text()


async def edit(client: TestClient, where: str, summary: str) -> None:
    changes = {**NEW, "summary": summary, "status": "open", "action": "save"}
    response = await submit(client, f"{where}/edit", changes)
    assert response.status == 303, await response.text()


async def comment(client: TestClient, where: str) -> None:
    response = await submit(client, f"{where}/comments", {"content": "Yes"}, token_from=where)
    assert response.status == 303


async def suggest(client: TestClient, where: str) -> int:
    """An amendment to the proposal at `where`, suggested; its id."""
    suggestion = {"section": "problem", "text": "Carers miss out too."}
    response = await submit(client, f"{where}/amendments", suggestion, token_from=f"{where}/amend")
    assert response.status == 303
    return (await Amendment.get()).id


async def accept(client: TestClient, amendment: int) -> None:
    accepted = await submit(client, f"/amendments/{amendment}/answer", {"decision": "accept"})
    assert accepted.status == 303


async def switch_to(client: TestClient, handle: str) -> None:
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, handle)


async def test_an_edit_reaches_every_endorser_but_its_editor(client: TestClient) -> None:
    where = await published_by_amina(client, ada=AccessRole.ADMIN)
    await endorse(client, where)  # Amina endorses her own proposal
    await switch_to(client, "bo")
    await endorse(client, where)
    # Amina edits her proposal: Bo is told, Amina is not
    await switch_to(client, "amina")
    await edit(client, where, "Until 9pm.")
    assert await told("amina") == []
    assert await told("bo") == [("new_version", "amina", "2")]
    # Ada edits it for the organisation: both are told, and told it was the organisation
    await switch_to(client, "ada")
    await edit(client, where, "Until 10pm.")
    assert await told("amina") == [("new_version", "testorg", "3")]
    assert await told("bo") == [("new_version", "amina", "2"), ("new_version", "testorg", "3")]


async def test_accepting_an_amendment_tells_its_author_not_the_one_who_accepted(
    client: TestClient,
) -> None:
    where = await published_by_amina(client)
    await endorse(client, where)
    await switch_to(client, "bo")
    await endorse(client, where)
    amendment = await suggest(client, where)
    await switch_to(client, "amina")
    await accept(client, amendment)
    assert await told("amina") == [("amendment", "bo", "")]  # the suggestion, not her answer
    # Bo is told once that it was accepted: not again of the new version it made, nor of the
    # short reply in the thread that says so
    assert await told("bo") == [("answer", "amina", "accepted")]
    await switch_to(client, "bo")
    assert "accepted your amendment to" in await page(client, "/notifications")


async def test_an_accepted_amendment_is_mailed_to_its_suggester_once(client: TestClient) -> None:
    where = await published_by_amina(client)
    await switch_to(client, "bo")
    await endorse(client, where)
    account = await give_address("bo")
    for kind in ("reply", "amendment", "new_version"):
        await NotificationPreference.create(account=account, kind=kind, delivery="immediate")
    amendment = await suggest(client, where)
    await switch_to(client, "amina")
    await accept(client, amendment)
    assert await mailer(client).mail_due(datetime.now(UTC)) == 1
    mails = await mails_to("bo@example.org")
    assert len(mails) == 1
    assert "Evening opening: your amendment was accepted" in text_of(mails[0])


async def test_an_admin_editing_for_the_organisation_is_not_told_of_her_own_edit(
    client: TestClient,
) -> None:
    where = await published_by_amina(client, ada=AccessRole.ADMIN)
    for handle in ("bo", "ada"):
        await switch_to(client, handle)
        await endorse(client, where)
    account = await give_address("ada")
    await NotificationPreference.create(account=account, kind="new_version", delivery="immediate")
    # Ada edits it for the organisation: the Update is the organisation's, the edit hers
    await edit(client, where, "Until 10pm.")
    assert await told("ada") == []
    assert await told("bo") == [("new_version", "testorg", "2")]
    assert "changed a proposal you endorse" not in await page(client, "/notifications")
    await mailer(client).mail_due(datetime.now(UTC))
    assert await mails_to("ada@example.org") == []
    # the organisation's next edit, by another admin, reaches her as it reaches Bo
    await member("ali", AccessRole.ADMIN)
    await switch_to(client, "ali")
    await edit(client, where, "Until 11pm.")
    assert await told("ada") == [("new_version", "testorg", "3")]
    assert await told("bo") == [("new_version", "testorg", "2"), ("new_version", "testorg", "3")]


async def test_a_moderator_deciding_for_the_organisation_is_not_told_of_his_decision(
    client: TestClient,
) -> None:
    where = await published_by_amina(client, mo=AccessRole.MODERATOR)
    for handle in ("bo", "mo"):  # both take part
        await switch_to(client, handle)
        await comment(client, where)
    await switch_to(client, "amina")
    closed = await submit(client, f"{where}/edit", {**NEW, "status": "closed", "action": "save"})
    assert closed.status == 303
    await switch_to(client, "mo")
    decided = await submit(
        client, f"{where}/decision", {"outcome": "dropped", "decision": "Not this year."}
    )
    assert decided.status == 303, await decided.text()
    assert await told("bo") == [("decision", "testorg", "")]
    assert await told("mo") == []


async def test_editing_ones_comment_tells_no_one(client: TestClient) -> None:
    where = await published_by_amina(client)
    await switch_to(client, "bo")
    await comment(client, where)
    key = (await Object.get(type="Note")).uri.rsplit("/", 1)[1]
    edited = await submit(client, f"/objects/{key}/edit-comment", {"content": "Yes please"})
    assert edited.status == 303
    assert await told("bo") == []
    assert await told("amina") == [("reply", "bo", "")]  # the comment, once


async def test_an_admin_accepting_an_amendment_for_the_organisation_is_not_told_of_it(
    client: TestClient,
) -> None:
    where = await published_by_amina(client, ada=AccessRole.ADMIN)
    await switch_to(client, "ada")
    await endorse(client, where)
    await switch_to(client, "bo")
    amendment = await suggest(client, where)
    await switch_to(client, "ada")
    await accept(client, amendment)
    assert await told("ada") == []  # the new version is her doing
    assert await told("bo") == [("answer", "testorg", "accepted")]
