"""Nobody is told of their own edit; everyone else who endorsed the proposal is, and is told
who made it (the author, or the organisation editing for them)."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from node.models import AccessRole, Account, Amendment, Object
from node.services.notifications import notifications_for
from tests.support.pages import member, sign_in_as, submit
from tests.web.test_member_pages import NEW, publish


async def told(handle: str) -> list[tuple[str, str, str]]:
    """The member's notifications as (kind, by whom, detail), oldest first."""
    account = await Account.get(actor__handle=handle)
    found = await notifications_for(account.id)
    return [(n.kind, n.actor.handle if n.actor else "", n.detail) for n in reversed(found)]


async def endorse(client: TestClient, where: str) -> None:
    response = await submit(client, f"{where}/endorse", {"action": "endorse"}, token_from=where)
    assert response.status == 303, await response.text()


async def edit(client: TestClient, where: str, summary: str) -> None:
    changes = {**NEW, "summary": summary, "status": "open", "action": "save"}
    response = await submit(client, f"{where}/edit", changes)
    assert response.status == 303, await response.text()


async def switch_to(client: TestClient, handle: str) -> None:
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, handle)


async def test_an_edit_reaches_every_endorser_but_its_editor(client: TestClient) -> None:
    await member("amina")
    await member("bo")
    await member("ada", AccessRole.ADMIN)
    await sign_in_as(client, "amina")
    where = await publish(client)
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
    await member("amina")
    await member("bo")
    await sign_in_as(client, "amina")
    where = await publish(client)
    await endorse(client, where)
    await switch_to(client, "bo")
    await endorse(client, where)
    suggestion = {"section": "problem", "text": "Carers miss out too."}
    response = await submit(client, f"{where}/amendments", suggestion, token_from=f"{where}/amend")
    assert response.status == 303
    amendment = await Amendment.get()
    await switch_to(client, "amina")
    accepted = await submit(client, f"/amendments/{amendment.id}/answer", {"decision": "accept"})
    assert accepted.status == 303
    assert await told("amina") == [("amendment", "bo", "")]  # the suggestion, not her answer
    bo_told = await told("bo")  # (and the short reply in the thread that answers him)
    assert {("answer", "amina", "accepted"), ("new_version", "amina", "2")} <= set(bo_told)


async def test_editing_ones_comment_tells_no_one(client: TestClient) -> None:
    await member("amina")
    await member("bo")
    await sign_in_as(client, "amina")
    where = await publish(client)
    await switch_to(client, "bo")
    response = await submit(client, f"{where}/comments", {"content": "Yes"}, token_from=where)
    assert response.status == 303
    key = (await Object.get(type="Note")).uri.rsplit("/", 1)[1]
    edited = await submit(client, f"/objects/{key}/edit-comment", {"content": "Yes please"})
    assert edited.status == 303
    assert await told("bo") == []
    assert await told("amina") == [("reply", "bo", "")]  # the comment, once
