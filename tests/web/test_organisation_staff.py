"""On an umbrella node an organisation's own admins edit its proposals as it and its moderators
decide them, and no other organisation's staff can; the node's admins act for every one."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from node.models import (
    AccessRole,
    Actor,
    Membership,
    Object,
    OrganisationRole,
    Proposal,
    ProposalStatus,
)  # fmt: skip
from node.services import lifecycle, organisations
from node.services.tokens import create_token
from node.urls import NodeUrls
from tests.support.api import BASE, post, send
from tests.support.pages import member

FOODBANK = f"{BASE}/actors/foodbank"
ARTICLE = {
    "type": "Article",
    "name": "Food parcels on Saturdays",
    "summary": "Open the food bank on Saturday mornings.",
    "audience": FOODBANK,
}


async def staff(handle: str, organisation: str, role: OrganisationRole) -> str:
    """A member who holds `role` in `organisation` (and no role on the node); their token."""
    account = await member(handle)
    await organisations.join(account.id, organisation)
    membership = await Membership.get(
        account_id=account.id, organisation__actor__handle=organisation
    )
    membership.role = role
    await membership.save(update_fields=["role"])
    return await create_token(handle)


def edit(uri: str, **changes: Any) -> dict[str, Any]:
    return {"type": "Update", "object": {"type": "Article", "id": uri, **changes}}


async def food_bank_proposal(client: TestClient) -> str:
    await organisations.add_organisation(NodeUrls(BASE), "foodbank", "Town Food Bank")
    amina = await member("amina")
    await organisations.join(amina.id, "foodbank")
    created = await post(client, "amina", await create_token("amina"), ARTICLE)
    return str(created["object"]["id"])


async def signer_of_edit(handle: str, uri: str) -> str | None:
    """Who signs `handle`'s edit of the proposal `uri` (the edit form asks lifecycle.editor_for)."""
    actor = await Actor.get(handle=handle, is_local=True)
    row = await Object.get(uri=uri)
    proposal = await Proposal.get(object_id=row.id)
    signer = await lifecycle.editor_for(actor, row, proposal.status)
    return signer.uri if signer is not None else None


async def test_its_own_admin_edits_as_the_organisation_and_another_s_cannot(
    client: TestClient,
) -> None:
    uri = await food_bank_proposal(client)
    await staff("fay", "foodbank", OrganisationRole.ADMIN)
    await staff("oscar", "testorg", OrganisationRole.ADMIN)  # runs the node's own only
    await staff("mo", "foodbank", OrganisationRole.MODERATOR)  # decides, but does not edit
    await member("nia", AccessRole.ADMIN)  # the node's admin
    assert await signer_of_edit("fay", uri) == FOODBANK
    assert await signer_of_edit("oscar", uri) is None
    assert await signer_of_edit("mo", uri) is None
    assert await signer_of_edit("nia", uri) == FOODBANK
    assert await signer_of_edit("amina", uri) == f"{BASE}/actors/amina"  # its author


async def test_its_own_moderator_decides_and_another_s_cannot(client: TestClient) -> None:
    uri = await food_bank_proposal(client)
    await post(client, "amina", await create_token("amina"), edit(uri, proposalStatus="closed"))
    mo = await staff("mo", "foodbank", OrganisationRole.MODERATOR)
    oscar = await staff("oscar", "testorg", OrganisationRole.MODERATOR)
    decision = edit(uri, proposalStatus=ProposalStatus.ADOPTED.value, decision="We will open.")
    status, refused = await send(client, "oscar", oscar, decision)
    assert status == 403, refused
    decided = await post(client, "mo", mo, decision)
    assert decided["actor"] == FOODBANK
    assert decided["object"]["proposalStatus"] == "adopted"


async def test_the_node_s_moderator_decides_for_every_organisation(client: TestClient) -> None:
    uri = await food_bank_proposal(client)
    await post(client, "amina", await create_token("amina"), edit(uri, proposalStatus="closed"))
    await member("nell", AccessRole.MODERATOR)
    decision = edit(uri, proposalStatus="dropped", decision="We cannot staff Saturdays.")
    decided = await post(client, "nell", await create_token("nell"), decision)
    assert decided["actor"] == FOODBANK
